#include "web/signup_routes.h"

#include "web/cookies.h"
#include "web/errors.h"
#include "web/page.h"

namespace gh::web {
namespace {

using Form = std::vector<std::pair<std::string, std::string>>;

// One step of the sign-up: "form" (details) or "verify" (the emailed code).
http::Response SignupStep(SigninDeps& d, const http::Request& req, const std::string& step,
                          const std::string& continue_to, const std::string& email, const std::string& display_name,
                          const std::string& error, int status = 200) {
  Page p(step == "verify" ? "signup_verify" : "signup_form", "Create account");
  Csrf csrf = CsrfFor(req, d.random);
  p.Set("CSRF", csrf.token).Set("CONTINUE", continue_to).Set("EMAIL", email).Set("DISPLAY_NAME", display_name);
  if (!error.empty()) p.Section("ERROR")->SetValue("MESSAGE", error);
  auto resp = p.Response(status);
  csrf.Attach(req, resp);
  return resp;
}

http::Response SignupGet(SigninDeps& d, http::RouteContext& ctx) {
  if (!d.signin.SignUpEnabled())
    return MessagePage(403, "Creating accounts is turned off",
                       "This server doesn't create personal accounts. Ask the person who invited you for another way "
                       "in.");
  return SignupStep(d, ctx.request, "form", SafeContinue(ctx.request.Query("continue").value_or("")),
                    ctx.request.Query("email").value_or(""), "", "");
}

http::Response SignupPost(SigninDeps& d, http::RouteContext& ctx) {
  const auto& req = ctx.request;
  Form form = http::ParseForm(req.body);
  if (!CsrfValid(req, http::FormValue(form, "csrf")))
    return MessagePage(400, "Please try again", "Your form expired or came from another site. Start again.",
                       "Start again", "/signup");
  std::string continue_to = SafeContinue(http::FormValue(form, "continue"));
  std::string email = http::FormValue(form, "email");
  std::string step = http::FormValue(form, "step");
  if (step == "form") {
    std::string name = http::FormValue(form, "display_name");
    auto again = [&](const Status& s) {
      auto resp = SignupStep(d, req, "form", continue_to, email, name, ShownMessage(ctx.request, s), PageStatusFor(s));
      SetRetryAfter(resp, s);
      return resp;
    };
    if (http::FormValue(form, "password") != http::FormValue(form, "confirm"))
      return again(InvalidArgument("The passwords don't match. Enter the same password twice."));
    Status started = d.signin.SignUpConsumer(email, name, http::FormValue(form, "password"), req.remote_address);
    if (!started.ok()) return again(started);
    // Shown whether or not the account already existed (nothing is sent then).
    return SignupStep(d, req, "verify", continue_to, email, "", "");
  }
  if (step == "verify") {
    auto session = d.signin.VerifyConsumerSignUp(email, http::FormValue(form, "code"), req.remote_address);
    if (!session.ok()) {
      auto resp = SignupStep(d, req, "verify", continue_to, email, "", ShownMessage(ctx.request, session.status()),
                             PageStatusFor(session.status()));
      SetRetryAfter(resp, session.status());
      return resp;
    }
    http::Response resp;
    if (continue_to.empty()) {
      resp = MessagePage(200, "Your account is ready", "You're signed in. You can close this window.");
    } else {
      resp.status = 302;
      resp.SetHeader("Location", continue_to);
      resp.SetHeader("Cache-Control", "no-store");
    }
    resp.headers.emplace_back("Set-Cookie", SetCookie(kSessionCookie, session->token, req.secure, 12 * 3600));
    return resp;
  }
  return MessagePage(400, "Please try again", "The form was incomplete. Start again.", "Start again", "/signup");
}

}  // namespace

std::string SignupUrl(const std::string& continue_to, const std::string& email) {
  std::string url = "/signup";
  char sep = '?';
  for (const auto& [k, v] : Form{{"continue", continue_to}, {"email", email}}) {
    if (v.empty()) continue;
    url += sep + k + "=" + http::PercentEncode(v);
    sep = '&';
  }
  return url;
}

std::vector<http::Route> SignupRoutes(std::shared_ptr<SigninDeps> deps) {
  using http::Permission;
  using http::Route;
  auto h = [deps](auto fn) { return [deps, fn](http::RouteContext& c) { return fn(*deps, c); }; };
  return {
      Route{"GET", "/signup", h(SignupGet), Permission::Public(), "Create a personal account (form)"},
      Route{"POST", "/signup", h(SignupPost), Permission::Public(),
            "Create a personal account (details, then the emailed code)"},
  };
}

}  // namespace gh::web
