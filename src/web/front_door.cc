#include "web/front_door.h"

#include <string>

#include "core/strings.h"
#include "directory/model/validation.h"
#include "web/page.h"
#include "web/templates.h"

namespace gh::web {
namespace {

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
  AddTemplates({"front_door"});
  return {http::Route{"GET", "/", [](http::RouteContext&) { return FrontDoor("", "", 200); },
                      http::Permission::Public(), "The front door: find your organisation's portal"},
          http::Route{"GET", "/go", Go, http::Permission::Public(),
                      "The front door's form: to /portal/{domain} or /my/{domain}"}};
}

}  // namespace gh::web
