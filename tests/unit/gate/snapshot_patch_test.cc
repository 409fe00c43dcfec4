// The performance structures of the gate keep its behaviour: explanation text
// rendered on demand reads exactly as the eager strings did, a user patch
// copies only the chunk it touches, the flat role tables behave as maps, the
// compact user core falls back to the record for long ids and many groups,
// and decisions (inline check lists) copy and move like values.
#include <gtest/gtest.h>

#include <sstream>

#include "gate/decision.h"
#include "gate/snapshot.h"

namespace gh::gate {
namespace {

UserFacts Member(int i) {
  UserFacts u;
  u.id = "u" + std::to_string(i);
  u.user_principal_name = u.id + "@contoso.com";
  u.mail = u.id + "@contoso.com";
  u.license_environment_access = true;
  return u;
}

// 2,500 users (three chunks), one environment with a security group.
std::shared_ptr<const Snapshot> Tenant() {
  SnapshotInput in;
  in.resource.tenant.id = "res";
  in.resource.tenant.name = "Contoso";
  for (int i = 0; i < 2500; ++i) in.users.push_back(Member(i));
  in.groups = {{"g-sales", "Contoso Sales", false}};
  EnvironmentFacts e;
  e.env.id = "env-sales";
  e.env.unique_name = "contoso-sales";
  e.env.display_name = "Contoso Sales";
  e.env.security_group_id = "g-sales";
  in.environments = {e};
  return Snapshot::Build(std::move(in));
}

const Check* Failed(const Decision& d, std::string_view id) {
  for (const auto& c : d.checks)
    if (c.id == id && !c.passed) return &c;
  return nullptr;
}

TEST(LazyTextTest, RendersTheSentencesAndRemediesInFull) {
  auto snap = Tenant();
  Decision d = Decide(*snap, {"res", "u7", Action::kEnvironmentAccess, "contoso-sales", "", "", ""});
  ASSERT_FALSE(d.allowed);
  const Check* role = Failed(d, "environment.securityRole");
  ASSERT_NE(role, nullptr);
  EXPECT_EQ(role->sentence.str(),
            "The user has no security role in Contoso Sales; a licence and a security role are both needed.");
  EXPECT_EQ(role->remedy.what.str(), "Assign a security role (for example Basic User) in Contoso Sales.");
  EXPECT_EQ(role->remedy.api.str(),
            "POST /api/v1/environments/env-sales/roleAssignments {\"principalId\":\"u7\",\"roleId\":\"Basic User\"}");
  EXPECT_EQ(role->remedy.cli.str(),
            "gatehouse env assign-role contoso-sales u7@contoso.com \"Basic User\"");
  const Check* group = Failed(d, "environment.securityGroup");
  ASSERT_NE(group, nullptr);
  EXPECT_EQ(group->sentence.str(), "You are not a member of the environment's security group (Contoso Sales).");
  EXPECT_EQ(group->remedy.cli.str(), "gatehouse groups add-member g-sales u7@contoso.com");
  std::ostringstream os;
  os << role->sentence;
  EXPECT_EQ(os.str(), role->sentence.str());
  // A passing check's sentence is a literal; its remedy is empty.
  EXPECT_EQ(d.checks.front().sentence.str(), "The account is enabled.");
  EXPECT_TRUE(d.checks.front().remedy.api.empty());
}

TEST(UserPatchTest, CopiesOnlyTheChangedChunk) {
  auto snap = Tenant();
  UserFacts u = snap->user(snap->FindUser("u1500"));
  u.enabled = false;
  auto next = snap->WithUser(u);
  EXPECT_FALSE(next->user(next->FindUser("u1500")).enabled);
  EXPECT_TRUE(snap->user(snap->FindUser("u1500")).enabled);  // the original is untouched
  EXPECT_EQ(&snap->user(0), &next->user(0));                 // other chunks shared
  EXPECT_NE(&snap->user(1500), &next->user(1500));
  EXPECT_EQ(snap->directory().user_by_upn, next->directory().user_by_upn);  // names unchanged: shared
}

TEST(UserPatchTest, RenamesAndAdds) {
  auto snap = Tenant();
  UserFacts u = snap->user(snap->FindUser("u3"));
  u.user_principal_name = "Renamed@Contoso.com";
  auto next = snap->WithUser(u);
  EXPECT_EQ(next->FindUserByAnyName("renamed@contoso.com"), next->FindUser("u3"));
  EXPECT_EQ(next->FindUserByAnyName("u3@contoso.com"), next->FindUser("u3"));  // still by mail
  EXPECT_EQ(snap->FindUserByAnyName("renamed@contoso.com"), kNoIndex);

  for (int i = 2500; i < 2600; ++i) next = next->WithUser(Member(i));  // crosses into a new chunk
  EXPECT_EQ(next->user_count(), 2600u);
  EXPECT_EQ(next->user(next->FindUser("u2599")).id, "u2599");
  EXPECT_EQ(next->FindUserByAnyName("u2560@contoso.com"), next->FindUser("u2560"));
  EXPECT_EQ(snap->FindUser("u2599"), kNoIndex);
}

TEST(PrincipalTableTest, BehavesAsAMap) {
  PrincipalTable t;
  EXPECT_EQ(t.Get(5), 0u);
  for (uint32_t k = 0; k < 10'000; ++k) t[k * 7] |= k + 1;
  t[3 | kGroupKeyBit] |= kHasRole;
  EXPECT_EQ(t.size(), 10'001u);
  for (uint32_t k = 0; k < 10'000; ++k) ASSERT_EQ(t.Get(k * 7), k + 1);
  EXPECT_EQ(t.Get(1), 0u);
  EXPECT_EQ(t.Get(3 | kGroupKeyBit), kHasRole);
  PrincipalTable copy = t;
  t.clear();
  EXPECT_TRUE(t.empty());
  EXPECT_EQ(t.Get(7), 0u);
  EXPECT_EQ(copy.Get(7), 2u);
}

TEST(EnvironmentRolesTest, BehavesAsAMap) {
  EnvironmentRoles r;
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(r.OfUser(5), 0u);
  EXPECT_EQ(r.OfGroup(5), 0u);
  for (uint32_t u = 0; u < 5'000; u += 3) r.Grant(u, kHasRole | (u & 0xff));
  r.Grant(7 | kGroupKeyBit, kHasRole | kPrivImportSolution);
  r.Grant(7 | kGroupKeyBit, kPrivExportSolution);
  EXPECT_FALSE(r.empty());
  for (uint32_t u = 0; u < 5'000; ++u) ASSERT_EQ(r.OfUser(u), u % 3 ? 0u : (kHasRole | (u & 0xff))) << u;
  EXPECT_EQ(r.OfUser(7), 0u);  // group 7, not user 7
  EXPECT_EQ(r.OfGroup(7), kHasRole | kPrivImportSolution | kPrivExportSolution);
  EXPECT_EQ(r.OfGroup(6), 0u);
  EXPECT_EQ(r.OfGroup(1'000'000), 0u);
  EXPECT_TRUE(r.UserHoldsAny(3, kHasRole));
  EXPECT_TRUE(r.UserHoldsAny(3, 2u));
  EXPECT_FALSE(r.UserHoldsAny(3, kPrivImportSolution));
  EXPECT_FALSE(r.UserHoldsAny(4, kHasRole));
  EXPECT_TRUE(r.GroupHoldsAny(7, kPrivExportSolution));
  EXPECT_FALSE(r.GroupHoldsAny(7, kPrivCustomize));
  EXPECT_FALSE(r.GroupHoldsAny(8, kHasRole));
  r.Grant(10, 0);  // a role without privileges still counts as a role
  EXPECT_EQ(r.OfUser(10), kHasRole);
  EnvironmentRoles copy = r;
  r.clear();
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(r.OfUser(3), 0u);
  EXPECT_EQ(r.OfGroup(7), 0u);
  EXPECT_EQ(copy.OfUser(3), kHasRole | 3u);
}

// The user core holds short ids and a few groups inline; longer ids and
// longer group lists are read from the record, with the same results.
TEST(UserCoreTest, LongIdsAndManyGroupsReadFromTheRecord) {
  SnapshotInput in;
  in.resource.tenant.id = "res";
  in.resource.tenant.name = "Contoso";
  const std::string long_id(UserCore::kInlineId + 30, 'x');
  UserFacts u = Member(1);
  u.id = long_id;
  in.users = {Member(0), u};
  const uint32_t kGroups = UserCore::kInlineGroups + 8;
  for (uint32_t g = 0; g < kGroups; ++g) {
    in.groups.push_back({"g" + std::to_string(g), "Group " + std::to_string(g), false});
    in.memberships.push_back({"g" + std::to_string(g), long_id, directory::MemberKind::kUser});
  }
  EnvironmentFacts e;
  e.env.id = "env";
  e.env.unique_name = "env-name";
  e.env.display_name = "Env";
  e.env.security_group_id = "g" + std::to_string(kGroups - 1);  // beyond the inline ones
  in.environments = {e};
  in.role_grants = {{"env", "g" + std::to_string(kGroups - 2), kHasRole}};
  auto snap = Snapshot::Build(std::move(in));

  const uint32_t i = snap->FindUser(long_id);
  ASSERT_NE(i, kNoIndex);
  EXPECT_EQ(snap->core(i).id(), long_id);
  EXPECT_EQ(snap->core(i).groups().size(), kGroups);
  EXPECT_EQ(snap->FindUser(long_id.substr(0, UserCore::kInlineId)), kNoIndex);
  EXPECT_TRUE(Decide(*snap, {"res", long_id, Action::kEnvironmentAccess, "env-name", "", "", ""}).allowed);
  EXPECT_EQ(Decide(*snap, {"res", "u0", Action::kEnvironmentAccess, "env", "", "", ""}).FailedIds(),
            "environment.securityGroup, environment.securityRole");

  UserFacts patched = snap->user(i);
  patched.enabled = false;
  auto next = snap->WithUser(patched);
  EXPECT_EQ(next->FindUser(long_id), i);
  EXPECT_EQ(next->core(i).groups().size(), kGroups);
  EXPECT_EQ(Decide(*next, {"res", long_id, Action::kEnvironmentAccess, "env", "", "", ""}).FailedIds(),
            "account.enabled");
}

// Decisions are values: copies and moves keep every text, owned ones included.
TEST(CheckListTest, CopiesAndMovesKeepTheTexts) {
  auto snap = Tenant();
  Decision unknown = Decide(*snap, {"res", "nobody", Action::kEnvironmentAccess, "contoso-sales", "", "", ""});
  Decision denied = Decide(*snap, {"res", "u7", Action::kEnvironmentAccess, "contoso-sales", "", "", ""});
  ASSERT_EQ(unknown.checks.size(), 1u);
  const std::string sentence = unknown.checks.front().sentence.str();
  EXPECT_EQ(sentence, "There is no user 'nobody' in Contoso.");
  Decision copy = unknown;
  EXPECT_EQ(copy.checks.front().sentence.str(), sentence);
  Decision moved = std::move(copy);
  EXPECT_EQ(moved.checks.front().sentence.str(), sentence);
  moved = denied;
  EXPECT_EQ(moved.FailedIds(), denied.FailedIds());
  EXPECT_EQ(moved.checks.back().remedy.cli.str(), denied.checks.back().remedy.cli.str());
  moved = unknown;
  EXPECT_EQ(moved.checks.size(), 1u);
  EXPECT_EQ(moved.checks.front().remedy.what.str(), "Invite the person as a guest, or create the user.");
  Text t = unknown.checks.front().sentence;
  t = denied.checks.front().sentence;
  EXPECT_EQ(t.str(), "The account is enabled.");
  t = Text(std::string("owned"));
  Text u = t;
  EXPECT_EQ(u.str(), "owned");
  EXPECT_TRUE(Text(std::string()).empty());
  EXPECT_TRUE(Text("").empty());
}

}  // namespace
}  // namespace gh::gate
