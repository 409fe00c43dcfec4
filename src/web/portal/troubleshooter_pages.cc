// Troubleshoot access: "why can't this user do this here?" The gate's own
// decision — gate::Decide on the tenant's snapshot, as POST
// /api/v1/access/check makes it — with every check, and for each failed one
// the remedy and a link to the portal page where an administrator fixes it.
#include "gate/decision.h"
#include "web/portal/portal.h"
#include "web/templates.h"

namespace gh::web::portal {
namespace {

// The question asked through the page's query string.
struct Question {
  std::string user, action, environment, app, client, target;
};

Question QuestionOf(const http::RouteContext& ctx) {
  auto get = [&](std::string_view name) { return ctx.request.Query(name).value_or(""); };
  Question q{get("user"), get("action"), get("environment"), get("app"), get("client"), get("target")};
  if (q.action.empty()) q.action = std::string(gate::ActionName(gate::Action::kEnvironmentAccess));
  return q;
}

// ---- where a failed check is fixed

enum class FixPage {
  kUserProfile,
  kUserInvitation,
  kUserLicenses,
  kUserGroups,
  kUserRoles,
  kNewGuest,
  kEnvironment,
  kEnvironmentRoles,
  kEnvironments,
  kGroups,
  kTenantSettings,
  kExternalCollaboration,
  kCrossTenant,
};

// Checks with a portal page that fixes them. The rest are fixed elsewhere:
// crossTenant.outbound by the guest's home organisation; cloud.makerBoundary,
// client.*, customerVoice.use by a member account (no portal page creates
// one); app.shared by the app's owner.
struct CheckFix {
  std::string_view check;
  FixPage page;
};
constexpr CheckFix kFixes[] = {
    {"user.exists", FixPage::kNewGuest},
    {"account.enabled", FixPage::kUserProfile},
    {"invitation.accepted", FixPage::kUserInvitation},
    {"account.organizational", FixPage::kNewGuest},
    {"crossTenant.inbound", FixPage::kCrossTenant},
    {"cloud.boundary", FixPage::kCrossTenant},
    {"environment.exists", FixPage::kEnvironments},
    {"environment.state", FixPage::kEnvironment},
    {"license.environmentAccess", FixPage::kUserLicenses},
    {"license.appRun", FixPage::kUserLicenses},
    {"license.dataverse", FixPage::kUserLicenses},
    // The remedy is "add the user to the group": the user's group memberships.
    {"environment.securityGroup", FixPage::kUserGroups},
    {"environment.securityRole", FixPage::kEnvironmentRoles},
    {"role.environmentMaker", FixPage::kEnvironmentRoles},
    {"role.solutionImport", FixPage::kEnvironmentRoles},
    {"role.solutionExport", FixPage::kEnvironmentRoles},
    {"environment.dataverse", FixPage::kEnvironments},
    {"tenantSettings.enableGuestsToMake", FixPage::kTenantSettings},
    {"guestAccess.sameAsMembers", FixPage::kExternalCollaboration},
    {"directory.guestAccessLevel", FixPage::kExternalCollaboration},
    {"group.createMicrosoft365", FixPage::kGroups},
    {"group.member", FixPage::kUserGroups},
    {"invite.allowed", FixPage::kUserRoles},
    {"invite.domain", FixPage::kExternalCollaboration},
};

// What a fix link points at: the user and environment the decision was about.
struct FixContext {
  std::string user_id;
  std::string env_id;  // empty when the request named no (known) environment
};

// The page's path after the portal base, and the permission that opens it.
std::pair<std::string, const http::Permission*> FixPath(const PortalDeps& d, FixPage page,
                                                        const FixContext& c) {
  const std::string user = "/users/" + c.user_id;
  switch (page) {
    case FixPage::kUserProfile:
      return {user + "#profile", &d.can.users_read};
    case FixPage::kUserInvitation:
      return {user + "#invitation", &d.can.users_read};
    case FixPage::kUserLicenses:
      return {user + "#licenses", &d.can.users_read};
    case FixPage::kUserGroups:
      return {user + "#groups", &d.can.users_read};
    case FixPage::kUserRoles:
      return {user + "#roles", &d.can.users_read};
    case FixPage::kNewGuest:
      return {"/users/invite", nullptr};
    case FixPage::kEnvironment:
    case FixPage::kEnvironmentRoles:
      if (c.env_id.empty()) return {"/environments", &d.can.environments_read};
      return {"/environments/" + c.env_id + (page == FixPage::kEnvironmentRoles ? "#roles" : ""),
              &d.can.environments_read};
    case FixPage::kEnvironments:
      return {"/environments", &d.can.environments_read};
    case FixPage::kGroups:
      return {"/groups", &d.can.groups_read};
    case FixPage::kTenantSettings:
      return {"/settings", &d.can.tenant_settings_read};
    case FixPage::kExternalCollaboration:
      return {"/external-collaboration", &d.can.policies_read};
    case FixPage::kCrossTenant:
      return {"/cross-tenant", &d.can.policies_read};
  }
  return {"", nullptr};
}

// The link that fixes `check`, when there is such a page and the
// administrator may open it.
std::optional<std::string> FixHref(const PortalDeps& d, const Admin& a, std::string_view check,
                                   const FixContext& c) {
  for (const CheckFix& fix : kFixes) {
    if (fix.check != check) continue;
    auto [path, need] = FixPath(d, fix.page, c);
    if (need && !a.May(*need)) return std::nullopt;
    return a.base + path;
  }
  return std::nullopt;
}

// ---- the page

// The environment a decision was about: the one asked for, or app.run's app's.
uint32_t EnvironmentOf(const gate::Snapshot& snap, const Question& q) {
  if (!q.environment.empty()) return snap.FindEnvironment(q.environment);
  if (const gate::AppFacts* app = snap.FindApp(q.app)) return snap.FindEnvironment(app->environment_id);
  return gate::kNoIndex;
}

void AddQuestionForm(Page& p, const gate::Snapshot& snap, const Question& q) {
  p.Set("USER_VALUE", q.user).Set("APP", q.app).Set("CLIENT", q.client).Set("TARGET", q.target);
  for (gate::Action action : gate::AllActions()) {
    const std::string name(gate::ActionName(action));
    AddOption(p, "ACTION_OPTION", name, name, name == q.action);
  }
  for (uint32_t i = 0; i < snap.environment_count(); ++i) {
    const auto& e = snap.environment(i).env;
    AddOption(p, "ENVIRONMENT_OPTION", e.id, e.display_name,
              q.environment == e.id || q.environment == e.unique_name);
  }
}

void AddCheck(ctemplate::TemplateDictionary& result, const PortalDeps& d, const Admin& a,
              const gate::Check& c, const FixContext& fix) {
  auto* row = result.AddSectionDictionary("CHECK");
  row->SetValue("ID", std::string(c.id));
  row->SetValue("PASSED", c.passed ? "true" : "false");
  row->SetValue("STATE", c.passed ? "passed" : "failed");
  row->SetValue("SENTENCE", c.sentence.str());
  if (c.passed) return;
  auto* remedy = row->AddSectionDictionary("REMEDY");
  remedy->SetValue("WHAT", c.remedy.what.str());
  remedy->SetValue("API", c.remedy.api.str());
  remedy->SetValue("CLI", c.remedy.cli.str());
  if (auto href = FixHref(d, a, c.id, fix)) remedy->AddSectionDictionary("FIX")->SetValue("HREF", *href);
}

// The verdict and the checklist. Renders the decision's texts while `snap`
// (which they read) is held.
void AddVerdict(Page& p, const PortalDeps& d, const Admin& a, const gate::Snapshot& snap, uint32_t user,
                const Question& q, const gate::Decision& dec) {
  auto* result = p.Section("RESULT");
  result->SetValue("WHO", snap.user(user).display_name + " (" + snap.user(user).user_principal_name + ")");
  result->SetValue("ACTION_NAME", std::string(gate::ActionName(dec.action)));
  const uint32_t env = EnvironmentOf(snap, q);
  if (env != gate::kNoIndex)
    result->AddSectionDictionary("IN_ENVIRONMENT")
        ->SetValue("ENVIRONMENT_NAME", snap.environment(env).env.display_name);
  result->SetValue("VERDICT", dec.allowed ? "allowed" : "denied");
  result->SetValue("VERDICT_TEXT", dec.allowed ? "Allowed" : "Not allowed");
  const FixContext fix{snap.user(user).id, env == gate::kNoIndex ? "" : snap.environment(env).env.id};
  for (const gate::Check& c : dec.checks) AddCheck(*result, d, a, c, fix);
}

http::Response Troubleshoot(PortalDeps& d, Visit& v) {
  auto& [ctx, a, form] = v;
  if (!d.gate)
    return MessagePage(503, "Access checks are not available", "This server runs without the access gate.",
                       "Portal home", a.base);
  auto snap = d.gate->Get(a.tenant.id);
  if (!snap.ok()) return ErrorPage(ctx.request, snap.status(), "Access checks are not available");
  const Question q = QuestionOf(ctx);
  Page p("portal_troubleshoot", "Troubleshoot access · " + a.tenant.name);
  Layout(p, d, a, "/troubleshoot");
  AddQuestionForm(p, **snap, q);
  if (q.user.empty()) return p.Response();
  auto action = gate::ParseAction(q.action);
  if (!action) {
    p.Section("ACTION_ERROR")->SetValue("MESSAGE", "Choose one of the listed actions.");
    return p.Response(400);
  }
  const uint32_t user = (*snap)->FindUserByAnyName(q.user);
  if (user == gate::kNoIndex) {
    p.Section("USER_ERROR")
        ->SetValue("MESSAGE", "There is no user '" + q.user + "' in " + a.tenant.name + ".");
    return p.Response(400);
  }
  gate::AccessRequest req{a.tenant.id, (*snap)->user(user).id, *action, q.environment, q.app, q.client,
                          q.target};
  AddVerdict(p, d, a, **snap, user, q, gate::Decide(**snap, req));
  return p.Response();
}

}  // namespace

std::vector<http::Route> TroubleshooterPages(const Deps& d) {
  AddTemplates({"portal_troubleshoot"});
  return {PortalRoute(d, "GET", "/portal/{tenant}/troubleshoot", &PortalPermissions::access_check, Troubleshoot,
                      "Troubleshoot access: the gate's checklist for a user and an action, with fixes")};
}

}  // namespace gh::web::portal
