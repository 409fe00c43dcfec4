#include "environments/app_service.h"

#include <algorithm>

#include "store/apps_repository.h"
#include "store/environments_repository.h"

namespace gh::environments {
namespace {

App FromRow(const store::AppRow& r) {
  return {r.id,       r.tenant_id, r.environment_id,       r.display_name, r.app_type,   r.dataverse,
          r.owner_id, r.shared_with_everyone, r.shared_with, r.created_at, r.updated_at};
}
store::AppRow ToRow(const App& a) {
  return {a.tenant_id, a.id,          a.environment_id,       a.display_name, a.type,       a.dataverse,
          a.owner_id,  a.shared_with_everyone, a.shared_with, a.created_at,   a.updated_at};
}

directory::AuditEntry AppAudit(Random& random, const Clock& clock, const directory::Actor& actor, const App& app,
                               std::string activity) {
  return directory::MakeAuditEntry(random, clock, actor, app.tenant_id, "AppManagement", std::move(activity), "App",
                                   app.id, app.display_name);
}

}  // namespace

StatusOr<App> AppService::Create(const directory::Actor& actor, const std::string& tenant_id,
                                 const std::string& env_id, const NewApp& in) {
  if (in.display_name.empty()) return InvalidArgument("Property 'displayName' is required.", "Request_BadRequest");
  if (in.type != "canvas" && in.type != "modelDriven")
    return InvalidArgument("Invalid value '" + in.type + "' for property 'type': expected canvas or modelDriven.",
                           "Request_BadRequest");
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  GH_ASSIGN_OR_RETURN(auto env, tx->Environments().GetEnvironment(tenant_id, env_id));
  if (in.type == "modelDriven" && !env.dataverse)
    return InvalidArgument("Model-driven apps need an environment with Dataverse.", "Request_BadRequest");
  App app;
  app.id = random_.NewUuid();
  app.tenant_id = tenant_id;
  app.environment_id = env.id;
  app.display_name = in.display_name;
  app.type = in.type;
  app.dataverse = in.dataverse || in.type == "modelDriven";
  app.owner_id = in.owner_id;
  app.created_at = app.updated_at = clock_.NowMillis();
  GH_RETURN_IF_ERROR(tx->Apps().InsertApp(ToRow(app)));
  GH_RETURN_IF_ERROR(tx->InsertAudit(AppAudit(random_, clock_, actor, app, "Create app")));
  GH_RETURN_IF_ERROR(tx->Commit());
  return app;
}

StatusOr<App> AppService::Share(const directory::Actor& actor, const std::string& tenant_id,
                                const std::string& env_id, const std::string& app_id,
                                const std::vector<std::string>& principal_ids, bool everyone) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  GH_ASSIGN_OR_RETURN(auto row, tx->Apps().GetApp(tenant_id, app_id));
  if (row.environment_id != env_id) return NotFound("App '" + app_id + "' not found.");
  App app = FromRow(row);
  for (const auto& p : principal_ids) {
    bool user = tx->GetUser(tenant_id, p).ok();
    if (!user && !tx->GetGroup(tenant_id, p).ok())
      return InvalidArgument("Principal '" + p + "' is not a user or group of this tenant.", "Request_BadRequest");
    if (std::find(app.shared_with.begin(), app.shared_with.end(), p) == app.shared_with.end())
      app.shared_with.push_back(p);
  }
  app.shared_with_everyone = app.shared_with_everyone || everyone;
  app.updated_at = clock_.NowMillis();
  GH_RETURN_IF_ERROR(tx->Apps().UpdateApp(ToRow(app)));
  GH_RETURN_IF_ERROR(tx->InsertAudit(AppAudit(random_, clock_, actor, app, "Share app")));
  GH_RETURN_IF_ERROR(tx->Commit());
  return app;
}

StatusOr<App> AppService::Get(const std::string& tenant_id, const std::string& env_id, const std::string& app_id) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  GH_ASSIGN_OR_RETURN(auto row, tx->Apps().GetApp(tenant_id, app_id));
  if (!env_id.empty() && row.environment_id != env_id) return NotFound("App '" + app_id + "' not found.");
  return FromRow(row);
}

StatusOr<std::vector<App>> AppService::List(const std::string& tenant_id, const std::string& env_id) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  GH_RETURN_IF_ERROR(tx->Environments().GetEnvironment(tenant_id, env_id).status());
  GH_ASSIGN_OR_RETURN(auto rows, tx->Apps().ListApps(tenant_id, env_id));
  std::vector<App> out;
  for (const auto& r : rows) out.push_back(FromRow(r));
  return out;
}

}  // namespace gh::environments
