#pragma once
// A whole Gatehouse wired in-process for tests that need no sockets: a SQLite
// store in a fresh temp folder, the services with a fake clock and a seeded
// random source, the route table behind a Router, and helpers to provision a
// tenant and call routes with its token.
#include <boost/json.hpp>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "api/oauth.h"
#include "app/routes.h"
#include "api/services.h"
#include "app/provision.h"
#include "core/clock.h"
#include "core/random.h"
#include "directory/directory_service.h"
#include "gate/loader/gate_views.h"
#include "gate/loader/snapshot_loader.h"
#include "store/change_feed.h"
#include "http/router.h"
#include "identity/clients.h"
#include "identity/keys.h"
#include "identity/secrets.h"
#include "identity/signin.h"
#include "identity/signin.h"
#include "identity/token_service.h"
#include "environments/environment_service.h"
#include "licensing/licensing_service.h"
#include "store/store.h"

namespace gh::testing {

// Cheap password "hash" for tests of code that never verifies a password.
inline StatusOr<std::string> FakeHash(std::string_view pw) { return "test$" + std::string(pw); }

class TestEnv {
 public:
  // Wraps the opened store before any service sees it (the fuzz harnesses put
  // it in a store::testing::FailingStore so that fuzzed requests change nothing).
  using StoreDecorator = std::function<std::unique_ptr<store::Store>(store::Store& inner)>;

  // `hash_password` replaces Argon2id (e.g. FakeHash) where no password is
  // ever verified and thousands of users are created (the fuzz harnesses).
  explicit TestEnv(const std::string& store_url = {}, const StoreDecorator& decorate = {},
                   directory::PasswordHasher hash_password = {})
      : random(SeedFor(store_url)) {
    dir_ = std::filesystem::temp_directory_path() / ("gh-test-" + SecureRandom().NewUuid());
    std::filesystem::create_directories(dir_);
    auto s = store::OpenStore(store_url.empty() ? (dir_ / "test.db").string() : store_url);
    if (!s.ok()) throw std::runtime_error(s.status().ToString());
    store = std::move(s).value();
    if (decorate) {
      inner_store_ = std::move(store);
      store = decorate(*inner_store_);
    }
    // Real Argon2id: sign-in tests verify these passwords.
    if (!hash_password) hash_password = [this](std::string_view pw) { return identity::HashPassword(pw, random); };
    directory = std::make_unique<directory::DirectoryService>(*store, clock, random, std::move(hash_password));
    clients = std::make_unique<identity::ClientRegistry>(*store, clock, random);
    keys = std::make_unique<identity::KeyManager>(*store, clock, random);
    tokens = std::make_unique<identity::TokenService>(*store, *keys, clock, random, kBase);
    signin = std::make_unique<identity::SigninService>(*store, *directory, *tokens, clock, random);
    signin->SetOtpSender([this](store::Transaction&, const directory::Tenant&, const std::string& email,
                                const std::string& code, int64_t) {
      last_otp = {email, code};
      return OkStatus();
    });
    policies = std::make_unique<directory::PolicyService>(*store, clock, random);
    invitations = std::make_unique<invitations::InvitationService>(*store, *directory, *signin, clock, random, kBase);
    invitations->SetMailer([this](store::Transaction&, const invitations::InvitationEmail& e) {
      sent_invitations.push_back(e);
      return OkStatus();
    });
    licensing = std::make_unique<gh::licensing::LicensingService>(*store, clock, random);
    environments = std::make_unique<gh::environments::EnvironmentService>(*store, clock, random, kBase);
    notifier = std::make_unique<gh::environments::Notifier>(*store, *environments, clock, random);
    notifier->SetMailer([this](store::Transaction&, const gh::environments::EnvironmentNotice& n) {
      sent_notices.push_back(n);
      return OkStatus();
    });
    feed = std::make_unique<store::ChangeFeed>(*store);
    views = std::make_unique<gate::GateViews>(*store, *feed);
    gate = &views->cache();
    feed->Subscribe(views.get());
    directory_cache = std::make_unique<directory::DirectoryCache>(*feed);
    feed->Subscribe(directory_cache.get());
    directory->UseCache(directory_cache.get());
    store->SetCommitListener(feed->Listener());
    if (Status st = feed->Start(); !st.ok()) throw std::runtime_error("change feed: " + st.message());
    apps = std::make_unique<gh::environments::AppService>(
        *store, clock, random, [this](const std::string& tenant) { return gate->Get(tenant); });
    tenant_settings = std::make_unique<gh::environments::TenantSettingsService>(*store, clock, random);
    consent = std::make_unique<identity::Consent>(*store, clock, random);
    services = std::make_unique<api::Services>(api::Services{*directory, *keys, *tokens, clock, kBase, *licensing,
                                                             *environments, *signin, random, *clients, *policies,
                                                             *invitations, *notifier, *apps, *tenant_settings,
                                                             *consent});
    services->gate = gate;
    invitations::BulkSettings bulk_settings;
    bulk_settings.chunk_rows = 4;  // several chunks even for small test files
    bulk = std::make_unique<invitations::BulkInvitationService>(*store, *invitations, clock, random, bulk_settings);
    bulk_runner = std::make_unique<invitations::BulkRunner>(*bulk, invitations::RunnerOptions{});
    services->bulk = bulk.get();
    services->bulk_runner = bulk_runner.get();
    signin->SetClientGate(gate::MakeClientGate(*gate));
    auth = std::make_unique<api::BearerAuthenticator>(*services);
    router = std::make_unique<http::Router>(app::AllRoutes(*services), auth.get(), app::RenderError);
  }
  ~TestEnv() {
    store->SetCommitListener(nullptr);
    feed->Stop();
    router.reset();
    store.reset();
    inner_store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  struct TenantHandle {
    app::ProvisionResult res;
    std::string token;
  };

  // A tenant with an admin and an automation client, plus a token for it.
  TenantHandle Tenant(const std::string& name, const std::string& domain) {
    app::Provisioner p(*directory, *clients);
    auto res = p.CreateTenant({name, domain, "admin@" + domain, "Adm1n-Passw0rd!", directory::Cloud::kCommercial});
    if (!res.ok()) throw std::runtime_error(res.status().ToString());
    auto tok = tokens->ClientCredentials(domain, res->client_id, res->client_secret,
                                         "https://graph.microsoft.com/.default");
    if (!tok.ok()) throw std::runtime_error(tok.status().ToString());
    return {*res, tok->access_token};
  }

  http::Response Call(const std::string& method, const std::string& target, const std::string& token,
                      const std::string& body = {}, http::HeaderList headers = {}) {
    http::Request req;
    req.method = method;
    req.target = target;
    req.body = body;
    req.headers = std::move(headers);
    req.headers.emplace_back("Host", "localhost:8443");
    if (!token.empty()) req.headers.emplace_back("Authorization", "Bearer " + token);
    if (!body.empty()) req.headers.emplace_back("Content-Type", "application/json");
    req.secure = true;
    req.request_id = "00000000-0000-4000-8000-000000000000";
    if (!req.ParseTarget()) throw std::runtime_error("bad target " + target);
    return router->Handle(req);
  }

  // Repeatable ids on a private SQLite file. A PostgreSQL database is shared
  // with the other test binaries ctest runs at the same time, so there each
  // environment draws ids of its own.
  static uint64_t SeedFor(const std::string& store_url) {
    if (store_url.empty()) return 7;
    uint64_t seed = 0;
    SecureRandom().Fill(&seed, sizeof seed);
    return seed;
  }

  static boost::json::value Json(const http::Response& r) { return boost::json::parse(r.body); }
  static std::string ErrorCode(const http::Response& r) {
    auto v = Json(r);
    return std::string(v.at("error").at("code").as_string());
  }

  static constexpr const char* kBase = "https://localhost:8443";
  FakeClock clock;
  SeededRandom random;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<directory::DirectoryService> directory;
  std::unique_ptr<identity::ClientRegistry> clients;
  std::unique_ptr<identity::KeyManager> keys;
  std::unique_ptr<identity::TokenService> tokens;
  std::unique_ptr<identity::SigninService> signin;
  std::pair<std::string, std::string> last_otp;  // (email, code) of the last one-time passcode "sent"
  std::unique_ptr<directory::PolicyService> policies;
  std::unique_ptr<gh::environments::Notifier> notifier;
  std::vector<gh::environments::EnvironmentNotice> sent_notices;
  std::unique_ptr<invitations::InvitationService> invitations;
  std::vector<invitations::InvitationEmail> sent_invitations;  // what the mailer was asked to send
  std::unique_ptr<gh::licensing::LicensingService> licensing;
  std::unique_ptr<gh::environments::EnvironmentService> environments;
  std::unique_ptr<store::ChangeFeed> feed;
  std::unique_ptr<gate::GateViews> views;  // before services: routes hold a pointer to its cache
  gate::SnapshotCache* gate = nullptr;
  std::unique_ptr<directory::DirectoryCache> directory_cache;
  std::unique_ptr<gh::environments::AppService> apps;
  std::unique_ptr<gh::environments::TenantSettingsService> tenant_settings;
  std::unique_ptr<identity::Consent> consent;
  // Jobs run when a test calls bulk_runner->RunAll() (no thread).
  std::unique_ptr<invitations::BulkInvitationService> bulk;
  std::unique_ptr<invitations::BulkRunner> bulk_runner;
  std::unique_ptr<api::Services> services;
  std::unique_ptr<api::BearerAuthenticator> auth;
  std::unique_ptr<http::Router> router;

  std::string db_path() const { return (dir_ / "test.db").string(); }

 private:
  std::unique_ptr<store::Store> inner_store_;  // when decorated
  std::filesystem::path dir_;
};

}  // namespace gh::testing
