#pragma once
// Who may act on whom in the directory, as Entra decides it. The route table
// admits a caller for a kind of operation (a user's role and delegated scope,
// or an app's application permission); these rules then judge the target:
//
//  - Sensitive actions on a user (password, enabled state, sign-in name, mail,
//    user type, deletion, redemption reset) are open to an administrator only
//    when every directory role the target holds is one that administrator's
//    role may manage (Entra's "who can reset passwords" table): a Helpdesk or
//    User Administrator manages users with no role, Guest Inviters and
//    Helpdesk Administrators; a User Administrator also other User
//    Administrators; holders of any other role (Global, Privileged Role,
//    License, Power Platform Administrator) only a Global Administrator.
//    Helpdesk Administrators only reset passwords and redemptions. An app
//    acts only on users with no role, unless it holds
//    RoleManagement.ReadWrite.Directory (with which it could give itself any
//    role anyway).
//  - Role-assignable groups (isAssignableToRole) are the only groups that hold
//    directory roles. Creating one, changing it, deleting it or changing its
//    members is for Global and Privileged Role Administrators (apps:
//    RoleManagement.ReadWrite.Directory); it has no nested groups.
//  - Writing any group's members needs the group-member write right
//    (User or Global Administrator with a group write scope; apps:
//    GroupMember.ReadWrite.All, Group.ReadWrite.All or
//    Directory.ReadWrite.All) — whatever path the write takes: Graph, an
//    invitation's groups, a bulk file's groups column, the portal.
//
// Pure functions of the actor and the target; refusals are PermissionDenied
// "Authorization_RequestDenied" with a sentence naming who can do it.
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "directory/model/actor.h"
#include "directory/model/types.h"

namespace gh::directory {

enum class UserAction {
  kResetPassword,
  kEnableOrDisable,
  kChangeSignInName,  // userPrincipalName
  kChangeMail,        // mail, otherMails
  kChangeUserType,
  kDelete,
  kResetRedemption,
};

// OK when `actor` may take `action` on a user holding `target_roles`.
Status MayTakeSensitiveAction(const Actor& actor, const std::vector<std::string>& target_roles, UserAction action);

// OK when `actor` may change a user's properties other than the password:
// User and Global Administrators (Helpdesk Administrators only reset
// passwords), apps with User.ReadWrite.All or Directory.ReadWrite.All.
Status MayEditUserProperties(const Actor& actor);

// OK when `actor` may create, change, delete or change the members of a
// role-assignable group.
Status MayManageRoleAssignableGroup(const Actor& actor);

// OK when `actor` may create, change or delete `group` (a role-assignable one
// by MayManageRoleAssignableGroup; others need the group write right: User or
// Global Administrator, apps Group.ReadWrite.All or Directory.ReadWrite.All).
Status MayWriteGroup(const Actor& actor, const Group& group);

// OK when `actor` may add members to or remove members from `group`.
Status MayWriteMembers(const Actor& actor, const Group& group);

// OK when `actor` may reset the redemption of `target` (holding
// `target_roles`) so that `new_email` redeems it: only external users
// (invited, or guests); a Helpdesk, User or Global Administrator (apps: only
// for users with no role); the sensitive-action tiers; and, but for a Global
// Administrator, an address the user already has (mail or otherMails) — an
// administrator who may change the user's mail does that first, as Entra asks.
Status MayResetRedemption(const Actor& actor, const User& target, const std::vector<std::string>& target_roles,
                          const std::string& new_email);

// Whether a redemption reset's link may be handed back to `actor` instead of
// only being mailed to the user: it signs in as the user, so only for a
// Global Administrator (or Gatehouse itself).
bool MaySeeResetLink(const Actor& actor);

}  // namespace gh::directory
