#include "directory/directory_service.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "support/failing_store.h"
#include "support/test_env.h"

namespace gh::directory {
namespace {

using gh::testing::TestEnv;

class DirectoryServiceTest : public ::testing::Test {
 protected:
  TestEnv env;
  Actor actor{"", "system", "test"};
  std::string tenant = env.Tenant("Contoso", "contoso.test").res.tenant.id;

  NewUser Member(const std::string& nick) {
    NewUser u;
    u.user_principal_name = nick + "@contoso.test";
    u.display_name = nick;
    u.mail_nickname = nick;
    u.password = "Str0ng-Passw0rd!";
    return u;
  }
};

TEST_F(DirectoryServiceTest, CreateUserValidatesAndAudits) {
  env.clock.Advance(1000);  // the audit log lists newest first, by time
  auto u = env.directory->CreateUser(actor, tenant, Member("ada"));
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_TRUE(u->password_hash.starts_with("$argon2id$")) << u->password_hash;
  EXPECT_EQ(u->identities.at(0).issuer, "contoso.test");
  store::AuditQuery q;
  q.tenant_id = tenant;
  q.top = 1;
  auto log = env.directory->ListAudit(q);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->items.at(0).activity, "Add user");
  EXPECT_EQ(log->items.at(0).target_id, u->id);
}

TEST_F(DirectoryServiceTest, RefusesBadUsers) {
  auto bad_domain = Member("x");
  bad_domain.user_principal_name = "x@elsewhere.test";
  EXPECT_EQ(env.directory->CreateUser(actor, tenant, bad_domain).status().code(), Code::kInvalidArgument);
  auto bad_location = Member("y");
  bad_location.usage_location = "ZZ";
  EXPECT_EQ(env.directory->CreateUser(actor, tenant, bad_location).status().code(), Code::kInvalidArgument);
  auto no_password = Member("z");
  no_password.password.clear();
  EXPECT_EQ(env.directory->CreateUser(actor, tenant, no_password).status().code(), Code::kInvalidArgument);
  ASSERT_TRUE(env.directory->CreateUser(actor, tenant, Member("dup")).ok());
  auto dup = Member("DUP");
  auto s = env.directory->CreateUser(actor, tenant, dup).status();
  EXPECT_EQ(s.code(), Code::kAlreadyExists);
  EXPECT_EQ(s.message(), "Another object with the same value for property userPrincipalName already exists.");
}

TEST_F(DirectoryServiceTest, PatchChangesOnlyEngagedFieldsAndClearsNulls) {
  auto in = Member("pat");
  in.job_title = "Engineer";
  in.surname = "Smith";
  auto u = env.directory->CreateUser(actor, tenant, in);
  ASSERT_TRUE(u.ok());
  UserPatch p;
  p.job_title = std::optional<std::string>{};  // clear
  p.usage_location = std::optional<std::string>{"GB"};
  auto updated = env.directory->UpdateUser(actor, tenant, "PAT@contoso.test", p);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_FALSE(updated->job_title.has_value());
  EXPECT_EQ(updated->surname, "Smith");
  EXPECT_EQ(updated->usage_location, "GB");
  UserPatch bad;
  bad.usage_location = std::optional<std::string>{"gb"};
  EXPECT_EQ(env.directory->UpdateUser(actor, tenant, u->id, bad).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(env.directory->GetUser(tenant, u->id)->usage_location, "GB");
}

TEST_F(DirectoryServiceTest, NestedGroupsResolveTransitivelyAndCyclesAreRefused) {
  auto u = env.directory->CreateUser(actor, tenant, Member("nest"));
  ASSERT_TRUE(u.ok());
  std::vector<Group> groups;
  for (int i = 0; i < 4; ++i) {
    NewGroup g;
    g.display_name = "Level " + std::to_string(i);
    g.mail_nickname = "level" + std::to_string(i);
    auto created = env.directory->CreateGroup(actor, tenant, g);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    groups.push_back(*created);
  }
  ASSERT_TRUE(env.directory->AddMember(actor, tenant, groups[0].id, u->id).ok());
  for (int i = 1; i < 4; ++i) ASSERT_TRUE(env.directory->AddMember(actor, tenant, groups[i].id, groups[i - 1].id).ok());
  auto all = env.directory->TransitiveGroupsOf(tenant, u->id);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 4u);
  EXPECT_EQ(env.directory->AddMember(actor, tenant, groups[0].id, groups[3].id).code(), Code::kInvalidArgument);
  EXPECT_EQ(env.directory->AddMember(actor, tenant, groups[0].id, groups[0].id).code(), Code::kInvalidArgument);
  EXPECT_EQ(env.directory->AddMember(actor, tenant, groups[0].id, u->id).code(), Code::kAlreadyExists);
}

TEST_F(DirectoryServiceTest, EffectiveRolesIncludeRolesHeldThroughGroups) {
  auto u = env.directory->CreateUser(actor, tenant, Member("role"));
  NewGroup g;
  g.display_name = "Helpdesk";
  g.mail_nickname = "helpdesk";
  NewGroup plain = g;
  plain.mail_nickname = "plain";
  g.is_assignable_to_role = true;  // only role-assignable groups hold roles
  auto grp = env.directory->CreateGroup(actor, tenant, g);
  auto plain_grp = env.directory->CreateGroup(actor, tenant, plain);
  ASSERT_TRUE(u.ok() && grp.ok() && plain_grp.ok());
  EXPECT_EQ(env.directory->AssignRole(actor, tenant, std::string(kHelpdeskAdministratorRole), plain_grp->id)
                .status()
                .code(),
            Code::kInvalidArgument);
  ASSERT_TRUE(env.directory->AddMember(actor, tenant, grp->id, u->id).ok());
  ASSERT_TRUE(env.directory->AssignRole(actor, tenant, std::string(kUserAdministratorRole), u->id).ok());
  ASSERT_TRUE(env.directory->AssignRole(actor, tenant, std::string(kHelpdeskAdministratorRole), grp->id).ok());
  auto roles = env.directory->EffectiveRoles(tenant, u->id);
  ASSERT_TRUE(roles.ok());
  EXPECT_EQ(roles->size(), 2u);
  EXPECT_EQ(env.directory->AssignRole(actor, tenant, std::string(kUserAdministratorRole), u->id).status().code(),
            Code::kAlreadyExists);
  EXPECT_EQ(env.directory->AssignRole(actor, tenant, "00000000-0000-0000-0000-000000000000", u->id).status().code(),
            Code::kNotFound);
}

TEST_F(DirectoryServiceTest, ObjectsOfAnotherTenantAreInvisible) {
  auto other = env.Tenant("Fabrikam", "fabrikam.test").res.tenant.id;
  auto u = env.directory->CreateUser(actor, tenant, Member("mine"));
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(env.directory->GetUser(other, u->id).status().code(), Code::kNotFound);
  EXPECT_EQ(env.directory->DeleteUser(actor, other, u->id).code(), Code::kNotFound);
  EXPECT_TRUE(env.directory->GetUser(tenant, u->id).ok());
}

// The fail-count loop: whichever write of a multi-row operation fails, nothing
// of it survives (the user, its audit entry, the membership).
TEST_F(DirectoryServiceTest, AFailedWriteLeavesNothingBehind) {
  NewGroup g;
  g.display_name = "Target";
  g.mail_nickname = "target";
  auto grp = env.directory->CreateGroup(actor, tenant, g);
  auto u = env.directory->CreateUser(actor, tenant, Member("member"));
  ASSERT_TRUE(grp.ok() && u.ok());
  store::testing::FailingStore failing(*env.store, 0);
  DirectoryService dir(failing, env.clock, env.random, gh::testing::FakeHash);
  for (int n = 1;; ++n) {
    failing.Reset(n);
    Status s = dir.AddMember(actor, tenant, grp->id, u->id);
    if (s.ok()) {
      EXPECT_GT(n, 1);
      break;
    }
    EXPECT_EQ(s.code(), Code::kUnavailable);
    auto members = env.directory->ListMembers(tenant, grp->id);
    ASSERT_TRUE(members.ok());
    EXPECT_TRUE(members->empty()) << "partial write survived failure at call " << n;
    ASSERT_LT(n, 10);
  }
  for (int n = 1;; ++n) {
    failing.Reset(n);
    auto created = dir.CreateUser(actor, tenant, Member("fragile"));
    if (created.ok()) break;
    EXPECT_EQ(env.directory->GetUser(tenant, "fragile@contoso.test").status().code(), Code::kNotFound);
    ASSERT_LT(n, 10);
  }
}

}  // namespace
}  // namespace gh::directory
