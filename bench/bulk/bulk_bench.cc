// Bulk invitations, end to end in one process: a generated CSV of new guests
// is submitted and run to completion through BulkInvitationService (every row
// through InvitationService::InviteIn, with its invitation email rendered and
// queued in the outbox), then the same number of rows is written again with
// the store's multi-row INSERTs of the same records (user, invitation, outbox
// message on a shared rendering, two audit entries, result; ids minted the
// same way) into the same database: the "ceiling". Prints
// rows/s for both, their ratio, and the peak RSS of the process.
//
//   gh_bulk_bench [--store PATH_OR_POSTGRES_URL] [--rows N] [--chunk N] [--no-ceiling | --ceiling-only]
//                 [--no-plan-ahead]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>

#include "app/provision.h"
#include "core/clock.h"
#include "core/encoding.h"
#include "core/random.h"
#include "core/strings.h"
#include "directory/directory_service.h"
#include "identity/clients.h"
#include "identity/keys.h"
#include "identity/secrets.h"
#include "identity/signin.h"
#include "identity/token_service.h"
#include "invitations/bulk_runner.h"
#include "invitations/bulk_service.h"
#include "invitations/invitation_mail.h"
#include "mail/message.h"
#include "mail/outbox.h"
#include "mail/templates.h"
#include "store/bulk_repository.h"
#include "store/invitations_repository.h"

namespace {
using namespace gh;  // NOLINT: a benchmark program
using Stopwatch = std::chrono::steady_clock;

template <typename T>
T Must(StatusOr<T> v, const char* what) {
  if (!v.ok()) {
    std::cerr << what << ": " << v.status().ToString() << "\n";
    std::exit(1);
  }
  return std::move(v).value();
}
void Must(const Status& s, const char* what) {
  if (!s.ok()) {
    std::cerr << what << ": " << s.ToString() << "\n";
    std::exit(1);
  }
}

double Seconds(Stopwatch::time_point a, Stopwatch::time_point b) { return std::chrono::duration<double>(b - a).count(); }

// User + system CPU seconds of the whole process so far: on a shared machine
// a steadier measure of the work done than wall time.
double CpuSeconds(int who = RUSAGE_SELF) {
  rusage ru{};
  getrusage(who, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

long PeakRssMb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024;
}

std::string GenerateCsv(int64_t rows, const std::string& tag) {
  std::string csv = "email,displayName\n";
  csv.reserve(static_cast<size_t>(rows) * 48);
  for (int64_t i = 0; i < rows; ++i)
    csv += "guest" + std::to_string(i) + "." + tag + "@partner" + std::to_string(i % 100) + ".example,Guest " +
           std::to_string(i) + "\n";
  return csv;
}

// The ceiling: the same records the job writes, with the same multi-row
// store calls, in transactions of `chunk` rows — without the job's reads,
// checks and bookkeeping. The emails share one rendering as the job's do.
double Ceiling(store::Store& store, const directory::Tenant& tenant, int64_t rows, int chunk, Random& random,
               SystemClock& clock) {
  mail::Outbox outbox(clock, random);
  const mail::InvitationMail shared{"en-US", tenant.name, "Bench", "", "", "", ""};
  auto rendered = Must(mail::RenderSharedInvitation(shared), "render");
  if (!rendered) {
    std::cerr << "render: the shared rendering was refused\n";
    std::exit(1);
  }
  store::BulkJobRow job;
  job.id = random.NewUuid();
  job.tenant_id = tenant.id;
  job.status = "completed";
  job.format = "gatehouse";
  job.options_json = job.submitter_json = "{}";
  {
    auto tx = Must(store.Begin(store::TxMode::kWrite), "begin");
    Must(tx->Bulk().InsertJob(job), "job");
    Must(tx->Commit(), "commit");
  }
  auto start = Stopwatch::now();
  for (int64_t first = 0; first < rows; first += chunk) {
    auto tx = Must(store.Begin(store::TxMode::kWrite), "begin");
    std::vector<directory::User> users;
    std::vector<store::InvitationRow> invitations;
    std::vector<mail::Mail> mails;
    std::vector<directory::AuditEntry> audits;
    std::vector<store::BulkResultRow> results;
    for (int64_t i = first; i < std::min(rows, first + chunk); ++i) {
      // Read per row as the job does: time-ordered ids of one millisecond
      // for a whole run would land at random places in the indexes.
      const int64_t now = clock.NowMillis();
      std::string email = "ceiling" + std::to_string(i) + "@partner" + std::to_string(i % 100) + ".example";
      directory::User& u = users.emplace_back();
      u.id = random.NewOrderedUuid(now);
      u.tenant_id = tenant.id;
      u.user_principal_name = "ceiling" + std::to_string(i) + "_partner.example#EXT#@" + tenant.initial_domain;
      u.display_name = "Guest " + std::to_string(i);
      u.mail = email;
      u.mail_nickname = "ceiling" + std::to_string(i);
      u.user_type = directory::UserType::kGuest;
      u.creation_type = "Invitation";
      u.external_user_state = "PendingAcceptance";
      u.external_user_state_changed_at = now;
      u.identities = {{"userPrincipalName", tenant.initial_domain, u.user_principal_name}};
      u.created_at = u.updated_at = now;
      const std::string ticket = random.Token(32);
      const store::InvitationRow& inv = invitations.emplace_back(store::InvitationRow{
          random.NewOrderedUuid(now), tenant.id, u.id, email, "https://myapps.microsoft.com", Sha256Hex(ticket),
          "PendingAcceptance", "bench", "{}", true, now, now + 1000, std::nullopt});
      const std::string redeem_url = "https://localhost:8443/redeem?tenant=" + tenant.id + "&user=" + inv.id +
                                     "&ticket=" + ticket + "&ver=2.0";
      mail::Mail& m = mails.emplace_back();
      m.tenant_id = tenant.id;
      m.kind = "invitation";
      m.to = {email};
      m.from_name = mail::FromNameFor(tenant.name);
      m.dedupe_key = "invitation:" + inv.id;
      mail::InvitationMail values = shared;
      values.invitee_email = email;
      values.redeem_url = redeem_url;
      m.fill_values = *mail::InvitationFills(values);
      audits.push_back(directory::MakeAuditEntry(random, clock, directory::Actor::System(), tenant.id,
                                                 "UserManagement", "Invite external user", "User", u.id,
                                                 u.user_principal_name));
      results.push_back({i + 2, email, "invited", u.id, redeem_url, ""});
    }
    Must(tx->InsertUsers(users), "users");
    Must(tx->Invitations().InsertAll(invitations), "invitations");
    Must(outbox.EnqueueShared(*tx, *rendered, mails), "mail");
    Must(tx->InsertAudits(audits), "audit");
    Must(tx->Bulk().InsertResults(job.id, results), "results");
    Must(tx->Commit(), "commit");
  }
  return Seconds(start, Stopwatch::now());
}

}  // namespace

int main(int argc, char** argv) {
  std::string url;
  int64_t rows = 100'000;
  int chunk = 1000;
  bool ceiling = true, job_too = true, plan_ahead = true;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--store" && i + 1 < argc) url = argv[++i];
    else if (a == "--rows" && i + 1 < argc) rows = std::stoll(argv[++i]);
    else if (a == "--chunk" && i + 1 < argc) chunk = std::stoi(argv[++i]);
    else if (a == "--no-ceiling") ceiling = false;
    else if (a == "--no-plan-ahead") plan_ahead = false;
    else if (a == "--ceiling-only") job_too = false;
    else {
      std::cerr << "usage: gh_bulk_bench [--store PATH_OR_POSTGRES_URL] [--rows N] [--chunk N]"
                   " [--no-ceiling | --ceiling-only] [--no-plan-ahead]\n";
      return 2;
    }
  }
  std::filesystem::path scratch;
  if (url.empty()) {
    scratch = std::filesystem::temp_directory_path() / ("gh-bulk-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(scratch);
    url = (scratch / "bench.db").string();
  }
  SystemClock clock;
  SecureRandom random;
  auto store = Must(store::OpenStore(url, 4), "open store");
  directory::DirectoryService directory(*store, clock, random,
                                        [&](std::string_view pw) { return identity::HashPassword(pw, random); });
  identity::ClientRegistry clients(*store, clock, random);
  identity::KeyManager keys(*store, clock, random);
  identity::TokenService tokens(*store, keys, clock, random, "https://localhost:8443");
  identity::SigninService signin(*store, directory, tokens, clock, random);
  invitations::InvitationService invitations(*store, directory, signin, clock, random, "https://localhost:8443");
  mail::Outbox outbox(clock, random);
  invitations.SetMailer(invitations::OutboxMailer(outbox));
  invitations::BulkSettings settings;
  settings.chunk_rows = chunk;
  invitations::BulkInvitationService bulk(*store, invitations, clock, random, settings);
  invitations::RunnerOptions runner_options;
  runner_options.plan_ahead = plan_ahead;
  invitations::BulkRunner runner(bulk, runner_options);

  const std::string tag = random.NewUuid().substr(0, 8);  // hex: always a valid domain label
  app::Provisioner provisioner(directory, clients);
  auto tenant = Must(provisioner.CreateTenant({"Bench " + tag, "bench-" + ToLower(tag) + ".test",
                                               "admin@bench-" + ToLower(tag) + ".test", "Bench-Passw0rd!2026",
                                               directory::Cloud::kCommercial}),
                     "tenant");
  invitations::Inviter admin;
  admin.id = tenant.admin.id;
  admin.name = "Bench admin";
  admin.directory_roles = {std::string(directory::kGlobalAdministratorRole)};

  if (!job_too) {
    double c = Ceiling(*store, tenant.tenant, rows, chunk, random, clock);
    std::printf("ceiling into a fresh database: %.2f s (%.0f rows/s)\n", c, rows / c);
    if (!scratch.empty()) std::filesystem::remove_all(scratch);
    return 0;
  }
  std::string csv = GenerateCsv(rows, ToLower(tag));
  invitations::BulkOptions options;
  options.redirect_url = "https://myapps.microsoft.com";
  options.send_email = true;
  long rss_before = PeakRssMb();
  const double cpu0 = CpuSeconds();
  const double writer_cpu0 = CpuSeconds(RUSAGE_THREAD);
  auto t0 = Stopwatch::now();
  auto job = Must(bulk.Submit(admin, tenant.tenant.id, csv, options), "submit");
  std::string().swap(csv);  // the server drops the request body once the job is stored
  auto t1 = Stopwatch::now();
  runner.RunAll();
  auto t2 = Stopwatch::now();
  job = Must(bulk.Get(tenant.tenant.id, job.id), "job");
  if (job.status != invitations::BulkJobStatus::kCompleted || job.succeeded != rows) {
    std::cerr << "job ended " << invitations::BulkJobStatusName(job.status) << " with " << job.succeeded << " of " << rows << " rows\n";
    return 1;
  }
  long rss_job = PeakRssMb();
  const double cpu_s = CpuSeconds() - cpu0;
  // This thread submits and runs every chunk's write; planning is elsewhere.
  const double writer_cpu_s = CpuSeconds(RUSAGE_THREAD) - writer_cpu0;
  const double submit_s = Seconds(t0, t1), run_s = Seconds(t1, t2), total_s = Seconds(t0, t2);
  std::printf("backend %s, %lld rows, chunk %d\n", std::string(store->Backend()).c_str(),
              static_cast<long long>(rows), chunk);
  std::printf("job: submit %.2f s + run %.2f s = %.2f s  (%.0f rows/s), CPU %.2f s (%.0f us/row)\n", submit_s,
              run_s, total_s, rows / total_s, cpu_s, cpu_s * 1e6 / static_cast<double>(rows));
  std::printf("writing thread (submit + every chunk's transaction): CPU %.2f s\n", writer_cpu_s);
  std::printf("chunks written from a plan made ahead: %lld, planned again: %lld\n",
              static_cast<long long>(bulk.ChunksPlannedAhead()), static_cast<long long>(bulk.ChunksReplanned()));
  std::printf("peak RSS: %ld MB (%ld MB before submitting)\n", rss_job, rss_before);
  // SQLite reuses its log from the start once it is checkpointed and no
  // reader needs it, and never shrinks the file: its size is the most it held.
  if (std::error_code ec; store->Backend() == "sqlite") {
    auto wal = std::filesystem::file_size(url + "-wal", ec);
    if (!ec) std::printf("SQLite write-ahead log: %.0f MB at most\n", static_cast<double>(wal) / 1e6);
  }
  if (ceiling) {
    auto other = Must(provisioner.CreateTenant({"Ceiling " + tag, "ceiling-" + ToLower(tag) + ".test",
                                                "admin@ceiling-" + ToLower(tag) + ".test", "Bench-Passw0rd!2026",
                                                directory::Cloud::kCommercial}),
                      "tenant");
    double c = Ceiling(*store, other.tenant, rows, chunk, random, clock);
    std::printf("ceiling (plain batched INSERTs of the same records): %.2f s (%.0f rows/s); job/ceiling time = %.2f\n",
                c, rows / c, total_s / c);
  }
  if (!scratch.empty()) std::filesystem::remove_all(scratch);
  return 0;
}
