#pragma once
// Graph collection conventions: $filter/$select/$top/$count/$skiptoken parsing
// into the directory's list query, and the response envelope with @odata.context,
// @odata.count and an absolute @odata.nextLink.
#include <boost/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"
#include "directory/directory_service.h"
#include "http/message.h"
#include "http/odata.h"

namespace gh::api::graph {

struct CollectionRequest {
  directory::ListQuery query;
  std::vector<std::string> select;
};

// `filterable` and `selectable` are the resource's property sets; `resource`
// names it in error messages ("User").
StatusOr<CollectionRequest> ParseCollectionRequest(const http::Request& req, const std::string& tenant_id,
                                                   const http::PropertySet& filterable,
                                                   const http::PropertySet& selectable, std::string_view resource);

// Builds {"@odata.context", ["@odata.count"], "value", ["@odata.nextLink"]}.
// `last_id` is the id of the page's last row, used for the next page's cursor.
boost::json::object CollectionBody(const http::Request& req, const std::string& public_base,
                                   std::string_view context, boost::json::array value, bool more,
                                   const std::string& last_id, std::optional<int64_t> count);

std::string ContextUrl(const std::string& public_base, std::string_view fragment);

}  // namespace gh::api::graph
