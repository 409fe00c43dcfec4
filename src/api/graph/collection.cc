#include "api/graph/collection.h"

#include "core/encoding.h"
#include "core/strings.h"

namespace gh::api::graph {
namespace {

std::string EncodePath(std::string_view path) {
  std::string out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    out += http::PercentEncode(path.substr(start, slash - start));
    if (slash < path.size()) out += '/';
    start = slash + 1;
  }
  return out;
}

// Query option names like "$top" stay readable; values are always encoded.
std::string EncodeKey(std::string_view k) { return k.starts_with('$') ? "$" + http::PercentEncode(k.substr(1)) : http::PercentEncode(k); }

}  // namespace

StatusOr<CollectionRequest> ParseCollectionRequest(const http::Request& req, const std::string& tenant_id,
                                                   const http::PropertySet& filterable,
                                                   const http::PropertySet& selectable, std::string_view resource) {
  GH_RETURN_IF_ERROR(http::CheckQueryOptions(req, {"$filter", "$select", "$top", "$count", "$skiptoken"}));
  CollectionRequest out;
  out.query.tenant_id = tenant_id;
  if (auto f = req.Query("$filter")) {
    GH_ASSIGN_OR_RETURN(out.query.filter, http::ParseFilter(*f, filterable, resource));
  }
  if (auto s = req.Query("$select")) {
    GH_ASSIGN_OR_RETURN(out.select, http::ParseSelect(*s, selectable, resource));
  }
  if (auto t = req.Query("$top")) {
    GH_ASSIGN_OR_RETURN(out.query.top, http::ParseTop(*t));
  }
  if (auto c = req.Query("$count")) {
    GH_ASSIGN_OR_RETURN(out.query.count, http::ParseCount(*c));
    // Graph counts directory objects only as an "advanced query".
    if (out.query.count && !http::EqualsIgnoreCase(req.Header("ConsistencyLevel"), "eventual"))
      return InvalidArgument("$count requires the request header 'ConsistencyLevel: eventual'.", "Request_BadRequest");
  }
  if (auto token = req.Query("$skiptoken")) {
    auto decoded = Base64UrlDecode(*token);
    if (!decoded.ok() || !IsUuid(*decoded))
      return InvalidArgument("The $skiptoken value is invalid or has expired.", "Request_BadRequest");
    out.query.after = *decoded;
  }
  return out;
}

std::string ContextUrl(const std::string& public_base, std::string_view fragment) {
  return public_base + "/v1.0/$metadata#" + std::string(fragment);
}

boost::json::object CollectionBody(const http::Request& req, const std::string& public_base,
                                   std::string_view context, boost::json::array value, bool more,
                                   const std::string& last_id, std::optional<int64_t> count) {
  boost::json::object body;
  body["@odata.context"] = ContextUrl(public_base, context);
  if (count) body["@odata.count"] = *count;
  if (more) {
    std::string link = public_base + EncodePath(req.path) + "?";
    for (const auto& [k, v] : req.query)
      if (k != "$skiptoken") link += EncodeKey(k) + "=" + http::PercentEncode(v) + "&";
    link += "$skiptoken=" + Base64UrlEncode(last_id);
    body["@odata.nextLink"] = link;
  }
  body["value"] = std::move(value);
  return body;
}

}  // namespace gh::api::graph
