// The composition root: parses the command line, wires configuration, store,
// services and the server. The only code not linked into tests.
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "api/oauth.h"
#include "app/metrics.h"
#include "api/graph_throttle.h"
#include "app/routes.h"
#include "core/json_log.h"
#include "api/services.h"
#include "cli/client_commands.h"
#include "app/provision.h"
#include "core/address.h"
#include "core/clock.h"
#include "core/random.h"
#include "core/secret_box.h"
#include "directory/directory_service.h"
#include "http/router.h"
#include "http/server.h"
#include "identity/clients.h"
#include "identity/keys.h"
#include "identity/local_ca.h"
#include "identity/password_pool.h"
#include "identity/secrets.h"
#include "gate/loader/gate_views.h"
#include "gate/loader/snapshot_loader.h"
#include "store/change_feed.h"
#include "identity/signin.h"
#include "identity/signin_purger.h"
#include "licensing/licensing_service.h"
#include "environments/environment_service.h"
#include "identity/token_service.h"
#include "invitations/bulk_runner.h"
#include "invitations/bulk_service.h"
#include "invitations/invitation_mail.h"
#include "invitations/invitation_service.h"
#include "store/store.h"
// Mail delivery (outbox sender).
#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include <boost/url/parse.hpp>

#include "mail/config.h"
#include "mail/message.h"
#include "mail/outbox.h"
#include "mail/templates.h"
#include "mail/sender.h"
#include "mail/transport.h"

namespace {
namespace fs = std::filesystem;
namespace json = boost::json;
using namespace gh;  // NOLINT: composition root

struct CommonOptions {
  std::string data = "data";
  std::string database;  // empty: SQLite in the data folder
};

[[noreturn]] void Fail(const std::string& what, const Status& s) {
  std::cerr << "gatehouse: " << what << ": " << s.message() << "\n";
  std::exit(s.code() == Code::kInvalidArgument || s.code() == Code::kAlreadyExists ? 2 : 1);
}

template <typename T>
T OrDie(StatusOr<T> v, const std::string& what) {
  if (!v.ok()) Fail(what, v.status());
  return std::move(v).value();
}

std::unique_ptr<store::Store> OpenStoreIn(const CommonOptions& o) {
  std::error_code ec;
  fs::create_directories(o.data, ec);
  if (ec) Fail("creating the data folder", InvalidArgument(o.data + ": " + ec.message()));
  ::chmod(o.data.c_str(), 0700);
  std::string url = o.database.empty() ? (fs::path(o.data) / "gatehouse.db").string() : o.database;
  return OrDie(store::OpenStore(url, 8), "opening the database");
}

// Everything the server and the provisioning commands share.
struct Core {
  SystemClock clock;
  SecureRandom random;
  // Every Argon2id hash and verification runs in this bounded pool.
  identity::PasswordPool passwords;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<directory::DirectoryService> directory;
  std::unique_ptr<identity::ClientRegistry> clients;

  explicit Core(const CommonOptions& o, identity::PasswordPoolOptions pool = {})
      : passwords(pool), store(OpenStoreIn(o)) {
    // Passwords set by administrators (Graph, portal, provisioning).
    directory = std::make_unique<directory::DirectoryService>(*store, clock, random, [this](std::string_view pw) {
      return passwords.Hash(pw, random, identity::PasswordPool::Caller::kAuthenticated);
    });
    clients = std::make_unique<identity::ClientRegistry>(*store, clock, random);
  }
};

struct ServeOptions {
  std::string listen = "127.0.0.1:8443";
  std::string tls_cert, tls_key, public_url;
  bool insecure_http = false;
  bool demo = false;
  int threads = 2, workers = 0;
  size_t max_body_bytes = 8 * 1024 * 1024;
  std::vector<std::string> trusted_proxies;  // CIDR blocks whose X-Forwarded-For is believed
  int max_connections = 1000, max_connections_per_address = 100;
  std::string smtp, mail_from;  // mail: SMTP URL (empty = .eml files), From address
  bool disable_signup = false;
  int purge_interval_seconds = 600;  // 0: never purge expired sign-in rows
  std::string smtp_password_file;  // the SMTP password, kept off the command line
  std::string at_rest_key;         // empty: DATA/at-rest.key
  bool keep_ca_key = false;
  std::string log_format = "text";  // or "json": one JSON object per line
  std::string metrics_token_file;   // the scrape token for GET /metrics, kept off the command line
};

// Anonymous Argon2id work (sign-in, sign-up) may hold at most all handler
// workers but one, whatever floods in: a request waiting for the pool holds
// its worker as surely as one hashing. Computations at once: one per core.
identity::PasswordPoolOptions PasswordPoolFor(const http::ServerOptions& so) {
  identity::PasswordPoolOptions p;
  p.public_in_flight = http::HandlerWorkers(so) - 1;
  p.slots = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return p;
}

// The first line of `path`: a secret given by file, so it shows in neither
// the process list nor the shell history (security review #27).
StatusOr<std::string> ReadSecretFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument("cannot read " + path);
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) return InvalidArgument(path + " is empty");
  return line;
}

// True when `argv` names `flag` itself (as "--flag VALUE" or "--flag=VALUE").
bool OnCommandLine(int argc, char** argv, std::string_view flag) {
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == flag || (a.starts_with(flag) && a.size() > flag.size() && a[flag.size()] == '=')) return true;
  }
  return false;
}

void WarnSecretOnCommandLine(std::string_view flag, std::string_view instead) {
  std::cerr << "gatehouse: warning: the secret given with " << flag
            << " is visible to every user of this machine (process list, shell history); use " << instead
            << " instead.\n";
}

// 127.0.0.0/8, ::1 (also as [::1]) or localhost.
bool IsLoopbackHost(std::string_view host) {
  if (host == "localhost") return true;
  auto a = ParseIpAddress(host);
  if (!a) return false;
  if (!a->v6) return a->bytes[0] == 127;
  static constexpr std::array<uint8_t, 16> kV6Loopback = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  return a->bytes == kV6Loopback;
}

// "host:pid": who holds outbox and bulk-job leases.
std::string ProcessName() {
  char host[256] = "gatehouse";
  ::gethostname(host, sizeof host - 1);
  return std::string(host) + ":" + std::to_string(::getpid());
}

// True for "host:pid" naming this host and a process that no longer exists.
bool IsDeadLocalProcess(const std::string& owner) {
  auto colon = owner.rfind(':');
  if (colon == std::string::npos || owner.substr(0, colon) != ProcessName().substr(0, ProcessName().rfind(':')))
    return false;
  pid_t pid = 0;
  try {
    pid = static_cast<pid_t>(std::stol(owner.substr(colon + 1)));
  } catch (...) {
    return false;
  }
  return pid > 0 && pid != ::getpid() && ::kill(pid, 0) == -1 && errno == ESRCH;
}

// ---- Mail: the outbox sender, started with the server and stopped after it.
struct MailRuntime {
  std::unique_ptr<mail::Transport> transport;
  std::unique_ptr<mail::MailSender> sender;
};

MailRuntime StartMail(const CommonOptions& common, const ServeOptions& o, const std::string& public_base,
                      store::Store& store, const Clock& clock, std::function<void(const mail::RunStats&)> on_pass) {
  mail::MailConfig config;
  if (!o.smtp.empty()) config.smtp = OrDie(mail::ParseSmtpUrl(o.smtp), "--smtp");
  if (!o.smtp_password_file.empty()) {
    if (!config.smtp) Fail("--smtp-password-file", InvalidArgument("it needs --smtp"));
    if (!config.smtp->password.empty())
      Fail("--smtp-password-file", InvalidArgument("the --smtp URL has a password too; give it once"));
    config.smtp->password = OrDie(ReadSecretFile(o.smtp_password_file), "--smtp-password-file");
  }
  config.from_address = o.mail_from;
  if (config.from_address.empty()) {
    auto url = boost::urls::parse_uri(public_base);
    std::string host = url ? std::string(url->host()) : "";
    config.from_address = "invites@" + (host.empty() || host.front() == '[' ? std::string("localhost") : host);
  }
  if (!mail::IsValidAddress(config.from_address))
    Fail("--mail-from", InvalidArgument("'" + config.from_address + "' is not an email address"));
  MailRuntime rt;
  std::string where;
  if (config.smtp) {
    rt.transport = mail::NewSmtpTransport(*config.smtp);
    where = "SMTP " + config.smtp->host + ":" + std::to_string(config.smtp->port);
  } else {
    where = (fs::path(common.data) / "outbox").string();
    rt.transport = mail::NewFileTransport(where);
    // The files are the delivery: each holds its working link or code.
    spdlog::warn("mail: no --smtp, so mail is written to {} as .eml files (for development: they hold working "
                 "invitation links and one-time codes)",
                 where);
  }
  mail::SenderOptions so;
  so.from_address = config.from_address;
  so.claimer = ProcessName();
  so.on_pass = std::move(on_pass);
  rt.sender = std::make_unique<mail::MailSender>(store, *rt.transport, clock, so);
  rt.sender->Start();
  spdlog::info("mail: from {} via {}", config.from_address, where);
  return rt;
}

int Serve(const CommonOptions& common, const ServeOptions& o) {
  http::ServerOptions so;
  auto colon = o.listen.rfind(':');
  if (colon == std::string::npos) Fail("--listen", InvalidArgument("expected HOST:PORT, got '" + o.listen + "'"));
  so.host = o.listen.substr(0, colon);
  try {
    so.port = static_cast<uint16_t>(std::stoi(o.listen.substr(colon + 1)));
  } catch (...) {
    Fail("--listen", InvalidArgument("the port in '" + o.listen + "' is not a number"));
  }
  // The demo's Global Administrators have passwords published in the
  // README and the binary: never reachable from another machine.
  if (o.demo && !IsLoopbackHost(so.host))
    Fail("--demo", InvalidArgument("the demo tenants' administrators have published passwords, so --demo only "
                                   "listens on a loopback address (--listen 127.0.0.1:PORT), not " + so.host));
  so.threads = o.threads;
  so.workers = o.workers;
  Core core(common, PasswordPoolFor(so));
  app::ServerMetrics server_metrics(core.clock);  // outlives everything that reports to it
  const std::string scrape_token =
      o.metrics_token_file.empty() ? "" : OrDie(ReadSecretFile(o.metrics_token_file), "--metrics-token-file");
  so.max_body_bytes = o.max_body_bytes;
  so.tls = !o.insecure_http;
  so.trusted_proxies = OrDie(http::TrustedProxies::Parse(o.trusted_proxies), "--trusted-proxy");
  so.max_connections = o.max_connections;
  so.max_connections_per_address = o.max_connections_per_address;
  // Behind a TLS-terminating proxy the browser still speaks HTTPS: cookies
  // must be Secure and HSTS sent, though this hop is plain HTTP.
  so.public_https = !so.tls && o.public_url.starts_with("https://");
  std::string ca_path;
  if (so.tls) {
    if (o.tls_cert.empty() != o.tls_key.empty())
      Fail("TLS", InvalidArgument("--tls-cert and --tls-key go together"));
    if (o.tls_cert.empty()) {
      auto files = OrDie(identity::EnsureLocalTls(common.data, {.keep_ca_key = o.keep_ca_key}),
                         "creating the local certificate authority");
      so.tls_cert_file = files.server_cert;
      so.tls_key_file = files.server_key;
      ca_path = files.ca_cert;
      if (!identity::HasNameConstraints(ca_path))
        spdlog::warn("{} was made by an older Gatehouse without name constraints: whoever has a copy of its key "
                     "can impersonate any site to those who trust it. Delete {} and restart for a constrained "
                     "CA, then trust the new ca.pem.",
                     ca_path, (fs::path(common.data) / "tls").string());
    } else {
      so.tls_cert_file = o.tls_cert;
      so.tls_key_file = o.tls_key;
    }
  }

  // The server binds first (port 0 picks a free one); the router is set right
  // after, before Run() accepts any connection.
  std::unique_ptr<http::Router> router;
  // Upload routes read a body over the default limit only once the route
  // admits the request from its headers (token or session).
  so.admit_large_body = [&router](const http::Request& head) { return router->AdmitLargeBody(head); };
  auto server = OrDie(http::Server::Create(so, [&router](const http::Request& r) { return router->Handle(r); }),
                      "starting the server");
  std::string scheme = so.tls ? "https" : "http";
  std::string host = so.host == "127.0.0.1" || so.host == "0.0.0.0" ? "localhost" : so.host;
  std::string public_base =
      o.public_url.empty() ? scheme + "://" + host + ":" + std::to_string(server->port()) : o.public_url;
  while (!public_base.empty() && public_base.back() == '/') public_base.pop_back();

  identity::KeyManager keys(*core.store, core.clock, core.random);
  identity::TokenService tokens(*core.store, keys, core.clock, core.random, public_base);
  licensing::LicensingService licensing(*core.store, core.clock, core.random);
  environments::EnvironmentService environments(*core.store, core.clock, core.random, public_base);
  identity::SigninConfig signin_config;
  signin_config.signup_enabled = !o.disable_signup;
  identity::SigninService signin(*core.store, *core.directory, tokens, core.clock, core.random, signin_config);
  signin.SetPasswordPool(&core.passwords);
  if (Status s = signin.EnsureConsumersTenant(); !s.ok()) Fail("creating the consumers tenant", s);
  mail::Outbox outbox(core.clock, core.random);
  directory::PolicyService policies(*core.store, core.clock, core.random);
  environments::Notifier notifier(*core.store, environments, core.clock, core.random);
  notifier.SetMailer([&outbox](store::Transaction& tx, const environments::EnvironmentNotice& n) -> Status {
    GH_ASSIGN_OR_RETURN(auto rendered, mail::RenderEnvironmentNotice({n.language, n.tenant_name, n.environment_name,
                                                                      n.environment_url}));
    mail::Mail m;
    m.tenant_id = n.tenant_id;
    m.kind = "environmentNotice";
    m.to = {n.to};
    m.from_name = mail::FromNameFor(n.tenant_name);
    m.dedupe_key = n.dedupe_key;
    m.SetContent(rendered);
    return outbox.Enqueue(tx, m).status();
  });
  invitations::InvitationService invitations(*core.store, *core.directory, signin, core.clock, core.random,
                                             public_base);
  // Invitation emails go out through the outbox, in the invitation's transaction.
  invitations.SetMailer(invitations::OutboxMailer(outbox));
  // One-time passcodes go out through the outbox, in the transaction that stores them.
  signin.SetOtpSender([&outbox](store::Transaction& tx, const directory::Tenant& tenant, const std::string& email,
                                const std::string& code, int64_t ttl_ms) -> Status {
    GH_ASSIGN_OR_RETURN(auto rendered, mail::RenderOneTimePasscode(
                                           {"en-US", tenant.name, code, static_cast<int>(ttl_ms / 60'000)}));
    mail::Mail m;
    m.tenant_id = tenant.id;
    m.kind = "otp";
    m.to = {email};
    m.from_name = mail::FromNameFor(tenant.name);
    m.SetContent(rendered);
    return outbox.Enqueue(tx, m).status();
  });
  // The gate: snapshots per tenant, kept current from the change feed (this
  // node's commits at once, other nodes' through the database); it also
  // guards the token endpoint's first-party client surfaces and app creation.
  store::ChangeFeed feed(*core.store);
  gate::GateViews gate_views(*core.store, feed);
  gate::SnapshotCache& gate_cache = gate_views.cache();
  gate_views.SetBuildObserver(server_metrics.BuildObserver());
  server_metrics.SetSnapshotPatchesSource([&gate_views] { return static_cast<double>(gate_views.patches()); });
  server_metrics.SetChangeFeedLagSource(ProcessName(), [&feed] { return feed.last_lag_ms() / 1000.0; });
  feed.Subscribe(&gate_views);
  // Directory reads Graph clients repeat (a user, a group, the caller's roles).
  directory::DirectoryCache directory_cache(feed);
  feed.Subscribe(&directory_cache);
  core.directory->UseCache(&directory_cache);
  server_metrics.SetDirectoryCacheSource([&directory_cache] { return static_cast<double>(directory_cache.hits()); },
                                         [&directory_cache] { return static_cast<double>(directory_cache.misses()); });
  core.store->SetCommitListener(feed.Listener());
  struct FeedStop {  // the views die before the feed's thread could use them
    store::Store& store;
    store::ChangeFeed& feed;
    ~FeedStop() {
      store.SetCommitListener(nullptr);
      feed.Stop();
    }
  } feed_stop{*core.store, feed};
  if (Status st = feed.Start(); !st.ok()) Fail("following the change feed", st);
  environments::AppService apps(*core.store, core.clock, core.random,
                                [&gate_cache](const std::string& tenant) { return gate_cache.Get(tenant); });
  environments::TenantSettingsService tenant_settings(*core.store, core.clock, core.random);
  identity::Consent consent(*core.store, core.clock, core.random);
  api::Services services{*core.directory, keys,        tokens,       core.clock, public_base,
                         licensing,       environments, signin,       core.random, *core.clients,
                         policies,        invitations,  notifier,     apps,        tenant_settings,
                         consent};
  services.gate = &gate_cache;
  services.on_decision = server_metrics.DecisionCounter();
  signin.SetClientGate(server_metrics.CountingClientGate(gate::MakeClientGate(gate_cache)));
  // Bulk invitations: jobs run on a background thread; a job another process
  // on this host left behind when it died is resumed at once.
  // Redeem links in bulk results are sealed with the at-rest key, kept out
  // of the database (every server of one database needs the same key).
  const std::string at_rest_key =
      o.at_rest_key.empty() ? (fs::path(common.data) / "at-rest.key").string() : o.at_rest_key;
  invitations::BulkInvitationService bulk(*core.store, invitations, core.clock, core.random);
  bulk.SetLinkBox(OrDie(LoadOrCreateKeyFile(at_rest_key), "--at-rest-key"));
  if (int64_t sealed = OrDie(bulk.SealStoredLinks(), "sealing stored redeem links"); sealed > 0)
    spdlog::info("bulk invitations: sealed {} redeem link(s) stored in clear by an older version", sealed);
  invitations::RunnerOptions runner_options;
  runner_options.owner = ProcessName();
  runner_options.owner_is_dead = [](const std::string& owner) { return IsDeadLocalProcess(owner); };
  runner_options.on_rows = server_metrics.BulkRowCounter();
  invitations::BulkRunner bulk_runner(bulk, runner_options);
  services.bulk = &bulk;
  services.bulk_runner = &bulk_runner;
  api::BearerAuthenticator auth(services);
  std::vector<http::Route> routes = app::AllRoutes(services, {&server_metrics.registry(), scrape_token});
  api::ThrottleGraphWrites(routes, std::make_shared<api::GraphThrottle>(core.clock));
  router = std::make_unique<http::Router>(std::move(routes), &auth, app::RenderError);
  router->Instrument(server_metrics.registry());
  server_metrics.WatchStore(*core.store);

  if (o.demo) {
    app::Provisioner provisioner(*core.directory, *core.clients);
    std::string creds = OrDie(provisioner.EnsureDemo((fs::path(common.data) / "demo-credentials.json").string()),
                              "creating the demo tenants");
    json::value v = json::parse(creds);
    std::cout << "\nDemo tenants (credentials also in " << (fs::path(common.data) / "demo-credentials.json").string()
              << "):\n";
    for (const auto& t : v.at("tenants").as_array()) {
      const auto& o2 = t.as_object();
      std::cout << "  " << json::value_to<std::string>(o2.at("tenant")) << "  tenant "
                << json::value_to<std::string>(o2.at("tenantId")) << "  ("
                << json::value_to<std::string>(o2.at("domain")) << ")\n"
                << "    admin   " << json::value_to<std::string>(o2.at("admin").at("userPrincipalName")) << "  password "
                << json::value_to<std::string>(o2.at("admin").at("password")) << "\n"
                << "    client  " << json::value_to<std::string>(o2.at("clientId")) << "  secret "
                << json::value_to<std::string>(o2.at("clientSecret")) << "\n";
    }
    // Bob lands, once he has accepted, on his own list of what he can open
    // (unless this server's address is plain HTTP off this machine, which
    // invitations refuse as a redirect).
    std::string landing = public_base + "/my/contoso.com";
    if (!invitations::ValidateRedirectUrl(landing).ok()) landing = "https://myapps.microsoft.com";
    std::string link = OrDie(provisioner.EnsureDemoWorkspace(licensing, environments, invitations,
                                                             (fs::path(common.data) / "demo-invitation.txt").string(),
                                                             landing),
                             "creating the demo workspace");
    std::cout << "\n  A pending invitation of bob@fabrikam.com (password Fabrikam-Demo-2026!) into Contoso;\n"
              << "  its email is in " << (fs::path(common.data) / "outbox").string() << "/ and its Get Started link is:\n"
              << "    " << link << "\n"
              << "  Then open " << public_base << "/env/contoso-sales as Bob: it lists, check by check, what still\n"
              << "  keeps him out of the environment and what an administrator does about each.\n"
              << "  Bob's own list of what he can open: " << public_base << "/my/contoso.com\n"
              << "\n  Admin portal: " << public_base << "/portal/contoso.com — sign in as admin@contoso.com\n"
              << "  (password Contoso-Demo-2026!). Give Bob a usage location, a licence, the Contoso Sales group\n"
              << "  and a security role there, and ask Troubleshoot access why he can or can't.\n";
  }
  std::cout << "\nGatehouse is listening on " << public_base << " (store: " << core.store->Backend() << ")\n";
  if (!ca_path.empty())
    std::cout << "  Trust its local CA: " << ca_path << "\n"
              << "  Try: curl --cacert " << ca_path << " " << public_base << "/healthz\n";
  std::cout << "  Tokens: POST " << public_base << "/{tenant}/oauth2/v2.0/token; Graph API under " << public_base
            << "/v1.0/\n"
            << "  Stop with Ctrl-C.\n"
            << std::flush;
  MailRuntime mail_runtime =
      StartMail(common, o, public_base, *core.store, core.clock, server_metrics.MailCounter());
  bulk_runner.Start();
  // Expired codes, sessions, tokens and throttle rows go, so the tables that
  // anonymous requests write to stay bounded.
  identity::SigninPurger purger(signin, std::chrono::seconds(o.purge_interval_seconds),
                                [](const StatusOr<store::PurgeCounts>& r) {
                                  if (!r.ok()) spdlog::warn("purge of expired sign-in rows failed: {}", r.status().message());
                                  else if (r->Total() > 0)
                                    spdlog::info("purged expired sign-in rows: {} sessions, {} codes, {} refresh tokens, "
                                                 "{} device codes, {} one-time codes, {} throttles",
                                                 r->sessions, r->auth_codes, r->refresh_tokens, r->device_codes,
                                                 r->otps, r->throttles);
                                });
  purger.Start();
  server->Run(/*install_signal_handlers=*/true);
  purger.Stop();
  bulk_runner.Stop();           // finishes the chunk in hand; the job resumes at the next start
  mail_runtime.sender->Stop();  // finishes the batch in hand; the rest stays queued
  spdlog::info("gatehouse stopped");
  return 0;
}

struct InitOptions {
  std::string tenant, domain, admin, password, password_file, cloud = "commercial", output = "table";
  bool keep_ca_key = false;
};

int Init(const CommonOptions& common, const InitOptions& o) {
  auto cloud = directory::ParseCloud(o.cloud);
  if (!cloud) Fail("--cloud", InvalidArgument("expected commercial, gcc, gcc-high, dod or china"));
  if (o.password.empty() == o.password_file.empty())
    Fail("--password", InvalidArgument("give the first admin's password with --password-file FILE, the "
                                       "GATEHOUSE_ADMIN_PASSWORD environment variable, or --password (one of them)"));
  const std::string password =
      o.password_file.empty() ? o.password : OrDie(ReadSecretFile(o.password_file), "--password-file");
  auto tls = OrDie(identity::EnsureLocalTls(common.data, {.keep_ca_key = o.keep_ca_key}),
                   "creating the local certificate authority");
  Core core(common);
  app::Provisioner provisioner(*core.directory, *core.clients);
  auto res = OrDie(provisioner.CreateTenant({o.tenant, o.domain, o.admin, password, *cloud}), "creating the tenant");
  if (o.output == "json") {
    std::cout << json::serialize(json::object{{"tenantId", res.tenant.id},
                                              {"domain", res.tenant.initial_domain},
                                              {"adminUserId", res.admin.id},
                                              {"clientId", res.client_id},
                                              {"clientSecret", res.client_secret},
                                              {"caCertificate", fs::absolute(tls.ca_cert).string()}})
              << "\n";
  } else {
    std::cout << "Created tenant " << res.tenant.name << " (" << res.tenant.id << ", " << res.tenant.initial_domain
              << ")\n"
              << "  Global Administrator  " << res.admin.user_principal_name << " (" << res.admin.id << ")\n"
              << "  Automation client     " << res.client_id << "\n"
              << "  Client secret         " << res.client_secret << "   (shown once; store it now)\n"
              << "  Local CA certificate  " << fs::absolute(tls.ca_cert).string() << "\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
  if (const char* level = std::getenv("GATEHOUSE_LOG_LEVEL")) spdlog::set_level(spdlog::level::from_str(level));

  CLI::App app{"Gatehouse: self-hosted B2B guest collaboration (directory, invitations, access gate)"};
  app.require_subcommand(1);
  app.set_config("--config", "", "Read options from a TOML or INI file (command-line flags win)");
  // `gatehouse serve --config FILE` too: a command passes what it doesn't know to the top.
  app.fallthrough();
  CommonOptions common;
  auto add_common = [&common](CLI::App* cmd) {
    cmd->add_option("--data", common.data, "Data folder (SQLite database, TLS files, outbox)")
        ->envname("GATEHOUSE_DATA")
        ->capture_default_str();
    cmd->add_option("--database", common.database, "PostgreSQL URL (postgres://…); default: SQLite in --data")
        ->envname("GATEHOUSE_DATABASE");
  };

  ServeOptions serve;
  auto* serve_cmd = app.add_subcommand("serve", "Run the server");
  add_common(serve_cmd);
  serve_cmd->add_option("--listen", serve.listen, "HOST:PORT to listen on (port 0 picks a free one)")
      ->envname("GATEHOUSE_LISTEN")
      ->capture_default_str();
  serve_cmd->add_option("--tls-cert", serve.tls_cert, "PEM certificate chain")->envname("GATEHOUSE_TLS_CERT");
  serve_cmd->add_option("--tls-key", serve.tls_key, "PEM private key")->envname("GATEHOUSE_TLS_KEY");
  serve_cmd->add_flag("--insecure-http", serve.insecure_http,
                      "Serve plain HTTP (only behind a TLS-terminating proxy)")
      ->envname("GATEHOUSE_INSECURE_HTTP");
  serve_cmd->add_option("--public-url", serve.public_url, "Public base URL (token issuer, links)")
      ->envname("GATEHOUSE_PUBLIC_URL");
  serve_cmd->add_flag("--demo", serve.demo, "Create the demo tenants if absent and print their credentials")
      ->envname("GATEHOUSE_DEMO");
  serve_cmd->add_option("--threads", serve.threads, "I/O threads")->envname("GATEHOUSE_THREADS")->check(CLI::Range(1, 64));
  serve_cmd->add_option("--workers", serve.workers,
                        "Threads running request handlers (default: max(8, 2 x --threads))")
      ->envname("GATEHOUSE_WORKERS")
      ->check(CLI::Range(2, 256));
  serve_cmd->add_option("--max-body-bytes", serve.max_body_bytes, "Largest request body accepted")
      ->envname("GATEHOUSE_MAX_BODY_BYTES");
  serve_cmd->add_option("--trusted-proxy", serve.trusted_proxies,
                        "A reverse proxy (address or CIDR block; repeat or separate with commas) whose "
                        "X-Forwarded-For names the client; from anyone else it is ignored")
      ->envname("GATEHOUSE_TRUSTED_PROXIES")
      ->delimiter(',');
  serve_cmd->add_option("--max-connections", serve.max_connections, "Connections served at once (0 = no cap)")
      ->envname("GATEHOUSE_MAX_CONNECTIONS")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  serve_cmd->add_option("--max-connections-per-address", serve.max_connections_per_address,
                        "Connections served at once per client address, IPv6 by /64; trusted proxies are exempt "
                        "(0 = no cap)")
      ->envname("GATEHOUSE_MAX_CONNECTIONS_PER_ADDRESS")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  serve_cmd->add_option("--smtp", serve.smtp,
                        "Deliver mail by SMTP: smtp://[user:pass@]host[:port][?starttls=none|try|required] or "
                        "smtps://…; default: .eml files in DATA/outbox/")
      ->envname("GATEHOUSE_SMTP");
  serve_cmd->add_option("--mail-from", serve.mail_from, "Sender address of mail (default invites@<public host>)")
      ->envname("GATEHOUSE_MAIL_FROM");
  serve_cmd->add_flag("--disable-signup", serve.disable_signup,
                      "Turn off self-service sign-up of personal accounts (/signup)")
      ->envname("GATEHOUSE_DISABLE_SIGNUP");
  serve_cmd->add_option("--purge-interval", serve.purge_interval_seconds,
                        "Seconds between purges of expired sign-in rows (0: never)")
      ->envname("GATEHOUSE_PURGE_INTERVAL")
      ->check(CLI::Range(0, 7 * 24 * 3600))
      ->capture_default_str();
  serve_cmd->add_option("--smtp-password-file", serve.smtp_password_file,
                        "Read the SMTP password from this file (keep it out of --smtp and the process list)")
      ->envname("GATEHOUSE_SMTP_PASSWORD_FILE");
  serve_cmd->add_option("--at-rest-key", serve.at_rest_key,
                        "Key file sealing redeem links stored in the database (default DATA/at-rest.key, created "
                        "0600); every server of one database needs the same")
      ->envname("GATEHOUSE_AT_REST_KEY");
  serve_cmd->add_flag("--keep-ca-key", serve.keep_ca_key,
                      "Keep the local CA's key in DATA/tls after issuing (default: discarded)")
      ->envname("GATEHOUSE_KEEP_CA_KEY");
  serve_cmd->add_option("--log-format", serve.log_format, "Log lines as text or json (one JSON object per line)")
      ->envname("GATEHOUSE_LOG_FORMAT")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  serve_cmd->add_option("--metrics-token-file", serve.metrics_token_file,
                        "Read the scrape token for GET /metrics from this file (default: loopback scrapers only)")
      ->envname("GATEHOUSE_METRICS_TOKEN_FILE");

  InitOptions init;
  auto* init_cmd = app.add_subcommand("init", "Create a tenant with its first Global Administrator and an automation client");
  add_common(init_cmd);
  init_cmd->add_option("--tenant", init.tenant, "Organisation name")->required();
  init_cmd->add_option("--domain", init.domain, "Verified domain, e.g. contoso.com")->required();
  init_cmd->add_option("--admin", init.admin, "The first admin's email (in --domain)")->required();
  auto* password_file = init_cmd->add_option("--password-file", init.password_file,
                                              "Read the first admin's password from this file");
  init_cmd->add_option("--password", init.password, "The first admin's password (visible in the process list: "
                                                    "prefer --password-file or GATEHOUSE_ADMIN_PASSWORD)")
      ->envname("GATEHOUSE_ADMIN_PASSWORD")
      ->excludes(password_file);
  init_cmd->add_flag("--keep-ca-key", init.keep_ca_key,
                     "Keep the local CA's key in DATA/tls after issuing (default: discarded)")
      ->envname("GATEHOUSE_KEEP_CA_KEY");
  init_cmd->add_option("--cloud", init.cloud, "commercial, gcc, gcc-high, dod or china")->capture_default_str();
  init_cmd->add_option("--output", init.output, "table or json")->check(CLI::IsMember({"table", "json"}));

  auto client_commands = cli::RegisterClientCommands(app);  // login, users, invite, env, why, …
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli::UsageExit(app, e);
  }
  if (serve_cmd->parsed()) {
    if (serve.log_format == "json") UseJsonLogs();
    if (OnCommandLine(argc, argv, "--smtp") && serve.smtp.find('@') != std::string::npos &&
        mail::ParseSmtpUrl(serve.smtp).ok() && !mail::ParseSmtpUrl(serve.smtp)->password.empty())
      WarnSecretOnCommandLine("--smtp", "--smtp-password-file or the GATEHOUSE_SMTP environment variable");
    return Serve(common, serve);
  }
  if (init_cmd->parsed()) {
    if (OnCommandLine(argc, argv, "--password"))
      WarnSecretOnCommandLine("--password", "--password-file or the GATEHOUSE_ADMIN_PASSWORD environment variable");
    return Init(common, init);
  }
  return client_commands->Run().value_or(0);
}
