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

StatusOr<std::shared_ptr<const gate::Snapshot>> AppService::Snapshot(const std::string& tenant_id) {
  if (!gate_) return Internal("The access gate is not configured.");
  return gate_(tenant_id);
}

bool AppService::IsAppsAdministrator(const directory::Actor& actor, const gate::Snapshot& snap) {
  // An app is an administrator of apps only by the grant an administrator
  // gave it, never by merely holding an app token.
  if (actor.IsApp()) return actor.HoldsPermission("Environment.ReadWrite.All");
  if (actor.IsSystem()) return true;
  uint32_t u = snap.FindUser(actor.id);
  return u != gate::kNoIndex && snap.user(u).IsAdmin();
}

StatusOr<App> AppService::Create(const directory::Actor& actor, const std::string& tenant_id,
                                 const std::string& env_id, const NewApp& in, GateRefusal* refusal) {
  if (!actor.IsUser() && !actor.IsSystem())
    return PermissionDenied("Apps are created and shared by signed-in users; use a user token.",
                            "Authorization_RequestDenied");
  if (in.display_name.empty()) return InvalidArgument("Property 'displayName' is required.", "Request_BadRequest");
  if (in.type != "canvas" && in.type != "modelDriven")
    return InvalidArgument("Invalid value '" + in.type + "' for property 'type': expected canvas or modelDriven.",
                           "Request_BadRequest");
  if (actor.IsUser()) {
    GH_ASSIGN_OR_RETURN(auto snap, Snapshot(tenant_id));
    gate::AccessRequest req;
    req.resource_tenant_id = tenant_id;
    req.user_id = actor.id;
    req.environment_id = env_id;
    req.action = (in.dataverse || in.type == "modelDriven") ? gate::Action::kAppCreateDataverse
                                                             : gate::Action::kAppCreate;
    gate::Decision d = gate::Decide(*snap, req);
    if (!d.allowed) {
      Status denied = PermissionDenied("Access denied by " + std::string(gate::ActionName(d.action)) + ": " +
                                           d.FailedIds() + ".",
                                       "Authorization_RequestDenied");
      if (refusal) *refusal = GateRefusal{std::move(snap), std::move(d)};
      return denied;
    }
  }
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
  GH_ASSIGN_OR_RETURN(auto snap, Snapshot(tenant_id));
  const bool admin = IsAppsAdministrator(actor, *snap);
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  GH_ASSIGN_OR_RETURN(auto row, tx->Apps().GetApp(tenant_id, app_id));
  if (row.environment_id != env_id) return NotFound("App '" + app_id + "' not found.");
  App app = FromRow(row);
  if (!admin && app.owner_id != actor.id)
    return PermissionDenied("Only the app's owner or an administrator can share it.", "Authorization_RequestDenied");
  if (everyone && !admin && snap->settings().disable_share_with_everyone)
    return PermissionDenied("Sharing with everyone is turned off for non-administrators "
                            "(tenant setting powerPlatform.powerApps.disableShareWithEveryone).",
                            "Authorization_RequestDenied");
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

StatusOr<std::vector<App>> AppService::ListVisibleTo(const directory::Actor& actor, const std::string& tenant_id,
                                                     const std::string& env_id) {
  std::vector<App> out;
  {
    GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
    GH_RETURN_IF_ERROR(tx->Environments().GetEnvironment(tenant_id, env_id).status());
    GH_ASSIGN_OR_RETURN(auto rows, tx->Apps().ListApps(tenant_id, env_id));
    for (const auto& r : rows) out.push_back(FromRow(r));
  }
  // Apps are admitted to a list by the route's Environment.Read.All grant.
  if (!actor.IsUser()) return out;
  GH_ASSIGN_OR_RETURN(auto snap, Snapshot(tenant_id));
  uint32_t u = snap->FindUser(actor.id);
  // The list reveals nothing of environments or apps a stranger can't open.
  if (u == gate::kNoIndex) return NotFound("Environment '" + env_id + "' not found.", "Request_ResourceNotFound");
  if (snap->user(u).IsAdmin()) return out;
  std::erase_if(out, [&](const App& a) {
    gate::AccessRequest run{tenant_id, actor.id, gate::Action::kAppRun, a.environment_id, a.id, "", ""};
    return a.owner_id != actor.id && !gate::Decide(*snap, run).allowed;
  });
  return out;
}

}  // namespace gh::environments
