// Environment rules: the lazily created Default environment, security-group
// validation, entitlement (licence, group membership, admin exception), the
// just-in-time sync and re-evaluation when the security group changes.
#include <gtest/gtest.h>

#include "environments/environment_service.h"
#include "licensing/licensing_service.h"
#include "support/test_env.h"

namespace gh::environments {
namespace {

using gh::testing::TestEnv;
constexpr const char* kSales = "1e1a282c-9c54-43a2-9310-98ef728faace";

class EnvironmentsTest : public ::testing::Test {
 protected:
  TestEnv env;
  TestEnv::TenantHandle contoso = env.Tenant("Contoso", "contoso.test");
  std::string tid = contoso.res.tenant.id;
  directory::Actor actor = directory::Actor::System();
  EnvironmentService& envs = *env.environments;

  void SetUp() override { ASSERT_TRUE(licensing::SeedDemoSkus(*env.licensing, actor, tid).ok()); }

  std::string User(const std::string& nick, bool licensed) {
    directory::NewUser u;
    u.user_principal_name = nick + "@contoso.test";
    u.display_name = nick;
    u.mail_nickname = nick;
    u.password = "Str0ng-Passw0rd!";
    u.usage_location = "NO";
    auto r = env.directory->CreateUser(actor, tid, u);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (licensed)
      EXPECT_TRUE(env.licensing->AssignUserLicenses(actor, tid, r->id, {{{kSales, {}}}, {}}).ok());
    return r->id;
  }
  std::string Group(const std::string& name) {
    std::string nick;
    for (char ch : name) if (ch != ' ') nick += ch;
    auto g = env.directory->CreateGroup(actor, tid, {name, nick, std::nullopt, false, true, {}});
    EXPECT_TRUE(g.ok()) << g.status().ToString();
    return g->id;
  }
};

TEST_F(EnvironmentsTest, DefaultEnvironmentRules) {
  auto list = envs.List(tid);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 1u);
  const Environment def = list->front();
  EXPECT_EQ(def.type, EnvironmentType::kDefault);
  EXPECT_EQ(def.url, std::string(TestEnv::kBase) + "/env/" + def.unique_name);
  EXPECT_EQ(envs.List(tid)->size(), 1u);  // created once
  EXPECT_EQ(envs.Delete(actor, tid, def.id).code(), Code::kInvalidArgument);
  EXPECT_EQ(envs.Create(actor, tid, {"Another default", std::nullopt, EnvironmentType::kDefault}).status().code(),
            Code::kInvalidArgument);
  std::string g = Group("Sales");
  EXPECT_EQ(envs.Update(actor, tid, def.id, {std::nullopt, std::optional<std::string>(g), std::nullopt}).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(envs.Create(actor, tid, {"Dev", std::nullopt, EnvironmentType::kDeveloper, true, g}).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(envs.Create(actor, tid, {"Prod", std::nullopt, EnvironmentType::kProduction, true,
                                     "99999999-9999-9999-9999-999999999999"})
                .status()
                .code(),
            Code::kInvalidArgument);
  auto roles = envs.ListRoles(tid, def.id);
  ASSERT_TRUE(roles.ok());
  ASSERT_EQ(roles->size(), 2u);  // no Dataverse: Environment Admin, Environment Maker
  EXPECT_EQ(envs.List(tid)->size(), 1u);
}

TEST_F(EnvironmentsTest, SyncFollowsLicenceAndSecurityGroup) {
  std::string sales = Group("Contoso Sales");
  ASSERT_TRUE(SeedDemo(envs, actor, tid, sales).ok());
  ASSERT_TRUE(SeedDemo(envs, actor, tid, sales).ok());  // idempotent
  auto all = envs.List(tid);
  ASSERT_EQ(all->size(), 3u);
  auto prod = *std::find_if(all->begin(), all->end(), [](const Environment& e) { return e.unique_name == "contoso-sales"; });
  EXPECT_EQ(envs.ListRoles(tid, prod.id)->size(), 9u);

  std::string member = User("member", true), outsider = User("outsider", true), unlicensed = User("unlicensed", false);
  ASSERT_TRUE(env.directory->AddMember(actor, tid, sales, member).ok());
  ASSERT_TRUE(env.directory->AddMember(actor, tid, sales, unlicensed).ok());

  auto s = envs.SyncUser(tid, prod.id, member);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_TRUE(s->record);
  EXPECT_TRUE(s->record->enabled);
  EXPECT_EQ(s->record->added_by, "jit");
  s = envs.SyncUser(tid, prod.id, outsider);
  EXPECT_FALSE(s->record);
  EXPECT_NE(s->entitlement.reason.find("security group 'Contoso Sales'"), std::string::npos) << s->entitlement.reason;
  s = envs.SyncUser(tid, prod.id, unlicensed);
  EXPECT_FALSE(s->entitlement.entitled);
  EXPECT_NE(s->entitlement.reason.find("licence"), std::string::npos);
  auto added = envs.AddUser(actor, tid, prod.id, outsider);
  EXPECT_EQ(added.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(envs.ListUsers(tid, prod.id)->size(), 1u);

  // The admin (Global Administrator) gets in without licence or membership.
  s = envs.SyncUser(tid, prod.id, contoso.res.admin.id);
  EXPECT_TRUE(s->entitlement.entitled);
  EXPECT_TRUE(s->entitlement.admin);

  // Leaving the group disables (never deletes) at the next sync.
  ASSERT_TRUE(env.directory->RemoveMember(actor, tid, sales, member).ok());
  s = envs.SyncUser(tid, prod.id, member);
  ASSERT_TRUE(s->record);
  EXPECT_FALSE(s->record->enabled);
  ASSERT_TRUE(env.directory->AddMember(actor, tid, sales, member).ok());
  EXPECT_TRUE(envs.SyncUser(tid, prod.id, member)->record->enabled);  // re-enabled

  // A new security group re-evaluates every record.
  std::string other = Group("Other");
  ASSERT_TRUE(envs.Update(actor, tid, prod.id, {std::nullopt, std::optional<std::string>(other), std::nullopt}).ok());
  auto users = envs.ListUsers(tid, prod.id);
  for (const auto& u : *users) EXPECT_EQ(u.enabled, u.user_id == contoso.res.admin.id) << u.user_id;
  ASSERT_TRUE(envs.Update(actor, tid, prod.id, {std::nullopt, std::optional<std::string>(), std::nullopt}).ok());
  // Kept in a variable: a range-for over *temporary would read it after it is gone (found by ASan).
  auto after = envs.ListUsers(tid, prod.id);
  ASSERT_TRUE(after.ok());
  for (const auto& u : *after) EXPECT_TRUE(u.enabled) << u.user_id;
}

TEST_F(EnvironmentsTest, RolesOnlyForEnabledUsersAndThroughGroups) {
  auto def = envs.EnsureDefault(actor, tid);
  ASSERT_TRUE(def.ok());
  std::string u = User("u", true), off = User("off", true), g = Group("Makers");
  ASSERT_TRUE(env.directory->UpdateUser(actor, tid, off, [] {
    directory::UserPatch p;
    p.account_enabled = false;
    return p;
  }()).ok());
  EXPECT_EQ(envs.AssignRole(actor, tid, def->id, off, "Environment Maker").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(envs.AssignRole(actor, tid, def->id, u, "No Such Role").status().code(), Code::kInvalidArgument);
  ASSERT_TRUE(env.directory->AddMember(actor, tid, g, u).ok());
  ASSERT_TRUE(envs.AssignRole(actor, tid, def->id, g, "Environment Maker").ok());
  auto roles = envs.EffectiveRoles(tid, def->id, u);
  ASSERT_EQ(roles->size(), 1u);
  EXPECT_TRUE(roles->front().Grants(kCreateCanvasApp));
  EXPECT_FALSE(roles->front().Grants(kReadData));
  auto custom = envs.CreateRole(actor, tid, def->id, "Reader", {"readData"});
  ASSERT_TRUE(custom.ok());
  EXPECT_EQ(envs.CreateRole(actor, tid, def->id, "Bad", {"fly"}).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(envs.CreateRole(actor, tid, def->id, "reader", {}).status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace gh::environments
