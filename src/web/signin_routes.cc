#include "web/signin_routes.h"

#include "core/clock.h"
#include "web/authorize_response.h"
#include "web/consent_page.h"
#include "web/cookies.h"
#include "web/errors.h"
#include "web/page.h"
#include "web/templates.h"
#include "web/signup_routes.h"

namespace gh::web {
namespace {

using Form = std::vector<std::pair<std::string, std::string>>;

// The only answer a prompt=none request gets when it can't be completed
// silently: no description, nothing about who is signed in.
http::Response SilentInteractionRequired(const identity::AuthorizeRequest& r) {
  return AuthorizeResponse(r, {{"error", "interaction_required"}, {"state", r.state}});
}

std::string LoginUrl(const std::string& tenant_id, const std::string& continue_to, const std::string& hint) {
  return WithParams("/login", {{"tenant", tenant_id}, {"continue", continue_to}, {"login_hint", hint}});
}

std::string OrgName(SigninDeps& d, const std::string& tenant_id) {
  auto t = d.directory.GetTenant(tenant_id);
  return t.ok() ? t->name : "Gatehouse";
}

http::Response Authorize(SigninDeps& d, http::RouteContext& ctx) {
  const auto& q = ctx.request.query;
  auto req = d.signin.ValidateAuthorize(ctx.params["tenant"], q);
  if (!req.ok()) {
    if (IsServerError(req.status())) return ErrorPage(ctx.request, req.status(), "Sign-in is unavailable");
    if (req.status().reason() == "invalid_client_or_redirect" || req.status().code() == Code::kNotFound)
      return MessagePage(400, "This sign-in request isn't valid",
                         req.status().message() + " Contact the owner of the application you came from.");
    if (req.status().code() != Code::kInvalidArgument)
      return ErrorPage(ctx.request, req.status(), "Sign-in is unavailable");
    // Validated client and redirect URI: errors go back to the application.
    return Redirect(WithParams(http::FormValue(q, "redirect_uri"),
                               {{"error", req.status().reason()},
                                {"error_description", req.status().message()},
                                {"state", http::FormValue(q, "state")}}));
  }
  auto session = d.signin.ResolveSession(CookieValue(ctx.request, kSessionCookie));
  if (session.ok() && req->prompt != "login") {
    auto principal = d.signin.PrincipalIn(*session, req->tenant_id);
    if (!principal.ok()) {
      // A silent request tells the client only that the user must interact:
      // the reason names the signed-in account (its UPN and home), which any
      // registered client in any tenant could otherwise read without the
      // user noticing.
      if (req->prompt == "none") return SilentInteractionRequired(*req);
      return MessagePage(403, "You can't sign in to " + OrgName(d, req->tenant_id) + " with this account",
                         ShownMessage(ctx.request, principal.status()), "Sign in with another account",
                         LoginUrl(req->tenant_id, ctx.request.target, ""));
    }
    // Consent: what the app asks for and the user hasn't allowed yet (or
    // everything again with prompt=consent) is asked for on the consent page.
    auto consent = d.signin.EvaluateConsent(req->tenant_id, req->client, principal->id, req->scope);
    if (!consent.ok()) return ErrorPage(ctx.request, consent.status(), "Sign-in is unavailable");
    if (!consent->missing.empty() || (req->prompt == "consent" && !req->client.first_party)) {
      if (req->prompt == "none")
        return AuthorizeResponse(*req, {{"error", "consent_required"},
                               {"error_description", "AADSTS65001: The user or administrator has not consented to "
                                                     "use the application. Send an interactive authorization "
                                                     "request for this user and resource."},
                               {"state", req->state}});
      return AuthorizeConsentStep(d, ctx.request, *req, *principal, *consent);
    }
    auto code = d.signin.IssueCode(*req, *session, *principal);
    // The gate's reasons describe the user; a silent request learns nothing of them.
    if (!code.ok() && code.status().reason() == "access_denied" && req->prompt == "none")
      return SilentInteractionRequired(*req);
    if (!code.ok() && code.status().reason() == "access_denied")  // refused by the gate: tell the client why
      return AuthorizeResponse(*req, {{"error", "access_denied"}, {"error_description", code.status().message()},
                             {"state", req->state}});
    if (!code.ok()) return ErrorPage(ctx.request, code.status(), "Sign-in is unavailable");
    return AuthorizeResponse(*req, {{"code", *code}, {"state", req->state}});
  }
  if (req->prompt == "none")
    return AuthorizeResponse(*req, {{"error", "login_required"},
                           {"error_description", "AADSTS50058: A silent sign-in request was sent but no user is "
                                                 "signed in."},
                           {"state", req->state}});
  // Back here after signing in; without prompt=login, or it would loop.
  Form rest;
  for (const auto& [k, v] : q)
    if (k != "prompt") rest.emplace_back(k, v);
  return Redirect(LoginUrl(req->tenant_id, WithParams(ctx.request.path, rest), req->login_hint));
}

// Renders one step of the sign-in form.
http::Response SigninStep(SigninDeps& d, const http::Request& http_req, const std::string& step,
                          const std::string& tenant_id, const std::string& continue_to, const std::string& email,
                          const std::string& error, const std::string& home = {}, int status = 200) {
  static const std::map<std::string, std::string> kTemplates = {
      {"email", "signin_email"}, {"password", "signin_password"}, {"otp", "signin_otp"}};
  Page p(kTemplates.at(step), "Sign in");
  Csrf csrf = CsrfFor(http_req, d.random);
  p.Set("CSRF", csrf.token).Set("TENANT", tenant_id).Set("CONTINUE", continue_to).Set("EMAIL", email);
  p.Set("ORG", OrgName(d, tenant_id)).Set("HOME", home);
  if (!error.empty()) p.Section("ERROR")->SetValue("MESSAGE", error);
  // Personal addresses can create an account; the link is on every such
  // password page, so it says nothing about whether the account exists.
  if (step == "password" && d.signin.SignUpEnabled()) {
    auto realm = d.signin.Discover(tenant_id, email);
    if (realm.ok() && realm->kind == identity::HomeRealm::Kind::kConsumer)
      p.Section("SIGNUP")->SetValue("HREF", SignupUrl(continue_to, email));
  }
  auto resp = p.Response(status);
  csrf.Attach(http_req, resp);
  return resp;
}

http::Response LoginPage(SigninDeps& d, http::RouteContext& ctx) {
  std::string tenant = ctx.request.Query("tenant").value_or("");
  auto t = d.directory.ResolveTenant(tenant);
  if (!t.ok()) return MessagePage(404, "Organization not found", "Check the link you followed.");
  return SigninStep(d, ctx.request, "email", t->id, SafeContinue(ctx.request.Query("continue").value_or("")),
                    ctx.request.Query("login_hint").value_or(""), "");
}

http::Response LoginPost(SigninDeps& d, http::RouteContext& ctx) {
  const auto& req = ctx.request;
  Form form = http::ParseForm(req.body);
  if (!CsrfValid(req, http::FormValue(form, "csrf")))
    return MessagePage(400, "Please try again", "Your sign-in form expired or came from another site. Start again.",
                       "Start again", "/");
  std::string tenant_id = http::FormValue(form, "tenant");
  auto tenant = d.directory.GetTenant(tenant_id);
  if (!tenant.ok()) return MessagePage(404, "Organization not found", "Check the link you followed.");
  std::string continue_to = SafeContinue(http::FormValue(form, "continue"));
  std::string email = http::FormValue(form, "email");
  std::string step = http::FormValue(form, "step");
  auto fail = [&](const std::string& at, const Status& s, const std::string& home = {}) {
    auto resp = SigninStep(d, req, at, tenant_id, continue_to, email, ShownMessage(req, s), home, PageStatusFor(s));
    SetRetryAfter(resp, s);
    return resp;
  };
  if (step == "email") {
    auto realm = d.signin.Discover(tenant_id, email);
    if (!realm.ok()) {
      if (realm.status().code() != Code::kInvalidArgument) return fail("email", realm.status());
      return fail("email", InvalidArgument("Enter a valid email address, like name@example.com."));
    }
    if (realm->kind == identity::HomeRealm::Kind::kOneTimePasscode) {
      Status sent = d.signin.StartOneTimePasscode(tenant_id, email, req.remote_address);
      if (!sent.ok()) return fail("email", sent);
      return SigninStep(d, req, "otp", tenant_id, continue_to, email, "");
    }
    std::string home = realm->kind == identity::HomeRealm::Kind::kConsumer ? "Personal" : realm->home_tenant_name;
    return SigninStep(d, req, "password", tenant_id, continue_to, email, "", home);
  }
  StatusOr<identity::Session> session = Unauthenticated("Unknown step.");
  if (step == "password") {
    session = d.signin.SignInWithPassword(tenant_id, email, http::FormValue(form, "password"), req.remote_address);
    if (!session.ok()) {
      auto realm = d.signin.Discover(tenant_id, email);
      return fail("password", session.status(), realm.ok() ? realm->home_tenant_name : "");
    }
  } else if (step == "otp") {
    session = d.signin.SignInWithOneTimePasscode(tenant_id, email, http::FormValue(form, "code"), req.remote_address);
    if (!session.ok()) return fail("otp", session.status());
  } else {
    return MessagePage(400, "Please try again", "The sign-in form was incomplete. Start again.");
  }
  http::Response resp = continue_to.empty()
                            ? MessagePage(200, "You're signed in", "You can close this window.")
                            : Redirect(continue_to);
  resp.headers.emplace_back("Set-Cookie", SetCookie(kSessionCookie, session->token, req.secure, 12 * 3600));
  return resp;
}

// ---- Sign-out. GET never signs out by itself (a link or an <img> on any page
// could): it shows a "Sign out?" page whose form POSTs with the CSRF token.

// How long after its expiry an ID token is still accepted as a hint: a
// session's lifetime (an RP keeps the ID token of the sign-in it ends).
constexpr int64_t kHintLeewaySeconds = 12 * 3600;

http::Response SignedOut(const http::Request& req, const std::string& redirect, const std::string& state) {
  http::Response resp = redirect.empty()
                            ? MessagePage(200, "You signed out", "You have signed out of Gatehouse on this browser.")
                            : Redirect(WithParams(redirect, {{"state", state}}));
  resp.headers.emplace_back("Set-Cookie", SetCookie(kSessionCookie, "", req.secure, 0));
  return resp;
}

http::Response ConfirmSignout(SigninDeps& d, const http::Request& req, const std::string& action,
                              const std::string& who, const Form& carry) {
  Page p("signout_confirm", "Sign out");
  Csrf csrf = CsrfFor(req, d.random);
  p.Set("CSRF", csrf.token).Set("ACTION", action);
  if (!who.empty()) p.Section("USER")->SetValue("NAME", who);
  for (const auto& [k, v] : carry) {
    if (v.empty()) continue;
    auto* f = p.Section("FIELD");
    f->SetValue("NAME", k);
    f->SetValue("VALUE", v);
  }
  auto resp = p.Response();
  csrf.Attach(req, resp);
  return resp;
}

http::Response LogoutGet(SigninDeps& d, http::RouteContext& ctx) {
  auto session = d.signin.ResolveSession(CookieValue(ctx.request, kSessionCookie));
  if (!session.ok())
    return MessagePage(200, "You're signed out", "You aren't signed in to Gatehouse on this browser.");
  return ConfirmSignout(d, ctx.request, "/logout", "", {});
}

http::Response LogoutPost(SigninDeps& d, http::RouteContext& ctx) {
  Form form = http::ParseForm(ctx.request.body);
  if (!CsrfValid(ctx.request, http::FormValue(form, "csrf")))
    return MessagePage(400, "Please try again", "The sign-out form expired or came from another site. Nothing changed.",
                       "Sign out", "/logout");
  (void)d.signin.SignOut(CookieValue(ctx.request, kSessionCookie));
  return SignedOut(ctx.request, "", "");
}

// post_logout_redirect_uri when it is exactly a redirect URI registered for
// `client_id` in the tenant; empty when none was asked for. InvalidArgument
// when one was asked for and isn't registered (never redirected to).
StatusOr<std::string> PostLogoutRedirect(SigninDeps& d, const std::string& tenant_id, const std::string& client_id,
                                         const std::string& uri) {
  if (uri.empty()) return std::string();
  auto refused = InvalidArgument("The post_logout_redirect_uri isn't a redirect URI registered for the application.");
  if (client_id.empty()) return refused;
  auto client = d.signin.FindClient(tenant_id, client_id);
  if (!client.ok()) return client.status().code() == Code::kNotFound || client.status().code() == Code::kInvalidArgument
                               ? refused
                               : client.status();
  for (const auto* list : {&client->web_redirect_uris, &client->public_redirect_uris})
    for (const auto& registered : *list)
      if (registered == uri) return uri;
  return refused;
}

// The OpenID Connect end-session endpoint (RP-initiated logout 1.0).
http::Response EndSession(SigninDeps& d, http::RouteContext& ctx, bool confirmed) {
  const auto& req = ctx.request;
  auto tenant = d.directory.ResolveTenant(ctx.params["tenant"]);
  if (!tenant.ok()) return MessagePage(404, "Organization not found", "Check the link you followed.");
  Form in = confirmed ? http::ParseForm(req.body) : req.query;
  if (confirmed && !CsrfValid(req, http::FormValue(in, "csrf")))
    return MessagePage(400, "Please try again", "The sign-out form expired or came from another site. Nothing changed.");
  std::string client_id = http::FormValue(in, "client_id");
  std::string state = http::FormValue(in, "state");
  std::optional<identity::TokenService::IdTokenHint> hint;
  if (std::string raw = http::FormValue(in, "id_token_hint"); !raw.empty() && !confirmed) {
    auto verified = d.tokens.VerifyIdTokenHint(tenant->id, raw, kHintLeewaySeconds);
    if (verified.ok()) {
      hint = *verified;
      if (client_id.empty()) client_id = hint->client_id;
      if (client_id != hint->client_id)
        return MessagePage(400, "This sign-out request isn't valid",
                           "The client_id doesn't match the ID token hint. Nothing changed.");
    }
  }
  auto redirect = PostLogoutRedirect(d, tenant->id, client_id, http::FormValue(in, "post_logout_redirect_uri"));
  if (!redirect.ok())
    return MessagePage(PageStatusFor(redirect.status()), "This sign-out request isn't valid",
                       ShownMessage(req, redirect.status()) + " Nothing changed.");

  auto session = d.signin.ResolveSession(CookieValue(req, kSessionCookie));
  if (!session.ok()) return SignedOut(req, *redirect, state);  // nothing to end
  // Without confirmation only when the hint names the signed-in user here:
  // then the request comes from the application the user signed in to.
  bool hinted_user = false;
  std::string who;
  if (auto principal = d.signin.PrincipalIn(*session, tenant->id); principal.ok()) {
    hinted_user = hint && hint->user_id == principal->id;
    who = principal->user_principal_name;
  }
  if (confirmed || hinted_user) {
    (void)d.signin.SignOut(CookieValue(req, kSessionCookie));
    return SignedOut(req, *redirect, state);
  }
  return ConfirmSignout(d, req, "/" + tenant->id + "/oauth2/v2.0/logout", who,
                        {{"client_id", client_id},
                         {"post_logout_redirect_uri", *redirect},
                         {"state", state}});
}

http::Response DevicePage(SigninDeps& d, const http::Request& req, const std::string& user_code,
                          const std::string& error, int status = 200) {
  Csrf csrf = CsrfFor(req, d.random);
  if (error.empty() && !user_code.empty()) {
    auto pending = d.signin.DescribeDevice(user_code);
    auto session = d.signin.ResolveSession(CookieValue(req, kSessionCookie));
    if (pending.ok()) {
      auto principal = session.ok() ? d.signin.PrincipalIn(*session, pending->tenant_id)
                                    : StatusOr<directory::User>(session.status());
      if (!principal.ok())
        return Redirect(LoginUrl(pending->tenant_id, "/devicelogin?user_code=" + http::PercentEncode(user_code), ""));
      Page p("device_confirm", "Confirm sign-in");
      p.Set("CSRF", csrf.token).Set("USER_CODE", pending->user_code).Set("CLIENT", pending->client_name);
      p.Set("ORG", OrgName(d, pending->tenant_id)).Set("USER", principal->mail.value_or(principal->user_principal_name));
      // What is asked, from where and when: a code someone else started shows it.
      for (const auto& scope : pending->scopes) {
        auto* row = p.Section("SCOPE");
        row->SetValue("NAME", scope.name);
        row->SetValue("DESCRIPTION", scope.description);
      }
      p.Set("ORIGIN", pending->origin_address.empty() ? "an unknown address" : pending->origin_address);
      p.Set("STARTED", pending->created_at ? FormatIso8601(pending->created_at) : "an unknown time");
      p.Set("EXPIRES", FormatIso8601(pending->expires_at));
      auto resp = p.Response();
      csrf.Attach(req, resp);
      return resp;
    }
    return DevicePage(d, req, user_code, ShownMessage(req, pending.status()),
                      PageStatusFor(pending.status()));
  }
  Page p("device_code", "Enter code");
  p.Set("CSRF", csrf.token).Set("USER_CODE", user_code);
  if (!error.empty()) p.Section("ERROR")->SetValue("MESSAGE", error);
  auto resp = p.Response(status);
  csrf.Attach(req, resp);
  return resp;
}

http::Response DeviceGet(SigninDeps& d, http::RouteContext& ctx) {
  return DevicePage(d, ctx.request, ctx.request.Query("user_code").value_or(""), "");
}

http::Response DevicePost(SigninDeps& d, http::RouteContext& ctx) {
  Form form = http::ParseForm(ctx.request.body);
  if (!CsrfValid(ctx.request, http::FormValue(form, "csrf")))
    return MessagePage(400, "Please try again", "The form expired or came from another site. Start again.",
                       "Start again", "/devicelogin");
  std::string code = http::FormValue(form, "user_code");
  std::string step = http::FormValue(form, "step");
  if (step == "code") return DevicePage(d, ctx.request, code, "");
  auto session = d.signin.ResolveSession(CookieValue(ctx.request, kSessionCookie));
  if (!session.ok()) return DevicePage(d, ctx.request, code, "");
  if (step == "approve") {  // consent first, for what the device asked for
    auto consent = d.signin.DeviceConsentFor(code, *session);
    if (consent.ok() && !consent->evaluation.missing.empty()) return DeviceConsentStep(d, ctx.request, code, *consent);
  }
  Status s = d.signin.ApproveDevice(code, *session, step == "approve");
  if (!s.ok()) return ErrorPage(ctx.request, s, "Sign-in didn't complete");
  if (step != "approve") return MessagePage(200, "Sign-in cancelled", "Nothing was signed in. You can close this window.");
  return MessagePage(200, "You're signed in", "Return to your device or terminal; you can close this window.");
}

}  // namespace

void SetRetryAfter(http::Response& resp, const Status& s) {
  if (s.code() != Code::kResourceExhausted) return;
  resp.SetHeader("Retry-After", s.reason() == "TooManyRequests" ? "1" : "60");
}

std::vector<http::Route> SigninRoutes(SigninDeps deps) {
  using http::Permission;
  using http::Route;
  AddTemplates({"signout_confirm"});
  auto shared = std::make_shared<SigninDeps>(std::move(deps));
  auto h = [shared](auto fn) { return [shared, fn](http::RouteContext& c) { return fn(*shared, c); }; };
  std::vector<http::Route> routes = SignupRoutes(shared);
  for (auto& r : ConsentRoutes(shared)) routes.push_back(std::move(r));
  std::vector<http::Route> signin = {
      Route{"GET", "/{tenant}/oauth2/v2.0/authorize", h(Authorize), Permission::Public(),
            "OAuth 2.0 authorization endpoint (authorization code with PKCE)"},
      Route{"GET", "/login", h(LoginPage), Permission::Public(), "Sign-in page"},
      Route{"POST", "/login", h(LoginPost), Permission::Public(), "Sign-in form steps (email, password, code)"},
      Route{"GET", "/logout", h(LogoutGet), Permission::Public(), "Sign-out confirmation page"},
      Route{"POST", "/logout", h(LogoutPost), Permission::Public(), "Sign out of this browser (CSRF)"},
      Route{"GET", "/{tenant}/oauth2/v2.0/logout",
            h([](SigninDeps& d, http::RouteContext& c) { return EndSession(d, c, false); }), Permission::Public(),
            "OpenID Connect end session: signs out at once only with a matching id_token_hint, else asks"},
      Route{"POST", "/{tenant}/oauth2/v2.0/logout",
            h([](SigninDeps& d, http::RouteContext& c) { return EndSession(d, c, true); }), Permission::Public(),
            "OpenID Connect end session, confirmed (CSRF)"},
      Route{"GET", "/devicelogin", h(DeviceGet), Permission::Public(), "Device code entry page"},
      Route{"POST", "/devicelogin", h(DevicePost), Permission::Public(), "Device code approval"},
  };
  routes.insert(routes.begin(), signin.begin(), signin.end());
  return routes;
}

}  // namespace gh::web
