#pragma once
// Persistence for sign-in: browser sessions, authorization codes, refresh
// tokens (with their rotation families), device codes, one-time passcodes and
// the throttling counters behind lockout and rate limits (and the addresses
// each account signed in from, which smart lockout trusts). Every secret
// (session id, code, token) is stored only as its SHA-256 hex digest; the
// caller hashes before calling.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace gh::store {

struct SessionRow {
  std::string id_hash;
  std::string tenant_id;  // where the user authenticated (their home)
  std::string user_id;
  std::string auth_method;  // "pwd", "otp"
  int64_t created_at = 0;
  int64_t expires_at = 0;
};

struct AuthCodeRow {
  std::string code_hash;
  std::string tenant_id;  // the resource tenant the code is for
  std::string client_id;  // app id
  std::string user_id;    // object in tenant_id
  std::string redirect_uri;
  std::string scope;
  std::string nonce;
  std::string code_challenge;  // S256 challenge or empty
  std::string idp;             // issuer where the user authenticated
  int64_t auth_time = 0;       // when the user signed in (ms)
  int64_t expires_at = 0;
  std::optional<int64_t> used_at;
};

struct RefreshTokenRow {
  std::string token_hash;
  std::string family_id;  // all rotations of one grant
  std::string tenant_id;
  std::string client_id;
  std::string user_id;
  std::string scope;
  std::string idp;
  int64_t auth_time = 0;  // when the user signed in (ms)
  int64_t created_at = 0;
  int64_t expires_at = 0;
  std::optional<int64_t> used_at;  // rotated (a second use is reuse)
  bool revoked = false;
  bool client_authenticated = false;  // the grant began with the client's secret: refreshing needs it too
};

struct DeviceCodeRow {
  std::string device_code_hash;
  std::string user_code;  // "ABCD-EFGH", unique while pending
  std::string tenant_id;
  std::string client_id;
  std::string scope;
  std::string status;  // "pending", "approved", "denied", "consumed"
  std::string user_id;
  std::string idp;
  int64_t auth_time = 0;  // when the approving user signed in (ms)
  int64_t expires_at = 0;
  int64_t interval_s = 5;
  int64_t last_poll_at = 0;
  std::string origin_address;  // who started it (shown on the approval page)
  int64_t created_at = 0;
};

struct OtpRow {
  std::string id;
  std::string tenant_id;  // the resource tenant the code signs in to
  std::string email_lower;
  std::string code_hash;
  int64_t expires_at = 0;
  int64_t attempts = 0;
  std::optional<int64_t> used_at;
};

// A counter: `count` events since `window_start`; `locked_until` > now blocks.
// What the numbers mean is the sign-in service's business (a fixed window, or
// a count that decays from the last event); `expires_at` is when the row
// stops meaning anything, after which PurgeExpired may delete it.
struct ThrottleRow {
  std::string key;
  int64_t count = 0;
  int64_t window_start = 0;
  int64_t locked_until = 0;
  int64_t expires_at = 0;
};

// Rows deleted by one PurgeExpired call, per table.
struct PurgeCounts {
  int64_t sessions = 0;
  int64_t auth_codes = 0;
  int64_t refresh_tokens = 0;
  int64_t device_codes = 0;
  int64_t otps = 0;
  int64_t throttles = 0;
  int64_t Total() const { return sessions + auth_codes + refresh_tokens + device_codes + otps + throttles; }
};

class SigninRepository {
 public:
  virtual ~SigninRepository() = default;

  virtual Status InsertSession(const SessionRow& s) = 0;
  virtual StatusOr<SessionRow> GetSession(const std::string& id_hash) = 0;
  virtual Status DeleteSession(const std::string& id_hash) = 0;

  virtual Status InsertAuthCode(const AuthCodeRow& c) = 0;
  virtual StatusOr<AuthCodeRow> GetAuthCode(const std::string& code_hash) = 0;
  // Marks the code used; NotFound when it does not exist or was used already.
  virtual Status UseAuthCode(const std::string& code_hash, int64_t now) = 0;

  virtual Status InsertRefreshToken(const RefreshTokenRow& t) = 0;
  virtual StatusOr<RefreshTokenRow> GetRefreshToken(const std::string& token_hash) = 0;
  // Marks the token rotated; NotFound when it was already used (reuse).
  virtual Status UseRefreshToken(const std::string& token_hash, int64_t now) = 0;
  virtual Status RevokeRefreshFamily(const std::string& family_id) = 0;
  virtual Status RevokeRefreshTokensOfUser(const std::string& tenant_id, const std::string& user_id) = 0;

  virtual Status InsertDeviceCode(const DeviceCodeRow& d) = 0;
  virtual StatusOr<DeviceCodeRow> GetDeviceCode(const std::string& device_code_hash) = 0;
  virtual StatusOr<DeviceCodeRow> FindPendingDeviceCode(const std::string& user_code, int64_t now) = 0;
  virtual Status UpdateDeviceCode(const DeviceCodeRow& d) = 0;

  virtual Status InsertOtp(const OtpRow& o) = 0;
  // The newest unused, unexpired code for this address and tenant.
  virtual StatusOr<OtpRow> FindActiveOtp(const std::string& tenant_id, const std::string& email_lower,
                                         int64_t now) = 0;
  virtual Status UpdateOtp(const OtpRow& o) = 0;

  virtual StatusOr<ThrottleRow> GetThrottle(const std::string& key) = 0;  // a zero row when absent
  virtual Status PutThrottle(const ThrottleRow& t) = 0;

  // Deletes rows whose expires_at is before `before`: at most `limit` rows of
  // each table (sessions, codes, refresh tokens, device codes, one-time
  // passcodes and pending sign-ups, throttles), so one call holds the write
  // lock briefly; call again while any count equals `limit`.
  virtual StatusOr<PurgeCounts> PurgeExpired(int64_t before, int64_t limit) = 0;
};

}  // namespace gh::store
