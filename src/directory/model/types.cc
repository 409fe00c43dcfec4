#include "directory/model/types.h"

#include <algorithm>

#include "core/enum_names.h"

namespace gh::directory {

namespace {

constexpr auto kCloudNames = std::to_array<EnumName<Cloud>>({
    {Cloud::kCommercial, "commercial"},
    {Cloud::kGcc, "gcc"},
    {Cloud::kGccHigh, "gcc-high"},
    {Cloud::kDod, "dod"},
    {Cloud::kChina, "china"},
});
static_assert(AreDistinct(kCloudNames));

constexpr auto kUserTypeNames = std::to_array<EnumName<UserType>>({
    {UserType::kMember, "Member"},
    {UserType::kGuest, "Guest"},
});
static_assert(AreDistinct(kUserTypeNames));

}  // namespace

std::string_view CloudName(Cloud c) { return NameOf(kCloudNames, c); }
std::optional<Cloud> ParseCloud(std::string_view s) { return FromName(kCloudNames, s); }

std::string_view UserTypeName(UserType t) { return NameOf(kUserTypeNames, t); }
std::optional<UserType> ParseUserType(std::string_view s) { return FromName(kUserTypeNames, s); }

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
