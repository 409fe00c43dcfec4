#pragma once
// The tenant policies in Graph's JSON shapes: authorizationPolicy, the
// collaboration restrictions, crossTenantAccessPolicy (default, partners,
// allowedCloudEndpoints). The server writes and patches them through these
// (strict PATCH semantics: unknown properties and bad values are refused,
// null resets a partner's direction to the default), and they are stored as
// the same documents (PoliciesToStorage).
#include <boost/json.hpp>
#include <string>

#include "core/status.h"
#include "directory/model/policies.h"

namespace gh::wire {

boost::json::object AuthorizationPolicyToJson(const directory::AuthorizationPolicy& p);
// Applies a PATCH body; refuses unknown properties and bad values.
Status PatchAuthorizationPolicy(directory::AuthorizationPolicy& p, const boost::json::object& patch);
boost::json::object DomainRestrictionsToJson(const directory::DomainRestrictions& d);
Status PatchDomainRestrictions(directory::DomainRestrictions& d, const boost::json::object& patch);
boost::json::object CrossTenantDefaultToJson(const directory::CrossTenantAccessPolicy& p);
Status PatchCrossTenantDefault(directory::CrossTenantAccessPolicy& p, const boost::json::object& patch);
boost::json::object PartnerToJson(const directory::PartnerConfiguration& p);
Status PatchPartner(directory::PartnerConfiguration& p, const boost::json::object& patch);
boost::json::object CrossTenantPolicyToJson(const directory::CrossTenantAccessPolicy& p);
Status PatchCrossTenantPolicy(directory::CrossTenantAccessPolicy& p, const boost::json::object& patch);

// Persistence: all of a tenant's policies as one JSON document.
std::string PoliciesToStorage(const directory::Policies& p);
directory::Policies PoliciesFromStorage(const std::string& text);  // unreadable → defaults

}  // namespace gh::wire
