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

namespace gh::api::graph {

// Every property a user can be read or selected with.
const std::vector<std::string>& UserProperties();
// Returned when no $select is given (as Graph v1.0 does).
const std::vector<std::string>& UserDefaultProperties();
const std::vector<std::string>& GroupProperties();

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
