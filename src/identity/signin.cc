#include "identity/signin.h"

#include <algorithm>
#include <map>
#include <sstream>

#include "core/address.h"
#include "core/encoding.h"
#include "directory/validation.h"
#include "directory/policy_service.h"
#include "identity/secrets.h"
#include "store/signin_repository.h"

namespace gh::identity {
namespace {

using Query = std::vector<std::pair<std::string, std::string>>;

std::string Param(const Query& q, std::string_view key) {
  for (const auto& [k, v] : q)
    if (k == key) return v;
  return {};
}

Status OAuth(std::string reason, std::string message, Code code = Code::kInvalidArgument) {
  return Status(code, std::move(message), std::move(reason));
}

std::vector<std::string> Split(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

bool Contains(const std::vector<std::string>& v, std::string_view x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// Scopes split into OpenID Connect ones and Graph permissions; "<resource>/.default"
// means "what the app may do", which for a user is their own delegated access.
struct Scopes {
  std::vector<std::string> oidc;
  std::vector<std::string> graph;
};
Scopes ParseScopes(const std::string& scope) {
  Scopes s;
  for (auto& w : Split(scope)) {
    if (w == "openid" || w == "profile" || w == "email" || w == "offline_access") {
      s.oidc.push_back(w);
      continue;
    }
    std::string p = w;
    for (std::string_view prefix : {"https://graph.microsoft.com/", "00000003-0000-0000-c000-000000000000/"})
      if (p.starts_with(prefix)) p = p.substr(prefix.size());
    if (p == ".default") {
      for (const char* d : {"User.Read", "Directory.AccessAsUser.All"})
        if (!Contains(s.graph, d)) s.graph.push_back(d);
    } else if (!p.empty() && !Contains(s.graph, p)) {
      s.graph.push_back(p);
    }
  }
  if (s.graph.empty()) s.graph.push_back("User.Read");
  return s;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : " ") + s;
  return out;
}

std::string NormaliseUserCode(std::string code) {
  std::string out;
  for (char c : code)
    if (std::isalnum(static_cast<unsigned char>(c))) out += static_cast<char>(std::toupper(c));
  if (out.size() == 8) out.insert(4, "-");
  return out;
}

const std::string& DummyHash() {
  // Verifying against this when an account does not exist keeps the time of
  // a failed sign-in the same whether or not the account exists.
  static const std::string hash = [] {
    SecureRandom r;
    auto h = HashPassword("not-a-real-password-0", r);
    return h.ok() ? *h : std::string();
  }();
  return hash;
}

constexpr std::string_view kBadCredentials =
    "Your account or password is incorrect. If you don't remember your password, ask your administrator to reset "
    "it.";

}  // namespace

const std::vector<std::string>& ConsumerDomains() {
  static const std::vector<std::string> d = {"outlook.com", "hotmail.com", "live.com", "msn.com"};
  return d;
}

std::string PkceChallenge(std::string_view verifier) { return Base64UrlEncode(Sha256(verifier)); }

SigninService::SigninService(store::Store& store, directory::DirectoryService& directory, TokenService& tokens,
                             const Clock& clock, Random& random, SigninConfig config)
    : store_(store), directory_(directory), tokens_(tokens), clock_(clock), random_(random), config_(config) {}

Status SigninService::EnsureConsumersTenant() {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  auto existing = tx->GetTenant(std::string(kConsumersTenantId));
  if (existing.ok()) return OkStatus();
  if (existing.status().code() != Code::kNotFound) return existing.status();
  directory::Tenant t;
  t.id = std::string(kConsumersTenantId);
  t.name = "Personal accounts";
  t.initial_domain = ConsumerDomains().front();
  t.verified_domains = ConsumerDomains();
  t.created_at = clock_.NowMillis();
  GH_RETURN_IF_ERROR(tx->InsertTenant(t));
  return tx->Commit();
}

StatusOr<directory::Tenant> SigninService::Tenant(const std::string& ref) {
  auto t = directory_.ResolveTenant(ref);
  if (!t.ok() && t.status().code() == Code::kNotFound)
    return OAuth("invalid_request", "AADSTS90002: Tenant '" + ref + "' not found. Check to make sure you have the "
                                    "correct tenant ID and are signing into the correct cloud.");
  return t;
}

StatusOr<ClientInfo> SigninService::FindClient(const std::string& tenant_id, const std::string& client_id) {
  if (client_id == kCliClientId) return ClientInfo{std::string(kCliClientId), "Gatehouse CLI", {}, {}, "", true};
  struct BuiltIn {
    std::string_view id, name, path;
  };
  static constexpr BuiltIn kSurfaces[] = {{kUsdClientId, "Unified Service Desk", "usd"},
                                          {kOutlookAppClientId, "Dynamics 365 App for Outlook", "outlook"},
                                          {kCustomerVoiceClientId, "Dynamics 365 Customer Voice", "customervoice"},
                                          {kMakerPortalClientId, "Power Apps maker portal", "maker"}};
  for (const auto& b : kSurfaces)
    if (ToLower(client_id) == b.id)
      return ClientInfo{std::string(b.id), std::string(b.name), {}, {"http://localhost/" + std::string(b.path)}, "", true};
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  auto c = tx->FindClientByAppId(tenant_id, ToLower(client_id));
  if (!c.ok()) {
    if (c.status().code() != Code::kNotFound) return c.status();
    return OAuth("unauthorized_client", "AADSTS700016: Application with identifier '" + client_id +
                                            "' was not found in the directory.");
  }
  return ClientInfo{c->app_id, c->display_name, c->redirect_uris, c->public_redirect_uris, c->id,
                    !c->public_redirect_uris.empty()};
}

Status SigninService::AuthenticateClient(const ClientInfo& client, const std::string& secret, bool public_flow) {
  // No secret is acceptable only for a grant that began as a public client's
  // (a public redirect URI with PKCE, or the device code flow).
  if (secret.empty() && client.allows_public_flows && public_flow) return OkStatus();
  if (!secret.empty() && client.object_id.empty())
    return OAuth("invalid_client", "AADSTS700025: Client is public so neither 'client_assertion' nor "
                                   "'client_secret' should be presented.", Code::kUnauthenticated);
  if (secret.empty())
    return OAuth("invalid_client", "AADSTS7000218: The request body must contain the following parameter: "
                                   "'client_assertion' or 'client_secret'.", Code::kUnauthenticated);
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  GH_ASSIGN_OR_RETURN(auto secrets, tx->ListClientSecrets(client.object_id));
  bool ok = false;
  for (const auto& s : secrets) ok |= VerifySecret(secret, s.hash) && s.expires_at > clock_.NowMillis();
  if (!ok)
    return OAuth("invalid_client", "AADSTS7000215: Invalid client secret provided.", Code::kUnauthenticated);
  return OkStatus();
}

StatusOr<AuthorizeRequest> SigninService::ValidateAuthorize(const std::string& tenant_ref, const Query& q) {
  auto shown = [](const Status& s) { return Status(s.code(), s.message(), "invalid_client_or_redirect"); };
  auto tenant = Tenant(tenant_ref);
  if (!tenant.ok()) return shown(tenant.status());
  AuthorizeRequest r;
  r.tenant_id = tenant->id;
  std::string client_id = Param(q, "client_id");
  if (client_id.empty())
    return shown(OAuth("invalid_request", "AADSTS900144: The request body must contain the following parameter: "
                                          "'client_id'."));
  auto client = FindClient(r.tenant_id, client_id);
  if (!client.ok()) return shown(client.status());
  r.client = *client;
  r.redirect_uri = Param(q, "redirect_uri");
  r.public_flow = Contains(r.client.public_redirect_uris, r.redirect_uri);
  if (r.redirect_uri.empty() || (!r.public_flow && !Contains(r.client.web_redirect_uris, r.redirect_uri)))
    return shown(OAuth("invalid_request", "AADSTS50011: The redirect URI '" + r.redirect_uri +
                                              "' specified in the request does not match the redirect URIs "
                                              "configured for the application '" + client_id + "'."));
  // From here on errors go back to the client's redirect URI.
  r.state = Param(q, "state");
  r.scope = Param(q, "scope");
  r.nonce = Param(q, "nonce");
  r.prompt = Param(q, "prompt");
  r.login_hint = Param(q, "login_hint");
  r.response_mode = Param(q, "response_mode");
  r.code_challenge = Param(q, "code_challenge");
  if (Param(q, "response_type") != "code")
    return OAuth("unsupported_response_type", "AADSTS700054: response_type '" + Param(q, "response_type") +
                                                  "' is not supported. Use 'code'.");
  if (r.scope.empty())
    return OAuth("invalid_request", "AADSTS900144: The request body must contain the following parameter: 'scope'.");
  std::string method = Param(q, "code_challenge_method");
  if (!r.code_challenge.empty() && method != "S256")
    return OAuth("invalid_request", "AADSTS501491: Invalid code_challenge_method: only S256 is supported.");
  if (r.code_challenge.empty() && r.public_flow)
    return OAuth("invalid_request", "AADSTS9002325: Proof Key for Code Exchange is required for public clients.");
  if (!r.code_challenge.empty() && r.code_challenge.size() != 43)
    return OAuth("invalid_request", "AADSTS501481: The code_challenge is not a base64url SHA-256 digest.");
  if (!r.prompt.empty() && r.prompt != "login" && r.prompt != "none" && r.prompt != "consent" &&
      r.prompt != "select_account")
    return OAuth("invalid_request", "AADSTS90023: Invalid prompt value '" + r.prompt + "'.");
  if (!r.response_mode.empty() && r.response_mode != "query" && r.response_mode != "form_post")
    return OAuth("invalid_request", "AADSTS900020: Unsupported response_mode '" + r.response_mode + "'.");
  return r;
}

// ---- authentication ---------------------------------------------------------

StatusOr<HomeRealm> SigninService::Discover(const std::string& resource_tenant_id, const std::string& email) {
  GH_RETURN_IF_ERROR(directory::ValidateEmail("email", email));
  std::string domain = directory::DomainOf(email);
  GH_ASSIGN_OR_RETURN(auto resource, directory_.GetTenant(resource_tenant_id));
  HomeRealm realm;
  if (Contains(resource.verified_domains, domain)) {
    realm.kind = HomeRealm::Kind::kMember;
    realm.home_tenant_id = resource.id;
    realm.home_tenant_name = resource.name;
    return realm;
  }
  auto home = directory_.ResolveTenant(domain);
  if (home.ok()) {
    realm.kind = home->id == kConsumersTenantId ? HomeRealm::Kind::kConsumer : HomeRealm::Kind::kOtherTenant;
    realm.home_tenant_id = home->id;
    realm.home_tenant_name = home->name;
    return realm;
  }
  if (home.status().code() != Code::kNotFound) return home.status();
  return realm;  // one-time passcode
}

// ---- throttles and smart lockout --------------------------------------------

namespace {

// A lockout count forgets one failure per `decay_ms` since the last one
// (window_start holds the time of the last counted failure).
int64_t DecayedCount(const store::ThrottleRow& r, int64_t now, int64_t decay_ms) {
  if (r.count <= 0 || decay_ms <= 0 || now <= r.window_start) return std::max<int64_t>(r.count, 0);
  return std::max<int64_t>(0, r.count - (now - r.window_start) / decay_ms);
}

}  // namespace

PasswordPool& SigninService::Pool() {
  if (pool_) return *pool_;
  std::call_once(own_pool_once_, [this] { own_pool_ = std::make_unique<PasswordPool>(); });
  return *own_pool_;
}

Status SigninService::CheckThrottle(const std::string& account_key, const std::string& address_key) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  const int64_t now = clock_.NowMillis();
  GH_ASSIGN_OR_RETURN(auto account, tx->Signin().GetThrottle(account_key));
  if (account.locked_until > now)
    return ResourceExhausted("Your account is temporarily locked to prevent unauthorized use. Try again in " +
                                 std::to_string((account.locked_until - now) / 1000 + 1) + " seconds.",
                             "account_locked");
  GH_ASSIGN_OR_RETURN(auto address, tx->Signin().GetThrottle(address_key));
  if (address.window_start + config_.address_window_ms > now && address.count >= config_.address_limit)
    return ResourceExhausted("Too many sign-in attempts from your network. Wait a few minutes and try again.",
                             "rate_limited");
  return OkStatus();
}

void SigninService::RecordFailure(const std::string& account_key, const std::string& address_key) {
  auto tx = store_.Begin(store::TxMode::kWrite);
  if (!tx.ok()) return;
  const int64_t now = clock_.NowMillis();
  auto& repo = (*tx)->Signin();
  if (auto a = repo.GetThrottle(account_key); a.ok()) {
    // Decayed first: one failure an hour never adds up to a lock, and a lock
    // grows only while failures keep coming faster than they are forgotten.
    a->count = DecayedCount(*a, now, config_.lockout_decay_ms) + 1;
    a->window_start = now;
    if (a->count >= config_.lockout_threshold) {
      int shift = static_cast<int>(std::min<int64_t>(a->count - config_.lockout_threshold, 20));
      a->locked_until = now + std::min<int64_t>(config_.lockout_base_ms << shift, config_.lockout_max_ms);
    }
    a->expires_at = std::max(a->locked_until, now + a->count * config_.lockout_decay_ms);
    (void)repo.PutThrottle(*a);
  }
  if (auto b = repo.GetThrottle(address_key); b.ok()) {
    if (b->window_start + config_.address_window_ms <= now) *b = {address_key, 0, now, 0, 0};
    b->count += 1;
    b->expires_at = b->window_start + config_.address_window_ms;
    (void)repo.PutThrottle(*b);
  }
  (void)(*tx)->Commit();
}

void SigninService::ClearFailures(const std::string& account_key) {
  auto tx = store_.Begin(store::TxMode::kWrite);
  if (!tx.ok()) return;
  auto row = (*tx)->Signin().GetThrottle(account_key);
  if (!row.ok() || (row->count == 0 && row->locked_until == 0)) return;  // nothing to clear: no write
  (void)(*tx)->Signin().PutThrottle({account_key, 0, 0, 0, 0});  // expired at once: the purge takes it
  (void)(*tx)->Commit();
}

Status SigninService::CountAgainst(store::Transaction& tx, const std::string& key, int limit, int64_t window_ms,
                                   const std::string& reason, const std::string& message) {
  const int64_t now = clock_.NowMillis();
  GH_ASSIGN_OR_RETURN(auto row, tx.Signin().GetThrottle(key));
  if (row.window_start + window_ms <= now) row = {key, 0, now, 0, 0};
  if (row.count >= limit) return ResourceExhausted(message, reason);
  row.count += 1;
  row.expires_at = row.window_start + window_ms;
  return tx.Signin().PutThrottle(row);
}

namespace {
std::string FamiliarKey(const std::string& account, const std::string& address_key) {
  return "familiar:" + account + "|" + address_key;
}
}  // namespace

StatusOr<std::string> SigninService::LockoutKeyFor(const std::string& account, const std::string& address_key) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  GH_ASSIGN_OR_RETURN(auto known, tx->Signin().GetThrottle(FamiliarKey(account, address_key)));
  // Familiar and unfamiliar addresses lock separately (Entra's smart
  // lockout): the unfamiliar side keeps the historical key.
  return known.expires_at > clock_.NowMillis() ? "pwd-familiar:" + account : "pwd:" + account;
}

void SigninService::RememberAddress(const std::string& account, const std::string& address_key) {
  auto tx = store_.Begin(store::TxMode::kWrite);
  if (!tx.ok()) return;
  const int64_t now = clock_.NowMillis();
  auto row = (*tx)->Signin().GetThrottle(FamiliarKey(account, address_key));
  if (!row.ok()) return;
  // count = successful sign-ins from there; remembered familiar_ttl_ms after the last.
  row->count += 1;
  row->window_start = now;
  row->locked_until = 0;
  row->expires_at = now + config_.familiar_ttl_ms;
  (void)(*tx)->Signin().PutThrottle(*row);
  (void)(*tx)->Commit();
}

StatusOr<Session> SigninService::CreateSession(const std::string& home_tenant_id, const std::string& user_id,
                                               const std::string& method) {
  Session s;
  s.token = random_.Token(32);
  s.id_hash = Sha256Hex(s.token);
  s.home_tenant_id = home_tenant_id;
  s.user_id = user_id;
  s.auth_method = method;
  s.created_at = clock_.NowMillis();
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  GH_RETURN_IF_ERROR(tx->Signin().InsertSession(
      {s.id_hash, home_tenant_id, user_id, method, s.created_at, s.created_at + config_.session_ttl_ms}));
  GH_RETURN_IF_ERROR(tx->Commit());
  return s;
}

StatusOr<Session> SigninService::SignInWithPassword(const std::string& resource_tenant_id, const std::string& email,
                                                    const std::string& password, const std::string& remote_address) {
  GH_ASSIGN_OR_RETURN(auto realm, Discover(resource_tenant_id, email));
  if (realm.kind == HomeRealm::Kind::kOneTimePasscode)
    return InvalidArgument("This address signs in with a one-time passcode sent by email.", "use_otp");
  const std::string account = realm.home_tenant_id + ":" + ToLower(email);
  const std::string address_key = "addr:" + AddressKey(remote_address);
  GH_ASSIGN_OR_RETURN(const std::string account_key, LockoutKeyFor(account, address_key));
  GH_RETURN_IF_ERROR(CheckThrottle(account_key, address_key));
  auto user = directory_.GetUser(realm.home_tenant_id, ToLower(email));
  bool known = user.ok() && !user->password_hash.empty();
  if (!user.ok() && user.status().code() != Code::kNotFound) return user.status();
  // Verified against a dummy hash when there is no account, so both take as long.
  GH_ASSIGN_OR_RETURN(bool matches, Pool().Verify(password, known ? user->password_hash : DummyHash(),
                                                  PasswordPool::Caller::kPublic));
  if (!(matches && known)) {
    RecordFailure(account_key, address_key);
    return Unauthenticated(std::string(kBadCredentials), "invalid_credentials");
  }
  ClearFailures(account_key);
  if (!user->account_enabled)
    return PermissionDenied("AADSTS50057: Your account is disabled. Contact your administrator.", "user_disabled");
  RememberAddress(account, address_key);
  return CreateSession(realm.home_tenant_id, user->id, "pwd");
}

Status SigninService::StartOneTimePasscode(const std::string& resource_tenant_id, const std::string& email,
                                           const std::string& remote_address) {
  GH_RETURN_IF_ERROR(directory::ValidateEmail("email", email));
  const std::string email_lower = ToLower(email);
  const std::string send_key = "otp-send:" + resource_tenant_id + ":" + email_lower;
  const std::string address = AddressKey(remote_address);
  GH_RETURN_IF_ERROR(CheckThrottle(send_key, "addr:" + address));
  GH_ASSIGN_OR_RETURN(auto tenant, directory_.GetTenant(resource_tenant_id));
  if (!otp_sender_) return FailedPrecondition("Email one-time passcodes are not available on this server.");
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  // Counted whether or not a guest exists, so the limit says nothing about who does.
  Status counted = CountAgainst(*tx, "otp-send-addr:" + address, config_.otp_sends_per_address,
                                config_.otp_send_window_ms, "rate_limited",
                                "Too many codes were requested from your network. Wait a while and try again.");
  if (!counted.ok()) return counted;
  GH_ASSIGN_OR_RETURN(auto users, tx->FindUsersByMail(resource_tenant_id, email_lower));
  bool guest = std::any_of(users.begin(), users.end(),
                           [](const directory::User& u) { return u.user_type == directory::UserType::kGuest; });
  if (!guest) return tx->Commit();  // say nothing about who exists
  std::string code = NewNumericCode();
  store::OtpRow row{random_.NewUuid(), resource_tenant_id, email_lower, "", clock_.NowMillis() + config_.otp_ttl_ms,
                    0, std::nullopt};
  row.code_hash = Sha256Hex(row.id + ":" + code);
  GH_RETURN_IF_ERROR(tx->Signin().InsertOtp(row));
  GH_RETURN_IF_ERROR(otp_sender_(*tx, tenant, email, code, config_.otp_ttl_ms));
  // Sends count towards the same limit as failures, so an address can't be flooded.
  GH_ASSIGN_OR_RETURN(auto sends, tx->Signin().GetThrottle(send_key));
  sends.count += 1;
  if (sends.count >= config_.lockout_threshold) sends.locked_until = clock_.NowMillis() + 15 * 60'000;
  sends.expires_at = std::max(sends.locked_until, clock_.NowMillis() + config_.otp_ttl_ms);
  GH_RETURN_IF_ERROR(tx->Signin().PutThrottle(sends));
  return tx->Commit();
}

StatusOr<Session> SigninService::SignInWithOneTimePasscode(const std::string& resource_tenant_id,
                                                           const std::string& email, const std::string& code,
                                                           const std::string& remote_address) {
  const std::string email_lower = ToLower(email);
  const std::string address_key = "addr:" + AddressKey(remote_address);
  GH_RETURN_IF_ERROR(CheckThrottle("otp:" + resource_tenant_id + ":" + email_lower, address_key));
  const Status wrong = Unauthenticated("That code didn't work. Check the code and try again, or ask for a new one.",
                                       "invalid_code");
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  auto otp = tx->Signin().FindActiveOtp(resource_tenant_id, email_lower, clock_.NowMillis());
  if (!otp.ok()) {
    if (otp.status().code() != Code::kNotFound) return otp.status();
    tx.reset();
    RecordFailure("otp:" + resource_tenant_id + ":" + email_lower, address_key);
    return wrong;
  }
  if (!ConstantTimeEquals(Sha256Hex(otp->id + ":" + code), otp->code_hash)) {
    otp->attempts += 1;
    // A code dies after too many wrong guesses: brute force needs a new email each time.
    if (otp->attempts >= config_.otp_max_attempts) otp->used_at = clock_.NowMillis();
    GH_RETURN_IF_ERROR(tx->Signin().UpdateOtp(*otp));
    GH_RETURN_IF_ERROR(tx->Commit());
    RecordFailure("otp:" + resource_tenant_id + ":" + email_lower, address_key);
    return otp->used_at ? Unauthenticated("Too many wrong codes. Ask for a new code.", "invalid_code") : wrong;
  }
  otp->used_at = clock_.NowMillis();
  GH_RETURN_IF_ERROR(tx->Signin().UpdateOtp(*otp));
  GH_ASSIGN_OR_RETURN(auto users, tx->FindUsersByMail(resource_tenant_id, email_lower));
  GH_RETURN_IF_ERROR(tx->Commit());
  auto guest = std::find_if(users.begin(), users.end(),
                            [](const directory::User& u) { return u.user_type == directory::UserType::kGuest; });
  if (guest == users.end()) return wrong;
  return CreateSession(resource_tenant_id, guest->id, "otp");
}

std::string SigninService::NewNumericCode() {
  uint64_t n = 0;
  random_.Fill(&n, sizeof n);
  return std::to_string(10'000'000 + n % 90'000'000);  // 8 digits
}

// ---- personal accounts: sign-up ----------------------------------------------

namespace {

// Pending sign-ups ride in the one-time-passcode table under their own
// tenant key, so a sign-up code can never sign anyone in and guest codes can
// never complete a sign-up. The row's code_hash carries the code's digest and
// the pending account: "<digest>\n<Argon2id hash>\n<base64url display name>".
// (A dedicated table is the place for this if sign-ups grow more fields.)
std::string SignUpKey() { return "signup:" + std::string(kConsumersTenantId); }

struct PendingSignUp {
  std::string code_digest;
  std::string password_hash;
  std::string display_name;
};

std::string PackSignUp(const PendingSignUp& p) {
  return p.code_digest + "\n" + p.password_hash + "\n" + Base64UrlEncode(p.display_name);
}

std::optional<PendingSignUp> UnpackSignUp(const std::string& packed) {
  size_t a = packed.find('\n');
  size_t b = a == std::string::npos ? a : packed.find('\n', a + 1);
  if (b == std::string::npos) return std::nullopt;
  auto name = Base64UrlDecode(std::string_view(packed).substr(b + 1));
  if (!name.ok()) return std::nullopt;
  return PendingSignUp{packed.substr(0, a), packed.substr(a + 1, b - a - 1), *name};
}

// A mailNickname from the address's local part: the characters Graph allows.
std::string NicknameOf(const std::string& email) {
  std::string out;
  for (char c : email.substr(0, email.find('@')))
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_') out += c;
  return out.empty() ? "user" : out;
}

}  // namespace

Status SigninService::SignUpConsumer(const std::string& email, const std::string& display_name,
                                     const std::string& password, const std::string& remote_address) {
  if (!config_.signup_enabled)
    return PermissionDenied("Creating accounts is turned off on this server. Ask the person who invited you for "
                              "another way in.",
                              "signup_disabled");
  GH_RETURN_IF_ERROR(directory::ValidateEmail("email", email));
  const std::string email_lower = ToLower(email);
  if (!Contains(ConsumerDomains(), directory::DomainOf(email_lower)))
    return InvalidArgument("Only personal addresses (outlook.com, hotmail.com, live.com, msn.com) can create an "
                           "account here. Sign in with your work or school account instead.",
                           "not_consumer_domain");
  GH_RETURN_IF_ERROR(directory::ValidateLength("displayName", display_name, 256, true));
  GH_RETURN_IF_ERROR(ValidatePasswordStrength(password));
  const std::string send_key = "signup-send:" + email_lower;
  const std::string address = AddressKey(remote_address);
  GH_RETURN_IF_ERROR(CheckThrottle(send_key, "addr:" + address));
  if (!otp_sender_) return FailedPrecondition("Email verification is not available on this server.");
  GH_ASSIGN_OR_RETURN(auto consumers, directory_.GetTenant(std::string(kConsumersTenantId)));
  // Each start costs an Argon2id hash and an email, so it is counted per
  // address and over the whole server first, in its own transaction: a
  // refused start costs neither. (Counted whether or not the account exists,
  // so the limits can't tell them apart.)
  {
    GH_ASSIGN_OR_RETURN(auto ctx, store_.Begin(store::TxMode::kWrite));
    const std::string busy = "Too many accounts were started from your network. Wait a while and try again.";
    GH_RETURN_IF_ERROR(CountAgainst(*ctx, "signup-addr:" + address, config_.signup_per_address,
                                    config_.signup_window_ms, "rate_limited", busy));
    GH_RETURN_IF_ERROR(CountAgainst(*ctx, "signup-global", config_.signup_global, config_.signup_window_ms,
                                    "rate_limited",
                                    "Too many accounts are being created right now. Wait a while and try again."));
    GH_RETURN_IF_ERROR(ctx->Commit());
  }
  // Hashed before looking the account up, so both answers take as long.
  GH_ASSIGN_OR_RETURN(std::string password_hash, Pool().Hash(password, random_, PasswordPool::Caller::kPublic));
  auto existing = directory_.GetUser(consumers.id, email_lower);
  if (!existing.ok() && existing.status().code() != Code::kNotFound) return existing.status();
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  const int64_t now = clock_.NowMillis();
  // Attempts count towards the send limit whether or not the account exists,
  // so the limit can't tell them apart either.
  GH_ASSIGN_OR_RETURN(auto sends, tx->Signin().GetThrottle(send_key));
  sends.count += 1;
  if (sends.count >= config_.lockout_threshold) sends.locked_until = now + 15 * 60'000;
  sends.expires_at = std::max(sends.locked_until, now + config_.otp_ttl_ms);
  GH_RETURN_IF_ERROR(tx->Signin().PutThrottle(sends));
  if (existing.ok()) return tx->Commit();  // same answer; nothing sent, no account changed
  // One pending sign-up per address: an earlier code stops working.
  for (;;) {
    auto old = tx->Signin().FindActiveOtp(SignUpKey(), email_lower, now);
    if (!old.ok()) {
      if (old.status().code() != Code::kNotFound) return old.status();
      break;
    }
    old->used_at = now;
    GH_RETURN_IF_ERROR(tx->Signin().UpdateOtp(*old));
  }
  std::string code = NewNumericCode();
  store::OtpRow row{random_.NewUuid(), SignUpKey(), email_lower, "", now + config_.otp_ttl_ms, 0, std::nullopt};
  row.code_hash = PackSignUp({Sha256Hex(row.id + ":" + code), password_hash, display_name});
  GH_RETURN_IF_ERROR(tx->Signin().InsertOtp(row));
  GH_RETURN_IF_ERROR(otp_sender_(*tx, consumers, email_lower, code, config_.otp_ttl_ms));
  return tx->Commit();
}

StatusOr<Session> SigninService::VerifyConsumerSignUp(const std::string& email, const std::string& code,
                                                      const std::string& remote_address) {
  const std::string email_lower = ToLower(email);
  const std::string account_key = "signup:" + email_lower;
  const std::string address_key = "addr:" + AddressKey(remote_address);
  GH_RETURN_IF_ERROR(CheckThrottle(account_key, address_key));
  const Status wrong = Unauthenticated("That code didn't work. Check the code and try again, or ask for a new one.",
                                       "invalid_code");
  const int64_t now = clock_.NowMillis();
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  auto otp = tx->Signin().FindActiveOtp(SignUpKey(), email_lower, now);
  if (!otp.ok()) {
    if (otp.status().code() != Code::kNotFound) return otp.status();
    tx.reset();
    RecordFailure(account_key, address_key);
    return wrong;
  }
  auto pending = UnpackSignUp(otp->code_hash);
  if (!pending) return Internal("A pending sign-up is unreadable.");
  if (!ConstantTimeEquals(Sha256Hex(otp->id + ":" + code), pending->code_digest)) {
    otp->attempts += 1;
    if (otp->attempts >= config_.otp_max_attempts) otp->used_at = now;  // burnt: ask for a new code
    GH_RETURN_IF_ERROR(tx->Signin().UpdateOtp(*otp));
    GH_RETURN_IF_ERROR(tx->Commit());
    RecordFailure(account_key, address_key);
    return otp->used_at ? Unauthenticated("Too many wrong codes. Start again to get a new code.", "invalid_code")
                        : wrong;
  }
  otp->used_at = now;
  GH_RETURN_IF_ERROR(tx->Signin().UpdateOtp(*otp));
  // The account is written here rather than through DirectoryService::CreateUser,
  // which takes a plaintext password: the pending sign-up keeps only the
  // Argon2id hash (same HashPassword the composition root gives the directory),
  // and code use, account and audit entry commit together.
  directory::User u;
  u.id = random_.NewUuid();
  u.tenant_id = std::string(kConsumersTenantId);
  u.user_principal_name = email_lower;
  u.display_name = pending->display_name;
  u.mail_nickname = NicknameOf(email_lower);
  u.mail = email_lower;
  u.account_enabled = true;
  u.user_type = directory::UserType::kMember;
  u.identities = {{"userPrincipalName", directory::DomainOf(email_lower), email_lower}};
  u.password_hash = pending->password_hash;
  u.created_at = u.updated_at = now;
  GH_RETURN_IF_ERROR(directory::ValidateUserPrincipalName(u.user_principal_name));
  Status inserted = tx->InsertUser(u);
  if (inserted.code() == Code::kAlreadyExists) return wrong;  // created meanwhile: change nothing
  GH_RETURN_IF_ERROR(inserted);
  GH_RETURN_IF_ERROR(tx->InsertAudit(directory::MakeAuditEntry(
      random_, clock_, {u.id, "user", u.user_principal_name}, u.tenant_id, "UserManagement", "Add user", "User", u.id,
      u.user_principal_name, R"({"creationType":"SelfServiceSignUp"})")));
  GH_RETURN_IF_ERROR(tx->Commit());
  ClearFailures(account_key);
  return CreateSession(u.tenant_id, u.id, "pwd");
}

StatusOr<Session> SigninService::ResolveSession(const std::string& cookie_value) {
  if (cookie_value.empty()) return Unauthenticated("No session.", "login_required");
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  auto row = tx->Signin().GetSession(Sha256Hex(cookie_value));
  if (!row.ok()) {
    if (row.status().code() == Code::kNotFound) return Unauthenticated("No session.", "login_required");
    return row.status();
  }
  if (row->expires_at <= clock_.NowMillis()) return Unauthenticated("The session has expired.", "login_required");
  // A password reset, a disable or a revocation since the sign-in ends it.
  auto user = tx->GetUser(row->tenant_id, row->user_id);
  if (!user.ok() && user.status().code() != Code::kNotFound) return user.status();
  if (!user.ok() || !user->account_enabled || row->created_at < user->sessions_valid_from)
    return Unauthenticated("The session has ended. Sign in again.", "login_required");
  return Session{"", row->id_hash, row->tenant_id, row->user_id, row->auth_method, row->created_at};
}

Status SigninService::SignOut(const std::string& cookie_value) {
  if (cookie_value.empty()) return OkStatus();
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  GH_RETURN_IF_ERROR(tx->Signin().DeleteSession(Sha256Hex(cookie_value)));
  return tx->Commit();
}

std::string SigninService::IdpOf(const Session& s) const {
  if (s.auth_method == "otp") return "mail";
  if (s.home_tenant_id == kConsumersTenantId) return "live.com";
  return tokens_.Issuer(s.home_tenant_id);
}

StatusOr<directory::User> SigninService::PrincipalIn(const Session& s, const std::string& resource_tenant_id) {
  std::optional<directory::User> principal;
  if (s.home_tenant_id == resource_tenant_id) {
    auto u = directory_.GetUser(resource_tenant_id, s.user_id);
    if (!u.ok()) return PermissionDenied("Your account no longer exists in this organization.", "user_not_found");
    principal = *u;
  } else {
    GH_ASSIGN_OR_RETURN(auto home_user, directory_.GetUser(s.home_tenant_id, s.user_id));
    if (!home_user.account_enabled)
      return PermissionDenied("AADSTS50057: Your account is disabled at home. Contact your administrator.",
                              "user_disabled");
    GH_ASSIGN_OR_RETURN(auto resource, directory_.GetTenant(resource_tenant_id));
    GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
    std::string idp = IdpOf(s);
    bool pending_invitation = false;
    for (const auto& address : {home_user.user_principal_name, home_user.mail.value_or("")}) {
      if (address.empty()) continue;
      GH_ASSIGN_OR_RETURN(auto candidates, tx->FindUsersByMail(resource_tenant_id, ToLower(address)));
      for (auto& c : candidates) {
        for (const auto& id : c.identities)
          if (id.issuer == idp && id.issuer_assigned_id == home_user.id) principal = c;
        if (c.external_user_state.value_or("") == "PendingAcceptance") pending_invitation = true;
      }
    }
    if (!principal && pending_invitation)
      return PermissionDenied("You haven't accepted the invitation to " + resource.name +
                                  " yet. Open the invitation email and select Get Started.",
                              "invitation_pending");
    if (!principal)
      return PermissionDenied("AADSTS50020: User account '" + home_user.user_principal_name +
                                  "' from identity provider '" + idp + "' does not exist in tenant '" +
                                  resource.name +
                                  "' and cannot access it. The account needs to be added as an external user in "
                                  "the tenant first.",
                              "not_a_guest");
  }
  if (!principal->account_enabled)
    return PermissionDenied("AADSTS50057: The user account is disabled in this organization.", "user_disabled");
  if (principal->user_type == directory::UserType::kGuest &&
      principal->external_user_state.value_or("") == "PendingAcceptance")
    return PermissionDenied("You haven't accepted the invitation to this organization yet. Open the invitation email "
                            "and select Get Started.",
                            "invitation_pending");
  return *principal;
}

// ---- grants ------------------------------------------------------------------

Status SigninService::CheckStillTrusted(const directory::User& user, int64_t auth_time_ms) {
  const Status revoked = OAuth("invalid_grant", "AADSTS50173: The provided grant has expired due to it being revoked, "
                                                "a fresh auth token is needed. The user might have changed or reset "
                                                "their password, or been disabled.");
  auto revoked_since = [&](const directory::User& u) { return auth_time_ms < u.sessions_valid_from; };
  if (!user.account_enabled || revoked_since(user)) return revoked;
  // A guest bound to an account of a tenant on this server: that account too.
  for (const auto& id : user.identities) {
    if (id.sign_in_type != "federated") continue;
    std::string home_tenant;
    if (id.issuer == "live.com") {
      home_tenant = std::string(kConsumersTenantId);
    } else {
      const std::string prefix = tokens_.issuer_base() + "/";
      if (!id.issuer.starts_with(prefix) || !id.issuer.ends_with("/v2.0")) continue;  // "mail": no home account
      home_tenant = id.issuer.substr(prefix.size(), id.issuer.size() - prefix.size() - 5);
    }
    auto home = directory_.GetUser(home_tenant, id.issuer_assigned_id);
    if (!home.ok() && home.status().code() != Code::kNotFound) return home.status();
    if (!home.ok() || !home->account_enabled || revoked_since(*home)) return revoked;
  }
  return OkStatus();
}

StatusOr<std::string> SigninService::IssueCode(const AuthorizeRequest& req, const Session& session,
                                               const directory::User& principal) {
  if (client_gate_) GH_RETURN_IF_ERROR(client_gate_(req.tenant_id, principal, req.client.app_id));
  std::string code = random_.Token(32);
  store::AuthCodeRow row{Sha256Hex(code), req.tenant_id, req.client.app_id, principal.id, req.redirect_uri,
                         req.scope,       req.nonce,     req.code_challenge, IdpOf(session), session.created_at,
                         clock_.NowMillis() + config_.code_ttl_ms, std::nullopt};
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  GH_RETURN_IF_ERROR(tx->Signin().InsertAuthCode(row));
  GH_RETURN_IF_ERROR(tx->Commit());
  return code;
}

StatusOr<TokenSet> SigninService::Issue(const std::string& tenant_id, const std::string& client_id,
                                        const std::string& user_id, const std::string& scope, const std::string& idp,
                                        int64_t auth_time, const std::string& nonce, const std::string& family_id,
                                        bool client_secret_used) {
  auto user = directory_.GetUser(tenant_id, user_id);
  if (!user.ok() || !user->account_enabled)
    return OAuth("invalid_grant", "AADSTS50057: The user account no longer exists or is disabled.");
  GH_RETURN_IF_ERROR(CheckStillTrusted(*user, auth_time));
  Scopes scopes = ParseScopes(scope);
  GH_ASSIGN_OR_RETURN(auto roles, directory_.EffectiveRoles(tenant_id, user_id));
  TokenService::UserTokenRequest req;
  req.tenant_id = tenant_id;
  req.client_id = client_id;
  req.user_id = user_id;
  req.idp = idp;
  req.preferred_username = user->mail && user->user_type == directory::UserType::kGuest ? *user->mail
                                                                                         : user->user_principal_name;
  req.email = user->mail.value_or("");
  req.name = user->display_name;
  req.nonce = nonce;
  req.acct = user->user_type == directory::UserType::kGuest ? 1 : 0;
  req.scopes = scopes.graph;
  req.directory_roles = roles;
  req.auth_time = auth_time / 1000;
  req.with_id_token = Contains(scopes.oidc, "openid");
  req.client_secret_used = client_secret_used;
  GH_ASSIGN_OR_RETURN(auto issued, tokens_.IssueUserTokens(req));
  TokenSet out;
  out.access_token = std::move(issued.access_token);
  out.id_token = std::move(issued.id_token);
  out.expires_in = issued.expires_in;
  std::vector<std::string> granted = scopes.oidc;
  for (const auto& g : scopes.graph) granted.push_back("https://graph.microsoft.com/" + g);
  out.scope = Join(granted);
  if (Contains(scopes.oidc, "offline_access")) {
    out.refresh_token = random_.Token(32);
    const int64_t now = clock_.NowMillis();
    // Each rotation lives refresh_ttl_ms, but no family outlives its sign-in by more than refresh_max_age_ms.
    const int64_t expires = std::min(now + config_.refresh_ttl_ms, auth_time + config_.refresh_max_age_ms);
    store::RefreshTokenRow row{Sha256Hex(out.refresh_token), family_id.empty() ? random_.NewUuid() : family_id,
                               tenant_id, client_id, user_id, scope, idp, auth_time, now,
                               expires, std::nullopt, false, client_secret_used};
    GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
    GH_RETURN_IF_ERROR(tx->Signin().InsertRefreshToken(row));
    GH_RETURN_IF_ERROR(tx->Commit());
  }
  return out;
}

StatusOr<TokenSet> SigninService::RedeemCode(const std::string& tenant_ref, const std::string& client_id,
                                             const std::string& client_secret, const std::string& code,
                                             const std::string& redirect_uri, const std::string& code_verifier) {
  GH_ASSIGN_OR_RETURN(auto tenant, Tenant(tenant_ref));
  GH_ASSIGN_OR_RETURN(auto client, FindClient(tenant.id, client_id));
  const Status invalid = OAuth("invalid_grant", "AADSTS70000: The provided authorization code is invalid or has "
                                                "expired.");
  if (code.empty()) return OAuth("invalid_request", "AADSTS900144: The request body must contain the following "
                                                    "parameter: 'code'.");
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  auto row = tx->Signin().GetAuthCode(Sha256Hex(code));
  if (!row.ok()) return row.status().code() == Code::kNotFound ? invalid : row.status();
  if (row->tenant_id != tenant.id || row->client_id != client.app_id) return invalid;
  if (row->used_at)
    return OAuth("invalid_grant", "AADSTS54005: OAuth2 Authorization code was already redeemed, please retry with a "
                                  "new valid code or use an existing refresh token.");
  if (row->expires_at <= clock_.NowMillis())
    return OAuth("invalid_grant", "AADSTS70008: The provided authorization code or refresh token has expired due to "
                                  "inactivity. Send a new interactive authorization request for this user and "
                                  "resource.");
  if (row->redirect_uri != redirect_uri)
    return OAuth("invalid_grant", "AADSTS50148: The redirect_uri does not match the one used in the authorization "
                                  "request.");
  GH_RETURN_IF_ERROR(AuthenticateClient(client, client_secret, Contains(client.public_redirect_uris, row->redirect_uri)));
  if (!row->code_challenge.empty() && PkceChallenge(code_verifier) != row->code_challenge)
    return OAuth("invalid_grant", "AADSTS50148: The code_verifier does not match the code_challenge supplied in the "
                                  "authorization request for PKCE.");
  Status used = tx->Signin().UseAuthCode(row->code_hash, clock_.NowMillis());
  if (used.code() == Code::kNotFound)
    return OAuth("invalid_grant", "AADSTS54005: OAuth2 Authorization code was already redeemed.");
  GH_RETURN_IF_ERROR(used);
  GH_RETURN_IF_ERROR(tx->Commit());
  return Issue(tenant.id, client.app_id, row->user_id, row->scope, row->idp, row->auth_time, row->nonce, "",
               !client_secret.empty());
}

StatusOr<TokenSet> SigninService::Refresh(const std::string& tenant_ref, const std::string& client_id,
                                          const std::string& client_secret, const std::string& refresh_token) {
  GH_ASSIGN_OR_RETURN(auto tenant, Tenant(tenant_ref));
  GH_ASSIGN_OR_RETURN(auto client, FindClient(tenant.id, client_id));
  const Status invalid = OAuth("invalid_grant", "AADSTS9002313: The refresh token is invalid or malformed.");
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  auto row = tx->Signin().GetRefreshToken(Sha256Hex(refresh_token));
  if (!row.ok()) return row.status().code() == Code::kNotFound ? invalid : row.status();
  if (row->tenant_id != tenant.id || row->client_id != client.app_id) return invalid;
  // A grant that began with the client's secret is refreshed only with it; a
  // public client's (PKCE, device code) without (RFC 6749 §6).
  GH_RETURN_IF_ERROR(AuthenticateClient(client, client_secret, !row->client_authenticated));
  if (row->revoked) return OAuth("invalid_grant", "AADSTS50173: The refresh token has been revoked.");
  if (row->used_at) {
    // Reuse of a rotated token means it leaked: revoke the whole grant.
    GH_RETURN_IF_ERROR(tx->Signin().RevokeRefreshFamily(row->family_id));
    GH_RETURN_IF_ERROR(tx->Commit());
    return OAuth("invalid_grant", "AADSTS50173: The refresh token was already used. All tokens of this sign-in "
                                  "have been revoked; sign in again.");
  }
  if (row->expires_at <= clock_.NowMillis())
    return OAuth("invalid_grant", "AADSTS700082: The refresh token has expired due to inactivity.");
  GH_RETURN_IF_ERROR(tx->Signin().UseRefreshToken(row->token_hash, clock_.NowMillis()));
  GH_RETURN_IF_ERROR(tx->Commit());
  return Issue(tenant.id, client.app_id, row->user_id, row->scope, row->idp, row->auth_time, "", row->family_id,
               row->client_authenticated || !client_secret.empty());
}

Status SigninService::CheckDeviceFlowAllowed(const std::string& tenant_id) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  GH_ASSIGN_OR_RETURN(auto policies, directory::PolicyService::GetIn(*tx, tenant_id));
  if (policies.authorization.allow_device_code_flow) return OkStatus();
  return OAuth("unauthorized_client",
               "AADSTS53003: Access has been blocked by Conditional Access policies. The device code flow is turned "
               "off in this organization (authorizationPolicy.allowDeviceCodeFlow); sign in another way.",
               Code::kPermissionDenied);
}

StatusOr<DeviceAuthorization> SigninService::StartDevice(const std::string& tenant_ref, const std::string& client_id,
                                                         const std::string& scope, const std::string& public_base,
                                                         const std::string& remote_address) {
  GH_ASSIGN_OR_RETURN(auto tenant, Tenant(tenant_ref));
  GH_ASSIGN_OR_RETURN(auto client, FindClient(tenant.id, client_id));
  if (!client.allows_public_flows)
    return OAuth("invalid_client", "AADSTS7000218: The device code flow is for public clients; enable public "
                                   "client flows for this application.", Code::kUnauthenticated);
  GH_RETURN_IF_ERROR(CheckDeviceFlowAllowed(tenant.id));
  DeviceAuthorization out;
  out.device_code = random_.Token(32);
  static constexpr std::string_view kAlphabet = "BCDFGHJKLMNPQRSTVWXZ";  // no vowels: no words
  std::string user_code;
  for (int i = 0; i < 8; ++i) {
    uint8_t b = 0;
    do random_.Fill(&b, 1);
    while (b >= 240);  // 240 = 12 × 20: rejection keeps letters uniform
    user_code += kAlphabet[b % kAlphabet.size()];
  }
  out.user_code = NormaliseUserCode(user_code);
  out.verification_uri = public_base + "/devicelogin";
  out.expires_in = config_.device_ttl_ms / 1000;
  const int64_t now = clock_.NowMillis();
  store::DeviceCodeRow row{Sha256Hex(out.device_code), out.user_code, tenant.id, client.app_id,
                           scope.empty() ? "openid profile offline_access" : scope,
                           "pending", "", "", 0, now + config_.device_ttl_ms, out.interval, 0,
                           remote_address, now};
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  // Unauthenticated and a row each: counted per address, in the same
  // transaction, so a refused request writes nothing but its count.
  GH_RETURN_IF_ERROR(CountAgainst(*tx, "device-addr:" + AddressKey(remote_address),
                                  config_.device_per_address, config_.device_window_ms, "slow_down",
                                  "AADSTS90055: There are too many incoming device code requests from your network. "
                                  "Wait a few minutes and try again."));
  GH_RETURN_IF_ERROR(tx->Signin().InsertDeviceCode(row));
  GH_RETURN_IF_ERROR(tx->Commit());
  return out;
}

namespace {

// What each scope lets the client do, as Entra's consent page says it.
std::string DescribeScope(const std::string& scope) {
  static const std::map<std::string, std::string, std::less<>> kKnown = {
      {"openid", "Sign you in"},
      {"profile", "View your basic profile"},
      {"email", "View your email address"},
      {"offline_access", "Maintain access to data you have given it access to (stay signed in)"},
      {"User.Read", "Sign you in and read your profile"},
      {"User.Read.All", "Read all users' full profiles"},
      {"User.ReadWrite.All", "Read and write all users' full profiles"},
      {"User.Invite.All", "Invite guest users to the organization"},
      {"Group.Read.All", "Read all groups"},
      {"Group.ReadWrite.All", "Read and write all groups"},
      {"Directory.Read.All", "Read directory data"},
      {"Directory.ReadWrite.All", "Read and write directory data"},
      {"Directory.AccessAsUser.All", "Access the directory as you, with everything your roles allow"},
      {"Policy.Read.All", "Read your organization's policies"},
  };
  std::string name = scope;
  for (std::string_view prefix : {"https://graph.microsoft.com/", "00000003-0000-0000-c000-000000000000/"})
    if (name.starts_with(prefix)) name = name.substr(prefix.size());
  if (name == ".default") return "Everything the application is allowed to do as you (.default)";
  auto it = kKnown.find(name);
  return it != kKnown.end() ? it->second : "Use the permission \"" + name + "\" as you";
}

}  // namespace

StatusOr<SigninService::PendingDevice> SigninService::DescribeDevice(const std::string& user_code) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  auto row = tx->Signin().FindPendingDeviceCode(NormaliseUserCode(user_code), clock_.NowMillis());
  if (!row.ok()) {
    if (row.status().code() != Code::kNotFound) return row.status();
    return InvalidArgument("That code is not valid or has expired. Check the code on your device.", "bad_user_code");
  }
  tx.reset();
  GH_ASSIGN_OR_RETURN(auto client, FindClient(row->tenant_id, row->client_id));
  PendingDevice out{row->tenant_id, client.display_name, row->user_code, {}, row->origin_address, row->created_at,
                    row->expires_at};
  for (const auto& s : Split(row->scope)) out.scopes.push_back({s, DescribeScope(s)});
  return out;
}

Status SigninService::ApproveDevice(const std::string& user_code, const Session& session, bool approve) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  auto row = tx->Signin().FindPendingDeviceCode(NormaliseUserCode(user_code), clock_.NowMillis());
  if (!row.ok()) {
    if (row.status().code() != Code::kNotFound) return row.status();
    return InvalidArgument("That code is not valid or has expired. Check the code on your device.", "bad_user_code");
  }
  tx.reset();
  // Turned off after the code was started: the code can't be approved either.
  if (approve) GH_RETURN_IF_ERROR(CheckDeviceFlowAllowed(row->tenant_id));
  GH_ASSIGN_OR_RETURN(auto principal, PrincipalIn(session, row->tenant_id));
  if (approve && client_gate_) GH_RETURN_IF_ERROR(client_gate_(row->tenant_id, principal, row->client_id));
  row->status = approve ? "approved" : "denied";
  row->user_id = principal.id;
  row->idp = IdpOf(session);
  row->auth_time = session.created_at;
  GH_ASSIGN_OR_RETURN(auto wtx, store_.Begin(store::TxMode::kWrite));
  GH_RETURN_IF_ERROR(wtx->Signin().UpdateDeviceCode(*row));
  return wtx->Commit();
}

StatusOr<TokenSet> SigninService::PollDevice(const std::string& tenant_ref, const std::string& client_id,
                                             const std::string& device_code) {
  GH_ASSIGN_OR_RETURN(auto tenant, Tenant(tenant_ref));
  GH_ASSIGN_OR_RETURN(auto client, FindClient(tenant.id, client_id));
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  auto row = tx->Signin().GetDeviceCode(Sha256Hex(device_code));
  if (!row.ok() || row->tenant_id != tenant.id || row->client_id != client.app_id) {
    if (!row.ok() && row.status().code() != Code::kNotFound) return row.status();
    return OAuth("invalid_grant", "AADSTS70000: The provided device code is invalid.");
  }
  const int64_t now = clock_.NowMillis();
  if (row->expires_at <= now) return OAuth("expired_token", "AADSTS70020: The provided device code has expired.");
  if (row->status == "denied") return OAuth("access_denied", "AADSTS70000: The user declined the sign-in.");
  if (row->status == "consumed") return OAuth("invalid_grant", "AADSTS70000: The device code was already used.");
  if (row->status == "pending") {
    bool too_fast = row->last_poll_at && now - row->last_poll_at < row->interval_s * 1000;
    row->last_poll_at = now;
    GH_RETURN_IF_ERROR(tx->Signin().UpdateDeviceCode(*row));
    GH_RETURN_IF_ERROR(tx->Commit());
    if (too_fast) return OAuth("slow_down", "AADSTS70000: Poll less often.");
    return OAuth("authorization_pending",
                 "AADSTS70016: OAuth 2.0 device flow error. Authorization is pending. Continue polling.");
  }
  row->status = "consumed";
  GH_RETURN_IF_ERROR(tx->Signin().UpdateDeviceCode(*row));
  GH_RETURN_IF_ERROR(tx->Commit());
  return Issue(tenant.id, client.app_id, row->user_id, row->scope, row->idp, row->auth_time, "", "", false);
}

// ---- housekeeping --------------------------------------------------------------

StatusOr<store::PurgeCounts> SigninService::PurgeExpired() {
  // Batches keep each write transaction short: SQLite has one writer, and a
  // purge must never hold sign-ins up for long.
  constexpr int64_t kBatch = 1000;
  const int64_t before = clock_.NowMillis() - config_.purge_grace_ms;
  store::PurgeCounts total;
  for (;;) {
    GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
    GH_ASSIGN_OR_RETURN(auto n, tx->Signin().PurgeExpired(before, kBatch));
    GH_RETURN_IF_ERROR(tx->Commit());
    total.sessions += n.sessions;
    total.auth_codes += n.auth_codes;
    total.refresh_tokens += n.refresh_tokens;
    total.device_codes += n.device_codes;
    total.otps += n.otps;
    total.throttles += n.throttles;
    bool more = n.sessions == kBatch || n.auth_codes == kBatch || n.refresh_tokens == kBatch ||
                n.device_codes == kBatch || n.otps == kBatch || n.throttles == kBatch;
    if (!more) return total;
  }
}

}  // namespace gh::identity
