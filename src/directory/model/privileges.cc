#include "directory/model/privileges.h"

#include <algorithm>
#include <initializer_list>

#include "core/strings.h"

namespace gh::directory {
namespace {

constexpr std::string_view kRoleManagementWrite = "RoleManagement.ReadWrite.Directory";
// The delegated scope that lets an app act with all of the signed-in user's rights.
constexpr std::string_view kAccessAsUser = "Directory.AccessAsUser.All";

Status Denied(std::string message) { return PermissionDenied(std::move(message), "Authorization_RequestDenied"); }

bool AnyRole(const Actor& a, std::initializer_list<std::string_view> roles) {
  return std::any_of(roles.begin(), roles.end(), [&](std::string_view r) { return a.HoldsRole(r); });
}
bool AnyScope(const Actor& a, std::initializer_list<std::string_view> scopes) {
  return a.HoldsScope(kAccessAsUser) ||
         std::any_of(scopes.begin(), scopes.end(), [&](std::string_view s) { return a.HoldsScope(s); });
}
bool AnyPermission(const Actor& a, std::initializer_list<std::string_view> perms) {
  return std::any_of(perms.begin(), perms.end(), [&](std::string_view p) { return a.HoldsPermission(p); });
}

// The administrator roles that may take sensitive actions on a holder of
// `role` (Global Administrators always may).
std::vector<std::string_view> ManagedBy(std::string_view role) {
  if (role == kGuestInviterRole || role == kHelpdeskAdministratorRole)
    return {kUserAdministratorRole, kHelpdeskAdministratorRole};
  if (role == kUserAdministratorRole) return {kUserAdministratorRole};
  return {};
}

bool HelpdeskMay(UserAction action) {
  return action == UserAction::kResetPassword || action == UserAction::kResetRedemption;
}

std::string RoleNames(const std::vector<std::string>& roles) {
  std::string out;
  for (const auto& r : roles) {
    const RoleTemplate* t = FindRoleTemplate(r);
    out += (out.empty() ? "" : ", ") + std::string(t ? t->display_name : std::string_view(r));
  }
  return out;
}

}  // namespace

Status MayTakeSensitiveAction(const Actor& actor, const std::vector<std::string>& target_roles, UserAction action) {
  if (actor.IsSystem() || actor.HoldsRole(kGlobalAdministratorRole)) return OkStatus();
  if (actor.IsApp()) {
    // Graph: Directory.ReadWrite.All "doesn't include permission to reset
    // user passwords"; User.ReadWrite.All does.
    if (action == UserAction::kResetPassword && !actor.HoldsPermission("User.ReadWrite.All"))
      return Denied("Resetting a password needs the application permission User.ReadWrite.All.");
    if (target_roles.empty() || (action != UserAction::kResetRedemption && actor.HoldsPermission(kRoleManagementWrite)))
      return OkStatus();
    return Denied("An application can't change the sign-in or security properties of a user who holds directory "
                  "roles (" + RoleNames(target_roles) + "). Ask a Global Administrator.");
  }
  // A user: some role of theirs must manage every role the target holds.
  std::vector<std::string_view> able = {kUserAdministratorRole};
  if (HelpdeskMay(action)) able.push_back(kHelpdeskAdministratorRole);
  for (const auto& role : target_roles) {
    auto managers = ManagedBy(role);
    able.erase(std::remove_if(able.begin(), able.end(),
                              [&](std::string_view a) {
                                return std::find(managers.begin(), managers.end(), a) == managers.end();
                              }),
               able.end());
  }
  for (std::string_view r : able)
    if (actor.HoldsRole(r)) return OkStatus();
  if (!target_roles.empty())
    return Denied("This user holds privileged directory roles (" + RoleNames(target_roles) +
                  "); only a Global Administrator can change their password, sign-in name, mail, account status "
                  "or redemption, or delete them.");
  return Denied("Changing a user's password, sign-in name, mail, account status or redemption needs the User "
                "Administrator role (Helpdesk Administrators may reset passwords and redemptions).");
}

Status MayEditUserProperties(const Actor& actor) {
  if (actor.IsSystem()) return OkStatus();
  const bool may = actor.IsApp() ? AnyPermission(actor, {"User.ReadWrite.All", "Directory.ReadWrite.All"})
                                 : AnyRole(actor, {kGlobalAdministratorRole, kUserAdministratorRole});
  if (may) return OkStatus();
  return Denied("Changing a user's properties needs the User Administrator role; a Helpdesk Administrator may only "
                "reset passwords.");
}

Status MayManageRoleAssignableGroup(const Actor& actor) {
  if (actor.IsSystem()) return OkStatus();
  if (actor.IsApp() ? actor.HoldsPermission(kRoleManagementWrite)
                    : AnyRole(actor, {kGlobalAdministratorRole, kPrivilegedRoleAdministratorRole}) &&
                          AnyScope(actor, {kRoleManagementWrite, "Group.ReadWrite.All", "GroupMember.ReadWrite.All",
                                           "Directory.ReadWrite.All"}))
    return OkStatus();
  return Denied("This group can be assigned directory roles: only a Global Administrator or a Privileged Role "
                "Administrator can change it or its members.");
}

Status MayWriteGroup(const Actor& actor, const Group& group) {
  if (group.is_assignable_to_role) return MayManageRoleAssignableGroup(actor);
  if (actor.IsSystem()) return OkStatus();
  bool may = actor.IsApp() ? AnyPermission(actor, {"Group.ReadWrite.All", "Directory.ReadWrite.All"})
                           : AnyRole(actor, {kGlobalAdministratorRole, kUserAdministratorRole}) &&
                                 AnyScope(actor, {"Group.ReadWrite.All", "Directory.ReadWrite.All"});
  if (may) return OkStatus();
  return Denied("Creating, changing or deleting groups needs the User Administrator role (or an application with "
                "Group.ReadWrite.All).");
}

Status MayWriteMembers(const Actor& actor, const Group& group) {
  if (group.is_assignable_to_role) return MayManageRoleAssignableGroup(actor);
  if (actor.IsSystem()) return OkStatus();
  bool may = actor.IsApp()
                 ? AnyPermission(actor, {"GroupMember.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"})
                 : AnyRole(actor, {kGlobalAdministratorRole, kUserAdministratorRole}) &&
                       AnyScope(actor, {"GroupMember.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"});
  if (may) return OkStatus();
  return Denied("Adding people to the group '" + group.display_name +
                "' needs the right to manage its members (User Administrator, or an application with "
                "GroupMember.ReadWrite.All).");
}

Status MayResetRedemption(const Actor& actor, const User& target, const std::vector<std::string>& target_roles,
                          const std::string& new_email) {
  const bool external = target.creation_type.value_or("") == "Invitation" || target.user_type == UserType::kGuest;
  if (!external)
    return InvalidArgument("resetRedemption applies only to external users (invited guests or members); '" +
                               target.user_principal_name + "' is an account of this organization.",
                           "Request_BadRequest");
  if (actor.IsUser() && !AnyRole(actor, {kGlobalAdministratorRole, kUserAdministratorRole, kHelpdeskAdministratorRole}))
    return Denied("Resetting a guest's redemption needs the Helpdesk Administrator, User Administrator or Global "
                  "Administrator role.");
  GH_RETURN_IF_ERROR(MayTakeSensitiveAction(actor, target_roles, UserAction::kResetRedemption));
  if (actor.IsSystem() || actor.HoldsRole(kGlobalAdministratorRole)) return OkStatus();
  const std::string wanted = ToLower(new_email);
  bool known = target.mail && ToLower(*target.mail) == wanted;
  for (const auto& m : target.other_mails) known |= ToLower(m) == wanted;
  if (!known)
    return Denied("invitedUserEmailAddress must be an address the user already has (mail or otherMails). Update "
                  "the user's mail first, then reset the redemption with it.");
  return OkStatus();
}

bool MaySeeResetLink(const Actor& actor) { return actor.IsSystem() || actor.HoldsRole(kGlobalAdministratorRole); }

}  // namespace gh::directory
