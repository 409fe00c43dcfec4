// PackedUser (directory/packed_user.h): every field of a User survives
// packing, with and without its optional parts, and a typical guest packs
// into one small block.
#include "directory/packed_user.h"

#include <gtest/gtest.h>

namespace gh::directory {
namespace {

User FullUser() {
  User u;
  u.id = "8a1d9a53-6f8e-4b0c-9f5e-0d3c2f1b7a64";
  u.tenant_id = "0f2c3a7e-2d41-4f3b-8a0e-5c6b7d8e9f10";
  u.user_principal_name = "bob_fabrikam.test#EXT#@contoso.test";
  u.display_name = "Bob Bäcker";  // non-ASCII survives
  u.mail = "bob@fabrikam.test";
  u.given_name = "Bob";
  u.surname = "";  // present but empty is not absent
  u.job_title = "Buyer";
  u.company_name = "Fabrikam";
  u.usage_location = "NO";
  u.preferred_language = "nb-NO";
  u.mail_nickname = "bob_fabrikam.test#EXT#";
  u.account_enabled = false;
  u.user_type = UserType::kGuest;
  u.external_user_state = "Accepted";
  u.external_user_state_changed_at = 1'765'000'000'123;
  u.creation_type = "Invitation";
  u.identities = {{"federated", "fabrikam.test", "bob@fabrikam.test"},
                  {"userPrincipalName", "contoso.test", "bob_fabrikam.test#EXT#@contoso.test"}};
  u.other_mails = {"bob@fabrikam.test", "robert@fabrikam.test"};
  u.password_hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";
  u.created_at = 1'700'000'000'000;
  u.updated_at = -1;  // negative numbers survive the zig-zag form
  u.sessions_valid_from = 0;
  return u;
}

TEST(PackedUserTest, EveryFieldSurvives) {
  const User u = FullUser();
  PackedUser packed(u);
  EXPECT_EQ(packed.Unpack(), u);
  EXPECT_EQ(packed.id(), u.id);
  EXPECT_EQ(packed.user_principal_name(), u.user_principal_name);
}

TEST(PackedUserTest, AbsentOptionalsStayAbsent) {
  User u;
  u.id = "1";
  u.user_principal_name = "a@contoso.test";
  PackedUser packed(u);
  const User back = packed.Unpack();
  EXPECT_EQ(back, u);
  EXPECT_FALSE(back.mail.has_value());
  EXPECT_FALSE(back.external_user_state_changed_at.has_value());
  EXPECT_TRUE(back.identities.empty());
}

TEST(PackedUserTest, AnInvitedGuestTakesOneSmallBlock) {
  User u = FullUser();
  u.password_hash.clear();  // guests sign in at home
  u.other_mails.resize(1);
  u.identities.resize(1);
  PackedUser packed(u);
  // The strings alone are ~260 bytes; a User holding them takes ~1 KB in
  // heap blocks and padding.
  EXPECT_LT(packed.bytes(), 320u);
}

}  // namespace
}  // namespace gh::directory
