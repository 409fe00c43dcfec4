// AppsRepository over SqlTx: the same statements on SQLite and PostgreSQL.
#include "store/apps_repository.h"
#include "store/sql_repositories.h"

namespace gh::store {
namespace {

using sql::Params;
using sql::Row;

const Table kApps{"apps",
                  {"tenant_id", "id", "environment_id", "display_name", "app_type", "dataverse", "owner_id",
                   "shared_with_everyone", "shared_with", "created_at", "updated_at"},
                  2};

Params AppParams(const AppRow& a) {
  return {a.tenant_id,         a.id,
          a.environment_id,    a.display_name,
          a.app_type,          sql::Bool(a.dataverse),
          a.owner_id,          sql::Bool(a.shared_with_everyone),
          StringsToJson(a.shared_with), sql::Int(a.created_at),
          sql::Int(a.updated_at)};
}
AppRow AppFrom(const Row& r) {
  return {r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Bool(5), r.Text(6), r.Bool(7),
          StringsFromJson(r.Text(8)), r.Int(9), r.Int(10)};
}

class SqlAppsRepository final : public AppsRepository {
 public:
  explicit SqlAppsRepository(SqlTx& tx) : tx_(tx) {}

  Status InsertApp(const AppRow& a) override {
    tx_.changes().Add(a.tenant_id, ChangeKind::kApp, a.id);
    return Explain(tx_.Exec(kApps.Insert(), AppParams(a)).status(), Code::kAlreadyExists,
                   "An app with id '" + a.id + "' already exists.");
  }
  Status UpdateApp(const AppRow& a) override {
    tx_.changes().Add(a.tenant_id, ChangeKind::kApp, a.id);
    GH_ASSIGN_OR_RETURN(int64_t n, tx_.Exec(kApps.Update(), AppParams(a)));
    return n ? OkStatus() : NotFound("App '" + a.id + "' not found.");
  }
  StatusOr<AppRow> GetApp(const std::string& tenant_id, const std::string& id) override {
    return tx_.One(kApps.Select("WHERE tenant_id = $1 AND id = $2"), {tenant_id, id}, AppFrom, "App '" + id + "'");
  }
  StatusOr<std::vector<AppRow>> ListApps(const std::string& tenant_id, const std::string& environment_id) override {
    if (environment_id.empty())
      return tx_.Many(kApps.Select("WHERE tenant_id = $1 ORDER BY created_at, id"), {tenant_id}, AppFrom);
    return tx_.Many(kApps.Select("WHERE tenant_id = $1 AND environment_id = $2 ORDER BY created_at, id"),
                    {tenant_id, environment_id}, AppFrom);
  }

 private:
  SqlTx& tx_;
};

}  // namespace

std::unique_ptr<AppsRepository> NewSqlAppsRepository(SqlTx& tx) { return std::make_unique<SqlAppsRepository>(tx); }

}  // namespace gh::store
