// ConsentRepository over SqlTx: the same statements on SQLite and PostgreSQL.
#include "store/consent_repository.h"
#include "store/sql_repositories.h"

namespace gh::store {
namespace {

using sql::Params;
using sql::Row;

const Table kGrants{"oauth2_permission_grants",
                    {"tenant_id", "id", "client_id", "consent_type", "principal_id", "resource_id", "scope",
                     "created_at", "updated_at"},
                    2};

// Graph keeps a grant's scopes as one space-separated string; so does the table.
std::string JoinScopes(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : " ") + s;
  return out;
}
std::vector<std::string> SplitScopes(const std::string& s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    size_t j = s.find(' ', i);
    if (j == std::string::npos) j = s.size();
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

Params GrantParams(const PermissionGrantRow& g) {
  return {g.tenant_id,       g.id,          g.client_id,           g.consent_type,         g.principal_id,
          g.resource_id,     JoinScopes(g.scopes), sql::Int(g.created_at), sql::Int(g.updated_at)};
}
PermissionGrantRow GrantFrom(const Row& r) {
  return {r.Text(1), r.Text(0), r.Text(2), r.Text(3), r.Text(4), r.Text(5), SplitScopes(r.Text(6)), r.Int(7), r.Int(8)};
}

class SqlConsentRepository final : public ConsentRepository {
 public:
  explicit SqlConsentRepository(SqlTx& tx) : tx_(tx) {}

  Status InsertGrant(const PermissionGrantRow& g) override {
    return Explain(tx_.Exec(kGrants.Insert(), GrantParams(g)).status(), Code::kAlreadyExists,
                   "A permission grant for this client, principal and resource already exists.");
  }
  Status UpdateGrant(const PermissionGrantRow& g) override {
    GH_ASSIGN_OR_RETURN(int64_t n, tx_.Exec(kGrants.Update(), GrantParams(g)));
    return n ? OkStatus() : NotFound("Permission grant '" + g.id + "' not found.");
  }
  Status DeleteGrant(const std::string& tenant_id, const std::string& id) override {
    GH_ASSIGN_OR_RETURN(int64_t n, tx_.Exec("DELETE FROM oauth2_permission_grants WHERE tenant_id = $1 AND id = $2",
                                            {tenant_id, id}));
    return n ? OkStatus() : NotFound("Permission grant '" + id + "' not found.");
  }
  StatusOr<PermissionGrantRow> GetGrant(const std::string& tenant_id, const std::string& id) override {
    return tx_.One(kGrants.Select("WHERE tenant_id = $1 AND id = $2"), {tenant_id, id}, GrantFrom,
                   "Permission grant '" + id + "'");
  }
  StatusOr<std::vector<PermissionGrantRow>> ListGrants(const std::string& tenant_id,
                                                       const std::string& client_id) override {
    if (client_id.empty())
      return tx_.Many(kGrants.Select("WHERE tenant_id = $1 ORDER BY id"), {tenant_id}, GrantFrom);
    return tx_.Many(kGrants.Select("WHERE tenant_id = $1 AND client_id = $2 ORDER BY id"), {tenant_id, client_id},
                    GrantFrom);
  }
  Status DeleteGrantsOfClient(const std::string& tenant_id, const std::string& client_id) override {
    return tx_.Exec("DELETE FROM oauth2_permission_grants WHERE tenant_id = $1 AND client_id = $2",
                    {tenant_id, client_id})
        .status();
  }

 private:
  SqlTx& tx_;
};

}  // namespace

std::unique_ptr<ConsentRepository> NewSqlConsentRepository(SqlTx& tx) {
  return std::make_unique<SqlConsentRepository>(tx);
}

}  // namespace gh::store
