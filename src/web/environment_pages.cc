#include "web/environment_pages.h"

#include <functional>

#include "gate/decision.h"
#include "web/cookies.h"
#include "web/errors.h"
#include "web/page.h"
#include "web/templates.h"

namespace gh::web {
namespace {

struct Located {
  std::string tenant_id;
  std::string tenant_name;
  std::string env_id;
};

// Environment URLs carry only the uniqueName, which is unique across
// tenants (migration 15): one index probe finds its tenant, whatever the
// number of tenants, for this unauthenticated page (security review #15).
StatusOr<Located> Locate(const EnvironmentPageDeps& d, const std::string& unique_name) {
  auto env = d.environments.FindByUniqueName(unique_name);
  if (!env.ok() && env.status().code() == Code::kNotFound)
    return NotFound("There is no environment at this address.");
  if (!env.ok()) return env.status();
  GH_ASSIGN_OR_RETURN(auto tenant, d.directory.GetTenant(env->tenant_id));
  return Located{tenant.id, tenant.name, env->id};
}

std::string MyEnvironmentsPath(const gate::Snapshot& snap) { return "/my/" + snap.resource().tenant.id; }

// Who a refused user should ask: the tenant's admin contact.
std::string WhomToAsk(const gate::Snapshot& snap) {
  return snap.admin_contact().empty() ? "your IT department" : snap.admin_contact();
}

// One FAILED section per failed check of `d` (each made by `add_section`):
// the check id, the sentence and what to ask the administrator for. Render
// while `snap` is held.
void AddFailedChecks(const std::function<ctemplate::TemplateDictionary*()>& add_section,
                     const gate::Snapshot& snap, const gate::Decision& d) {
  for (const auto& c : d.checks) {
    if (c.passed) continue;
    auto* s = add_section();
    s->SetValue("ID", std::string(c.id));
    s->SetValue("SENTENCE", c.sentence.str());
    s->SetValue("CONTACT", WhomToAsk(snap));
    s->SetValue("REMEDY", c.remedy.what.str());
  }
}

http::Response Denied(const gate::Snapshot& snap, const std::string& env_name, const gate::Decision& d) {
  Page p("env_denied", "Access denied");
  p.Set("ENV", env_name);
  p.Set("ORG", snap.resource().tenant.name);
  p.Set("CONTACT", WhomToAsk(snap));
  p.Set("MY_HREF", MyEnvironmentsPath(snap));
  AddFailedChecks([&p] { return p.Section("FAILED"); }, snap, d);
  return p.Response(403);
}

// The user signed in to `tenant_id`. Otherwise `early` is set: to `sign_in`
// when there is no session, or to a 403 page titled `refusal` when the
// session's identity has no usable object in the tenant.
StatusOr<directory::User> SignedInUser(EnvironmentPageDeps& d, const http::RouteContext& ctx,
                                       const std::string& tenant_id, http::Response sign_in,
                                       const std::string& refusal, std::optional<http::Response>& early) {
  auto session = d.signin.ResolveSession(CookieValue(ctx.request, kSessionCookie));
  if (!session.ok()) {
    early = std::move(sign_in);
    return session.status();
  }
  auto user = d.signin.PrincipalIn(*session, tenant_id);
  if (!user.ok()) early = MessagePage(403, refusal, ShownMessage(ctx.request, user.status()));
  return user;
}

StatusOr<std::shared_ptr<const gate::Snapshot>> SnapshotOf(EnvironmentPageDeps& d,
                                                           const std::string& tenant_id) {
  if (!d.gate) return Internal("The access gate is not configured.");
  return d.gate->Get(tenant_id);
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
  auto where = Locate(d, name);
  if (!where.ok()) {
    early = MessagePage(404, "Environment not found", ShownMessage(ctx.request, where.status()));
    return where.status();
  }
  // The environment URL is a slug: nothing to encode in `continue`.
  auto user = SignedInUser(d, ctx, where->tenant_id,
                           Redirect("/login?tenant=" + where->tenant_id + "&continue=" + ctx.request.path),
                           "You can't open this environment", early);
  if (!user.ok()) return user.status();
  GH_ASSIGN_OR_RETURN(auto snap, SnapshotOf(d, where->tenant_id));
  return Visit{*where, *user, snap};
}

http::Response Home(EnvironmentPageDeps& d, http::RouteContext& ctx) {
  std::optional<http::Response> early;
  auto v = Begin(d, ctx, ctx.params["name"], early);
  if (early) return *early;
  if (!v.ok()) return ErrorPage(ctx.request, v.status(), "Something went wrong");
  gate::AccessRequest req{
      v->where.tenant_id, v->user.id, gate::Action::kEnvironmentAccess, v->where.env_id, "", "", ""};
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
  p.Set("MY_HREF", MyEnvironmentsPath(*v->snap));
  bool any = false;
  for (const auto& app : v->snap->apps()) {
    if (app.environment_id != v->where.env_id) continue;
    gate::AccessRequest run{
        v->where.tenant_id, v->user.id, gate::Action::kAppRun, v->where.env_id, app.id, "", ""};
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
  if (!v.ok()) return ErrorPage(ctx.request, v.status(), "Something went wrong");
  gate::AccessRequest req{
      v->where.tenant_id, v->user.id, gate::Action::kAppRun, v->where.env_id, ctx.params["appId"], "", ""};
  gate::Decision dec = gate::Decide(*v->snap, req);
  const gate::AppFacts* app = v->snap->FindApp(ctx.params["appId"]);
  std::string name = app ? app->display_name : ctx.params["appId"];
  if (!dec.allowed) return Denied(*v->snap, name, dec);
  (void)d.environments.SyncUser(v->where.tenant_id, v->where.env_id, v->user.id);
  return MessagePage(200, name, "The app " + name + " is running for " + v->user.user_principal_name + ".");
}

// Lists each environment of the snapshot as open (allowed by the gate's
// environment.access decision) or closed (with its failed checks).
void AddEnvironments(Page& p, const gate::Snapshot& snap, const directory::User& user) {
  bool open = false, closed = false;
  for (uint32_t i = 0; i < snap.environment_count(); ++i) {
    const environments::Environment& env = snap.environment(i).env;
    gate::AccessRequest req{
        snap.resource().tenant.id, user.id, gate::Action::kEnvironmentAccess, env.id, "", "", ""};
    gate::Decision dec = gate::Decide(snap, req);
    auto* s = p.Section(dec.allowed ? "OPEN" : "CLOSED");
    s->SetValue("NAME", env.display_name);
    s->SetValue("UNIQUE", env.unique_name);
    s->SetValue("URL", "/env/" + env.unique_name);  // the snapshot's records carry no public base
    if (!dec.allowed) AddFailedChecks([s] { return s->AddSectionDictionary("FAILED"); }, snap, dec);
    (dec.allowed ? open : closed) = true;
  }
  if (open) p.Show("HAS_OPEN");
  if (closed) p.Show("HAS_CLOSED");
  if (!open && !closed) p.Show("NO_ENVIRONMENTS");
}

// The signed-in user's list of the tenant's environments: the ones the gate
// lets them open, and the ones it doesn't with the reasons and whom to ask.
http::Response MyEnvironments(EnvironmentPageDeps& d, http::RouteContext& ctx) {
  // "/my/{tenant}" takes the tenant's id or any of its verified domains.
  auto tenant = d.directory.ResolveTenant(ctx.params["tenant"]);
  if (!tenant.ok()) return MessagePage(404, "Organization not found", "Check the address you opened.");
  std::optional<http::Response> early;
  auto user = SignedInUser(
      d, ctx, tenant->id,
      Redirect("/login?tenant=" + tenant->id + "&continue=" + http::PercentEncode(ctx.request.target), 303),
      "You aren't a user of " + tenant->name, early);
  if (early) return *early;
  if (!user.ok()) return ErrorPage(ctx.request, user.status(), "Something went wrong");
  auto snap = SnapshotOf(d, tenant->id);
  if (!snap.ok()) return ErrorPage(ctx.request, snap.status(), "Something went wrong");
  Page p("env_my", "My environments");
  p.Set("ORG", tenant->name);
  p.Set("USER", user->user_principal_name);
  p.Set("CONTACT", WhomToAsk(**snap));
  AddEnvironments(p, **snap, *user);
  return p.Response();
}

}  // namespace

std::vector<http::Route> EnvironmentPages(EnvironmentPageDeps deps) {
  AddTemplates({"env_my"});
  auto d = std::make_shared<EnvironmentPageDeps>(deps);
  return {
      {"GET", "/env/{name}", [d](auto& c) { return Home(*d, c); }, http::Permission::Public(),
       "An environment's home page (the gate decides; just-in-time sync on entry)"},
      {"GET", "/env/{name}/apps/{appId}", [d](auto& c) { return RunApp(*d, c); }, http::Permission::Public(),
       "Run an app, or explain why not"},
      {"GET", "/my/{tenant}", [d](auto& c) { return MyEnvironments(*d, c); }, http::Permission::Public(),
       "My environments: the ones the signed-in user can open, and why not the others"},
  };
}

}  // namespace gh::web
