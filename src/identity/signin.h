#pragma once
// Interactive sign-in and the OAuth 2.0 grants that involve a user: sessions,
// home-realm discovery (member of this tenant, member of another tenant on
// this server, personal account in the `consumers` tenant, or email one-time
// passcode), password verification with lockout, authorization codes with
// PKCE, refresh tokens with rotation and reuse detection, and the device
// authorization grant (RFC 8628). One service, two files: signin.cc (the
// interactive side) and signin_grants.cc (consent, codes, tokens, refresh,
// device).
//
// A session belongs to the identity where the user authenticated (their home
// tenant); PrincipalIn() maps it to the object that represents them in a
// resource tenant: the member itself, or the guest object bound to that home
// identity. All secrets handed out (session ids, codes, tokens) are random
// 256-bit values stored only as SHA-256 digests.
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/random.h"
#include "core/status.h"
#include "directory/directory_service.h"
#include "directory/model/types.h"
#include "identity/consent.h"
#include "identity/password_pool.h"
#include "identity/token_service.h"
#include "store/signin_repository.h"
#include "store/store.h"
#include "wire/first_party.h"

namespace gh::identity {

// The consumers tenant and the first-party client ids: wire/first_party.h.
const std::vector<std::string>& ConsumerDomains();  // outlook.com, hotmail.com, live.com, msn.com

struct SigninConfig {
  int64_t session_ttl_ms = 12LL * 3600 * 1000;
  int64_t code_ttl_ms = 10LL * 60 * 1000;
  int64_t refresh_ttl_ms = 90LL * 24 * 3600 * 1000;      // each refresh token, from its issue
  int64_t refresh_max_age_ms = 90LL * 24 * 3600 * 1000;  // a whole refresh family, from its sign-in
  int64_t device_ttl_ms = 15LL * 60 * 1000;
  int64_t otp_ttl_ms = 30LL * 60 * 1000;   // as Entra's email one-time passcodes
  int otp_max_attempts = 5;

  // Smart lockout, as Entra does it. Failed passwords are counted per account
  // twice over: from addresses the account signed in from before (familiar,
  // remembered familiar_ttl_ms after the last success there) and from all
  // others, so an attacker elsewhere locks only the unfamiliar side and the
  // owner's right password from their usual address still gets in. A count
  // forgets one failure per lockout_decay_ms without failures, so a trickle
  // of guesses never adds up to a lock.
  int lockout_threshold = 5;                      // counted failures before an account locks
  int64_t lockout_base_ms = 60'000;               // doubles with each further failure…
  int64_t lockout_max_ms = 15 * 60'000;           // …up to this: no lock lasts longer
  int64_t lockout_decay_ms = 10 * 60'000;
  int64_t familiar_ttl_ms = 60LL * 24 * 3600 * 1000;
  // Per address (IPv4 address, or IPv6 /64: core/address.h AddressKey).
  int address_limit = 30;                  // failed sign-ins per address per window
  int64_t address_window_ms = 5 * 60'000;

  // Self-service sign-up of personal accounts: off turns /signup away. Each
  // accepted start is an Argon2id hash and an email, so they are counted
  // before either happens, per address and over the whole server.
  bool signup_enabled = true;
  int signup_per_address = 20;
  int signup_global = 500;
  int64_t signup_window_ms = 3600'000;
  // Emailed one-time passcodes sent on behalf of one address.
  int otp_sends_per_address = 30;
  int64_t otp_send_window_ms = 3600'000;
  // Device codes started from one address (each is a row until it expires).
  int device_per_address = 60;
  int64_t device_window_ms = 10 * 60'000;

  // Expired rows are purged this long after they expire.
  int64_t purge_grace_ms = 3600'000;
};

// A client as the sign-in code sees it (registered in a tenant, or built in).
struct ClientInfo {
  std::string app_id;
  std::string display_name;
  std::vector<std::string> web_redirect_uris;     // confidential flows: a secret is required
  std::vector<std::string> public_redirect_uris;  // public flows: PKCE instead of a secret
  std::string object_id;                          // empty for built-in clients
  bool allows_public_flows = false;               // may redeem without a secret (public redirect URIs, device code)
  // Graph delegated scopes it may ask for: a registration's requiredResourceAccess,
  // or a built-in client's pre-authorised list (first_party: no consent page).
  std::vector<std::string> allowed_scopes;
  bool first_party = false;
  std::string publisher_tenant_id;  // the tenant that registered it; empty for built-in clients
};

struct Session {
  std::string token;  // the cookie value (only returned when created)
  std::string id_hash;
  std::string home_tenant_id;
  std::string user_id;
  std::string auth_method;
  int64_t created_at = 0;
};

// Where an email address signs in, from the point of view of a resource tenant.
struct HomeRealm {
  enum class Kind { kMember, kOtherTenant, kConsumer, kOneTimePasscode };
  Kind kind = Kind::kOneTimePasscode;
  std::string home_tenant_id;  // empty for one-time passcodes
  std::string home_tenant_name;
};

struct AuthorizeRequest {
  std::string tenant_id;  // resolved resource tenant
  ClientInfo client;
  std::string redirect_uri;
  std::string scope;
  std::string state;
  std::string nonce;
  std::string code_challenge;
  std::string prompt;
  std::string login_hint;
  std::string response_mode;  // "query" (default) or "form_post"
  bool public_flow = false;   // redirect URI registered as a public client's: PKCE required
};

struct TokenSet {
  std::string access_token;
  std::string id_token;
  std::string refresh_token;  // empty unless offline_access was granted
  std::string scope;
  int64_t expires_in = 0;
};

struct DeviceAuthorization {
  std::string device_code;
  std::string user_code;
  std::string verification_uri;
  int64_t expires_in = 0;
  int64_t interval = 5;
};

// Hook to deliver a one-time passcode inside the caller's transaction (the
// mail outbox); tests capture the code instead.
using OtpSender = std::function<Status(store::Transaction& tx, const directory::Tenant& resource,
                                       const std::string& email, const std::string& code, int64_t ttl_ms)>;

class SigninService {
 public:
  SigninService(store::Store& store, directory::DirectoryService& directory, TokenService& tokens,
                const Clock& clock, Random& random, SigninConfig config = {});

  void SetOtpSender(OtpSender sender) { otp_sender_ = std::move(sender); }
  // Where Argon2id work runs (public callers). Without one the service uses
  // its own pool sized to the cores. `pool` must outlive the service.
  void SetPasswordPool(PasswordPool* pool) { pool_ = pool; }
  // Asked before a code is issued or a device code approved for a user; a
  // non-OK Status refuses the sign-in with its message (PermissionDenied,
  // reason "access_denied"). The composition root wires the gate here.
  using ClientGate = std::function<Status(const std::string& tenant_id, const directory::User& user,
                                          const std::string& client_id)>;
  void SetClientGate(ClientGate gate) { client_gate_ = std::move(gate); }

  // Creates the built-in consumers tenant when missing. Another server of the
  // same database creating it at the same moment is not an error.
  Status EnsureConsumersTenant();

  // ---- Clients and authorize requests
  StatusOr<ClientInfo> FindClient(const std::string& tenant_id, const std::string& client_id);
  // Validates client, redirect URI and parameters. An error whose reason is
  // "invalid_client_or_redirect" must be shown to the user, never redirected.
  StatusOr<AuthorizeRequest> ValidateAuthorize(const std::string& tenant_ref,
                                               const std::vector<std::pair<std::string, std::string>>& query);

  // ---- Authentication
  StatusOr<HomeRealm> Discover(const std::string& resource_tenant_id, const std::string& email);
  // Password sign-in at the address's home (this tenant, another tenant on
  // this server, or consumers). Errors never reveal whether an account exists.
  // Smart lockout (SigninConfig): ResourceExhausted "account_locked" while
  // the side of the account this address is on (familiar or not) is locked,
  // "rate_limited" when the address failed too often, "TooManyRequests" when
  // the password pool is full.
  StatusOr<Session> SignInWithPassword(const std::string& resource_tenant_id, const std::string& email,
                                       const std::string& password, const std::string& remote_address);
  // Sends a code to `email` if it may sign in to the resource tenant with one
  // (a guest with that address exists); silently does nothing otherwise.
  // ResourceExhausted when this email or this address asked too often.
  Status StartOneTimePasscode(const std::string& resource_tenant_id, const std::string& email,
                              const std::string& remote_address);
  StatusOr<Session> SignInWithOneTimePasscode(const std::string& resource_tenant_id, const std::string& email,
                                              const std::string& code, const std::string& remote_address);
  StatusOr<Session> ResolveSession(const std::string& cookie_value);
  Status SignOut(const std::string& cookie_value);

  // ---- Personal accounts: self-service sign-up in the consumers tenant
  // Starts a sign-up for `email` at a consumer domain (else InvalidArgument,
  // reason "not_consumer_domain"), with a password that passes
  // ValidatePasswordStrength. Stores a pending sign-up (display name and the
  // Argon2id hash of the password) and sends an 8-digit code through the
  // OtpSender (resource tenant = consumers): valid otp_ttl_ms, otp_max_attempts
  // guesses, single use; a new sign-up replaces the pending one. When the
  // account already exists nothing is stored, sent or changed and the result
  // is the same OK, so the answer never tells who has an account. Sends and
  // wrong codes are throttled like sign-in (ResourceExhausted): per email, per
  // address and over the whole server, all counted before the password is
  // hashed or anything sent. PermissionDenied "signup_disabled" when
  // sign-up is turned off.
  bool SignUpEnabled() const { return config_.signup_enabled; }
  Status SignUpConsumer(const std::string& email, const std::string& display_name, const std::string& password,
                        const std::string& remote_address);
  // Completes a pending sign-up: with the right code, creates the member
  // account (UPN and mail = the address) and a session for it. Unauthenticated
  // (reason "invalid_code") for a wrong, used, expired or missing code, and
  // when the account was created meanwhile by another route.
  StatusOr<Session> VerifyConsumerSignUp(const std::string& email, const std::string& code,
                                         const std::string& remote_address);

  // The object representing the session's identity in `resource_tenant_id`:
  // the member, or the guest bound to the home identity. PermissionDenied
  // with a reason when the identity has no (usable) object there.
  StatusOr<directory::User> PrincipalIn(const Session& session, const std::string& resource_tenant_id);
  // The issuer that authenticated the session's identity.
  std::string IdpOf(const Session& session) const;

  // ---- Consent (identity/consent.h) for a client in `tenant_id`
  ConsentClient ConsentClientOf(const ClientInfo& client) const;
  // What `user` has and lacks consent for among the scopes `scope` asks for.
  StatusOr<Consent::Evaluation> EvaluateConsent(const std::string& tenant_id, const ClientInfo& client,
                                                const std::string& user_id, const std::string& scope);
  // `user` (signed in to `tenant_id`) consents to every scope `scope` asks
  // for, for themself or (administrators only) for the organisation.
  Status RecordConsent(const std::string& tenant_id, const ClientInfo& client, const directory::User& user,
                       const std::string& scope, bool for_organization);
  // The device flow's consent step: the pending code's tenant, client, asked
  // scopes and what the session's user lacks consent for.
  struct DeviceConsent {
    std::string tenant_id;
    ClientInfo client;
    std::string scope;
    directory::User user;
    Consent::Evaluation evaluation;
  };
  StatusOr<DeviceConsent> DeviceConsentFor(const std::string& user_code, const Session& session);

  // ---- Grants
  // Codes and tokens carry only scopes the user has consent for (IssueCode
  // refuses with reason "consent_required" while some are missing; refresh
  // narrows to what is still consented, never widens).
  StatusOr<std::string> IssueCode(const AuthorizeRequest& req, const Session& session,
                                  const directory::User& principal);
  StatusOr<TokenSet> RedeemCode(const std::string& tenant_ref, const std::string& client_id,
                                const std::string& client_secret, const std::string& code,
                                const std::string& redirect_uri, const std::string& code_verifier);
  StatusOr<TokenSet> Refresh(const std::string& tenant_ref, const std::string& client_id,
                             const std::string& client_secret, const std::string& refresh_token);
  // Starts the device authorization grant for `remote_address`, which is
  // shown on the approval page. ResourceExhausted ("slow_down") when that
  // address started too many; PermissionDenied ("unauthorized_client",
  // AADSTS53003) when the tenant turned the device code flow off
  // (authorizationPolicy.allowDeviceCodeFlow).
  StatusOr<DeviceAuthorization> StartDevice(const std::string& tenant_ref, const std::string& client_id,
                                            const std::string& scope, const std::string& public_base,
                                            const std::string& remote_address);
  // A pending device code as the approval page shows it: who asks (client),
  // for what (each requested permission with what it lets the client do),
  // from where and when, so a phished user can see it isn't their own.
  struct RequestedScope {
    std::string name;         // as requested, e.g. "offline_access", "User.Read"
    std::string description;  // what it allows, for people
  };
  struct PendingDevice {
    std::string tenant_id;
    std::string client_name;
    std::string user_code;
    std::vector<RequestedScope> scopes;
    std::string origin_address;  // the address that started it
    int64_t created_at = 0;
    int64_t expires_at = 0;
  };
  StatusOr<PendingDevice> DescribeDevice(const std::string& user_code);
  // Approves a pending device code for the signed-in session; approval needs
  // consent first (PermissionDenied, reason "consent_required").
  Status ApproveDevice(const std::string& user_code, const Session& session, bool approve);
  StatusOr<TokenSet> PollDevice(const std::string& tenant_ref, const std::string& client_id,
                                const std::string& device_code);

  // ---- Housekeeping
  // Deletes sessions, authorization codes, refresh tokens, device codes,
  // one-time passcodes, pending sign-ups and throttle rows that expired more
  // than purge_grace_ms ago, in short transactions. Safe to run anywhere at
  // any time (several servers included): it only deletes what no request can
  // use any more. Returns what it deleted.
  StatusOr<store::PurgeCounts> PurgeExpired();

 private:
  // The device code a user typed while it waits for approval; bad_user_code otherwise.
  StatusOr<store::DeviceCodeRow> PendingDeviceCode(const std::string& user_code);
  StatusOr<directory::Tenant> Tenant(const std::string& ref);
  Status AuthenticateClient(const ClientInfo& client, const std::string& secret, bool public_flow);
  // An 8-digit code, uniformly drawn.
  std::string NewNumericCode();
  StatusOr<Session> CreateSession(const std::string& home_tenant_id, const std::string& user_id,
                                  const std::string& method);
  StatusOr<TokenSet> Issue(const std::string& tenant_id, const std::string& client_id, const std::string& user_id,
                           const std::string& scope, const std::string& idp, int64_t auth_time_ms,
                           const std::string& nonce, const std::string& family_id, bool client_secret_used);
  // Whether a grant from a sign-in at `auth_time_ms` still holds for `user`:
  // the account is enabled and its sessions weren't revoked since (password
  // reset, disable, redemption reset, revokeSignInSessions), and the same for
  // the home account a guest is bound to on this server. invalid_grant if not.
  Status CheckStillTrusted(const directory::User& user, int64_t auth_time_ms);
  // Failure accounting: lockout per account key (a count that decays),
  // rate limit per address key (a fixed window).
  Status CheckThrottle(const std::string& account_key, const std::string& address_key);
  void RecordFailure(const std::string& account_key, const std::string& address_key);
  void ClearFailures(const std::string& account_key);
  // Counts one event against a fixed-window limit inside `tx` and refuses
  // (ResourceExhausted with `reason` and `message`) when the limit was reached.
  Status CountAgainst(store::Transaction& tx, const std::string& key, int limit, int64_t window_ms,
                      const std::string& reason, const std::string& message);
  // The account key of a password sign-in as seen from `address_key`: the
  // familiar side when the account signed in from there before.
  StatusOr<std::string> LockoutKeyFor(const std::string& account, const std::string& address_key);
  void RememberAddress(const std::string& account, const std::string& address_key);
  // Is the device code flow allowed in this tenant (authorizationPolicy)?
  Status CheckDeviceFlowAllowed(const std::string& tenant_id);
  PasswordPool& Pool();

  store::Store& store_;
  directory::DirectoryService& directory_;
  TokenService& tokens_;
  const Clock& clock_;
  Random& random_;
  SigninConfig config_;
  OtpSender otp_sender_;
  ClientGate client_gate_;
  PasswordPool* pool_ = nullptr;
  std::unique_ptr<PasswordPool> own_pool_;
  std::once_flag own_pool_once_;
};

// RFC 7636 S256: base64url(SHA-256(verifier)).
std::string PkceChallenge(std::string_view verifier);

}  // namespace gh::identity
