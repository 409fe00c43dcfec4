// The directory's target rules (directory/model/privileges.h), one table each:
// who may take which sensitive action on a holder of which role, who may
// write which group's members, who may reset whose redemption.
#include "directory/model/privileges.h"

#include <gtest/gtest.h>

namespace gh::directory {
namespace {

Actor UserWith(std::vector<std::string> roles, std::vector<std::string> scopes = {"Directory.AccessAsUser.All"}) {
  Actor a{"u1", "user", "Someone"};
  a.directory_roles = std::move(roles);
  a.scopes = std::move(scopes);
  return a;
}
Actor AppWith(std::vector<std::string> permissions) {
  Actor a{"app1", "app", "Some app"};
  a.app_permissions = std::move(permissions);
  return a;
}
const std::string kGA(kGlobalAdministratorRole), kUA(kUserAdministratorRole), kHD(kHelpdeskAdministratorRole),
    kGI(kGuestInviterRole), kPRA(kPrivilegedRoleAdministratorRole), kLA(kLicenseAdministratorRole),
    kPPA(kPowerPlatformAdministratorRole);

TEST(PrivilegesTest, SensitiveActionsFollowEntrasTiers) {
  struct Row {
    std::vector<std::string> actor_roles;
    std::vector<std::string> target_roles;
    UserAction action;
    bool allowed;
  };
  const Row rows[] = {
      {{kGA}, {kGA}, UserAction::kResetPassword, true},
      {{kGA}, {kPRA, kUA}, UserAction::kDelete, true},
      {{kUA}, {}, UserAction::kDelete, true},
      {{kUA}, {kGI}, UserAction::kChangeMail, true},
      {{kUA}, {kHD}, UserAction::kEnableOrDisable, true},
      {{kUA}, {kUA}, UserAction::kResetPassword, true},
      {{kUA}, {kGA}, UserAction::kResetPassword, false},
      {{kUA}, {kGA}, UserAction::kEnableOrDisable, false},
      {{kUA}, {kGA}, UserAction::kChangeSignInName, false},
      {{kUA}, {kGA}, UserAction::kChangeMail, false},
      {{kUA}, {kGA}, UserAction::kDelete, false},
      {{kUA}, {kPRA}, UserAction::kResetPassword, false},
      {{kUA}, {kLA}, UserAction::kResetPassword, false},
      {{kUA}, {kPPA}, UserAction::kDelete, false},
      {{kUA}, {kGI, kGA}, UserAction::kResetPassword, false},  // every role of the target counts
      {{kHD}, {}, UserAction::kResetPassword, true},
      {{kHD}, {kHD}, UserAction::kResetPassword, true},
      {{kHD}, {}, UserAction::kResetRedemption, true},
      {{kHD}, {}, UserAction::kDelete, false},
      {{kHD}, {}, UserAction::kChangeSignInName, false},
      {{kHD}, {kUA}, UserAction::kResetPassword, false},
      {{kGI}, {}, UserAction::kResetRedemption, false},
      {{kPRA}, {}, UserAction::kResetPassword, false},
      {{}, {}, UserAction::kResetPassword, false},
  };
  for (const auto& r : rows) {
    Status s = MayTakeSensitiveAction(UserWith(r.actor_roles), r.target_roles, r.action);
    EXPECT_EQ(s.ok(), r.allowed) << "actor roles " << r.actor_roles.size() << " target roles " << r.target_roles.size()
                                 << " action " << static_cast<int>(r.action) << ": " << s.ToString();
    if (!s.ok()) EXPECT_EQ(s.reason(), "Authorization_RequestDenied");
  }
  EXPECT_TRUE(MayTakeSensitiveAction(Actor::System(), {kGA}, UserAction::kDelete).ok());
}

TEST(PrivilegesTest, AppsActOnlyOnUsersWithoutRolesUnlessTheyManageRoles) {
  Actor writer = AppWith({"User.ReadWrite.All"});
  EXPECT_TRUE(MayTakeSensitiveAction(writer, {}, UserAction::kResetPassword).ok());
  EXPECT_FALSE(MayTakeSensitiveAction(writer, {kGI}, UserAction::kResetPassword).ok());
  Actor roles = AppWith({"User.ReadWrite.All", "RoleManagement.ReadWrite.Directory"});
  EXPECT_TRUE(MayTakeSensitiveAction(roles, {kGA}, UserAction::kDelete).ok());
  // Entra: an app-only redemption reset fails on any user holding a role.
  EXPECT_FALSE(MayTakeSensitiveAction(roles, {kGI}, UserAction::kResetRedemption).ok());
  // Graph: Directory.ReadWrite.All doesn't reset passwords.
  Actor directory = AppWith({"Directory.ReadWrite.All"});
  EXPECT_FALSE(MayTakeSensitiveAction(directory, {}, UserAction::kResetPassword).ok());
  EXPECT_TRUE(MayTakeSensitiveAction(directory, {}, UserAction::kChangeMail).ok());
}

TEST(PrivilegesTest, HelpdeskAdministratorsResetPasswordsButEditNothingElse) {
  EXPECT_TRUE(MayEditUserProperties(UserWith({kGA})).ok());
  EXPECT_TRUE(MayEditUserProperties(UserWith({kUA})).ok());
  EXPECT_FALSE(MayEditUserProperties(UserWith({kHD})).ok());
  EXPECT_FALSE(MayEditUserProperties(UserWith({})).ok());
  EXPECT_TRUE(MayEditUserProperties(AppWith({"Directory.ReadWrite.All"})).ok());
  EXPECT_FALSE(MayEditUserProperties(AppWith({"User.Read.All"})).ok());
  EXPECT_TRUE(MayEditUserProperties(Actor::System()).ok());
  EXPECT_TRUE(MayTakeSensitiveAction(UserWith({kHD}), {}, UserAction::kResetPassword).ok());
}

TEST(PrivilegesTest, RoleAssignableGroupsAreForGlobalAndPrivilegedRoleAdministrators) {
  Group role_group;
  role_group.display_name = "Admins";
  role_group.is_assignable_to_role = true;
  Group plain;
  plain.display_name = "Sales";
  EXPECT_TRUE(MayWriteMembers(UserWith({kGA}), role_group).ok());
  EXPECT_TRUE(MayWriteMembers(UserWith({kPRA}), role_group).ok());
  EXPECT_FALSE(MayWriteMembers(UserWith({kUA}), role_group).ok());
  EXPECT_FALSE(MayWriteMembers(AppWith({"GroupMember.ReadWrite.All", "Directory.ReadWrite.All"}), role_group).ok());
  EXPECT_TRUE(MayWriteMembers(AppWith({"RoleManagement.ReadWrite.Directory"}), role_group).ok());
  EXPECT_TRUE(MayWriteGroup(UserWith({kPRA}), role_group).ok());
  EXPECT_FALSE(MayWriteGroup(UserWith({kUA}), role_group).ok());

  EXPECT_TRUE(MayWriteMembers(UserWith({kUA}), plain).ok());
  EXPECT_FALSE(MayWriteMembers(UserWith({kPRA}), plain).ok());
  EXPECT_FALSE(MayWriteMembers(UserWith({kGI}), plain).ok());
  EXPECT_FALSE(MayWriteMembers(UserWith({kHD}), plain).ok());
  EXPECT_TRUE(MayWriteMembers(AppWith({"GroupMember.ReadWrite.All"}), plain).ok());
  EXPECT_FALSE(MayWriteMembers(AppWith({"User.Invite.All"}), plain).ok());
  // Role and scope together: a User Administrator signed in to a sign-in-only app can't.
  EXPECT_FALSE(MayWriteMembers(UserWith({kUA}, {"User.Read"}), plain).ok());
  EXPECT_TRUE(MayWriteMembers(UserWith({kUA}, {"GroupMember.ReadWrite.All"}), plain).ok());
}

TEST(PrivilegesTest, RedemptionResetIsForExternalUsersAtTheirOwnAddress) {
  User guest;
  guest.user_principal_name = "g_example.org#EXT#@contoso.test";
  guest.user_type = UserType::kGuest;
  guest.creation_type = "Invitation";
  guest.mail = "g@example.org";
  guest.other_mails = {"g.new@example.org"};
  User member;
  member.user_principal_name = "m@contoso.test";

  EXPECT_TRUE(MayResetRedemption(UserWith({kHD}), guest, {}, "G@Example.org").ok());
  EXPECT_TRUE(MayResetRedemption(UserWith({kUA}), guest, {}, "g.new@example.org").ok());
  EXPECT_FALSE(MayResetRedemption(UserWith({kUA}), guest, {}, "attacker@example.org").ok());
  EXPECT_TRUE(MayResetRedemption(UserWith({kGA}), guest, {}, "attacker@example.org").ok());
  EXPECT_FALSE(MayResetRedemption(UserWith({kGI}), guest, {}, "g@example.org").ok());
  EXPECT_FALSE(MayResetRedemption(UserWith({kUA}), guest, {kGA}, "g@example.org").ok());
  EXPECT_EQ(MayResetRedemption(UserWith({kGA}), member, {}, "m@contoso.test").code(), Code::kInvalidArgument);
  EXPECT_TRUE(MayResetRedemption(AppWith({"User.Invite.All"}), guest, {}, "g@example.org").ok());
  EXPECT_FALSE(MayResetRedemption(AppWith({"User.Invite.All"}), guest, {kGI}, "g@example.org").ok());

  EXPECT_TRUE(MaySeeResetLink(UserWith({kGA})));
  EXPECT_FALSE(MaySeeResetLink(UserWith({kUA})));
  EXPECT_FALSE(MaySeeResetLink(AppWith({"Directory.ReadWrite.All"})));
}

}  // namespace
}  // namespace gh::directory
