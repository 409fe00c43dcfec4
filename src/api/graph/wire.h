#pragma once
// Graph wire shapes for directory objects: domain values to JSON (honouring
// $select and Graph's default property sets) and request bodies to domain
// inputs (strictly: unknown, read-only and mistyped properties are refused).
// Shared by the server, the CLI and the tests.
#include <boost/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"
#include "directory/directory_service.h"
#include "directory/model/types.h"
#include "http/odata.h"

namespace gh::api::graph {

// Every property a user can be read or selected with.
const std::vector<std::string>& UserProperties();
// Returned when no $select is given (as Graph v1.0 does).
const std::vector<std::string>& UserDefaultProperties();
const std::vector<std::string>& GroupProperties();

// The properties a $filter may name, with their types: the one list of what
// is filterable. http::ParseFilter refuses any other name with Graph's
// Request_UnsupportedQuery before the store is called; the store only maps
// these names to columns (store/filter_sql.cc).
const http::PropertySet& UserFilterable();
const http::PropertySet& GroupFilterable();

// `select` empty = the default set.
boost::json::object UserToJson(const directory::User& u, const std::vector<std::string>& select);
boost::json::object GroupToJson(const directory::Group& g, const std::vector<std::string>& select);
boost::json::object RoleAssignmentToJson(const directory::RoleAssignment& a);
boost::json::object DirectoryRoleToJson(const directory::RoleTemplate& r);
boost::json::object RoleDefinitionToJson(const directory::RoleTemplate& r);
boost::json::object AuditEntryToJson(const directory::AuditEntry& e);

StatusOr<directory::NewUser> ParseNewUser(const boost::json::object& body);
StatusOr<directory::UserPatch> ParseUserPatch(const boost::json::object& body);
StatusOr<directory::NewGroup> ParseNewGroup(const boost::json::object& body);
StatusOr<directory::GroupPatch> ParseGroupPatch(const boost::json::object& body);
// {"@odata.id": "https://…/directoryObjects/{id}"} → the id.
StatusOr<std::string> ParseReference(const boost::json::object& body);

}  // namespace gh::api::graph
