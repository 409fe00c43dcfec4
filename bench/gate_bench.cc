// The gate at scale: a generated tenant of 100,000 users, 5,000 groups
// (nesting up to depth 4), 200 environments and 1,000,000 security-role
// assignments. Measures Decide(environment.access) with explanations on
// (throughput, and p99 from a manual timing loop over a sample), the cost of
// rendering a denied decision's explanation text (what the API pays when it
// serialises one), and the snapshot refresh after one change (patched copy
// sharing the rest).
//
// "Explanations on": every decision records every check's id, pass/fail and
// what renders its sentence and remedy (a literal, or a renderer plus the
// user and environment indexes); the text itself is produced on demand, so
// BM_RenderDeniedExplanation is reported separately.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>

#include "gate/decision.h"
#include "gate/snapshot.h"

namespace gh::gate {
namespace {

constexpr int kUsers = 100'000, kGroups = 5'000, kEnvs = 200, kAssignments = 1'000'000;

std::string Id(char kind, int i) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%c%07d-0000-4000-8000-000000000000", kind, i);
  return buf;
}

SnapshotInput Generate() {
  std::mt19937 rng(42);
  SnapshotInput in;
  in.resource.tenant.id = "res";
  in.resource.tenant.name = "Contoso";
  in.settings.enable_guests_to_make = true;
  in.users.reserve(kUsers);
  for (int i = 0; i < kUsers; ++i) {
    UserFacts u;
    u.id = Id('u', i);
    u.user_principal_name = "user" + std::to_string(i) + "@contoso.com";
    u.display_name = "User " + std::to_string(i);
    u.guest = i % 5 == 0;
    u.license_environment_access = i % 10 != 0;
    in.users.push_back(std::move(u));
  }
  for (int g = 0; g < kGroups; ++g) in.groups.push_back({Id('g', g), "Group " + std::to_string(g), false});
  // Nesting: groups in four layers of 1,250; each group below layer 0 sits in
  // one group of the layer above (depth up to 4).
  const int layer = kGroups / 4;
  for (int g = layer; g < kGroups; ++g)
    in.memberships.push_back({Id('g', g - layer - (g % 7) % layer), Id('g', g), directory::MemberKind::kGroup});
  for (int i = 0; i < kUsers; ++i)
    for (int k = 0; k < 2; ++k)
      in.memberships.push_back({Id('g', static_cast<int>(rng() % kGroups)), Id('u', i), directory::MemberKind::kUser});
  for (int e = 0; e < kEnvs; ++e) {
    EnvironmentFacts f;
    f.env.id = Id('e', e);
    f.env.unique_name = "env-" + std::to_string(e);
    f.env.display_name = "Environment " + std::to_string(e);
    f.env.dataverse = true;
    if (e % 2 == 0) f.env.security_group_id = Id('g', e);
    in.environments.push_back(std::move(f));
  }
  const uint32_t maker = PrivilegeMask({"createCanvasApp", "shareApps"});
  in.role_grants.reserve(kAssignments);
  for (int a = 0; a < kAssignments; ++a) {
    bool group = a % 10 == 0;
    in.role_grants.push_back({Id('e', static_cast<int>(rng() % kEnvs)),
                              group ? Id('g', static_cast<int>(rng() % kGroups)) : Id('u', static_cast<int>(rng() % kUsers)),
                              maker});
  }
  return in;
}

const std::shared_ptr<const Snapshot>& Shared() {
  static const std::shared_ptr<const Snapshot> s = Snapshot::Build(Generate());
  return s;
}

std::vector<AccessRequest> Sample(size_t n) {
  std::mt19937 rng(7);
  std::vector<AccessRequest> out;
  for (size_t i = 0; i < n; ++i)
    out.push_back({"res", Id('u', static_cast<int>(rng() % kUsers)), Action::kEnvironmentAccess,
                   Id('e', static_cast<int>(rng() % kEnvs)), "", "", ""});
  return out;
}

void BM_DecideEnvironmentAccess(benchmark::State& state) {
  const auto& snap = Shared();
  auto reqs = Sample(4096);
  size_t i = 0, allowed = 0;
  for (auto _ : state) {
    Decision d = Decide(*snap, reqs[i++ & 4095]);
    allowed += d.allowed;
    benchmark::DoNotOptimize(d);
  }
  state.counters["decisions/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["allowed%"] = 100.0 * allowed / std::max<size_t>(1, state.iterations());
}
BENCHMARK(BM_DecideEnvironmentAccess);

// p50/p99 from timing each decision of a sample (clock overhead included).
void BM_DecideLatencyPercentiles(benchmark::State& state) {
  const auto& snap = Shared();
  auto reqs = Sample(200'000);
  std::vector<double> ns(reqs.size());
  for (auto _ : state) {
    for (size_t i = 0; i < reqs.size(); ++i) {
      auto t0 = std::chrono::steady_clock::now();
      Decision d = Decide(*snap, reqs[i]);
      benchmark::DoNotOptimize(d);
      ns[i] = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count();
    }
  }
  std::sort(ns.begin(), ns.end());
  state.counters["p50_ns"] = ns[ns.size() / 2];
  state.counters["p99_ns"] = ns[ns.size() * 99 / 100];
  state.counters["p999_ns"] = ns[ns.size() * 999 / 1000];
}
BENCHMARK(BM_DecideLatencyPercentiles)->Iterations(1)->Unit(benchmark::kMillisecond);

// Rendering a denied decision's explanation as the API does: every check's
// sentence, and each failed check's remedy (what / API call / CLI command).
void BM_RenderDeniedExplanation(benchmark::State& state) {
  const auto& snap = Shared();
  std::vector<Decision> denied;
  for (const auto& r : Sample(4096)) {
    Decision d = Decide(*snap, r);
    if (!d.allowed) denied.push_back(std::move(d));
  }
  size_t i = 0, chars = 0;
  for (auto _ : state) {
    const Decision& d = denied[i++ % denied.size()];
    for (const Check& c : d.checks) {
      std::string sentence = c.sentence.str();
      chars += sentence.size();
      benchmark::DoNotOptimize(sentence);
      if (c.passed) continue;
      std::string what = c.remedy.what.str(), api = c.remedy.api.str(), cli = c.remedy.cli.str();
      chars += what.size() + api.size() + cli.size();
      benchmark::DoNotOptimize(what), benchmark::DoNotOptimize(api), benchmark::DoNotOptimize(cli);
    }
  }
  state.counters["chars/explanation"] = static_cast<double>(chars) / std::max<int64_t>(1, state.iterations());
}
BENCHMARK(BM_RenderDeniedExplanation);

// One role assignment added: copy that environment's role table, patch it,
// and publish a snapshot sharing everything else.
void BM_RefreshAfterRoleAssignment(benchmark::State& state) {
  auto snap = Shared();
  int n = 0;
  for (auto _ : state) {
    uint32_t env = static_cast<uint32_t>(n++ % kEnvs);
    auto roles = std::make_shared<EnvironmentRoles>(snap->roles(env));
    roles->Grant(static_cast<uint32_t>(n % kUsers), kHasRole);
    auto next = snap->WithEnvironmentRoles(env, std::move(roles));
    benchmark::DoNotOptimize(next);
  }
}
BENCHMARK(BM_RefreshAfterRoleAssignment)->Unit(benchmark::kMillisecond);

// One user changed (e.g. disabled): copy the chunk of users holding them and
// replace the user; the other chunks and the name indexes are shared.
void BM_RefreshAfterUserChange(benchmark::State& state) {
  auto snap = Shared();
  int n = 0;
  for (auto _ : state) {
    UserFacts u = snap->user(static_cast<uint32_t>(n++ % kUsers));
    u.enabled = !u.enabled;
    auto next = snap->WithUser(u);
    benchmark::DoNotOptimize(next);
  }
}
BENCHMARK(BM_RefreshAfterUserChange)->Unit(benchmark::kMillisecond);

// The full rebuild, for comparison (what a cold start costs).
void BM_FullBuild(benchmark::State& state) {
  for (auto _ : state) {
    state.PauseTiming();
    SnapshotInput in = Generate();
    state.ResumeTiming();
    auto s = Snapshot::Build(std::move(in));
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_FullBuild)->Iterations(2)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace gh::gate
