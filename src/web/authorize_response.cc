#include "web/authorize_response.h"

#include "web/page.h"

namespace gh::web {

std::string WithParams(std::string url, const std::vector<std::pair<std::string, std::string>>& params) {
  char sep = url.find('?') == std::string::npos ? '?' : '&';
  for (const auto& [k, v] : params) {
    if (v.empty()) continue;
    url += sep + http::PercentEncode(k) + "=" + http::PercentEncode(v);
    sep = '&';
  }
  return url;
}

http::Response AuthorizeResponse(const identity::AuthorizeRequest& request,
                                 const std::vector<std::pair<std::string, std::string>>& params) {
  if (request.response_mode != "form_post") return Redirect(WithParams(request.redirect_uri, params));
  Page p("form_post", "Signing in");
  p.Set("ACTION", request.redirect_uri);
  for (const auto& [k, v] : params) {
    if (v.empty()) continue;
    auto* f = p.Section("FIELD");
    f->SetValue("NAME", k);
    f->SetValue("VALUE", v);
  }
  return p.Response();
}

}  // namespace gh::web
