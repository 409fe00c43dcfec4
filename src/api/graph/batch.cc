// JSON batching; what it does is in routes.h.
#include <boost/json.hpp>
#include <cctype>
#include <map>

#include "api/graph/routes.h"
#include "api/handler_util.h"
#include "core/encoding.h"
#include "core/strings.h"
#include "wire/json_reader.h"

namespace gh::api::graph {
namespace {

namespace json = boost::json;

constexpr size_t kMaxRequests = 20;  // Graph's limit

// One request of the batch, as sent.
struct Step {
  std::string id;
  std::string method;
  std::string url;
  http::HeaderList headers;
  std::optional<json::value> body;
  std::vector<std::string> depends_on;
};

Status BadBatch(std::string message) { return InvalidArgument(std::move(message), "BadRequest"); }

StatusOr<Step> ParseStep(const json::value& v, size_t index) {
  const std::string where = "requests[" + std::to_string(index) + "]";
  const json::object* o = v.if_object();
  if (o == nullptr) return BadBatch(where + " must be an object.");
  Step s;
  auto text = [&](std::string_view key, std::string* out) -> Status {
    const json::value* f = o->if_contains(key);
    if (f == nullptr || !f->is_string() || f->as_string().empty())
      return BadBatch(where + "." + std::string(key) + " is required and must be a non-empty string.");
    *out = std::string(f->as_string());
    return OkStatus();
  };
  GH_RETURN_IF_ERROR(text("id", &s.id));
  GH_RETURN_IF_ERROR(text("method", &s.method));
  GH_RETURN_IF_ERROR(text("url", &s.url));
  for (char& c : s.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (s.method != "GET" && s.method != "POST" && s.method != "PATCH" && s.method != "PUT" &&
      s.method != "DELETE")
    return BadBatch(where + ".method '" + s.method + "' is not GET, POST, PATCH, PUT or DELETE.");
  if (s.url.starts_with("http:") || s.url.starts_with("https:") || s.url.starts_with("//"))
    return BadBatch(where + ".url must be relative to the version, such as /users/{id}.");
  if (const json::value* h = o->if_contains("headers")) {
    if (!h->is_object()) return BadBatch(where + ".headers must be an object.");
    for (const auto& [name, value] : h->as_object()) {
      if (!value.is_string()) return BadBatch(where + ".headers." + std::string(name) + " must be a string.");
      s.headers.emplace_back(std::string(name), std::string(value.as_string()));
    }
  }
  if (const json::value* b = o->if_contains("body"); b != nullptr && !b->is_null()) {
    s.body = *b;
    bool typed = false;
    for (const auto& [name, value] : s.headers) typed |= http::EqualsIgnoreCase(name, "Content-Type");
    if (!typed) return BadBatch(where + " has a body and no Content-Type header.");
  }
  if (const json::value* d = o->if_contains("dependsOn")) {
    if (!d->is_array()) return BadBatch(where + ".dependsOn must be an array of request ids.");
    for (const json::value& dep : d->as_array()) {
      if (!dep.is_string()) return BadBatch(where + ".dependsOn must be an array of request ids.");
      s.depends_on.emplace_back(dep.as_string());
    }
  }
  return s;
}

// The steps in an order that runs each after what it depends on (the batch's
// order where it allows). Ids are case-insensitive, as in Graph.
StatusOr<std::vector<Step>> ParseBatch(std::string_view body) {
  GH_ASSIGN_OR_RETURN(json::object o, wire::ParseJsonObject(body));
  const json::value* requests = o.if_contains("requests");
  if (requests == nullptr || !requests->is_array()) return BadBatch("The batch needs a 'requests' array.");
  const json::array& list = requests->as_array();
  if (list.empty() || list.size() > kMaxRequests)
    return BadBatch("A batch holds 1 to " + std::to_string(kMaxRequests) + " requests; this one has " +
                    std::to_string(list.size()) + ".");
  std::vector<Step> steps;
  std::map<std::string, size_t> index;  // lower-case id → position
  for (size_t i = 0; i < list.size(); ++i) {
    GH_ASSIGN_OR_RETURN(Step s, ParseStep(list[i], i));
    if (!index.emplace(ToLower(s.id), i).second)
      return BadBatch("The request id '" + s.id + "' appears twice.");
    steps.push_back(std::move(s));
  }
  for (const Step& s : steps)
    for (const std::string& dep : s.depends_on)
      if (!index.contains(ToLower(dep)))
        return BadBatch("Request '" + s.id + "' depends on '" + dep + "', which is not in the batch.");

  std::vector<Step> ordered;
  std::vector<bool> placed(steps.size(), false);
  while (ordered.size() < steps.size()) {
    bool progress = false;
    for (size_t i = 0; i < steps.size(); ++i) {
      if (placed[i]) continue;
      bool ready = true;
      for (const std::string& dep : steps[i].depends_on) ready &= placed[index.at(ToLower(dep))];
      if (!ready) continue;
      placed[i] = true;
      ordered.push_back(std::move(steps[i]));  // a placed step is not read again
      progress = true;
    }
    if (!progress) return BadBatch("The requests' dependsOn form a cycle.");
  }
  return ordered;
}

bool Succeeded(int status) { return status >= 200 && status < 300; }

// Headers a step may not set: who is calling and how the connection goes
// are the batch's own.
bool BatchOwnsHeader(std::string_view name) {
  for (std::string_view owned : {"Authorization", "Cookie", "Host", "Content-Length", "Transfer-Encoding",
                                 "Connection", "X-Forwarded-For", "X-Forwarded-Proto", "Forwarded"})
    if (http::EqualsIgnoreCase(name, owned)) return true;
  return false;
}

// The step as a request of its own; an error for a step that can't be one
// (answered in the step's place, the batch goes on).
StatusOr<http::Request> MakeRequest(const http::Request& batch, const Step& s) {
  http::Request req;
  req.method = s.method;
  std::string_view url = s.url;
  // Relative to the version ("/users", "users"); the Graph JS SDK's
  // BatchRequestContent sends the version too ("/v1.0/users").
  if (url.starts_with("/v1.0/") || url.starts_with("/v1.0?")) url.remove_prefix(5);
  req.target = "/v1.0" + (url.starts_with('/') ? std::string(url) : "/" + std::string(url));
  req.remote_address = batch.remote_address;
  req.secure = batch.secure;
  req.request_id = batch.request_id;
  for (const auto& [name, value] : batch.headers)
    if (http::EqualsIgnoreCase(name, "Host") || http::EqualsIgnoreCase(name, "Authorization"))
      req.headers.emplace_back(name, value);
  for (const auto& [name, value] : s.headers)
    if (!BatchOwnsHeader(name)) req.headers.emplace_back(name, value);
  if (!req.ParseTarget()) return InvalidArgument("The request URL is malformed.", "BadRequest");
  // Only Graph's resources, and no batch inside a batch.
  if (!req.path.starts_with("/v1.0/"))
    return InvalidArgument("A batched request's URL names a Graph resource.", "BadRequest");
  std::string_view rest = req.path;
  while (!rest.empty()) {
    rest.remove_prefix(1);  // the '/'
    const std::string_view segment = rest.substr(0, rest.find('/'));
    if (segment == "." || segment == ".." || segment == "$batch")
      return InvalidArgument("A batched request's URL can't contain '" + std::string(segment) + "'.",
                             "BadRequest");
    rest.remove_prefix(segment.size());
  }
  if (s.body) {
    if (s.body->is_string()) {
      // Graph: a body that isn't JSON is sent base64-encoded.
      auto decoded = Base64Decode(s.body->as_string());
      if (!decoded.ok())
        return InvalidArgument("The request's body is a string that isn't base64.", "BadRequest");
      req.body = std::move(*decoded);
    } else {
      req.body = json::serialize(*s.body);
    }
  }
  return req;
}

json::object Answer(const std::string& id, const http::Response& res) {
  json::object headers;
  for (const auto& [name, value] : res.headers) headers[name] = value;
  json::object out{{"id", id}, {"status", res.status}, {"headers", std::move(headers)}};
  if (res.body.empty()) return out;
  if (res.Header("Content-Type").starts_with("application/json")) {
    boost::system::error_code ec;
    json::value parsed = json::parse(res.body, ec);
    if (!ec) {
      out["body"] = std::move(parsed);
      return out;
    }
  }
  out["body"] = Base64Encode(res.body);  // as Graph sends a body that isn't JSON
  return out;
}

http::Response Batch(http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(std::vector<Step> steps, ParseBatch(ctx.request.body));
    std::map<std::string, int> status_of;  // lower-case id → status
    json::array responses;
    for (const Step& s : steps) {
      std::string failed;
      for (const std::string& dep : s.depends_on)
        if (!Succeeded(status_of.at(ToLower(dep)))) failed = dep;
      http::Response res;
      if (!failed.empty()) {
        res = GraphError(ctx.request,
                         FailedPrecondition("Request '" + failed + "', which this one depends on, failed.",
                                            "FailedDependency"));
        res.status = 424;
      } else if (auto req = MakeRequest(ctx.request, s); !req.ok()) {
        res = GraphError(ctx.request, req.status());
      } else {
        res = ctx.router->Handle(*req);
      }
      status_of[ToLower(s.id)] = res.status;
      responses.push_back(Answer(s.id, res));
    }
    return JsonResponse(200, {{"responses", std::move(responses)}});
  });
}

}  // namespace

std::vector<http::Route> BatchRoutes() {
  return {http::Route{"POST", "/v1.0/$batch", Batch,
                      http::Permission{"any caller; each request is checked", nullptr},
                      "JSON batching: up to 20 Graph requests in one, each authorised on its own"}};
}

}  // namespace gh::api::graph
