#pragma once
// The tenant policies that decide who may invite whom and which external
// users get in: the authorization policy (who may invite, guest access level),
// the collaboration domain allow/deny list, and the cross-tenant access policy
// (default and per-partner inbound/outbound B2B collaboration, Microsoft cloud
// settings), and their pure evaluation. Their Graph JSON shapes (and the
// stored form, the same documents) are wire/policies.h.
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "directory/model/types.h"

namespace gh::directory {

// Guest access levels (authorizationPolicy.guestUserRoleId).
inline constexpr std::string_view kGuestSameAsMembersRole = "a0b1b346-4d3e-4e8b-98f8-753987be4970";
inline constexpr std::string_view kGuestLimitedRole = "10dae51f-b6af-4016-8d66-8c2a99b929b3";
inline constexpr std::string_view kGuestRestrictedRole = "2af84b1e-32c8-42b7-82bc-daa82404023b";

enum class AllowInvitesFrom { kNone, kAdminsAndGuestInviters, kAdminsGuestInvitersAndAllMembers, kEveryone };
std::string_view AllowInvitesFromName(AllowInvitesFrom v);
std::optional<AllowInvitesFrom> ParseAllowInvitesFrom(std::string_view name);

struct AuthorizationPolicy {
  // The seed: inviting needs at least User Administrator, so new tenants start here.
  AllowInvitesFrom allow_invites_from = AllowInvitesFrom::kAdminsAndGuestInviters;
  std::string guest_user_role_id = std::string(kGuestLimitedRole);
  bool allow_email_verified_users_to_join = true;
  // Gatehouse's own property (Entra blocks the flow with a Conditional Access
  // authentication-flows policy): false refuses the device code flow in this
  // tenant, for every client, at the start and at approval.
  bool allow_device_code_flow = true;
};

struct DomainRestrictions {
  enum class Mode { kAllowAll, kDenyList, kAllowList };
  Mode mode = Mode::kAllowAll;
  std::vector<std::string> domains;  // lower-case
};

struct Target {
  std::string target;       // object id, "AllUsers", "AllApplications", …
  std::string target_type;  // "user", "group", "application"
};

struct TargetConfiguration {
  bool allowed = true;  // accessType "allowed" / "blocked"
  std::vector<Target> targets;
};

struct B2BSetting {
  TargetConfiguration users_and_groups{true, {{"AllUsers", "user"}}};
  TargetConfiguration applications{true, {{"AllApplications", "application"}}};
};

struct PartnerConfiguration {
  std::string tenant_id;
  std::optional<B2BSetting> inbound;   // null inherits the default
  std::optional<B2BSetting> outbound;  // null inherits the default
};

struct CrossTenantAccessPolicy {
  B2BSetting default_inbound;
  B2BSetting default_outbound;
  bool default_is_service_default = true;
  std::vector<PartnerConfiguration> partners;
  // Other Microsoft clouds this tenant collaborates with ("microsoftonline.us",
  // "partner.microsoftonline.cn", "microsoftonline.com").
  std::vector<std::string> allowed_cloud_endpoints;

  const PartnerConfiguration* Partner(std::string_view tenant_id) const;
  const B2BSetting& Inbound(std::string_view partner_tenant_id) const;
  const B2BSetting& Outbound(std::string_view partner_tenant_id) const;
};

struct Policies {
  AuthorizationPolicy authorization;
  DomainRestrictions domains;
  CrossTenantAccessPolicy cross_tenant;
};

// ---- Evaluation (pure) -------------------------------------------------------

// The outcome of one rule: allowed, or refused with the rule that refused.
struct RuleResult {
  bool allowed = true;
  std::string rule;     // e.g. "crossTenant.inbound.usersAndGroups"
  std::string message;  // a sentence for people
};

struct InviterFacts {
  bool is_app = false;
  bool app_has_invite_permission = false;  // User.Invite.All or Directory.ReadWrite.All / User.ReadWrite.All
  std::vector<std::string> directory_roles;  // role template ids (users)
  UserType user_type = UserType::kMember;
};
RuleResult MayInvite(const AuthorizationPolicy& p, const InviterFacts& who);
RuleResult DomainAllowed(const DomainRestrictions& d, const std::string& domain);
// B2B collaboration settings applied to a user (and their groups) using an app
// ("" = any app). `direction` names the side in messages ("inbound"/"outbound").
RuleResult B2BAllows(const B2BSetting& s, std::string_view direction, const std::string& user_id,
                     const std::vector<std::string>& group_ids, const std::string& app_id);
// The Microsoft cloud endpoint of a tenant's cloud, as in allowedCloudEndpoints.
std::string CloudEndpoint(Cloud c);
// Tenants in different clouds collaborate only when each lists the other's cloud.
RuleResult CrossCloudAllowed(const Tenant& resource, const CrossTenantAccessPolicy& resource_policy,
                             const Tenant& home, const CrossTenantAccessPolicy* home_policy);

}  // namespace gh::directory
