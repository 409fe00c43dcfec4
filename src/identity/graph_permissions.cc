#include "identity/graph_permissions.h"

#include <algorithm>
#include <array>

#include "core/strings.h"
#include "directory/model/types.h"
#include "identity/signin.h"  // the built-in client ids

namespace gh::identity {
namespace {

// Where the ids come from. Microsoft Graph's: the Graph service principal
// (appId 00000003-0000-0000-c000-000000000000) as exported in
// microsoftgraph/msgraph-sdk-powershell,
// src/Authentication/Authentication/custom/common/MSGraphServicePrincipalPermissions.json
// (its appRoles[].id and oauth2PermissionScopes[].id, and each scope's "type":
// "Admin" means admin consent). Two permissions are newer than that export and
// come from a later export of the same service principal's appRoles and
// oauth2PermissionScopes: Policy.ReadWrite.CrossTenantAccess (both forms) and
// LicenseAssignment.ReadWrite.All (its application form; its delegated form is
// left out rather than guessed, so Graph's documented delegated alternatives,
// User.ReadWrite.All and Directory.ReadWrite.All, assign licences).
//
// Gatehouse's own (gatehouse = true): ids generated once for Gatehouse and
// fixed forever; they don't exist in Microsoft Graph.
//
// The consent-page sentences are Gatehouse's wording.
constexpr std::array kCatalog = {
    // ---- OpenID Connect (delegated only, user consent)
    GraphPermission{"openid", "37f7f235-527c-4136-accd-4a02d197296e", "", false, "Sign you in",
                    "Lets the app sign you in with your account.", ""},
    GraphPermission{"profile", "14dad69e-099b-42c9-810b-d002981feec1", "", false, "View your basic profile",
                    "Lets the app see your name and user name.", ""},
    GraphPermission{"email", "64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0", "", false, "View your email address",
                    "Lets the app see your primary email address.", ""},
    GraphPermission{"offline_access", "7427e0e9-2fba-42fe-b0c0-848c9e6a8182", "", false,
                    "Maintain access to data you have given it access to",
                    "Lets the app keep the access you give it when you aren't using it. It gets no other permission "
                    "by this.",
                    ""},
    // ---- users
    GraphPermission{"User.Read", "e1fe6dd8-ba31-4d61-89e7-88639da4683d", "", false, "Sign you in and read your profile",
                    "Lets the app sign you in and read your own profile and basic facts about your organization.", ""},
    GraphPermission{"User.ReadBasic.All", "b340eb25-3456-403f-be2f-af7a0d370277", "", false,
                    "Read all users' basic profiles",
                    "Lets the app read the names, email addresses and photos of the people in your organization.",
                    ""},
    GraphPermission{"User.Read.All", "a154be20-db9c-4678-8ab7-66f6cc099a59", "df021288-bdef-4463-88db-98f22de89214",
                    true, "Read all users' full profiles",
                    "Lets the app read every profile property of every user in your organization, as you.",
                    "Read all users' full profiles"},
    GraphPermission{"User.ReadWrite.All", "204e0828-b5ca-4ad8-b9f3-f32a958e7cc4",
                    "741f803b-c850-494e-b5df-cde7c675a1ca", true, "Read and write all users' full profiles",
                    "Lets the app create, change and delete the users of your organization, as you.",
                    "Read and write all users' full profiles"},
    GraphPermission{"User.Invite.All", "63dd7cd9-b489-4adf-a28c-ac38b9a0f962", "09850681-111b-4a89-9bed-3f2cae46d706",
                    true, "Invite guest users to the organization",
                    "Lets the app invite people from outside your organization as guests, as you.",
                    "Invite guest users to the organization"},
    // ---- groups
    GraphPermission{"Group.Read.All", "5f8c59db-677d-491f-a6b8-5f174b11ec1d", "5b567255-7703-4780-807c-7be8301ae99b",
                    true, "Read all groups", "Lets the app list groups and read their properties and members, as you.",
                    "Read all groups"},
    GraphPermission{"Group.ReadWrite.All", "4e46008b-f24c-477d-8fff-7bb4ec7aafe0",
                    "62a82d76-70ea-41e2-9197-370581804d09", true, "Read and write all groups",
                    "Lets the app create, change and delete groups and their members, as you.",
                    "Read and write all groups"},
    GraphPermission{"GroupMember.Read.All", "bc024368-1153-4739-b217-4326f2e966d0",
                    "98830695-27a2-44f7-8c18-0c3ebc9698f6", true, "Read group memberships",
                    "Lets the app list groups and read who is in them, as you.", "Read all group memberships"},
    GraphPermission{"GroupMember.ReadWrite.All", "f81125ac-d3b7-4573-a3b2-7099cc39df9e",
                    "dbaae8cf-10b5-4b86-a4a1-f871c94c6695", true, "Read and write group memberships",
                    "Lets the app add people to groups and remove them, as you.",
                    "Read and write all group memberships"},
    // ---- the directory as a whole
    GraphPermission{"Directory.Read.All", "06da0dbc-49e2-44d2-8312-53f166ab848a",
                    "7ab1d382-f21e-4acd-a863-ba3e13f7da61", true, "Read directory data",
                    "Lets the app read your organization's directory: users, groups, roles and apps, as you.",
                    "Read directory data"},
    GraphPermission{"Directory.ReadWrite.All", "c5366453-9fb0-48a5-a156-24f0c49a4b84",
                    "19dbc75e-c2e2-444c-a770-ec69d8559fc7", true, "Read and write directory data",
                    "Lets the app read and change your organization's directory, as you.",
                    "Read and write directory data"},
    GraphPermission{"Directory.AccessAsUser.All", "0e263e50-5827-48a4-b97c-d940288653c7", "", true,
                    "Access the directory as you",
                    "Lets the app do in your organization's directory everything you yourself can do.", ""},
    // ---- directory roles
    GraphPermission{"RoleManagement.Read.Directory", "741c54c3-0c1e-44a1-818b-3f97ab4e8c83",
                    "483bed4a-2ad3-4361-a73b-c83ccdbdc53c", true, "Read directory RBAC settings",
                    "Lets the app read the directory's administrator roles and who holds them, as you.",
                    "Read all directory RBAC settings"},
    GraphPermission{"RoleManagement.ReadWrite.Directory", "d01b97e9-cbc0-49fe-810a-750afd5527a3",
                    "9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8", true, "Read and write directory RBAC settings",
                    "Lets the app give and take away administrator roles in your organization, as you.",
                    "Read and write all directory RBAC settings"},
    // ---- apps and their permissions
    GraphPermission{"Application.Read.All", "c79f8feb-a9db-4090-85f9-90d820caa0eb",
                    "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30", true, "Read applications",
                    "Lets the app read your organization's app registrations, as you.", "Read all applications"},
    GraphPermission{"Application.ReadWrite.All", "bdfbf15f-ee85-4955-8675-146e8e5296b5",
                    "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9", true, "Read and write all applications",
                    "Lets the app register, change and delete apps and their secrets, as you.",
                    "Read and write all applications"},
    GraphPermission{"AppRoleAssignment.ReadWrite.All", "84bccea3-f856-4a8a-967b-dbe0a3d53a64",
                    "06b708a9-e830-4db3-a914-8e69da51d44f", true,
                    "Manage app permission grants and app role assignments",
                    "Lets the app grant application permissions to any app, as you.",
                    "Manage app permission grants and app role assignments"},
    GraphPermission{"DelegatedPermissionGrant.ReadWrite.All", "41ce6ca6-6826-4807-84f1-1c82854f7ee5",
                    "8e8e4742-1d95-4f68-9d56-6ee75648c72a", true, "Manage all delegated permission grants",
                    "Lets the app consent for others to what apps may do on their behalf, as you.",
                    "Manage all delegated permission grants"},
    // ---- audit, policies, organization, licences
    GraphPermission{"AuditLog.Read.All", "e4c9e354-4dc5-45b8-9e7c-e1393b0b1a20",
                    "b0afded3-3588-46d8-8b3d-9842eff778da", true, "Read audit log data",
                    "Lets the app read your organization's audit log, as you.", "Read all audit log data"},
    GraphPermission{"Policy.Read.All", "572fea84-0151-49b2-9301-11cb16974376", "246dd0d5-5bd0-4def-940b-0421030a5b68",
                    true, "Read your organization's policies",
                    "Lets the app read your organization's policies, as you.", "Read your organization's policies"},
    GraphPermission{"Policy.ReadWrite.Authorization", "edd3c878-b384-41fd-95ad-e7407dd775be",
                    "fb221be6-99f2-473f-bd32-01c6a0e9ca3b", true,
                    "Read and write your organization's authorization policy",
                    "Lets the app change who may invite guests and what guests may see, as you.",
                    "Read and write your organization's authorization policy"},
    GraphPermission{"Policy.ReadWrite.CrossTenantAccess", "014b43d0-6ed4-4fc6-84dc-4b6f7bae7d85",
                    "338163d7-f101-4c92-94ba-ca46fe52447c", true,
                    "Read and write your organization's cross tenant access policies",
                    "Lets the app change which other organizations may collaborate with yours, as you.",
                    "Read and write your organization's cross tenant access policies"},
    GraphPermission{"Organization.Read.All", "4908d5b9-3fb2-4b1e-9336-1888b7937185",
                    "498476ce-e0fe-48b0-b801-37ba7e2685c6", true, "Read organization information",
                    "Lets the app read your organization and its subscriptions, as you.",
                    "Read organization information"},
    GraphPermission{"Organization.ReadWrite.All", "46ca0847-7e6b-426e-9775-ea810a948356",
                    "292d869f-3427-49a8-9dab-8c70152b74e9", true, "Read and write organization information",
                    "Lets the app change your organization and its subscriptions, as you.",
                    "Read and write organization information"},
    GraphPermission{"LicenseAssignment.ReadWrite.All", "", "5facf0c1-8979-4e95-abcf-ff3d079771c0", true, "", "",
                    "Manage all license assignments"},
    // ---- Gatehouse's own: environments, their apps and the tenant settings
    GraphPermission{"Environment.Read.All", "6cc7a93b-7adc-4304-a1d4-ef84ac121629",
                    "e085a733-9051-4622-b7f3-bbf8b2f4b6b6", true, "Read environments and their apps",
                    "Lets the app read your organization's environments, their security roles and apps, as you.",
                    "Read all environments and their apps", true},
    GraphPermission{"Environment.ReadWrite.All", "a06140ce-0093-4048-954e-cfc7744447a0",
                    "99df66b1-899e-4703-b195-ef7e92641870", true, "Read and write environments and their apps",
                    "Lets the app create and change environments, give environment roles, and create and share "
                    "apps, as you.",
                    "Read and write all environments and their apps", true},
    GraphPermission{"TenantSettings.ReadWrite.All", "e96a8f83-8f3f-4762-adca-fa47b30f3b69",
                    "ae96b75e-c3bc-4481-a9b3-191d25a9605c", true, "Read and write the tenant settings",
                    "Lets the app read and change your organization's tenant settings, as you.",
                    "Read and write the tenant settings", true},
};

bool EqualsId(std::string_view a, std::string_view b) { return !a.empty() && ToLower(std::string(a)) == b; }

}  // namespace

std::span<const GraphPermission> GraphPermissions() { return kCatalog; }

const GraphPermission* FindPermission(std::string_view name) {
  for (const auto& p : kCatalog)
    if (p.name == name) return &p;
  return nullptr;
}

const GraphPermission* FindScopeById(std::string_view id) {
  const std::string lower = ToLower(std::string(id));
  for (const auto& p : kCatalog)
    if (EqualsId(lower, p.scope_id) && !p.scope_id.empty()) return &p;
  return nullptr;
}

const GraphPermission* FindRoleById(std::string_view id) {
  const std::string lower = ToLower(std::string(id));
  for (const auto& p : kCatalog)
    if (EqualsId(lower, p.role_id) && !p.role_id.empty()) return &p;
  return nullptr;
}

bool IsOidcScope(std::string_view name) {
  return name == "openid" || name == "profile" || name == "email" || name == "offline_access";
}

const std::vector<std::string>& FirstPartyAdminScopes() {
  // What the CLI's commands and the portal's pages call, and no more: every
  // route then also needs the signed-in user's directory role.
  static const std::vector<std::string> kScopes = {
      "User.Read",
      "User.ReadWrite.All",
      "User.Invite.All",
      "Group.ReadWrite.All",
      "GroupMember.ReadWrite.All",
      "RoleManagement.ReadWrite.Directory",
      "Application.ReadWrite.All",
      "AppRoleAssignment.ReadWrite.All",
      "DelegatedPermissionGrant.ReadWrite.All",
      "AuditLog.Read.All",
      "Policy.Read.All",
      "Policy.ReadWrite.Authorization",
      "Policy.ReadWrite.CrossTenantAccess",
      "Organization.ReadWrite.All",
      "Environment.ReadWrite.All",
      "TenantSettings.ReadWrite.All",
  };
  return kScopes;
}

const std::vector<std::string>& PreauthorizedScopes(std::string_view client_id) {
  static const std::vector<std::string> kNone;
  static const std::vector<std::string> kCli = [] {
    std::vector<std::string> s = {"openid", "profile", "offline_access"};
    for (const auto& p : FirstPartyAdminScopes()) s.push_back(p);
    return s;
  }();
  // The seed's client surfaces sign people in and read their own profile.
  static const std::vector<std::string> kSurface = {"openid", "profile", "email", "offline_access", "User.Read"};
  const std::string id = ToLower(std::string(client_id));
  if (id == wire::kCliClientId) return kCli;
  for (std::string_view surface : {wire::kUsdClientId, wire::kOutlookAppClientId, wire::kCustomerVoiceClientId, wire::kMakerPortalClientId})
    if (id == surface) return kSurface;
  return kNone;
}

bool MayConsentForOrganization(const std::vector<std::string>& roles) {
  return std::any_of(roles.begin(), roles.end(), [](const std::string& r) {
    return r == directory::kGlobalAdministratorRole || r == directory::kPrivilegedRoleAdministratorRole;
  });
}

}  // namespace gh::identity
