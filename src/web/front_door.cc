#include "web/front_door.h"

#include <string>

#include "core/strings.h"
#include "directory/model/validation.h"
#include "web/page.h"
#include "web/templates.h"

namespace gh::web {
namespace {

constexpr const char* kFrontDoor = R"HTML({{%AUTOESCAPE context="HTML"}}<h1>Gatehouse</h1>
<p>Guest access to your organisation's business apps.</p>
{{#ERROR}}<p class="error" role="alert">{{MESSAGE}}</p>
{{/ERROR}}<form method="get" action="/go">
  <fieldset><legend>Administrators</legend>
  <label for="admin-domain">Your organisation's domain</label>
  <input id="admin-domain" name="domain" placeholder="contoso.com" value="{{DOMAIN}}" required>
  <input type="hidden" name="to" value="portal">
  <button type="submit">Open the admin portal</button></fieldset>
</form>
<form method="get" action="/go">
  <fieldset><legend>Guests and members</legend>
  <label for="guest-domain">The domain of the organisation that invited you</label>
  <input id="guest-domain" name="domain" placeholder="contoso.com" value="{{DOMAIN}}" required>
  <input type="hidden" name="to" value="my">
  <button type="submit">See the environments you can open</button></fieldset>
</form>
<p>Invited by email? Open the link in the invitation: it signs you in with the account you already have.</p>
)HTML";

http::Response FrontDoor(const std::string& domain, const std::string& error, int status) {
  Page p("front_door", "Gatehouse");
  p.Set("DOMAIN", domain);
  if (!error.empty()) p.Section("ERROR")->SetValue("MESSAGE", error);
  return p.Response(status);
}

http::Response Go(http::RouteContext& ctx) {
  const std::string domain = ToLower(Trim(ctx.request.Query("domain").value_or("")));
  const std::string to = ctx.request.Query("to").value_or("");
  if (to != "portal" && to != "my") return FrontDoor(domain, "Choose the admin portal or your environments.", 400);
  if (!directory::ValidateDomain(domain).ok())
    return FrontDoor(domain, "Enter a domain such as contoso.com: letters, digits, hyphens and dots.", 400);
  // The pages themselves say when no organisation has that domain.
  return Redirect((to == "portal" ? "/portal/" : "/my/") + domain);
}

}  // namespace

std::vector<http::Route> FrontDoorPages() {
  AddTemplates({{"front_door", kFrontDoor}});
  return {http::Route{"GET", "/", [](http::RouteContext&) { return FrontDoor("", "", 200); },
                      http::Permission::Public(), "The front door: find your organisation's portal", false},
          http::Route{"GET", "/go", Go, http::Permission::Public(),
                      "The front door's form: to /portal/{domain} or /my/{domain}", false}};
}

}  // namespace gh::web
