#include "directory/model/types.h"

#include <algorithm>

namespace gh::directory {

std::string_view CloudName(Cloud c) {
  switch (c) {
    case Cloud::kCommercial: return "commercial";
    case Cloud::kGcc: return "gcc";
    case Cloud::kGccHigh: return "gcc-high";
    case Cloud::kDod: return "dod";
    case Cloud::kChina: return "china";
  }
  return "commercial";
}

std::optional<Cloud> ParseCloud(std::string_view s) {
  for (Cloud c : {Cloud::kCommercial, Cloud::kGcc, Cloud::kGccHigh, Cloud::kDod, Cloud::kChina})
    if (CloudName(c) == s) return c;
  return std::nullopt;
}

std::string_view UserTypeName(UserType t) { return t == UserType::kGuest ? "Guest" : "Member"; }

bool Group::IsMicrosoft365() const {
  return std::find(group_types.begin(), group_types.end(), "Unified") != group_types.end();
}

const std::vector<RoleTemplate>& BuiltInRoles() {
  static const std::vector<RoleTemplate> roles = {
      {kGlobalAdministratorRole, "Global Administrator",
       "Can manage all aspects of the directory and the services that use it.", true},
      {kPrivilegedRoleAdministratorRole, "Privileged Role Administrator",
       "Can manage role assignments and role-assignable groups.", true},
      {kUserAdministratorRole, "User Administrator",
       "Can manage all aspects of users and groups, including inviting guests.", true},
      {kGuestInviterRole, "Guest Inviter",
       "Can invite guest users independent of the 'members can invite guests' setting."},
      {kHelpdeskAdministratorRole, "Helpdesk Administrator",
       "Can reset passwords for non-administrators and reset guests' redemption.", true},
      {kLicenseAdministratorRole, "License Administrator",
       "Can manage product licenses on users and groups."},
      {kPowerPlatformAdministratorRole, "Power Platform Administrator",
       "Can create and manage all aspects of environments, apps and tenant settings."},
  };
  return roles;
}

const RoleTemplate* FindRoleTemplate(std::string_view id) {
  for (const auto& r : BuiltInRoles())
    if (r.id == id) return &r;
  return nullptr;
}

}  // namespace gh::directory
