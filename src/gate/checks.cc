#include "gate/checks.h"

#include <algorithm>

#include "core/strings.h"
#include "wire/policies.h"

namespace gh::gate {
namespace {

// Texts are literals where they can be (no copy), rendered later where they
// name the user or environment (a renderer plus indexes), and eager strings
// only on rare paths that quote the request or a policy message. On the hot
// path (environment.access) a decision therefore allocates nothing (its
// checks are stored inline, see CheckList), whether it passes or fails.
Check Pass(std::string_view id, Text sentence) { return {id, true, std::move(sentence), {}}; }
Check Fail(std::string_view id, Text sentence, Remedy remedy) {
  return {id, false, std::move(sentence), std::move(remedy)};
}

// A text rendered when read, from what this check looked at.
Text Later(const CheckContext& c, RenderFn render) { return Text(render, {&c.snap, c.user, c.env}); }

// What renderers read (the same facts the eager helpers below read).
const UserFacts& UserOf(const TextArgs& a) { return a.snap->user(a.user); }
const std::string& UpnOf(const TextArgs& a) { return UserOf(a).user_principal_name; }
const environments::Environment& EnvOf(const TextArgs& a) { return a.snap->environment(a.env).env; }
const std::string& TenantNameOf(const TextArgs& a) { return a.snap->resource().tenant.name; }
// The environment's security group as the sentences name it.
std::string SecurityGroupOf(const TextArgs& a) {
  const EnvironmentFacts& e = a.snap->environment(a.env);
  return e.security_group_name.empty() ? *e.env.security_group_id : e.security_group_name;
}

std::string Upn(const CheckContext& c) { return c.u().user_principal_name; }
const std::string& EnvName(const CheckContext& c) { return c.snap.environment(c.env).env.display_name; }
const std::string& EnvId(const CheckContext& c) { return c.snap.environment(c.env).env.id; }
const std::string& EnvUnique(const CheckContext& c) { return c.snap.environment(c.env).env.unique_name; }

bool Exempt(const CheckContext& c) { return c.core().IsAdmin(); }

// The home tenant of a guest from an organisation on this server, or null.
const TenantFacts* Home(const CheckContext& c) {
  const HomeKind home = c.core().home();
  if (home != HomeKind::kOtherTenant && home != HomeKind::kConsumer) return nullptr;
  return c.snap.HomeTenant(c.u().home_tenant_id);
}

std::string CloudLabel(directory::Cloud cl) { return std::string(directory::CloudName(cl)); }

std::string DomainOf(const std::string& email) {
  auto at = email.rfind('@');
  std::string d = at == std::string::npos ? email : email.substr(at + 1);
  for (auto& ch : d) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return d;
}

}  // namespace

// ---- identity and invitation ---------------------------------------------------

Check AccountEnabled(const CheckContext& c) {
  if (c.core().enabled()) return Pass("account.enabled", "The account is enabled.");
  return Fail("account.enabled", Later(c, [](const TextArgs& a) {
                return "The account " + UpnOf(a) + " is disabled in " + TenantNameOf(a) + ".";
              }),
              {"Enable the account (accountEnabled = true).", Later(c, [](const TextArgs& a) {
                 return "PATCH /v1.0/users/" + UserOf(a).id + " {\"accountEnabled\":true}";
               }),
               Later(c, [](const TextArgs& a) {
                 return "gatehouse users set " + UpnOf(a) + " --enable";
               })});
}

Check InvitationAccepted(const CheckContext& c) {
  if (!c.core().guest()) return Pass("invitation.accepted", "The user is a member; no invitation is needed.");
  if (!c.core().pending_acceptance()) return Pass("invitation.accepted", "The guest has accepted the invitation.");
  return Fail("invitation.accepted",
              "The guest hasn't accepted the invitation yet, so they can't sign in to " +
                  c.snap.resource().tenant.name + ".",
              {"Resend the invitation and ask the guest to open it and select Get Started.",
               "POST /v1.0/invitations {\"invitedUserEmailAddress\":\"" + c.u().mail +
                   "\",\"inviteRedirectUrl\":\"…\",\"sendInvitationMessage\":true}",
               "gatehouse invite " + c.u().mail});
}

Check AccountOrganizational(const CheckContext& c) {
  if (c.core().home() != HomeKind::kConsumer)
    return Pass("account.organizational", "The user signs in with an organisational (work or school) account.");
  return Fail("account.organizational",
              "Personal Microsoft accounts (outlook.com, hotmail.com, live.com) can't sign in to the maker portal "
              "directly; the guest needs a work or school account.",
              {"Invite the person with their work or school address instead of the personal one.",
               "POST /v1.0/invitations {\"invitedUserEmailAddress\":\"<work address>\",\"inviteRedirectUrl\":\"…\"}",
               "gatehouse invite <work-address>"});
}

// ---- cross-tenant and clouds ---------------------------------------------------

Check CrossTenantInbound(const CheckContext& c) {
  if (c.core().home() != HomeKind::kOtherTenant)
    return Pass("crossTenant.inbound", "Cross-tenant access settings apply only to guests from another organisation.");
  const UserFacts& u = c.u();
  const auto& policy = c.snap.resource().policies.cross_tenant;
  auto r = directory::B2BAllows(policy.Inbound(u.home_tenant_id), "inbound", u.home_object_id, u.home_group_ids,
                                c.req.app_id);
  if (r.allowed)
    return Pass("crossTenant.inbound", "The inbound cross-tenant access settings allow this guest's organisation.");
  const TenantFacts* home = Home(c);
  std::string partner = home ? home->tenant.name : u.home_tenant_id;
  return Fail("crossTenant.inbound", r.message + " (" + c.snap.resource().tenant.name + "'s settings for " + partner +
                                         ")",
              {"Allow the user (or one of their groups) in the inbound B2B collaboration settings for " + partner +
                   ", or in the default settings.",
               "PATCH /v1.0/policies/crossTenantAccessPolicy/partners/" + u.home_tenant_id +
                   " {\"b2bCollaborationInbound\":{\"usersAndGroups\":{\"accessType\":\"allowed\",\"targets\":[{"
                   "\"target\":\"AllUsers\",\"targetType\":\"user\"}]}}}",
               "gatehouse cross-tenant set " + u.home_tenant_id + " --inbound allow"});
}

Check CrossTenantOutbound(const CheckContext& c) {
  const TenantFacts* home = c.core().home() == HomeKind::kOtherTenant ? Home(c) : nullptr;
  if (!home)
    return Pass("crossTenant.outbound", "No outbound settings apply: the guest's home organisation isn't on this "
                                        "server.");
  const UserFacts& u = c.u();
  auto r = directory::B2BAllows(home->policies.cross_tenant.Outbound(c.snap.resource().tenant.id), "outbound",
                                u.home_object_id, u.home_group_ids, c.req.app_id);
  if (r.allowed)
    return Pass("crossTenant.outbound", "The home organisation's outbound settings allow this user here.");
  return Fail("crossTenant.outbound",
              r.message + " (" + home->tenant.name + "'s settings for " + c.snap.resource().tenant.name + ")",
              {"Ask an administrator of " + home->tenant.name +
                   " (the guest's home organisation) to allow the user in their outbound B2B collaboration "
                   "settings for " + c.snap.resource().tenant.name + ".",
               "PATCH /v1.0/policies/crossTenantAccessPolicy/partners/" + c.snap.resource().tenant.id +
                   " {\"b2bCollaborationOutbound\":{\"usersAndGroups\":{\"accessType\":\"allowed\",\"targets\":[{"
                   "\"target\":\"AllUsers\",\"targetType\":\"user\"}]}}}  (with a token of " + home->tenant.name + ")",
               "gatehouse cross-tenant set " + c.snap.resource().tenant.id + " --outbound allow"});
}

Check CloudBoundary(const CheckContext& c) {
  const TenantFacts* home = Home(c);
  if (!home) return Pass("cloud.boundary", "The user's identity is in the same cloud.");
  const auto& res = c.snap.resource();
  auto r = directory::CrossCloudAllowed(res.tenant, res.policies.cross_tenant, home->tenant,
                                        &home->policies.cross_tenant);
  if (r.allowed) return Pass("cloud.boundary", "Collaboration between the two clouds is allowed.");
  return Fail("cloud.boundary", r.message,
              {"Enable collaboration with the " + CloudLabel(home->tenant.cloud) +
                   " cloud in the Microsoft cloud settings of both organisations.",
               "PATCH /v1.0/policies/crossTenantAccessPolicy {\"allowedCloudEndpoints\":[\"" +
                   directory::CloudEndpoint(home->tenant.cloud) + "\"]}",
               "gatehouse cross-tenant clouds add " + directory::CloudEndpoint(home->tenant.cloud)});
}

Check MakerSameCloud(const CheckContext& c) {
  const TenantFacts* home = Home(c);
  const auto& res = c.snap.resource().tenant;
  if (!home || directory::CloudEndpoint(home->tenant.cloud) == directory::CloudEndpoint(res.cloud))
    return Pass("cloud.makerBoundary", "The maker's home organisation is in the same cloud.");
  return Fail("cloud.makerBoundary",
              "B2B makers aren't supported across sovereign cloud boundaries: the guest's home organisation " +
                  home->tenant.name + " is in the " + CloudLabel(home->tenant.cloud) + " cloud and " + res.name +
                  " is in the " + CloudLabel(res.cloud) + " cloud.",
              {"Create a member account for the maker in " + res.name + " (same cloud) instead of a guest.",
               "POST /v1.0/users {\"accountEnabled\":true,\"displayName\":\"…\",\"userPrincipalName\":\"…@" +
                   res.initial_domain + "\",\"passwordProfile\":{…}}",
               "gatehouse users create <name>@" + res.initial_domain});
}

// ---- environments --------------------------------------------------------------

Check EnvironmentExists(const CheckContext& c) {
  if (c.env != kNoIndex) return Pass("environment.exists", "The environment exists.");
  return Fail("environment.exists",
              "There is no environment '" + c.req.environment_id + "' in " + c.snap.resource().tenant.name + ".",
              {"Check the environment URL, or create the environment.",
               "POST /api/v1/environments {\"displayName\":\"…\"}", "gatehouse env create <name>"});
}

Check EnvironmentState(const CheckContext& c) {
  const auto state = c.snap.environment(c.env).env.state;
  using environments::EnvironmentState;
  if (state == EnvironmentState::kEnabled) return Pass("environment.state", "The environment is enabled.");
  if (state == EnvironmentState::kAdminMode && Exempt(c))
    return Pass("environment.state", "The environment is in administration mode and the user is an administrator.");
  Text why = state == EnvironmentState::kDisabled
                 ? Later(c, [](const TextArgs& a) {
                     return "The environment " + EnvOf(a).display_name + " is disabled; nobody can use it.";
                   })
                 : Later(c, [](const TextArgs& a) {
                     return "The environment " + EnvOf(a).display_name +
                            " is in administration mode; only administrators can use it.";
                   });
  return Fail("environment.state", std::move(why),
              {"Turn the environment back on (state enabled).", Later(c, [](const TextArgs& a) {
                 return "PATCH /api/v1/environments/" + EnvOf(a).id + " {\"state\":\"enabled\"}";
               }),
               Later(c, [](const TextArgs& a) {
                 return "gatehouse env update " + EnvOf(a).unique_name + " --state enabled";
               })});
}

Check LicenseEnvironmentAccess(const CheckContext& c) {
  if (c.core().license_environment_access())
    return Pass("license.environmentAccess", "The user holds a licence from this tenant that grants environment access.");
  if (Exempt(c))
    return Pass("license.environmentAccess", "Administrators reach environments without a licence.");
  return Fail("license.environmentAccess", Later(c, [](const TextArgs& a) {
                std::string extra = UserOf(a).guest ? " A licence from the guest's home organisation doesn't count." : "";
                return "The user holds no licence from " + TenantNameOf(a) +
                       " that grants access to business-app environments." + extra;
              }),
              {"Set the user's usage location, then assign a licence such as Dynamics 365 Sales or Power Apps per "
               "user (directly or through a group).",
               Later(c, [](const TextArgs& a) {
                 return "POST /v1.0/users/" + UserOf(a).id +
                        "/assignLicense {\"addLicenses\":[{\"skuId\":\"<skuId>\",\"disabledPlans\":[]}],"
                        "\"removeLicenses\":[]}";
               }),
               Later(c, [](const TextArgs& a) {
                 return "gatehouse license assign " + UpnOf(a) + " POWERAPPS_PER_USER";
               })});
}

Check EnvironmentSecurityGroup(const CheckContext& c) {
  const auto& e = c.snap.environment(c.env);
  if (!e.env.security_group_id)
    return Pass("environment.securityGroup", "The environment has no security group; every licensed user may enter.");
  if (Exempt(c))
    return Pass("environment.securityGroup", "Administrators enter without being in the security group.");
  if (e.security_group != kNoIndex && c.snap.IsMemberOf(c.user, e.security_group))
    return Pass("environment.securityGroup", "The user is a member of the environment's security group.");
  return Fail("environment.securityGroup", Later(c, [](const TextArgs& a) {
                return "You are not a member of the environment's security group (" + SecurityGroupOf(a) + ").";
              }),
              {Later(c, [](const TextArgs& a) { return "Add the user to the group " + SecurityGroupOf(a) + "."; }),
               Later(c, [](const TextArgs& a) {
                 return "POST /v1.0/groups/" + *EnvOf(a).security_group_id +
                        "/members/$ref {\"@odata.id\":\"https://graph.microsoft.com/v1.0/directoryObjects/" +
                        UserOf(a).id + "\"}";
               }),
               Later(c, [](const TextArgs& a) {
                 return "gatehouse groups add-member " + *EnvOf(a).security_group_id + " " + UpnOf(a);
               })});
}

Check EnvironmentSecurityRole(const CheckContext& c) {
  if (c.snap.HoldsAny(c.user, c.env, kHasRole))
    return Pass("environment.securityRole", "The user holds a security role in the environment.");
  if (Exempt(c))
    return Pass("environment.securityRole", "Administrators get System Administrator when they enter.");
  return Fail("environment.securityRole", Later(c, [](const TextArgs& a) {
                return "The user has no security role in " + EnvOf(a).display_name +
                       "; a licence and a security role are both needed.";
              }),
              {Later(c, [](const TextArgs& a) {
                 return "Assign a security role (for example Basic User) in " + EnvOf(a).display_name + ".";
               }),
               Later(c, [](const TextArgs& a) {
                 return "POST /api/v1/environments/" + EnvOf(a).id + "/roleAssignments {\"principalId\":\"" +
                        UserOf(a).id + "\",\"roleId\":\"Basic User\"}";
               }),
               Later(c, [](const TextArgs& a) {
                 return "gatehouse env assign-role " + EnvOf(a).unique_name + " " + UpnOf(a) + " \"Basic User\"";
               })});
}

// ---- apps and making -------------------------------------------------------------

Check AppShared(const CheckContext& c) {
  const AppFacts* app = c.snap.FindApp(c.req.app_id);
  if (!app || (c.env != kNoIndex && app->environment_id != EnvId(c)))
    return Fail("app.shared", "There is no app '" + c.req.app_id + "' in this environment.",
                {"Check the app link.", "GET /api/v1/environments/{id}/apps", "gatehouse env apps <env>"});
  if (app->shared_with_everyone) return Pass("app.shared", "The app " + app->display_name + " is shared with everyone.");
  if (app->owner_id == c.u().id) return Pass("app.shared", "The user owns the app " + app->display_name + ".");
  for (const auto& p : app->shared_with) {
    if (p == c.u().id) return Pass("app.shared", "The app " + app->display_name + " is shared with the user.");
    uint32_t g = c.snap.FindGroup(p);
    if (g != kNoIndex && c.snap.IsMemberOf(c.user, g))
      return Pass("app.shared", "The app " + app->display_name + " is shared with the group " +
                                    c.snap.group(g).display_name + ".");
  }
  return Fail("app.shared", "The app " + app->display_name + " isn't shared with the user or any of their groups.",
              {"Share the app with the user (or a group they belong to).",
               "POST /api/v1/environments/" + app->environment_id + "/apps/" + app->id + "/share {\"principalIds\":[\"" +
                   c.u().id + "\"]}",
               "gatehouse env share-app " + app->environment_id + " " + app->id + " " + Upn(c)});
}

Check LicenseAppRun(const CheckContext& c) {
  if (c.core().license_power_apps() || c.core().license_environment_access())
    return Pass("license.appRun", "The user holds a licence that covers running the app.");
  if (Exempt(c)) return Pass("license.appRun", "Administrators may run apps without a licence here.");
  return Fail("license.appRun", "The user holds no licence from " + c.snap.resource().tenant.name +
                                    " that covers running Power Apps.",
              {"Assign a Power Apps or Dynamics 365 licence in " + c.snap.resource().tenant.name + ".",
               "POST /v1.0/users/" + c.u().id + "/assignLicense {\"addLicenses\":[{\"skuId\":\"<skuId>\"}],"
                                                  "\"removeLicenses\":[]}",
               "gatehouse license assign " + Upn(c) + " POWERAPPS_PER_USER"});
}

Check RoleEnvironmentMaker(const CheckContext& c) {
  const bool model = c.req.action == Action::kAppCreateDataverse;
  const uint32_t need = kPrivCreateCanvasApp;
  if (c.snap.HoldsAny(c.user, c.env, need))
    return Pass("role.environmentMaker", "The user's security roles allow creating apps in " + EnvName(c) + ".");
  (void)model;
  return Fail("role.environmentMaker", Later(c, [](const TextArgs& a) {
                return "The user doesn't hold Environment Maker (or System Customizer / System Administrator) in " +
                       EnvOf(a).display_name + ", so they can't create apps there.";
              }),
              {Later(c, [](const TextArgs& a) {
                 return "Assign the Environment Maker security role in " + EnvOf(a).display_name + ".";
               }),
               Later(c, [](const TextArgs& a) {
                 return "POST /api/v1/environments/" + EnvOf(a).id + "/roleAssignments {\"principalId\":\"" +
                        UserOf(a).id + "\",\"roleId\":\"Environment Maker\"}";
               }),
               Later(c, [](const TextArgs& a) {
                 return "gatehouse env assign-role " + EnvOf(a).unique_name + " " + UpnOf(a) + " \"Environment Maker\"";
               })});
}

Check RoleSolution(const CheckContext& c, bool import) {
  std::string_view id = import ? "role.solutionImport" : "role.solutionExport";
  uint32_t need = import ? kPrivImportSolution : kPrivExportSolution;
  std::string verb = import ? "import" : "export";
  if (c.snap.PrivilegesOf(c.user, c.env) & need)
    return Pass(id, "The user's security roles allow solution " + verb + " in " + EnvName(c) + ".");
  return Fail(id, "The user has no security role that allows solution " + verb + " in " + EnvName(c) + ".",
              {"Assign System Customizer (or a custom role with solution " + verb + ") in " + EnvName(c) + ".",
               "POST /api/v1/environments/" + EnvId(c) + "/roleAssignments {\"principalId\":\"" + c.u().id + "\",\"roleId\":\"System Customizer\"}",
               "gatehouse env assign-role " + EnvUnique(c) + " " + Upn(c) + " \"System Customizer\""});
}

Check EnvironmentDataverse(const CheckContext& c) {
  if (c.snap.environment(c.env).env.dataverse)
    return Pass("environment.dataverse", "The environment has a Dataverse database.");
  return Fail("environment.dataverse", "The environment " + EnvName(c) + " has no Dataverse database.",
              {"Use an environment with Dataverse, or create one.",
               "POST /api/v1/environments {\"displayName\":\"…\",\"dataverse\":true}",
               "gatehouse env create <name> --dataverse"});
}

Check LicenseDataverse(const CheckContext& c) {
  if (c.core().license_dataverse())
    return Pass("license.dataverse", "The user holds a licence with Dataverse use rights from " +
                                         c.snap.resource().tenant.name + ".");
  return Fail("license.dataverse",
              "Building apps that use Dataverse (or apps in a solution) needs a licence with Dataverse use rights "
              "assigned in " + c.snap.resource().tenant.name + " (the resource tenant), and the user holds none.",
              {"Assign a licence with Dataverse use rights (e.g. Power Apps per user with DYN365_CDS_P2 enabled) in " +
                   c.snap.resource().tenant.name + ".",
               "POST /v1.0/users/" + c.u().id +
                   "/assignLicense {\"addLicenses\":[{\"skuId\":\"b30411f5-fea1-4a59-9ad9-3db7c7ead579\","
                   "\"disabledPlans\":[]}],\"removeLicenses\":[]}",
               "gatehouse license assign " + Upn(c) + " POWERAPPS_PER_USER"});
}

Check TenantSettingsGuestsToMake(const CheckContext& c) {
  if (!c.core().guest()) return Pass("tenantSettings.enableGuestsToMake", "The user is a member; the guest setting doesn't apply.");
  if (c.snap.settings().enable_guests_to_make)
    return Pass("tenantSettings.enableGuestsToMake", "The tenant settings allow guests to make apps.");
  return Fail("tenantSettings.enableGuestsToMake",
              "Guests can't create apps: the tenant setting powerPlatform.powerApps.enableGuestsToMake is false.",
              {"Set powerPlatform.powerApps.enableGuestsToMake to true in the tenant settings (Set-TenantSettings).",
               "PATCH /api/v1/tenantSettings {\"powerPlatform\":{\"powerApps\":{\"enableGuestsToMake\":true}}}",
               "gatehouse tenant-settings set powerPlatform.powerApps.enableGuestsToMake=true"});
}

Check GuestAccessSameAsMembers(const CheckContext& c) {
  if (!c.core().guest()) return Pass("guestAccess.sameAsMembers", "The user is a member; the guest access level doesn't apply.");
  const auto& role = c.snap.resource().policies.authorization.guest_user_role_id;
  if (role == directory::kGuestSameAsMembersRole)
    return Pass("guestAccess.sameAsMembers", "Guests have the same access as members (most inclusive).");
  return Fail("guestAccess.sameAsMembers",
              "Guest makers need guest user access 'same as members (most inclusive)', and " +
                  c.snap.resource().tenant.name + "'s external collaboration settings give guests " +
                  (role == directory::kGuestRestrictedRole ? "restricted" : "limited") + " access.",
              {"Set guest user access to 'same as members (most inclusive)' in the external collaboration settings.",
               "PATCH /v1.0/policies/authorizationPolicy {\"guestUserRoleId\":\"" +
                   std::string(directory::kGuestSameAsMembersRole) + "\"}",
               "gatehouse policy set guestUserRoleId=" + std::string(directory::kGuestSameAsMembersRole)});
}

// ---- refused surfaces ------------------------------------------------------------

namespace {
Remedy MemberAccountRemedy(const CheckContext& c) {
  const auto& t = c.snap.resource().tenant;
  return {"Create a member user in " + t.name + " for this person and give that account access instead.",
          "POST /v1.0/users {\"accountEnabled\":true,\"displayName\":\"" + c.u().display_name +
              "\",\"userPrincipalName\":\"…@" + t.initial_domain + "\",\"passwordProfile\":{…}}",
          "gatehouse users create <name>@" + t.initial_domain};
}
}  // namespace

Check ClientUsd(const CheckContext& c) {
  if (!c.core().guest()) return Pass("client.usd", "Members may use the Unified Service Desk client.");
  return Fail("client.usd", "Invited (B2B guest) users can't use the Unified Service Desk client to sign in to " +
                                c.snap.resource().tenant.name + "'s environments.",
              MemberAccountRemedy(c));
}

Check ClientOutlookHomeEmail(const CheckContext& c) {
  if (!c.core().guest()) return Pass("client.outlookHomeEmail", "Members may use Dynamics 365 App for Outlook.");
  return Fail("client.outlookHomeEmail",
              "Invited (B2B guest) users can't use their own organisation's email address for email transactions "
              "in the host environment (Dynamics 365 App for Outlook).",
              MemberAccountRemedy(c));
}

Check CustomerVoice(const CheckContext& c) {
  if (!c.core().guest()) return Pass("customerVoice.use", "Members may use Dynamics 365 Customer Voice.");
  return Fail("customerVoice.use", "Invited (B2B guest) users can't use Dynamics 365 Customer Voice.",
              MemberAccountRemedy(c));
}

Check GroupCreateMicrosoft365(const CheckContext& c) {
  if (!c.core().guest()) return Pass("group.createMicrosoft365", "Members may create Microsoft 365 groups.");
  return Fail("group.createMicrosoft365",
              "Guests can't create Microsoft 365 groups in " + c.snap.resource().tenant.name +
                  "; they can take part in groups they are members of.",
              {"Ask a member of " + c.snap.resource().tenant.name + " to create the group and add the guest to it.",
               "POST /v1.0/groups {\"displayName\":\"…\",\"groupTypes\":[\"Unified\"],\"mailEnabled\":true,"
               "\"securityEnabled\":false,\"mailNickname\":\"…\"}",
               "gatehouse groups create <name> --microsoft365"});
}

Check GroupParticipate(const CheckContext& c) {
  if (c.req.target_id.empty())
    return Pass("group.member", "Members and guests take part in the Microsoft 365 groups they belong to.");
  uint32_t g = c.snap.FindGroup(c.req.target_id);
  if (g != kNoIndex && c.snap.IsMemberOf(c.user, g))
    return Pass("group.member", "The user is a member of " + c.snap.group(g).display_name +
                                    " and can take part in its conversations.");
  std::string name = g == kNoIndex ? c.req.target_id : c.snap.group(g).display_name;
  return Fail("group.member", "The user is not a member of the group " + name + ".",
              {"Add the user to the group.",
               "POST /v1.0/groups/" + c.req.target_id +
                   "/members/$ref {\"@odata.id\":\"https://graph.microsoft.com/v1.0/directoryObjects/" + c.u().id + "\"}",
               "gatehouse groups add-member " + c.req.target_id + " " + Upn(c)});
}

// ---- directory -------------------------------------------------------------------

Check DirectoryRead(const CheckContext& c) {
  if (!c.core().guest()) return Pass("directory.guestAccessLevel", "Members read the directory.");
  const auto& role = c.snap.resource().policies.authorization.guest_user_role_id;
  const std::string& target = c.req.target_id;
  Remedy remedy{"Raise guest user access in the external collaboration settings.",
                "PATCH /v1.0/policies/authorizationPolicy {\"guestUserRoleId\":\"" +
                    std::string(directory::kGuestSameAsMembersRole) + "\"}",
                "gatehouse policy set guestUserRoleId=" + std::string(directory::kGuestSameAsMembersRole)};
  if (role == directory::kGuestSameAsMembersRole)
    return Pass("directory.guestAccessLevel", "Guests have the same directory access as members.");
  // Restricted, and any level Gatehouse doesn't know (fails closed): their
  // own profile only, named by its id or its userPrincipalName.
  if (role != directory::kGuestLimitedRole) {
    const std::string self = ToLower(target);
    if (!self.empty() && (self == c.u().id || self == ToLower(c.u().user_principal_name)))
      return Pass("directory.guestAccessLevel", "Restricted guests may read their own profile.");
    return Fail("directory.guestAccessLevel",
                "Guest access is restricted: guests see only their own profile, not other users even by id.",
                std::move(remedy));
  }
  if (!target.empty())
    return Pass("directory.guestAccessLevel", "Guests with limited access may read an object by its id.");
  return Fail("directory.guestAccessLevel",
              "Guest access is limited: guests can look up others by id but can't enumerate users and groups.",
              std::move(remedy));
}

Check InviteAllowed(const CheckContext& c) {
  directory::InviterFacts who;
  who.directory_roles = c.u().directory_roles;
  who.user_type = c.u().guest ? directory::UserType::kGuest : directory::UserType::kMember;
  auto r = directory::MayInvite(c.snap.resource().policies.authorization, who);
  if (r.allowed) return Pass("invite.allowed", "The user may invite guests.");
  return Fail("invite.allowed", r.message,
              {"Give the user the Guest Inviter (or User Administrator) role, or widen who may invite.",
               "POST /v1.0/roleManagement/directory/roleAssignments {\"roleDefinitionId\":\"" +
                   std::string(directory::kGuestInviterRole) + "\",\"principalId\":\"" + c.u().id +
                   "\",\"directoryScopeId\":\"/\"}",
               "gatehouse directory-roles assign " + Upn(c) + " \"Guest Inviter\""});
}

Check InviteDomain(const CheckContext& c) {
  if (c.req.target_id.empty()) return Pass("invite.domain", "No invitee address given; the domain list isn't checked.");
  std::string domain = DomainOf(c.req.target_id);
  auto r = directory::DomainAllowed(c.snap.resource().policies.domains, domain);
  if (r.allowed) return Pass("invite.domain", "Invitations to " + domain + " are allowed.");
  // The list as it would be with the domain allowed: off a deny-list, or on an allow-list.
  directory::DomainRestrictions allowed = c.snap.resource().policies.domains;
  auto& list = allowed.domains;
  if (allowed.mode == directory::DomainRestrictions::Mode::kDenyList)
    list.erase(std::remove(list.begin(), list.end(), domain), list.end());
  else
    list.push_back(domain);
  return Fail("invite.domain", r.message,
              {"Allow the domain in the collaboration restrictions.",
               "PATCH /api/v1/collaborationRestrictions " +
                   boost::json::serialize(wire::DomainRestrictionsToJson(allowed)),
               "gatehouse policy domains allow " + domain});
}

Check InviteCrossTenant(const CheckContext& c) {
  if (c.req.target_id.empty()) return Pass("crossTenant.inbound", "No invitee address given.");
  std::string domain = DomainOf(c.req.target_id);
  const TenantFacts* home = c.snap.HomeTenantByDomain(domain);
  const auto& res = c.snap.resource();
  if (!home || home->tenant.id == res.tenant.id)
    return Pass("crossTenant.inbound", "No cross-tenant settings apply to invitations to " + domain + ".");
  // At invitation time the invitee's object ids are unknown: only a setting
  // that leaves everyone out refuses (B2BAllows with no user).
  auto in = directory::B2BAllows(res.policies.cross_tenant.Inbound(home->tenant.id), "inbound", "", {}, "");
  if (!in.allowed)
    return Fail("crossTenant.inbound", in.message + " (" + res.tenant.name + "'s settings for " + home->tenant.name + ")",
                {"Allow " + home->tenant.name + "'s users in the inbound B2B collaboration settings.",
                 "PATCH /v1.0/policies/crossTenantAccessPolicy/partners/" + home->tenant.id +
                     " {\"b2bCollaborationInbound\":{\"usersAndGroups\":{\"accessType\":\"allowed\",\"targets\":[{"
                     "\"target\":\"AllUsers\",\"targetType\":\"user\"}]}}}",
                 "gatehouse cross-tenant set " + home->tenant.id + " --inbound allow"});
  return Pass("crossTenant.inbound", "The cross-tenant access settings allow invitations to " + home->tenant.name + ".");
}

}  // namespace gh::gate
