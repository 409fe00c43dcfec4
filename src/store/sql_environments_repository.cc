// EnvironmentsRepository over SqlTx: the same statements on SQLite and PostgreSQL.
#include "store/environments_repository.h"
#include "store/sql_repositories.h"

namespace gh::store {
namespace {

using sql::Params;
using sql::Row;

const Table kEnvironments{"environments",
                          {"tenant_id", "id", "display_name", "unique_name", "env_type", "dataverse",
                           "security_group_id", "state", "created_at", "updated_at"},
                          2};
const Table kRoles{"env_security_roles",
                   {"tenant_id", "id", "environment_id", "name", "privileges", "predefined", "created_at"},
                   2};
const Table kRoleAssignments{
    "env_role_assignments",
    {"tenant_id", "id", "environment_id", "principal_id", "principal_kind", "role_id", "created_at"},
    2};
const Table kUsers{"env_users",
                   {"tenant_id", "environment_id", "user_id", "enabled", "added_by", "created_at", "updated_at"},
                   3};

Params EnvironmentParams(const EnvironmentRow& e) {
  return {e.tenant_id,
          e.id,
          e.display_name,
          e.unique_name,
          e.type,
          sql::Bool(e.dataverse),
          sql::OptText(e.security_group_id),
          e.state,
          sql::Int(e.created_at),
          sql::Int(e.updated_at)};
}
EnvironmentRow EnvironmentFrom(const Row& r) {
  return {r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Bool(5), r.OptText(6), r.Text(7), r.Int(8),
          r.Int(9)};
}

Params RoleParams(const SecurityRoleRow& s) {
  return {s.tenant_id, s.id, s.environment_id, s.name, StringsToJson(s.privileges), sql::Bool(s.predefined),
          sql::Int(s.created_at)};
}
SecurityRoleRow RoleFrom(const Row& r) {
  return {r.Text(0), r.Text(2), r.Text(1), r.Text(3), StringsFromJson(r.Text(4)), r.Bool(5), r.Int(6)};
}

Params RoleAssignmentParams(const EnvRoleAssignmentRow& a) {
  return {a.tenant_id, a.id, a.environment_id, a.principal_id, a.principal_kind, a.role_id, sql::Int(a.created_at)};
}
EnvRoleAssignmentRow RoleAssignmentFrom(const Row& r) {
  return {r.Text(0), r.Text(2), r.Text(1), r.Text(3), r.Text(4), r.Text(5), r.Int(6)};
}

Params UserParams(const EnvUserRow& u) {
  return {u.tenant_id, u.environment_id, u.user_id, sql::Bool(u.enabled), u.added_by, sql::Int(u.created_at),
          sql::Int(u.updated_at)};
}
EnvUserRow UserFrom(const Row& r) {
  return {r.Text(0), r.Text(1), r.Text(2), r.Bool(3), r.Text(4), r.Int(5), r.Int(6)};
}

class SqlEnvironmentsRepository final : public EnvironmentsRepository {
 public:
  explicit SqlEnvironmentsRepository(SqlTx& tx) : tx_(tx) {}

  Status InsertEnvironment(const EnvironmentRow& e) override {
    tx_.changes().Add(e.tenant_id, ChangeKind::kEnvironment, e.id);
    return Explain(tx_.Exec(kEnvironments.Insert(), EnvironmentParams(e)).status(), Code::kAlreadyExists,
                   "The uniqueName '" + e.unique_name + "' is taken" +
                       (e.type == "Default" ? ", or the tenant already has a Default environment" : "") +
                       " (environment URLs are unique across every organisation on this server).");
  }
  Status UpdateEnvironment(const EnvironmentRow& e) override {
    tx_.changes().Add(e.tenant_id, ChangeKind::kEnvironment, e.id);
    StatusOr<int64_t> n = tx_.Exec(kEnvironments.Update(), EnvironmentParams(e));
    if (!n.ok())
      return Explain(n.status(), Code::kAlreadyExists,
                     "The uniqueName '" + e.unique_name +
                         "' is taken (environment URLs are unique across every organisation on this server).");
    return *n ? OkStatus() : NotFound("Environment '" + e.id + "' not found.");
  }
  StatusOr<EnvironmentRow> FindEnvironmentByUniqueName(const std::string& unique_name) override {
    return tx_.One(kEnvironments.Select("WHERE unique_name = $1"), {unique_name}, EnvironmentFrom,
                   "Environment '" + unique_name + "'");
  }
  Status DeleteEnvironment(const std::string& tenant_id, const std::string& id) override {
    GH_ASSIGN_OR_RETURN(sql::Rows found,
                        tx_.Query("SELECT 1 FROM environments WHERE tenant_id = $1 AND id = $2", {tenant_id, id}));
    if (found.empty()) return NotFound("Environment '" + id + "' not found.");
    tx_.changes().Add(tenant_id, ChangeKind::kEnvironment, id);
    for (std::string_view table : {"env_role_assignments", "env_security_roles", "env_users"})
      GH_RETURN_IF_ERROR(tx_.Exec("DELETE FROM " + std::string(table) + " WHERE tenant_id = $1 AND environment_id = $2",
                                  {tenant_id, id})
                             .status());
    return tx_.Exec("DELETE FROM environments WHERE tenant_id = $1 AND id = $2", {tenant_id, id}).status();
  }
  StatusOr<EnvironmentRow> GetEnvironment(const std::string& tenant_id, const std::string& id) override {
    return tx_.One(kEnvironments.Select("WHERE tenant_id = $1 AND id = $2"), {tenant_id, id}, EnvironmentFrom,
                   "Environment '" + id + "'");
  }
  StatusOr<std::vector<EnvironmentRow>> ListEnvironments(const std::string& tenant_id) override {
    return tx_.Many(kEnvironments.Select("WHERE tenant_id = $1 ORDER BY created_at, id"), {tenant_id},
                    EnvironmentFrom);
  }

  Status InsertSecurityRole(const SecurityRoleRow& r) override {
    tx_.changes().Add(r.tenant_id, ChangeKind::kEnvironmentRoles, r.environment_id);
    return Explain(tx_.Exec(kRoles.Insert(), RoleParams(r)).status(), Code::kAlreadyExists,
                   "A security role named '" + r.name + "' already exists in this environment.");
  }
  StatusOr<std::vector<SecurityRoleRow>> ListSecurityRoles(const std::string& tenant_id,
                                                           const std::string& environment_id) override {
    return tx_.Many(kRoles.Select("WHERE tenant_id = $1 AND environment_id = $2 ORDER BY created_at, name"),
                    {tenant_id, environment_id}, RoleFrom);
  }

  Status InsertRoleAssignment(const EnvRoleAssignmentRow& a) override {
    tx_.changes().Add(a.tenant_id, ChangeKind::kEnvironmentRoles, a.environment_id);
    return Explain(tx_.Exec(kRoleAssignments.Insert(), RoleAssignmentParams(a)).status(), Code::kAlreadyExists,
                   "The role is already assigned to '" + a.principal_id + "' in this environment.");
  }
  Status DeleteRoleAssignment(const std::string& tenant_id, const std::string& id) override {
    GH_ASSIGN_OR_RETURN(sql::Rows deleted, tx_.Query("DELETE FROM env_role_assignments WHERE tenant_id = $1 AND "
                                                     "id = $2 RETURNING environment_id",
                                                     {tenant_id, id}));
    if (deleted.empty()) return NotFound("Role assignment '" + id + "' not found.");
    tx_.changes().Add(tenant_id, ChangeKind::kEnvironmentRoles, deleted.front().Text(0));
    return OkStatus();
  }
  StatusOr<std::vector<EnvRoleAssignmentRow>> ListRoleAssignments(const std::string& tenant_id,
                                                                  const std::string& environment_id,
                                                                  const std::string& principal_id) override {
    Params params{tenant_id, environment_id};
    std::string where = "WHERE tenant_id = $1 AND environment_id = $2";
    if (!principal_id.empty()) params.push_back(principal_id), where += " AND principal_id = " + P(params);
    return tx_.Many(kRoleAssignments.Select(where + " ORDER BY created_at, id"), params, RoleAssignmentFrom);
  }

  Status UpsertUser(const EnvUserRow& u) override {
    return tx_
        .Exec(kUsers.Insert() +
                  " ON CONFLICT (tenant_id, environment_id, user_id) DO UPDATE SET enabled = excluded.enabled,"
                  " added_by = excluded.added_by, updated_at = excluded.updated_at",
              UserParams(u))
        .status();
  }
  Status DeleteUser(const std::string& tenant_id, const std::string& environment_id,
                    const std::string& user_id) override {
    GH_ASSIGN_OR_RETURN(int64_t n, tx_.Exec("DELETE FROM env_users WHERE tenant_id = $1 AND environment_id = $2 AND "
                                            "user_id = $3",
                                            {tenant_id, environment_id, user_id}));
    return n ? OkStatus() : NotFound("User '" + user_id + "' is not in this environment.");
  }
  StatusOr<EnvUserRow> GetUser(const std::string& tenant_id, const std::string& environment_id,
                               const std::string& user_id) override {
    return tx_.One(kUsers.Select("WHERE tenant_id = $1 AND environment_id = $2 AND user_id = $3"),
                   {tenant_id, environment_id, user_id}, UserFrom, "Environment user '" + user_id + "'");
  }
  StatusOr<std::vector<EnvUserRow>> ListUsers(const std::string& tenant_id,
                                              const std::string& environment_id) override {
    return tx_.Many(kUsers.Select("WHERE tenant_id = $1 AND environment_id = $2 ORDER BY user_id"),
                    {tenant_id, environment_id}, UserFrom);
  }

 private:
  SqlTx& tx_;
};

}  // namespace

std::unique_ptr<EnvironmentsRepository> NewSqlEnvironmentsRepository(SqlTx& tx) {
  return std::make_unique<SqlEnvironmentsRepository>(tx);
}

}  // namespace gh::store
