#include "store/signin_repository.h"
#include "store/sql_repositories.h"

namespace gh::store {
namespace {

using sql::Params;
using sql::Row;

const Table kSessions{"signin_sessions", {"id_hash", "tenant_id", "user_id", "auth_method", "created_at", "expires_at"}, 1};
const Table kCodes{"signin_codes",
                   {"code_hash", "tenant_id", "client_id", "user_id", "redirect_uri", "scope", "nonce",
                    "code_challenge", "idp", "auth_time", "expires_at", "used_at"},
                   1};
const Table kRefresh{"signin_refresh_tokens",
                     {"token_hash", "family_id", "tenant_id", "client_id", "user_id", "scope", "idp", "auth_time",
                      "created_at", "expires_at", "used_at", "revoked", "client_authenticated"},
                     1};
const Table kDevice{"signin_device_codes",
                    {"device_code_hash", "user_code", "tenant_id", "client_id", "scope", "status", "user_id", "idp",
                     "auth_time", "expires_at", "interval_s", "last_poll_at", "origin_address", "created_at"},
                    1};
const Table kOtp{"signin_otps", {"id", "tenant_id", "email_lower", "code_hash", "expires_at", "attempts", "used_at"}, 1};
const Table kThrottle{"signin_throttle", {"key", "count", "window_start", "locked_until", "expires_at"}, 1};

SessionRow SessionFrom(const Row& r) { return {r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4), r.Int(5)}; }
AuthCodeRow CodeFrom(const Row& r) {
  return {r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5),
          r.Text(6), r.Text(7), r.Text(8), r.Int(9),  r.Int(10), r.OptInt(11)};
}
RefreshTokenRow RefreshFrom(const Row& r) {
  return {r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4),    r.Text(5),
          r.Text(6), r.Int(7),  r.Int(8),  r.Int(9),  r.OptInt(10), r.Bool(11), r.Bool(12)};
}
DeviceCodeRow DeviceFrom(const Row& r) {
  return {r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4),  r.Text(5),  r.Text(6),
          r.Text(7), r.Int(8),  r.Int(9),  r.Int(10), r.Int(11), r.Text(12), r.Int(13)};
}
OtpRow OtpFrom(const Row& r) {
  return {r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4), r.Int(5), r.OptInt(6)};
}
ThrottleRow ThrottleFrom(const Row& r) { return {r.Text(0), r.Int(1), r.Int(2), r.Int(3), r.Int(4)}; }

Params DeviceParams(const DeviceCodeRow& d) {
  return {d.device_code_hash, d.user_code,  d.tenant_id,            d.client_id,           d.scope,
          d.status,           d.user_id,    d.idp,                  sql::Int(d.auth_time), sql::Int(d.expires_at),
          sql::Int(d.interval_s), sql::Int(d.last_poll_at), d.origin_address, sql::Int(d.created_at)};
}
Params OtpParams(const OtpRow& o) {
  return {o.id, o.tenant_id, o.email_lower, o.code_hash, sql::Int(o.expires_at), sql::Int(o.attempts),
          sql::OptInt(o.used_at)};
}

class SqlSigninRepository final : public SigninRepository {
 public:
  explicit SqlSigninRepository(SqlTx& tx) : tx_(tx) {}

  Status InsertSession(const SessionRow& s) override {
    return tx_.Exec(kSessions.Insert(), {s.id_hash, s.tenant_id, s.user_id, s.auth_method, sql::Int(s.created_at),
                                         sql::Int(s.expires_at)})
        .status();
  }
  StatusOr<SessionRow> GetSession(const std::string& id_hash) override {
    return tx_.One(kSessions.Select("WHERE id_hash = $1"), {id_hash}, SessionFrom, "Session");
  }
  Status DeleteSession(const std::string& id_hash) override {
    return tx_.Exec("DELETE FROM signin_sessions WHERE id_hash = $1", {id_hash}).status();
  }

  Status InsertAuthCode(const AuthCodeRow& c) override {
    return tx_.Exec(kCodes.Insert(), {c.code_hash, c.tenant_id, c.client_id, c.user_id, c.redirect_uri, c.scope,
                                      c.nonce, c.code_challenge, c.idp, sql::Int(c.auth_time),
                                      sql::Int(c.expires_at), sql::OptInt(c.used_at)})
        .status();
  }
  StatusOr<AuthCodeRow> GetAuthCode(const std::string& code_hash) override {
    return tx_.One(kCodes.Select("WHERE code_hash = $1"), {code_hash}, CodeFrom, "Authorization code");
  }
  Status UseAuthCode(const std::string& code_hash, int64_t now) override {
    GH_ASSIGN_OR_RETURN(int64_t n, tx_.Exec("UPDATE signin_codes SET used_at = $2 WHERE code_hash = $1 AND used_at IS NULL",
                                            {code_hash, sql::Int(now)}));
    return n == 1 ? OkStatus() : NotFound("Authorization code not found or already used.");
  }

  Status InsertRefreshToken(const RefreshTokenRow& t) override {
    return tx_.Exec(kRefresh.Insert(), {t.token_hash, t.family_id, t.tenant_id, t.client_id, t.user_id, t.scope, t.idp,
                                        sql::Int(t.auth_time), sql::Int(t.created_at), sql::Int(t.expires_at),
                                        sql::OptInt(t.used_at), sql::Bool(t.revoked), sql::Bool(t.client_authenticated)})
        .status();
  }
  StatusOr<RefreshTokenRow> GetRefreshToken(const std::string& token_hash) override {
    return tx_.One(kRefresh.Select("WHERE token_hash = $1"), {token_hash}, RefreshFrom, "Refresh token");
  }
  Status UseRefreshToken(const std::string& token_hash, int64_t now) override {
    GH_ASSIGN_OR_RETURN(int64_t n, tx_.Exec("UPDATE signin_refresh_tokens SET used_at = $2 "
                                            "WHERE token_hash = $1 AND used_at IS NULL AND revoked = 0",
                                            {token_hash, sql::Int(now)}));
    return n == 1 ? OkStatus() : NotFound("Refresh token not found, already used or revoked.");
  }
  Status RevokeRefreshFamily(const std::string& family_id) override {
    return tx_.Exec("UPDATE signin_refresh_tokens SET revoked = 1 WHERE family_id = $1", {family_id}).status();
  }
  Status RevokeRefreshTokensOfUser(const std::string& tenant_id, const std::string& user_id) override {
    return tx_.Exec("UPDATE signin_refresh_tokens SET revoked = 1 WHERE tenant_id = $1 AND user_id = $2",
                    {tenant_id, user_id})
        .status();
  }

  Status InsertDeviceCode(const DeviceCodeRow& d) override {
    return tx_.Exec(kDevice.Insert(), DeviceParams(d)).status();
  }
  StatusOr<DeviceCodeRow> GetDeviceCode(const std::string& hash) override {
    return tx_.One(kDevice.Select("WHERE device_code_hash = $1"), {hash}, DeviceFrom, "Device code");
  }
  StatusOr<DeviceCodeRow> FindPendingDeviceCode(const std::string& user_code, int64_t now) override {
    return tx_.One(kDevice.Select("WHERE user_code = $1 AND status = 'pending' AND expires_at > $2"),
                   {user_code, sql::Int(now)}, DeviceFrom, "Device code");
  }
  Status UpdateDeviceCode(const DeviceCodeRow& d) override {
    GH_ASSIGN_OR_RETURN(int64_t n, tx_.Exec(kDevice.Update(), DeviceParams(d)));
    return n == 1 ? OkStatus() : NotFound("Device code not found.");
  }

  Status InsertOtp(const OtpRow& o) override { return tx_.Exec(kOtp.Insert(), OtpParams(o)).status(); }
  StatusOr<OtpRow> FindActiveOtp(const std::string& tenant_id, const std::string& email_lower, int64_t now) override {
    return tx_.One(kOtp.Select("WHERE tenant_id = $1 AND email_lower = $2 AND used_at IS NULL AND expires_at > $3 "
                               "ORDER BY expires_at DESC LIMIT 1"),
                   {tenant_id, email_lower, sql::Int(now)}, OtpFrom, "One-time passcode");
  }
  Status UpdateOtp(const OtpRow& o) override {
    GH_ASSIGN_OR_RETURN(int64_t n, tx_.Exec(kOtp.Update(), OtpParams(o)));
    return n == 1 ? OkStatus() : NotFound("One-time passcode not found.");
  }

  StatusOr<ThrottleRow> GetThrottle(const std::string& key) override {
    GH_ASSIGN_OR_RETURN(auto rows, tx_.Query(kThrottle.Select("WHERE key = $1"), {key}));
    if (rows.empty()) return ThrottleRow{key, 0, 0, 0, 0};
    return ThrottleFrom(rows.front());
  }
  Status PutThrottle(const ThrottleRow& t) override {
    // Delete-then-insert is portable (no dialect-specific upsert) and runs in
    // the caller's write transaction.
    GH_RETURN_IF_ERROR(tx_.Exec("DELETE FROM signin_throttle WHERE key = $1", {t.key}).status());
    return tx_
        .Exec(kThrottle.Insert(),
              {t.key, sql::Int(t.count), sql::Int(t.window_start), sql::Int(t.locked_until), sql::Int(t.expires_at)})
        .status();
  }

  StatusOr<PurgeCounts> PurgeExpired(int64_t before, int64_t limit) override {
    // "IN (SELECT … LIMIT n)": both dialects bound a DELETE this way (neither
    // SQLite's DELETE … LIMIT nor a PostgreSQL-only form would serve both).
    auto purge = [&](const char* table, const char* key) -> StatusOr<int64_t> {
      std::string t(table), k(key);
      return tx_.Exec("DELETE FROM " + t + " WHERE " + k + " IN (SELECT " + k + " FROM " + t +
                          " WHERE expires_at < $1 LIMIT $2)",
                      {sql::Int(before), sql::Int(limit)});
    };
    PurgeCounts n;
    GH_ASSIGN_OR_RETURN(n.sessions, purge("signin_sessions", "id_hash"));
    GH_ASSIGN_OR_RETURN(n.auth_codes, purge("signin_codes", "code_hash"));
    GH_ASSIGN_OR_RETURN(n.refresh_tokens, purge("signin_refresh_tokens", "token_hash"));
    GH_ASSIGN_OR_RETURN(n.device_codes, purge("signin_device_codes", "device_code_hash"));
    GH_ASSIGN_OR_RETURN(n.otps, purge("signin_otps", "id"));
    GH_ASSIGN_OR_RETURN(n.throttles, purge("signin_throttle", "key"));
    return n;
  }

 private:
  SqlTx& tx_;
};

}  // namespace

std::unique_ptr<SigninRepository> NewSqlSigninRepository(SqlTx& tx) {
  return std::make_unique<SqlSigninRepository>(tx);
}

}  // namespace gh::store
