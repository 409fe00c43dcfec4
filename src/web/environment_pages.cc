#include "web/environment_pages.h"

#include "gate/decision.h"
#include "store/environments_repository.h"
#include "web/cookies.h"
#include "web/page.h"

namespace gh::web {
namespace {

struct Located {
  std::string tenant_id;
  std::string tenant_name;
  std::string env_id;
};

// Environment URLs carry only the uniqueName: find its tenant.
StatusOr<Located> Locate(store::Store& store, const std::string& unique_name) {
  GH_ASSIGN_OR_RETURN(auto tx, store.Begin(store::TxMode::kRead));
  GH_ASSIGN_OR_RETURN(auto tenants, tx->ListTenants());
  for (const auto& t : tenants) {
    GH_ASSIGN_OR_RETURN(auto envs, tx->Environments().ListEnvironments(t.id));
    for (const auto& e : envs)
      if (e.unique_name == unique_name) return Located{t.id, t.name, e.id};
  }
  return NotFound("There is no environment at this address.");
}

http::Response Denied(const gate::Snapshot& snap, const std::string& env_name, const gate::Decision& d) {
  Page p("env_denied", "Access denied");
  p.Set("ENV", env_name);
  p.Set("ORG", snap.resource().tenant.name);
  for (const auto& c : d.checks) {
    if (c.passed) continue;
    auto* s = p.Section("FAILED");
    s->SetValue("ID", std::string(c.id));
    s->SetValue("SENTENCE", c.sentence.str());
    s->SetValue("CONTACT", snap.admin_contact().empty() ? "your IT department" : snap.admin_contact());
    s->SetValue("REMEDY", c.remedy.what.str());
  }
  return p.Response(403);
}

// Shared by the environment home and app links: who is asking, and the
// snapshot to decide with. Returns a response when the caller must go
// elsewhere (sign-in, unknown environment).
struct Visit {
  Located where;
  directory::User user;
  std::shared_ptr<const gate::Snapshot> snap;
};

StatusOr<Visit> Begin(EnvironmentPageDeps& d, http::RouteContext& ctx, const std::string& name,
                      std::optional<http::Response>& early) {
  auto where = Locate(d.store, name);
  if (!where.ok()) {
    early = MessagePage(404, "Environment not found", where.status().message());
    return where.status();
  }
  auto session = d.signin.ResolveSession(CookieValue(ctx.request, kSessionCookie));
  if (!session.ok()) {
    early = Redirect("/login?tenant=" + where->tenant_id + "&continue=" + ctx.request.path);  // a slug: nothing to encode
    return session.status();
  }
  auto user = d.signin.PrincipalIn(*session, where->tenant_id);
  if (!user.ok()) {
    early = MessagePage(403, "You can't open this environment", user.status().message());
    return user.status();
  }
  if (!d.gate) return Internal("The access gate is not configured.");
  GH_ASSIGN_OR_RETURN(auto snap, d.gate->Get(where->tenant_id));
  return Visit{*where, *user, snap};
}

http::Response Home(EnvironmentPageDeps& d, http::RouteContext& ctx) {
  std::optional<http::Response> early;
  auto v = Begin(d, ctx, ctx.params["name"], early);
  if (early) return *early;
  if (!v.ok()) return MessagePage(503, "Something went wrong", v.status().message());
  gate::AccessRequest req{v->where.tenant_id, v->user.id, gate::Action::kEnvironmentAccess, v->where.env_id, "", "", ""};
  gate::Decision dec = gate::Decide(*v->snap, req);
  uint32_t e = v->snap->FindEnvironment(v->where.env_id);
  std::string env_name = e == gate::kNoIndex ? ctx.params["name"] : v->snap->environment(e).env.display_name;
  if (!dec.allowed) return Denied(*v->snap, env_name, dec);
  // Just-in-time: the first visit creates (or re-enables) the user record.
  (void)d.environments.SyncUser(v->where.tenant_id, v->where.env_id, v->user.id);
  Page p("env_home", env_name);
  p.Set("ENV", env_name);
  p.Set("ORG", v->where.tenant_name);
  p.Set("USER", v->user.user_principal_name);
  bool any = false;
  for (const auto& app : v->snap->apps()) {
    if (app.environment_id != v->where.env_id) continue;
    gate::AccessRequest run{v->where.tenant_id, v->user.id, gate::Action::kAppRun, v->where.env_id, app.id, "", ""};
    if (!gate::Decide(*v->snap, run).allowed) continue;
    auto* s = p.Section("APP");
    s->SetValue("NAME", app.display_name);
    s->SetValue("HREF", "/env/" + ctx.params["name"] + "/apps/" + app.id);
    any = true;
  }
  if (!any) p.Show("NO_APPS");
  return p.Response();
}

http::Response RunApp(EnvironmentPageDeps& d, http::RouteContext& ctx) {
  std::optional<http::Response> early;
  auto v = Begin(d, ctx, ctx.params["name"], early);
  if (early) return *early;
  if (!v.ok()) return MessagePage(503, "Something went wrong", v.status().message());
  gate::AccessRequest req{v->where.tenant_id, v->user.id, gate::Action::kAppRun, v->where.env_id,
                          ctx.params["appId"], "", ""};
  gate::Decision dec = gate::Decide(*v->snap, req);
  const gate::AppFacts* app = v->snap->FindApp(ctx.params["appId"]);
  std::string name = app ? app->display_name : ctx.params["appId"];
  if (!dec.allowed) return Denied(*v->snap, name, dec);
  (void)d.environments.SyncUser(v->where.tenant_id, v->where.env_id, v->user.id);
  return MessagePage(200, name, "The app " + name + " is running for " + v->user.user_principal_name + ".");
}

}  // namespace

std::vector<http::Route> EnvironmentPages(EnvironmentPageDeps deps) {
  auto d = std::make_shared<EnvironmentPageDeps>(deps);
  return {
      {"GET", "/env/{name}", [d](auto& c) { return Home(*d, c); }, http::Permission::Public(),
       "An environment's home page (the gate decides; just-in-time sync on entry)", false},
      {"GET", "/env/{name}/apps/{appId}", [d](auto& c) { return RunApp(*d, c); }, http::Permission::Public(),
       "Run an app, or explain why not", false},
  };
}

}  // namespace gh::web
