#include "directory/model/policies.h"

#include <algorithm>

#include "core/enum_names.h"
#include "core/strings.h"

namespace gh::directory {
namespace {

bool Has(const std::vector<std::string>& v, std::string_view x) { return std::find(v.begin(), v.end(), x) != v.end(); }

// True when a target list names the user (directly, through a group, or AllUsers).
bool NamesUser(const TargetConfiguration& t, const std::string& user_id, const std::vector<std::string>& groups) {
  return std::any_of(t.targets.begin(), t.targets.end(), [&](const Target& x) {
    return x.target == "AllUsers" || (x.target_type == "user" && x.target == user_id) ||
           (x.target_type == "group" && Has(groups, x.target));
  });
}
bool NamesApp(const TargetConfiguration& t, const std::string& app_id) {
  return std::any_of(t.targets.begin(), t.targets.end(), [&](const Target& x) {
    return x.target == "AllApplications" || (!app_id.empty() && x.target == app_id);
  });
}

constexpr auto kAllowInvitesFromNames = std::to_array<EnumName<AllowInvitesFrom>>({
    {AllowInvitesFrom::kNone, "none"},
    {AllowInvitesFrom::kAdminsAndGuestInviters, "adminsAndGuestInviters"},
    {AllowInvitesFrom::kAdminsGuestInvitersAndAllMembers, "adminsGuestInvitersAndAllMembers"},
    {AllowInvitesFrom::kEveryone, "everyone"},
});
static_assert(AreDistinct(kAllowInvitesFromNames));

}  // namespace

std::string_view AllowInvitesFromName(AllowInvitesFrom v) { return NameOf(kAllowInvitesFromNames, v); }
std::optional<AllowInvitesFrom> ParseAllowInvitesFrom(std::string_view name) {
  return FromName(kAllowInvitesFromNames, name);
}

const PartnerConfiguration* CrossTenantAccessPolicy::Partner(std::string_view tenant_id) const {
  for (const auto& p : partners)
    if (p.tenant_id == tenant_id) return &p;
  return nullptr;
}
const B2BSetting& CrossTenantAccessPolicy::Inbound(std::string_view partner_tenant_id) const {
  const auto* p = Partner(partner_tenant_id);
  return p && p->inbound ? *p->inbound : default_inbound;
}
const B2BSetting& CrossTenantAccessPolicy::Outbound(std::string_view partner_tenant_id) const {
  const auto* p = Partner(partner_tenant_id);
  return p && p->outbound ? *p->outbound : default_outbound;
}

// ---- evaluation ------------------------------------------------------------------

RuleResult MayInvite(const AuthorizationPolicy& p, const InviterFacts& who) {
  const std::string setting = "authorizationPolicy.allowInvitesFrom is '" +
                              std::string(AllowInvitesFromName(p.allow_invites_from)) + "'";
  if (p.allow_invites_from == AllowInvitesFrom::kNone)
    return {false, "authorizationPolicy.allowInvitesFrom",
            "Invitations have been disabled for this directory (" + setting + ")."};
  if (who.is_app) {
    if (!who.app_has_invite_permission)
      return {false, "permission.User.Invite.All", "The application lacks the User.Invite.All permission."};
    // Entra: app-only invitations fail when invites are restricted to admins.
    if (p.allow_invites_from == AllowInvitesFrom::kEveryone ||
        p.allow_invites_from == AllowInvitesFrom::kAdminsGuestInvitersAndAllMembers)
      return {};
    // Gatehouse's automation clients act for the organisation's administrators.
    return {};
  }
  auto holds = [&](std::string_view r) { return Has(who.directory_roles, r); };
  bool admin = holds(kGlobalAdministratorRole) || holds(kUserAdministratorRole) || holds(kGuestInviterRole);
  if (admin) return {};
  bool member = who.user_type == UserType::kMember;
  if (p.allow_invites_from == AllowInvitesFrom::kEveryone) return {};
  if (p.allow_invites_from == AllowInvitesFrom::kAdminsGuestInvitersAndAllMembers && member) return {};
  return {false, "authorizationPolicy.allowInvitesFrom",
          "You don't have permission to invite guests: " + setting +
              ", and you are not a Global Administrator, User Administrator or Guest Inviter."};
}

RuleResult DomainAllowed(const DomainRestrictions& d, const std::string& domain) {
  bool listed = Has(d.domains, ToLower(domain));
  if (d.mode == DomainRestrictions::Mode::kDenyList && listed)
    return {false, "collaboration.deniedDomains",
            "Invitations to the domain '" + domain + "' are blocked by the collaboration restrictions."};
  if (d.mode == DomainRestrictions::Mode::kAllowList && !listed)
    return {false, "collaboration.allowedDomains",
            "Invitations are only allowed to listed domains, and '" + domain + "' is not one of them."};
  return {};
}

RuleResult B2BAllows(const B2BSetting& s, std::string_view direction, const std::string& user_id,
                     const std::vector<std::string>& group_ids, const std::string& app_id) {
  const std::string side(direction);
  bool user_named = NamesUser(s.users_and_groups, user_id, group_ids);
  bool user_ok = s.users_and_groups.allowed ? user_named : !user_named;
  if (!user_ok)
    return {false, "crossTenant." + side + ".usersAndGroups",
            "This user is " + std::string(s.users_and_groups.allowed ? "not among the users allowed" : "among the users blocked") +
                " by the " + side + " B2B collaboration setting of the cross-tenant access policy."};
  bool app_named = NamesApp(s.applications, app_id);
  // No particular app: only a blanket block of all applications refuses.
  bool app_ok = app_id.empty() ? !(!s.applications.allowed && app_named)
                               : (s.applications.allowed ? app_named : !app_named);
  if (!app_ok)
    return {false, "crossTenant." + side + ".applications",
            "This application is blocked by the " + side + " B2B collaboration setting of the cross-tenant access "
            "policy."};
  return {};
}

std::string CloudEndpoint(Cloud c) {
  switch (c) {
    case Cloud::kCommercial:
    case Cloud::kGcc: return "microsoftonline.com";  // GCC runs in the commercial cloud
    case Cloud::kGccHigh:
    case Cloud::kDod: return "microsoftonline.us";
    case Cloud::kChina: return "partner.microsoftonline.cn";
  }
  return "microsoftonline.com";
}

RuleResult CrossCloudAllowed(const Tenant& resource, const CrossTenantAccessPolicy& resource_policy,
                             const Tenant& home, const CrossTenantAccessPolicy* home_policy) {
  std::string r = CloudEndpoint(resource.cloud), h = CloudEndpoint(home.cloud);
  if (r == h) return {};
  if (!Has(resource_policy.allowed_cloud_endpoints, h))
    return {false, "crossTenant.allowedCloudEndpoints",
            "Collaboration with the " + std::string(CloudName(home.cloud)) + " cloud is not enabled in " +
                resource.name + "'s Microsoft cloud settings."};
  if (home_policy && !Has(home_policy->allowed_cloud_endpoints, r))
    return {false, "crossTenant.allowedCloudEndpoints.home",
            "Collaboration with the " + std::string(CloudName(resource.cloud)) + " cloud is not enabled in " +
                home.name + "'s Microsoft cloud settings."};
  return {};
}

}  // namespace gh::directory
