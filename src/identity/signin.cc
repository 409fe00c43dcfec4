// SigninService, its interactive side: sessions, home-realm discovery,
// passwords with throttles and lockout, one-time passcodes, personal-account
// sign-up, housekeeping. The OAuth grants are signin_grants.cc.
#include "identity/signin.h"

#include <algorithm>
#include <map>
#include <sstream>

#include "core/address.h"
#include "core/encoding.h"
#include "core/strings.h"
#include "directory/model/validation.h"
#include "directory/policy_service.h"
#include "identity/consent.h"
#include "identity/graph_permissions.h"
#include "identity/secrets.h"
#include "identity/signin_internal.h"
#include "store/signin_repository.h"

namespace gh::identity {
namespace {

using Query = std::vector<std::pair<std::string, std::string>>;

std::string Param(const Query& q, std::string_view key) {
  for (const auto& [k, v] : q)
    if (k == key) return v;
  return {};
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
  const std::string id(wire::kConsumersTenantId);
  auto create = [&]() -> Status {
    GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
    auto existing = tx->GetTenant(id);
    if (existing.ok()) return OkStatus();
    if (existing.status().code() != Code::kNotFound) return existing.status();
    directory::Tenant t;
    t.id = id;
    t.name = "Personal accounts";
    t.initial_domain = ConsumerDomains().front();
    t.verified_domains = ConsumerDomains();
    t.created_at = clock_.NowMillis();
    GH_RETURN_IF_ERROR(tx->InsertTenant(t));
    return tx->Commit();
  };
  Status created = create();
  if (created.code() != Code::kAlreadyExists) return created;
  // Nodes of one PostgreSQL database starting at once each read "absent" and
  // insert; the later insert meets the unique constraint. The tenant exists
  // then, which is all this wanted; any other conflict stays an error.
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  return tx->GetTenant(id).ok() ? OkStatus() : created;
}

StatusOr<directory::Tenant> SigninService::Tenant(const std::string& ref) {
  auto t = directory_.ResolveTenant(ref);
  if (!t.ok() && t.status().code() == Code::kNotFound)
    return OAuth("invalid_request", "AADSTS90002: Tenant '" + ref + "' not found. Check to make sure you have the "
                                    "correct tenant ID and are signing into the correct cloud.");
  return t;
}

StatusOr<ClientInfo> SigninService::FindClient(const std::string& tenant_id, const std::string& client_id) {
  if (client_id == wire::kCliClientId)
    return ClientInfo{std::string(wire::kCliClientId), "Gatehouse CLI", {}, {}, "", true, PreauthorizedScopes(wire::kCliClientId),
                      true, ""};
  struct BuiltIn {
    std::string_view id, name, path;
  };
  static constexpr BuiltIn kSurfaces[] = {{wire::kUsdClientId, "Unified Service Desk", "usd"},
                                          {wire::kOutlookAppClientId, "Dynamics 365 App for Outlook", "outlook"},
                                          {wire::kCustomerVoiceClientId, "Dynamics 365 Customer Voice", "customervoice"},
                                          {wire::kMakerPortalClientId, "Power Apps maker portal", "maker"}};
  for (const auto& b : kSurfaces)
    if (ToLower(client_id) == b.id)
      return ClientInfo{std::string(b.id), std::string(b.name), {}, {"http://localhost/" + std::string(b.path)}, "",
                        true, PreauthorizedScopes(b.id), true, ""};
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  auto c = tx->FindClientByAppId(tenant_id, ToLower(client_id));
  if (!c.ok()) {
    if (c.status().code() != Code::kNotFound) return c.status();
    return OAuth("unauthorized_client", "AADSTS700016: Application with identifier '" + client_id +
                                            "' was not found in the directory.");
  }
  return ClientInfo{c->app_id, c->display_name, c->redirect_uris, c->public_redirect_uris, c->id,
                    !c->public_redirect_uris.empty(), DeclaredScopes(*c), false, c->tenant_id};
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
  // Only what the registration declares (or a built-in client is pre-authorised for).
  GH_RETURN_IF_ERROR(ParseScopeRequest(ConsentClientOf(r.client), r.scope).status());
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
    realm.kind = home->id == wire::kConsumersTenantId ? HomeRealm::Kind::kConsumer : HomeRealm::Kind::kOtherTenant;
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
std::string SignUpKey() { return "signup:" + std::string(wire::kConsumersTenantId); }

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
  GH_ASSIGN_OR_RETURN(auto consumers, directory_.GetTenant(std::string(wire::kConsumersTenantId)));
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
  u.tenant_id = std::string(wire::kConsumersTenantId);
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
  if (s.home_tenant_id == wire::kConsumersTenantId) return "live.com";
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
