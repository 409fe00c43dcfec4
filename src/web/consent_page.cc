#include "web/consent_page.h"

#include "identity/graph_permissions.h"
#include "web/authorize_response.h"
#include "web/cookies.h"
#include "web/errors.h"
#include "web/page.h"
#include "web/templates.h"

namespace gh::web {
namespace {

using Form = std::vector<std::pair<std::string, std::string>>;

void RegisterConsentTemplates() { AddTemplates({"consent", "consent_admin"}); }

std::string OrgName(SigninDeps& d, const std::string& tenant_id) {
  auto t = d.directory.GetTenant(tenant_id);
  return t.ok() ? t->name : "your organization";
}

std::string Encode(const Form& params) {
  std::string out;
  for (const auto& [k, v] : params) out += (out.empty() ? "" : "&") + http::PercentEncode(k) + "=" + http::PercentEncode(v);
  return out;
}

struct View {
  std::string kind;  // "authorize" | "device"
  std::string tenant_id;
  std::string request;    // authorize: the query to validate again
  std::string user_code;  // device
  identity::ClientInfo client;
  std::vector<std::string> scopes;  // to show
  std::string user;                 // the signed-in user's address
  bool may_consent_for_org = false;
};

http::Response Render(SigninDeps& d, const http::Request& req, const View& v, bool need_admin) {
  Page p(need_admin ? "consent_admin" : "consent", need_admin ? "Need admin approval" : "Permissions requested");
  Csrf csrf = CsrfFor(req, d.random);
  const std::string org = OrgName(d, v.tenant_id);
  const std::string publisher = v.client.publisher_tenant_id.empty() ? "Gatehouse" : OrgName(d, v.client.publisher_tenant_id);
  p.Set("CSRF", csrf.token).Set("KIND", v.kind).Set("TENANT", v.tenant_id).Set("REQUEST", v.request);
  p.Set("USER_CODE", v.user_code).Set("APP", v.client.display_name).Set("USER", v.user).Set("ORG", org);
  p.Set("PUBLISHER", "Registered by " + publisher + " (publisher not verified)").Set("PUBLISHER_NAME", publisher);
  for (const auto& s : v.scopes) {
    const identity::GraphPermission* perm = identity::FindPermission(s);
    if (perm == nullptr) continue;
    if (need_admin && !perm->admin_consent) continue;
    auto* row = p.Section("PERMISSION");
    row->SetValue("SCOPE", s);
    row->SetValue("NAME", std::string(perm->consent_name));
    row->SetValue("TEXT", std::string(perm->consent_text));
    if (perm->admin_consent) row->ShowSection("ADMIN");
  }
  if (!need_admin && v.may_consent_for_org) p.Show("ORG_CONSENT");
  if (need_admin && v.kind == "authorize") p.Show("RETURN");
  auto resp = p.Response(need_admin ? 403 : 200);
  csrf.Attach(req, resp);
  return resp;
}

bool MayConsentForOrg(SigninDeps& d, const std::string& tenant_id, const std::string& user_id) {
  auto roles = d.directory.EffectiveRoles(tenant_id, user_id);
  return roles.ok() && identity::MayConsentForOrganization(*roles);
}

std::string AddressOf(const directory::User& u) { return u.mail.value_or(u.user_principal_name); }

// The authorize URL again, without prompt (or the consent page would come back).
std::string AuthorizeUrl(const std::string& tenant, const Form& query) {
  Form rest;
  for (const auto& [k, v] : query)
    if (k != "prompt") rest.emplace_back(k, v);
  return "/" + http::PercentEncode(tenant) + "/oauth2/v2.0/authorize?" + Encode(rest);
}

http::Response PostAuthorize(SigninDeps& d, const http::Request& req, const Form& form) {
  const std::string tenant = http::FormValue(form, "tenant");
  const Form query = http::ParseForm(http::FormValue(form, "request"));
  auto ar = d.signin.ValidateAuthorize(tenant, query);
  if (!ar.ok())
    return MessagePage(400, "This sign-in request isn't valid",
                       ar.status().message() + " Contact the owner of the application you came from.");
  auto session = d.signin.ResolveSession(CookieValue(req, kSessionCookie));
  if (!session.ok()) return Redirect(AuthorizeUrl(tenant, query), 303);
  auto user = d.signin.PrincipalIn(*session, ar->tenant_id);
  if (!user.ok()) return MessagePage(403, "You can't sign in with this account", user.status().message());
  if (http::FormValue(form, "action") != "accept")
    return AuthorizeResponse(*ar, {{"error", "access_denied"},
                          {"error_description", "AADSTS65004: User declined to consent to access the app."},
                          {"state", ar->state}});
  Status s = d.signin.RecordConsent(ar->tenant_id, ar->client, *user, ar->scope,
                                    http::FormValue(form, "organization") == "1");
  if (s.reason() == "admin_consent_required") {
    auto parsed = identity::ParseScopeRequest(d.signin.ConsentClientOf(ar->client), ar->scope);
    View v{"authorize", ar->tenant_id, http::FormValue(form, "request"), "", ar->client,
           parsed.ok() ? parsed->All() : std::vector<std::string>{}, AddressOf(*user), false};
    return Render(d, req, v, true);
  }
  if (!s.ok()) return ErrorPage(req, s, "Consent wasn't recorded");
  return Redirect(AuthorizeUrl(tenant, query), 303);
}

http::Response PostDevice(SigninDeps& d, const http::Request& req, const Form& form) {
  const std::string code = http::FormValue(form, "user_code");
  auto session = d.signin.ResolveSession(CookieValue(req, kSessionCookie));
  if (!session.ok()) return Redirect("/devicelogin?user_code=" + http::PercentEncode(code), 303);
  if (http::FormValue(form, "action") != "accept") {
    Status s = d.signin.ApproveDevice(code, *session, false);
    if (!s.ok()) return ErrorPage(req, s, "Sign-in didn't complete");
    return MessagePage(200, "Sign-in cancelled", "Nothing was signed in. You can close this window.");
  }
  auto dc = d.signin.DeviceConsentFor(code, *session);
  if (!dc.ok()) return ErrorPage(req, dc.status(), "Sign-in didn't complete");
  Status s = d.signin.RecordConsent(dc->tenant_id, dc->client, dc->user, dc->scope,
                                    http::FormValue(form, "organization") == "1");
  if (s.reason() == "admin_consent_required") {
    auto parsed = identity::ParseScopeRequest(d.signin.ConsentClientOf(dc->client), dc->scope);
    View v{"device", dc->tenant_id, "", code, dc->client, parsed.ok() ? parsed->All() : std::vector<std::string>{},
           AddressOf(dc->user), false};
    return Render(d, req, v, true);
  }
  if (!s.ok()) return ErrorPage(req, s, "Consent wasn't recorded");
  s = d.signin.ApproveDevice(code, *session, true);
  if (!s.ok()) return ErrorPage(req, s, "Sign-in didn't complete");
  return MessagePage(200, "You're signed in", "Return to your device or terminal; you can close this window.");
}

http::Response PostConsent(SigninDeps& d, http::RouteContext& ctx) {
  Form form = http::ParseForm(ctx.request.body);
  if (!CsrfValid(ctx.request, http::FormValue(form, "csrf")))
    return MessagePage(400, "Please try again", "The form expired or came from another site. Start again.");
  const std::string kind = http::FormValue(form, "kind");
  if (kind == "authorize") return PostAuthorize(d, ctx.request, form);
  if (kind == "device") return PostDevice(d, ctx.request, form);
  return MessagePage(400, "Please try again", "The consent form was incomplete. Start again.");
}

}  // namespace

http::Response AuthorizeConsentStep(SigninDeps& d, const http::Request& http_req,
                                    const identity::AuthorizeRequest& request, const directory::User& user,
                                    const identity::Consent::Evaluation& evaluation) {
  RegisterConsentTemplates();
  Form query;
  for (const auto& kv : http_req.query) query.push_back(kv);
  const bool admin = MayConsentForOrg(d, request.tenant_id, user.id);
  std::vector<std::string> shown = evaluation.missing;
  if (shown.empty()) {  // prompt=consent: everything asked for
    auto parsed = identity::ParseScopeRequest(d.signin.ConsentClientOf(request.client), request.scope);
    if (parsed.ok()) shown = parsed->All();
  }
  View v{"authorize", request.tenant_id, Encode(query), "", request.client, shown, AddressOf(user), admin};
  return Render(d, http_req, v, evaluation.missing_needs_admin && !admin);
}

http::Response DeviceConsentStep(SigninDeps& d, const http::Request& http_req, const std::string& user_code,
                                 const identity::SigninService::DeviceConsent& consent) {
  RegisterConsentTemplates();
  const bool admin = MayConsentForOrg(d, consent.tenant_id, consent.user.id);
  View v{"device", consent.tenant_id, "", user_code, consent.client, consent.evaluation.missing,
         AddressOf(consent.user), admin};
  return Render(d, http_req, v, consent.evaluation.missing_needs_admin && !admin);
}

std::vector<http::Route> ConsentRoutes(std::shared_ptr<SigninDeps> deps) {
  RegisterConsentTemplates();
  return {http::Route{"POST", "/consent", [deps](http::RouteContext& c) { return PostConsent(*deps, c); },
                      http::Permission::Public(), "Accept or cancel the permissions an app asks for"}};
}

}  // namespace gh::web
