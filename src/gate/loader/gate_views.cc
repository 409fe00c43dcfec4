#include "gate/loader/gate_views.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "environments/tenant_settings.h"
#include "gate/loader/snapshot_loader.h"

namespace gh::gate {
namespace {

using store::Change;
using store::ChangeKind;

// Beyond this many users a patch is left to a rebuild: reloading a user
// costs a few queries, and patches run on the committing thread (a bulk job's
// batch of a thousand guests would hold it for seconds).
constexpr size_t kPatchLimit = 64;
// Changes a freshly built snapshot replays (those the feed applied while it
// was read); beyond, it is built again.
constexpr int kReplayLimit = 1000;

// What a batch asks of one snapshot.
struct Plan {
  bool rebuild = false;
  std::set<std::string> users;         // to reload
  std::set<std::string> environments;  // role tables to reload
};

// The users a principal stands for: itself, or every user in the group
// (directly or through nested groups). An id the snapshot doesn't know is
// taken for a new user (LoadUsers says when it isn't one).
void AddPrincipal(const Snapshot& s, const std::string& id, std::set<std::string>& users) {
  if (s.FindUser(id) != kNoIndex) {
    users.insert(id);
    return;
  }
  const uint32_t g = s.FindGroup(id);
  if (g == kNoIndex) {
    users.insert(id);
    return;
  }
  for (uint32_t u = 0; u < s.user_count(); ++u) {
    auto groups = s.core(u).groups();
    if (std::binary_search(groups.begin(), groups.end(), g)) users.insert(s.user(u).id);
  }
}

// The snapshot's own tenant's changes.
void PlanOwn(const Snapshot& s, const Change& c, Plan& plan) {
  if (c.all) {
    plan.rebuild = true;
    return;
  }
  switch (c.kind) {
    case ChangeKind::kUser:
      plan.users.insert(c.ids.begin(), c.ids.end());
      return;
    case ChangeKind::kMembership:
    case ChangeKind::kDirectoryRole:
    case ChangeKind::kLicence:
      for (const auto& id : c.ids) AddPrincipal(s, id, plan.users);
      return;
    case ChangeKind::kEnvironmentRoles:
      plan.environments.insert(c.ids.begin(), c.ids.end());
      return;
    case ChangeKind::kSigningKey:
      return;  // not the gate's
    case ChangeKind::kTenant:
    case ChangeKind::kPrincipalDeleted:
    case ChangeKind::kGroup:
    case ChangeKind::kSku:
    case ChangeKind::kDocument:
    case ChangeKind::kEnvironment:
    case ChangeKind::kApp:
      plan.rebuild = true;
      return;
  }
  plan.rebuild = true;  // a kind this version doesn't know
}

// Another tenant's changes, as far as they reach this snapshot's guests.
void PlanOther(const Snapshot& s, const Change& c, Plan& plan) {
  switch (c.kind) {
    case ChangeKind::kTenant:
      plan.rebuild = true;  // a new or changed home tenant (domains, cloud)
      return;
    case ChangeKind::kDocument:
      // Its cross-tenant policy; its tenant settings are its own.
      if (c.all || std::any_of(c.ids.begin(), c.ids.end(),
                               [](const auto& k) { return k != environments::kTenantSettingsDocument; }))
        plan.rebuild = true;
      return;
    case ChangeKind::kMembership:
    case ChangeKind::kPrincipalDeleted:
    case ChangeKind::kGroup:
      // The guests' groups at home: reload the guests homed there.
      for (uint32_t u = 0; u < s.user_count(); ++u)
        if (s.core(u).home() == HomeKind::kOtherTenant && s.user(u).home_tenant_id == c.tenant_id)
          plan.users.insert(s.user(u).id);
      return;
    default:
      return;
  }
}

}  // namespace

GateViews::GateViews(store::Store& store, store::ChangeFeed& feed)
    : store_(store), feed_(feed), cache_([this](const std::string& tenant_id) { return Refresh(tenant_id); }) {}

Status GateViews::Refresh(const std::string& tenant_id) {
  // Read without holding the feed (a large tenant takes a while), then
  // install it with the feed held and bring it up to date with the changes
  // the feed applied meanwhile.
  const auto started = std::chrono::steady_clock::now();
  auto built = LoadSnapshotAt(store_, tenant_id);
  if (on_build_) on_build_(tenant_id, built.ok(), std::chrono::steady_clock::now() - started);
  GH_ASSIGN_OR_RETURN(LoadedSnapshot loaded, std::move(built));
  ++builds_;
  return feed_.Holding([&]() -> Status {
    cache_.Put(tenant_id, std::move(loaded.snapshot), loaded.seq);
    const int64_t applied = feed_.applied();
    if (applied <= loaded.seq) return OkStatus();
    GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
    GH_ASSIGN_OR_RETURN(auto missed, tx->ReadChanges(loaded.seq, kReplayLimit));
    tx.reset();
    std::erase_if(missed, [&](const Change& c) { return c.seq > applied; });  // the feed applies those
    if (missed.size() == static_cast<size_t>(kReplayLimit) || missed.empty() || missed.back().seq < applied) {
      cache_.MarkStale(tenant_id);  // too many to replay (or purged): build again
      return OkStatus();
    }
    Status st = ApplyTo(tenant_id, missed);
    if (!st.ok()) cache_.MarkStale(tenant_id);
    return OkStatus();
  });
}

void GateViews::Apply(const std::vector<Change>& batch) {
  for (const auto& tenant_id : cache_.Tenants()) {
    Status st = ApplyTo(tenant_id, batch);
    if (!st.ok()) {
      spdlog::warn("gate: patching the snapshot of tenant {} failed ({}); it will be rebuilt", tenant_id,
                   st.message());
      cache_.MarkStale(tenant_id);
    }
  }
}

// A change too wide to patch (a bulk job's batch, a policy) makes the
// snapshot stale, and the next read rebuilds it — a second or more for a
// large tenant. The small changes around it are still patched into the
// snapshot that serves meanwhile, so a membership or a role granted during a
// bulk job is seen at once, not after the rebuild.
Status GateViews::ApplyTo(const std::string& tenant_id, const std::vector<Change>& batch) {
  SnapshotCache::Entry entry = cache_.Peek(tenant_id);
  if (!entry.snapshot || batch.empty() || batch.back().seq <= entry.seq) return OkStatus();
  const Snapshot& s = *entry.snapshot;
  bool stale = entry.stale;
  Plan plan;
  for (const Change& c : batch) {
    if (c.seq <= entry.seq) continue;  // the snapshot was read after it
    Plan one;
    if (c.tenant_id == tenant_id) PlanOwn(s, c, one);
    else PlanOther(s, c, one);
    if (one.rebuild || one.users.size() > kPatchLimit) {
      stale = true;  // left to the rebuild
      continue;
    }
    plan.users.merge(one.users);
    plan.environments.merge(one.environments);
    if (plan.users.size() > kPatchLimit) {
      cache_.MarkStale(tenant_id);
      return OkStatus();
    }
  }
  if (plan.users.empty() && plan.environments.empty()) {
    cache_.Put(tenant_id, entry.snapshot, batch.back().seq, stale);
    return OkStatus();
  }
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  std::shared_ptr<const Snapshot> patched = entry.snapshot;
  if (!plan.users.empty()) {
    GH_ASSIGN_OR_RETURN(auto users, LoadUsers(*tx, s, plan.users));
    if (!users) {
      cache_.MarkStale(tenant_id);
      return OkStatus();
    }
    patched = patched->WithUsers(*users);
  }
  for (const auto& env_id : plan.environments) {
    const uint32_t e = patched->FindEnvironment(env_id);
    if (e == kNoIndex) {
      cache_.MarkStale(tenant_id);
      return OkStatus();
    }
    GH_ASSIGN_OR_RETURN(auto roles, LoadEnvironmentRoles(*tx, *patched, env_id));
    patched = patched->WithEnvironmentRoles(e, std::move(roles));
  }
  cache_.Put(tenant_id, std::move(patched), batch.back().seq, stale);
  ++patches_;
  return OkStatus();
}

}  // namespace gh::gate
