#include "web/redeem_routes.h"

#include "core/strings.h"
#include "web/cookies.h"
#include "web/errors.h"
#include "web/page.h"

namespace gh::web {
namespace {

struct Link {
  std::string tenant, invitation, ticket;
  std::string Query() const {
    return "tenant=" + http::PercentEncode(tenant) + "&user=" + http::PercentEncode(invitation) +
           "&ticket=" + http::PercentEncode(ticket);
  }
};

http::Response Consent(RedeemDeps& d, http::RouteContext& ctx) {
  const auto& req = ctx.request;
  Link link{req.Query("tenant").value_or(""), req.Query("user").value_or(""), req.Query("ticket").value_or("")};
  auto pending = d.invitations.Check(link.tenant, link.invitation, link.ticket);
  if (!pending.ok())
    return ErrorPage(ctx.request, pending.status(), "This invitation can't be used");
  auto session = d.signin.ResolveSession(CookieValue(req, kSessionCookie));
  if (!session.ok())
    return Redirect("/login?tenant=" + pending->tenant.id + "&continue=" +
                    http::PercentEncode("/redeem?" + link.Query() + "&ver=2.0") + "&login_hint=" +
                    http::PercentEncode(pending->invitation.email));
  auto email = d.invitations.SessionEmail(*session);
  Page p("redeem_consent", "Review permissions");
  Csrf csrf = CsrfFor(req, d.random);
  p.Set("CSRF", csrf.token).Set("ORG", pending->tenant.name).Set("TENANT", link.tenant);
  p.Set("INVITATION", link.invitation).Set("TICKET", link.ticket);
  p.Set("EMAIL", email.ok() ? *email : "").Set("INVITED", pending->invitation.email);
  if (email.ok() && ToLower(*email) != ToLower(pending->invitation.email)) p.Show("MISMATCH");
  auto resp = p.Response();
  csrf.Attach(req, resp);
  return resp;
}

http::Response Decide(RedeemDeps& d, http::RouteContext& ctx) {
  auto form = http::ParseForm(ctx.request.body);
  if (!CsrfValid(ctx.request, http::FormValue(form, "csrf")))
    return MessagePage(400, "Please try again", "The form expired or came from another site. Open the invitation link again.");
  Link link{http::FormValue(form, "tenant"), http::FormValue(form, "user"), http::FormValue(form, "ticket")};
  if (http::FormValue(form, "action") != "accept")
    return MessagePage(200, "Invitation not accepted",
                       "You didn't accept the invitation. You can still accept it later with the link in the email.");
  auto session = d.signin.ResolveSession(CookieValue(ctx.request, kSessionCookie));
  if (!session.ok()) return Redirect("/redeem?" + link.Query() + "&ver=2.0");
  auto target = d.invitations.Redeem(link.tenant, link.invitation, link.ticket, *session);
  if (!target.ok())
    return ErrorPage(ctx.request, target.status(), "The invitation couldn't be accepted",
                       "Sign out", "/logout");
  return Redirect(*target);
}

}  // namespace

std::vector<http::Route> RedeemRoutes(RedeemDeps deps) {
  auto shared = std::make_shared<RedeemDeps>(deps);
  auto h = [shared](auto fn) { return [shared, fn](http::RouteContext& c) { return fn(*shared, c); }; };
  return {
      http::Route{"GET", "/redeem", h(Consent), http::Permission::Public(),
                  "Invitation link: sign in, then review permissions"},
      http::Route{"POST", "/redeem", h(Decide), http::Permission::Public(), "Accept or cancel an invitation"},
  };
}

}  // namespace gh::web
