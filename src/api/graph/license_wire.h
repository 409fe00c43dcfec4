#pragma once
// Graph wire shapes for licensing: subscribedSku, licenseDetails, a user's
// assignedLicenses / licenseAssignmentStates, and the assignLicense body
// (read strictly: both keys required, GUIDs checked).
#include <boost/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"
#include "licensing/licensing_service.h"

namespace gh::api::graph {

boost::json::object SubscribedSkuToJson(const licensing::Sku& s, const std::vector<std::string>& select);
boost::json::object LicenseDetailToJson(const licensing::LicenseDetail& d);
boost::json::array AssignedLicensesToJson(const licensing::UserLicenses& l);
boost::json::array AssignmentStatesToJson(const licensing::UserLicenses& l);
StatusOr<licensing::LicenseChange> ParseLicenseChange(const boost::json::object& body);

// Adds assignedLicenses / licenseAssignmentStates to a user's JSON when
// `select` names them (they are derived, so they come from the licensing
// service, not the user row).
bool WantsLicenseProperties(const std::vector<std::string>& select);
void AddLicenseProperties(const licensing::UserLicenses& l, const std::vector<std::string>& select,
                          boost::json::object& user);

}  // namespace gh::api::graph
