#include "cli/api_client.h"

#include "http/message.h"

namespace gh::cli {
namespace json = boost::json;

int ExitCodeFor(const Status& s) {
  if (s.ok()) return kExitOk;
  if (s.reason() == "usage") return kExitUsage;
  if (s.code() == Code::kUnavailable || s.code() == Code::kUnauthenticated) return kExitUnreachable;
  return kExitFailed;
}

Status ErrorFromResponse(const HttpResponse& r) {
  std::string code, message;
  boost::system::error_code ec;
  json::value body = json::parse(r.body, ec);
  if (!ec && body.is_object()) {
    const auto& o = body.as_object();
    if (const json::value* e = o.if_contains("error")) {
      if (e->is_object()) {  // Graph
        if (const json::value* c = e->as_object().if_contains("code"); c && c->is_string()) code = c->as_string();
        if (const json::value* m = e->as_object().if_contains("message"); m && m->is_string()) message = m->as_string();
      } else if (e->is_string()) {  // OAuth
        code = e->as_string();
        if (const json::value* d = o.if_contains("error_description"); d && d->is_string()) message = d->as_string();
      }
    }
  }
  if (code.empty()) code = "HTTP " + std::to_string(r.status);
  if (message.empty()) {
    message = r.body.substr(0, 200);
    while (!message.empty() && (message.back() == '\n' || message.back() == '\r')) message.pop_back();
    if (message.empty()) message = "the server answered " + std::to_string(r.status) + " with no body";
  }
  std::string text = "error " + code + ": " + message;
  switch (r.status) {
    case 400: return {Code::kFailedPrecondition, text, code};  // the server refused the input: exit 1, not 2
    case 401: return Unauthenticated(text, code);
    case 403: return PermissionDenied(text, code);
    case 404: return NotFound(text, code);
    case 409: return AlreadyExists(text, code);
    case 429: return ResourceExhausted(text, code);
    case 502:
    case 503:
    case 504: return Unavailable(text, code);
    default: return Internal(text, code);
  }
}

std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) out += (out.empty() ? "" : "&") + http::PercentEncode(k) + "=" + http::PercentEncode(v);
  return out;
}

std::string Escape(std::string_view s) { return http::PercentEncode(s); }

StatusOr<HttpResponse> ApiClient::Send(const std::string& method, const std::string& path, const std::string* body,
                                       const std::string& content_type, const std::string& accept) {
  HttpRequest req;
  req.method = method;
  req.url = path.starts_with("http://") || path.starts_with("https://") ? path : base_ + path;
  req.headers = {"Authorization: Bearer " + token_, "Accept: " + accept};
  if (body) {
    req.headers.push_back("Content-Type: " + content_type);
    req.body = *body;
  }
  GH_ASSIGN_OR_RETURN(auto resp, http_.Send(req));
  if (resp.status < 200 || resp.status >= 300) return ErrorFromResponse(resp);
  return resp;
}

StatusOr<json::value> ApiClient::Call(const std::string& method, const std::string& path, const std::string* body,
                                      const std::string& content_type) {
  GH_ASSIGN_OR_RETURN(auto resp, Send(method, path, body, content_type, "application/json"));
  if (resp.body.empty()) return json::value(nullptr);
  boost::system::error_code ec;
  json::value v = json::parse(resp.body, ec);
  if (ec) return Internal("error InvalidResponse: " + method + " " + path + " did not return JSON");
  return v;
}

StatusOr<json::value> ApiClient::PostText(const std::string& path, const std::string& content_type, std::string body) {
  return Call("POST", path, &body, content_type);
}

StatusOr<std::string> ApiClient::GetText(const std::string& path) {
  GH_ASSIGN_OR_RETURN(auto resp, Send("GET", path, nullptr, "", "*/*"));
  return std::move(resp.body);
}

StatusOr<json::value> ApiClient::Get(const std::string& path) { return Call("GET", path, nullptr); }
StatusOr<json::value> ApiClient::Post(const std::string& path, const json::value& body) {
  std::string text = json::serialize(body);
  return Call("POST", path, &text);
}
StatusOr<json::value> ApiClient::Patch(const std::string& path, const json::value& body) {
  std::string text = json::serialize(body);
  return Call("PATCH", path, &text);
}
StatusOr<json::value> ApiClient::Delete(const std::string& path) { return Call("DELETE", path, nullptr); }

StatusOr<json::array> ApiClient::List(const std::string& path, bool all, bool* more,
                                      const std::function<void(size_t)>& on_page) {
  json::array out;
  std::string next = path;
  while (!next.empty()) {
    GH_ASSIGN_OR_RETURN(auto page, Get(next));
    next.clear();
    if (!page.is_object()) return Internal("error InvalidResponse: " + path + " did not return a collection");
    if (const json::value* v = page.as_object().if_contains("value"); v && v->is_array())
      for (const auto& item : v->as_array()) out.push_back(item);
    const json::value* link = page.as_object().if_contains("@odata.nextLink");
    bool has_more = link && link->is_string() && !link->as_string().empty();
    if (more) *more = has_more && !all;
    if (on_page) on_page(out.size());
    if (has_more && all) next = std::string(link->as_string());
  }
  return out;
}

}  // namespace gh::cli
