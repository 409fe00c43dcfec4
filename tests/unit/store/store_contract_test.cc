// The Store contract (store/store.h), run against every backend.
#include <algorithm>
#include <set>
#include <thread>

#include "store/outbox_repository.h"
#include "store/sql.h"
#include "unit/store/store_test_util.h"

namespace gh::store::testing {
namespace {


TEST_P(StoreTest, TenantsRoundTripAndFindByDomain) {
  directory::Tenant t;
  t.id = NewId();
  t.name = "Contoso";
  t.initial_domain = t.id.substr(0, 8) + ".contoso.com";
  t.verified_domains = {t.initial_domain, "Extra-" + t.id.substr(0, 8) + ".com"};
  t.cloud = directory::Cloud::kGccHigh;
  t.default_usage_location = "US";
  t.created_at = 42;
  {
    auto tx = Write();
    GH_ASSERT_OK(tx->InsertTenant(t));
    GH_ASSERT_OK(tx->Commit());
  }
  auto tx = Write();
  auto got = tx->GetTenant(t.id);
  GH_ASSERT_OK(got);
  EXPECT_EQ(got->name, "Contoso");
  EXPECT_EQ(got->verified_domains, t.verified_domains);
  EXPECT_EQ(got->cloud, directory::Cloud::kGccHigh);
  EXPECT_EQ(got->default_usage_location, "US");
  EXPECT_EQ(got->created_at, 42);

  auto by_domain = tx->FindTenantByDomain("EXTRA-" + t.id.substr(0, 8) + ".COM");
  GH_ASSERT_OK(by_domain);
  EXPECT_EQ(by_domain->id, t.id);
  GH_EXPECT_CODE(tx->FindTenantByDomain("nowhere-" + NewId() + ".com"), Code::kNotFound);

  auto all = tx->ListTenants();
  GH_ASSERT_OK(all);
  EXPECT_TRUE(std::any_of(all->begin(), all->end(), [&](auto& x) { return x.id == t.id; }));

  // Dropping a domain frees it; the old one no longer routes here.
  t.verified_domains = {t.initial_domain};
  t.name = "Contoso Ltd";
  GH_ASSERT_OK(tx->UpdateTenant(t));
  GH_EXPECT_CODE(tx->FindTenantByDomain("extra-" + t.id.substr(0, 8) + ".com"), Code::kNotFound);
  EXPECT_EQ(tx->GetTenant(t.id)->name, "Contoso Ltd");

  directory::Tenant missing = t;
  missing.id = NewId();
  GH_EXPECT_CODE(tx->UpdateTenant(missing), Code::kNotFound);
  GH_EXPECT_CODE(tx->GetTenant(missing.id), Code::kNotFound);
  GH_ASSERT_OK(tx->Commit());
}

TEST_P(StoreTest, TenantDomainBelongsToOneTenant) {
  std::string first = NewTenant();
  auto tx = Write();
  auto existing = tx->GetTenant(first);
  GH_ASSERT_OK(existing);
  directory::Tenant t = *existing;
  t.id = NewId();
  GH_EXPECT_CODE(tx->InsertTenant(t), Code::kAlreadyExists);
  // The failure fails the transaction: nothing of it is committed.
  GH_EXPECT_CODE(tx->Commit(), Code::kAlreadyExists);
  GH_EXPECT_CODE(Read()->GetTenant(t.id), Code::kNotFound);
}

TEST_P(StoreTest, UsersRoundTripEveryField) {
  std::string tenant = NewTenant();
  directory::User u = MakeUser(tenant, "Alice@Contoso.com");
  u.mail = "Alice.Smith@Contoso.com";
  u.given_name = "Alice";
  u.surname = "Smith";
  u.job_title = "Engineer";
  u.company_name = "Contoso";
  u.usage_location = "DE";
  u.preferred_language = "de-DE";
  u.mail_nickname = "alice";
  u.account_enabled = false;
  u.user_type = directory::UserType::kGuest;
  u.external_user_state = "PendingAcceptance";
  u.external_user_state_changed_at = 1234;
  u.creation_type = "Invitation";
  u.identities = {{"emailAddress", "contoso.com", "alice@contoso.com"}, {"federated", "https://idp", "x\"y"}};
  u.other_mails = {"a@b.c", "ünïcode@example.com"};
  u.password_hash = "$argon2id$v=19$...";
  u.updated_at = 99;
  {
    auto tx = Write();
    GH_ASSERT_OK(tx->InsertUser(u));
    GH_ASSERT_OK(tx->Commit());
  }
  auto tx = Read();
  auto got = tx->GetUser(tenant, u.id);
  GH_ASSERT_OK(got);
  EXPECT_EQ(got->user_principal_name, "Alice@Contoso.com");
  EXPECT_EQ(got->mail, u.mail);
  EXPECT_EQ(got->given_name, u.given_name);
  EXPECT_EQ(got->surname, u.surname);
  EXPECT_EQ(got->job_title, u.job_title);
  EXPECT_EQ(got->company_name, u.company_name);
  EXPECT_EQ(got->usage_location, u.usage_location);
  EXPECT_EQ(got->preferred_language, u.preferred_language);
  EXPECT_EQ(got->mail_nickname, u.mail_nickname);
  EXPECT_FALSE(got->account_enabled);
  EXPECT_EQ(got->user_type, directory::UserType::kGuest);
  EXPECT_EQ(got->external_user_state, u.external_user_state);
  EXPECT_EQ(got->external_user_state_changed_at, 1234);
  EXPECT_EQ(got->creation_type, u.creation_type);
  ASSERT_EQ(got->identities.size(), 2u);
  EXPECT_EQ(got->identities[1].issuer_assigned_id, "x\"y");
  EXPECT_EQ(got->identities[0].sign_in_type, "emailAddress");
  EXPECT_EQ(got->other_mails, u.other_mails);
  EXPECT_EQ(got->password_hash, u.password_hash);
  EXPECT_EQ(got->created_at, u.created_at);
  EXPECT_EQ(got->updated_at, 99);

  EXPECT_EQ(tx->FindUserByUpn(tenant, "ALICE@contoso.COM")->id, u.id);
  auto by_mail = tx->FindUsersByMail(tenant, "alice.smith@CONTOSO.com");
  GH_ASSERT_OK(by_mail);
  ASSERT_EQ(by_mail->size(), 1u);
  EXPECT_EQ(by_mail->front().id, u.id);
  // Other tenants see nothing.
  GH_EXPECT_CODE(tx->GetUser(NewId(), u.id), Code::kNotFound);
  GH_EXPECT_CODE(tx->FindUserByUpn(tenant, "bob@contoso.com"), Code::kNotFound);
}

TEST_P(StoreTest, UpdateAndDeleteUser) {
  std::string tenant = NewTenant();
  directory::User u = MakeUser(tenant, "bob@contoso.com");
  auto tx = Write();
  GH_ASSERT_OK(tx->InsertUser(u));
  u.display_name = "Robert";
  u.user_principal_name = "robert@contoso.com";
  u.mail = "robert@contoso.com";
  GH_ASSERT_OK(tx->UpdateUser(u));
  EXPECT_EQ(tx->GetUser(tenant, u.id)->display_name, "Robert");
  EXPECT_EQ(tx->FindUserByUpn(tenant, "ROBERT@contoso.com")->id, u.id);
  GH_EXPECT_CODE(tx->FindUserByUpn(tenant, "bob@contoso.com"), Code::kNotFound);

  directory::User ghost = MakeUser(tenant, "ghost@contoso.com");
  Status st = tx->UpdateUser(ghost);
  EXPECT_EQ(st.code(), Code::kNotFound);
  EXPECT_NE(st.message().find(ghost.id), std::string::npos) << st.message();
  GH_EXPECT_CODE(tx->DeleteUser(tenant, ghost.id), Code::kNotFound);
  // NotFound changes nothing and leaves the transaction usable.
  GH_ASSERT_OK(tx->DeleteUser(tenant, u.id));
  GH_EXPECT_CODE(tx->GetUser(tenant, u.id), Code::kNotFound);
  GH_ASSERT_OK(tx->Commit());
}

TEST_P(StoreTest, UpnIsUniqueCaseInsensitively) {
  std::string tenant = NewTenant();
  {
    auto tx = Write();
    GH_ASSERT_OK(tx->InsertUser(MakeUser(tenant, "carol@contoso.com")));
    GH_ASSERT_OK(tx->Commit());
  }
  {
    auto tx = Write();
    Status st = tx->InsertUser(MakeUser(tenant, "CAROL@Contoso.com"));
    EXPECT_EQ(st.code(), Code::kAlreadyExists) << st.ToString();
    EXPECT_NE(st.message().find("CAROL@Contoso.com"), std::string::npos);
  }
  {
    // Renaming onto a taken UPN is AlreadyExists too.
    auto tx = Write();
    directory::User dave = MakeUser(tenant, "dave@contoso.com");
    GH_ASSERT_OK(tx->InsertUser(dave));
    dave.user_principal_name = "Carol@contoso.com";
    GH_EXPECT_CODE(tx->UpdateUser(dave), Code::kAlreadyExists);
  }
  // The same UPN in another tenant is fine.
  std::string other = NewTenant();
  auto tx = Write();
  GH_ASSERT_OK(tx->InsertUser(MakeUser(other, "carol@contoso.com")));
  GH_ASSERT_OK(tx->Commit());
}

TEST_P(StoreTest, DestroyedTransactionRollsBack) {
  std::string tenant = NewTenant();
  directory::User u = MakeUser(tenant, "temp@contoso.com");
  {
    auto tx = Write();
    GH_ASSERT_OK(tx->InsertUser(u));
    GH_ASSERT_OK(tx->InsertGroup(MakeGroup(tenant, "temp")));
  }  // no Commit
  auto tx = Read();
  GH_EXPECT_CODE(tx->GetUser(tenant, u.id), Code::kNotFound);
  auto groups = tx->ListGroups({.tenant_id = tenant});
  GH_ASSERT_OK(groups);
  EXPECT_TRUE(groups->items.empty());
}

TEST_P(StoreTest, ReadTransactionRejectsWritesAndCommitIsOnce) {
  std::string tenant = NewTenant();
  auto tx = Read();
  GH_EXPECT_CODE(tx->InsertUser(MakeUser(tenant, "x@contoso.com")), Code::kFailedPrecondition);
  GH_ASSERT_OK(tx->Commit());
  GH_EXPECT_CODE(tx->Commit(), Code::kFailedPrecondition);
  GH_EXPECT_CODE(tx->GetTenant(tenant), Code::kFailedPrecondition);
}

TEST_P(StoreTest, DatabaseErrorFailsTheWholeTransaction) {
  std::string tenant = NewTenant();
  directory::User a = MakeUser(tenant, "a@contoso.com");
  {
    auto tx = Write();
    GH_ASSERT_OK(tx->InsertUser(a));
    GH_ASSERT_OK(tx->Commit());
  }
  directory::User b = MakeUser(tenant, "b@contoso.com");
  auto tx = Write();
  GH_ASSERT_OK(tx->InsertUser(b));
  GH_EXPECT_CODE(tx->InsertUser(a), Code::kAlreadyExists);
  GH_EXPECT_CODE(tx->InsertGroup(MakeGroup(tenant, "g")), Code::kAlreadyExists);  // still failed
  GH_EXPECT_CODE(tx->Commit(), Code::kAlreadyExists);
  GH_EXPECT_CODE(Read()->GetUser(tenant, b.id), Code::kNotFound);
}

TEST_P(StoreTest, KeysetPagingIsStableUnderConcurrentInserts) {
  std::string tenant = NewTenant();
  std::set<std::string> existing;
  {
    auto tx = Write();
    for (int i = 0; i < 2500; ++i) {
      directory::User u = MakeUser(tenant, "user" + std::to_string(i) + "@contoso.com");
      existing.insert(u.id);
      GH_ASSERT_OK(tx->InsertUser(u));
    }
    GH_ASSERT_OK(tx->Commit());
  }
  std::vector<std::string> seen;
  std::string after;
  int pages = 0, inserted = 0;
  for (bool more = true; more; ++pages) {
    {
      auto tx = Read();
      auto page = tx->ListUsers({.tenant_id = tenant, .top = 999, .after = after, .count = pages == 0});
      GH_ASSERT_OK(page);
      if (pages == 0) {
        EXPECT_EQ(page->count, 2500);
      }
      ASSERT_LE(page->items.size(), 999u);
      for (const auto& u : page->items) seen.push_back(u.id);
      more = page->more;
      if (!page->items.empty()) after = page->items.back().id;
    }
    // Another writer adds rows on both sides of the cursor between pages.
    auto tx = Write();
    for (int i = 0; i < 50; ++i, ++inserted) {
      GH_ASSERT_OK(tx->InsertUser(MakeUser(tenant, "late" + std::to_string(inserted) + "@contoso.com")));
    }
    GH_ASSERT_OK(tx->Commit());
  }
  EXPECT_GE(pages, 3);
  std::set<std::string> unique(seen.begin(), seen.end());
  EXPECT_EQ(unique.size(), seen.size()) << "a row was returned twice";
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  for (const auto& id : existing) ASSERT_TRUE(unique.count(id)) << "skipped pre-existing row " << id;
}

TEST_P(StoreTest, TopOneAndMoreFlag) {
  std::string tenant = NewTenant();
  auto tx = Write();
  GH_ASSERT_OK(tx->InsertUser(MakeUser(tenant, "one@contoso.com")));
  GH_ASSERT_OK(tx->InsertUser(MakeUser(tenant, "two@contoso.com")));
  auto p1 = tx->ListUsers({.tenant_id = tenant, .top = 1});
  GH_ASSERT_OK(p1);
  EXPECT_EQ(p1->items.size(), 1u);
  EXPECT_TRUE(p1->more);
  EXPECT_FALSE(p1->count.has_value());
  auto p2 = tx->ListUsers({.tenant_id = tenant, .top = 1, .after = p1->items[0].id});
  GH_ASSERT_OK(p2);
  EXPECT_EQ(p2->items.size(), 1u);
  EXPECT_FALSE(p2->more);
}

TEST_P(StoreTest, TransitiveGroupsFollowNestingAndSurviveCycles) {
  std::string tenant = NewTenant();
  auto tx = Write();
  directory::User u = MakeUser(tenant, "nested@contoso.com");
  GH_ASSERT_OK(tx->InsertUser(u));
  std::vector<directory::Group> g;
  for (int i = 0; i < 5; ++i) {
    g.push_back(MakeGroup(tenant, "g" + std::to_string(i)));
    GH_ASSERT_OK(tx->InsertGroup(g.back()));
  }
  using directory::MemberKind;
  // u ∈ g0 ∈ g1 ∈ g2 ∈ g3 (depth 4), and g3 ∈ g1 closes a cycle; g4 unrelated.
  GH_ASSERT_OK(tx->AddMember(tenant, {g[0].id, u.id, MemberKind::kUser}));
  GH_ASSERT_OK(tx->AddMember(tenant, {g[1].id, g[0].id, MemberKind::kGroup}));
  GH_ASSERT_OK(tx->AddMember(tenant, {g[2].id, g[1].id, MemberKind::kGroup}));
  GH_ASSERT_OK(tx->AddMember(tenant, {g[3].id, g[2].id, MemberKind::kGroup}));
  GH_ASSERT_OK(tx->AddMember(tenant, {g[1].id, g[3].id, MemberKind::kGroup}));

  auto direct = tx->ListGroupsOf(tenant, u.id);
  GH_ASSERT_OK(direct);
  EXPECT_EQ(*direct, std::vector<std::string>{g[0].id});

  auto all = tx->ListTransitiveGroupsOf(tenant, u.id);
  GH_ASSERT_OK(all);
  std::vector<std::string> want{g[0].id, g[1].id, g[2].id, g[3].id};
  std::sort(want.begin(), want.end());
  EXPECT_EQ(*all, want);

  auto members = tx->ListMembers(tenant, g[1].id);
  GH_ASSERT_OK(members);
  ASSERT_EQ(members->size(), 2u);
  for (const auto& m : *members) EXPECT_EQ(m.member_kind, MemberKind::kGroup);
  EXPECT_EQ(tx->ListAllMemberships(tenant)->size(), 5u);
  GH_ASSERT_OK(tx->Commit());
}

TEST_P(StoreTest, MembershipErrors) {
  std::string tenant = NewTenant();
  auto tx = Write();
  directory::Group g = MakeGroup(tenant, "team");
  GH_ASSERT_OK(tx->InsertGroup(g));
  GH_ASSERT_OK(tx->AddMember(tenant, {g.id, "m1"}));
  GH_EXPECT_CODE(tx->RemoveMember(tenant, g.id, "m2"), Code::kNotFound);
  GH_ASSERT_OK(tx->RemoveMember(tenant, g.id, "m1"));
  GH_ASSERT_OK(tx->AddMember(tenant, {g.id, "m1"}));
  GH_ASSERT_OK(tx->Commit());

  GH_EXPECT_CODE(Write()->AddMember(tenant, {g.id, "m1"}), Code::kAlreadyExists);
  GH_EXPECT_CODE(Write()->AddMember(tenant, {NewId(), "m1"}), Code::kNotFound);
}

TEST_P(StoreTest, DeletingGroupOrUserRemovesTheirMembershipsAndRoles) {
  std::string tenant = NewTenant();
  auto tx = Write();
  directory::User u = MakeUser(tenant, "member@contoso.com");
  directory::Group parent = MakeGroup(tenant, "parent"), child = MakeGroup(tenant, "child");
  GH_ASSERT_OK(tx->InsertUser(u));
  GH_ASSERT_OK(tx->InsertGroup(parent));
  GH_ASSERT_OK(tx->InsertGroup(child));
  GH_ASSERT_OK(tx->AddMember(tenant, {child.id, u.id}));
  GH_ASSERT_OK(tx->AddMember(tenant, {parent.id, u.id}));
  GH_ASSERT_OK(tx->AddMember(tenant, {parent.id, child.id, directory::MemberKind::kGroup}));
  directory::RoleAssignment ra{NewId(), tenant, std::string(directory::kUserAdministratorRole), child.id, "/", 1};
  GH_ASSERT_OK(tx->InsertRoleAssignment(ra));
  GH_ASSERT_OK(tx->Commit());

  tx = Write();
  GH_ASSERT_OK(tx->DeleteGroup(tenant, child.id));
  GH_EXPECT_CODE(tx->DeleteGroup(tenant, child.id), Code::kNotFound);
  GH_ASSERT_OK(tx->Commit());
  tx = Read();
  EXPECT_EQ(*tx->ListGroupsOf(tenant, u.id), std::vector<std::string>{parent.id});
  EXPECT_EQ(tx->ListMembers(tenant, parent.id)->size(), 1u);  // child is gone as a member too
  GH_EXPECT_CODE(tx->GetRoleAssignment(tenant, ra.id), Code::kNotFound);
  tx.reset();

  tx = Write();
  GH_ASSERT_OK(tx->DeleteUser(tenant, u.id));
  GH_ASSERT_OK(tx->Commit());
  EXPECT_TRUE(Read()->ListAllMemberships(tenant)->empty());
}

TEST_P(StoreTest, GroupsCrud) {
  std::string tenant = NewTenant();
  directory::Group g = MakeGroup(tenant, "Marketing");
  g.description = "All marketing";
  g.mail = "marketing@contoso.com";
  g.mail_enabled = true;
  g.security_enabled = false;
  g.group_types = {"Unified"};
  auto tx = Write();
  GH_ASSERT_OK(tx->InsertGroup(g));
  auto got = tx->GetGroup(tenant, g.id);
  GH_ASSERT_OK(got);
  EXPECT_EQ(got->description, g.description);
  EXPECT_EQ(got->mail, g.mail);
  EXPECT_TRUE(got->mail_enabled);
  EXPECT_FALSE(got->security_enabled);
  EXPECT_TRUE(got->IsMicrosoft365());
  g.display_name = "Sales";
  g.description.reset();
  GH_ASSERT_OK(tx->UpdateGroup(g));
  got = tx->GetGroup(tenant, g.id);
  EXPECT_EQ(got->display_name, "Sales");
  EXPECT_FALSE(got->description.has_value());
  directory::Group other = MakeGroup(tenant, "none");
  GH_EXPECT_CODE(tx->UpdateGroup(other), Code::kNotFound);
  GH_EXPECT_CODE(tx->GetGroup(tenant, other.id), Code::kNotFound);
  GH_ASSERT_OK(tx->Commit());
}

TEST_P(StoreTest, RoleAssignments) {
  std::string tenant = NewTenant();
  auto tx = Write();
  std::string admin(directory::kGlobalAdministratorRole), helpdesk(directory::kHelpdeskAdministratorRole);
  directory::RoleAssignment a{NewId(), tenant, admin, "p1", "/", 10};
  directory::RoleAssignment b{NewId(), tenant, helpdesk, "p1", "/", 11};
  directory::RoleAssignment c{NewId(), tenant, admin, "p2", "/", 12};
  for (auto* x : {&a, &b, &c}) GH_ASSERT_OK(tx->InsertRoleAssignment(*x));
  EXPECT_EQ(tx->GetRoleAssignment(tenant, a.id)->principal_id, "p1");
  EXPECT_EQ(tx->ListRoleAssignments(tenant)->size(), 3u);
  EXPECT_EQ(tx->ListRoleAssignments(tenant, "p1")->size(), 2u);
  EXPECT_EQ(tx->ListRoleAssignments(tenant, {}, admin)->size(), 2u);
  EXPECT_EQ(tx->ListRoleAssignments(tenant, "p2", admin)->size(), 1u);
  GH_ASSERT_OK(tx->DeleteRoleAssignment(tenant, a.id));
  GH_EXPECT_CODE(tx->DeleteRoleAssignment(tenant, a.id), Code::kNotFound);
  GH_EXPECT_CODE(tx->GetRoleAssignment(tenant, a.id), Code::kNotFound);
  GH_ASSERT_OK(tx->Commit());

  auto dup = Write();
  directory::RoleAssignment again = c;
  again.id = NewId();
  GH_EXPECT_CODE(dup->InsertRoleAssignment(again), Code::kAlreadyExists);
}

TEST_P(StoreTest, ClientsAndSecrets) {
  std::string tenant = NewTenant();
  directory::Client c{NewId(), NewId(), tenant, "Automation", true, {"User.ReadWrite.All"}, {"https://x/cb"}, 5};
  auto tx = Write();
  GH_ASSERT_OK(tx->InsertClient(c));
  directory::ClientSecret s1{NewId(), c.id, "aa", "abc", "one", 1, 100};
  directory::ClientSecret s2{NewId(), c.id, "bb", "def", "two", 2, 200};
  GH_ASSERT_OK(tx->InsertClientSecret(s1));
  GH_ASSERT_OK(tx->InsertClientSecret(s2));
  auto got = tx->FindClientByAppId(tenant, c.app_id);
  GH_ASSERT_OK(got);
  EXPECT_EQ(got->id, c.id);
  EXPECT_EQ(got->app_roles, c.app_roles);
  EXPECT_EQ(got->redirect_uris, c.redirect_uris);
  EXPECT_TRUE(got->confidential);
  auto secrets = tx->ListClientSecrets(c.id);
  GH_ASSERT_OK(secrets);
  ASSERT_EQ(secrets->size(), 2u);
  EXPECT_EQ(secrets->at(0).hint, "abc");
  EXPECT_EQ(secrets->at(1).expires_at, 200);
  EXPECT_EQ(tx->ListClients(tenant)->size(), 1u);
  GH_ASSERT_OK(tx->Commit());

  {
    auto dup = Write();
    directory::Client same_app = c;
    same_app.id = NewId();
    GH_EXPECT_CODE(dup->InsertClient(same_app), Code::kAlreadyExists);
  }
  tx = Write();
  GH_ASSERT_OK(tx->DeleteClient(tenant, c.id));
  GH_EXPECT_CODE(tx->DeleteClient(tenant, c.id), Code::kNotFound);
  GH_EXPECT_CODE(tx->FindClientByAppId(tenant, c.app_id), Code::kNotFound);
  EXPECT_TRUE(tx->ListClientSecrets(c.id)->empty());
  GH_ASSERT_OK(tx->Commit());
}

TEST_P(StoreTest, SigningKeysNewestFirst) {
  std::string tenant = NewTenant();
  auto tx = Write();
  GH_ASSERT_OK(tx->InsertSigningKey({"k1-" + tenant, tenant, "pem1", 100, true}));
  GH_ASSERT_OK(tx->InsertSigningKey({"k2-" + tenant, tenant, "pem2", 200, true}));
  GH_EXPECT_CODE(tx->UpdateSigningKey({"nope", tenant, "", 0, false}), Code::kNotFound);
  GH_ASSERT_OK(tx->UpdateSigningKey({"k1-" + tenant, tenant, "pem1", 100, false}));
  auto keys = tx->ListSigningKeys(tenant);
  GH_ASSERT_OK(keys);
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ(keys->at(0).kid, "k2-" + tenant);
  EXPECT_TRUE(keys->at(0).active);
  EXPECT_FALSE(keys->at(1).active);
  EXPECT_EQ(keys->at(1).private_pem, "pem1");
  GH_ASSERT_OK(tx->Commit());
}

TEST_P(StoreTest, AuditNewestFirstWithKeysetPaging) {
  std::string tenant = NewTenant();
  auto tx = Write();
  std::vector<std::string> ids;
  for (int i = 0; i < 25; ++i) {
    directory::AuditEntry e;
    e.id = NewId();
    e.tenant_id = tenant;
    e.time = 1000 + i / 3;  // several entries share a timestamp
    e.category = i % 2 ? "UserManagement" : "GroupManagement";
    e.activity = "Add user";
    e.actor_id = "actor";
    e.target_id = "t" + std::to_string(i);
    e.details_json = R"({"i":)" + std::to_string(i) + "}";
    GH_ASSERT_OK(tx->InsertAudit(e));
  }
  GH_ASSERT_OK(tx->Commit());

  std::vector<directory::AuditEntry> all;
  std::string after;
  for (bool more = true; more;) {
    auto page = Read()->ListAudit({.tenant_id = tenant, .top = 4, .after = after});
    GH_ASSERT_OK(page);
    all.insert(all.end(), page->items.begin(), page->items.end());
    more = page->more;
    after = page->items.back().id;
  }
  ASSERT_EQ(all.size(), 25u);
  for (size_t i = 1; i < all.size(); ++i) {
    auto key = [](const directory::AuditEntry& e) { return std::pair(e.time, e.id); };
    EXPECT_GT(key(all[i - 1]), key(all[i]));
  }
  auto r = Read();
  auto users = r->ListAudit({.tenant_id = tenant, .category = "UserManagement", .top = 100});
  EXPECT_EQ(users->items.size(), 12u);
  auto window = r->ListAudit({.tenant_id = tenant, .since = 1002, .until = 1004, .top = 100});
  EXPECT_EQ(window->items.size(), 6u);
  auto one = r->ListAudit({.tenant_id = tenant, .actor_id = "actor", .target_id = "t7", .top = 100});
  ASSERT_EQ(one->items.size(), 1u);
  EXPECT_EQ(one->items[0].details_json, R"({"i":7})");
}

TEST_P(StoreTest, MigrationsAreIdempotentOnReopen) {
  int version = store_->SchemaVersion();
  EXPECT_GE(version, 1);
  for (int i = 0; i < 2; ++i) {
    auto again = OpenStore(url_, 1);
    GH_ASSERT_OK(again);
    EXPECT_EQ((*again)->SchemaVersion(), version);
    EXPECT_EQ((*again)->Backend(), GetParam());
  }
}

TEST_P(StoreTest, TwoStoresOnOneDatabaseSeeEachOthersCommits) {
  auto other = OpenStore(url_, 2);
  GH_ASSERT_OK(other);
  std::string tenant = NewTenant();
  directory::User u = MakeUser(tenant, "shared@contoso.com");
  {
    auto tx = (*other)->Begin(TxMode::kWrite);
    GH_ASSERT_OK(tx);
    GH_ASSERT_OK((*tx)->InsertUser(u));
    GH_ASSERT_OK((*tx)->Commit());
  }
  GH_ASSERT_OK(Read()->GetUser(tenant, u.id));
}

TEST_P(StoreTest, ConcurrentWritersDoNotFail) {
  std::string tenant = NewTenant();
  auto writer = [&](int w, std::vector<Status>* errors) {
    for (int i = 0; i < 500; ++i) {
      auto tx = store_->Begin(TxMode::kWrite);
      if (!tx.ok()) { errors->push_back(tx.status()); continue; }
      Status st = (*tx)->InsertUser(MakeUser(tenant, "w" + std::to_string(w) + "-" + std::to_string(i) + "@c.com"));
      if (st.ok()) st = (*tx)->Commit();
      if (!st.ok()) errors->push_back(st);
    }
  };
  std::vector<Status> e1, e2;
  std::thread t1(writer, 1, &e1), t2(writer, 2, &e2);
  t1.join();
  t2.join();
  EXPECT_TRUE(e1.empty()) << e1.front().ToString();
  EXPECT_TRUE(e2.empty()) << e2.front().ToString();
  auto page = Read()->ListUsers({.tenant_id = tenant, .top = 1, .count = true});
  GH_ASSERT_OK(page);
  EXPECT_EQ(page->count, 1000);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values("sqlite", "postgres"), BackendName);

TEST(SqliteStore, InMemoryDatabaseWorks) {
  auto store = OpenStore(":memory:");
  GH_ASSERT_OK(store);
  EXPECT_EQ((*store)->Backend(), "sqlite");
  directory::Tenant t{.id = "t1", .name = "T", .initial_domain = "t.example"};
  {
    auto tx = (*store)->Begin(TxMode::kWrite);
    GH_ASSERT_OK(tx);
    GH_ASSERT_OK((*tx)->InsertTenant(t));
    GH_ASSERT_OK((*tx)->Commit());
  }
  auto tx = (*store)->Begin(TxMode::kRead);
  GH_ASSERT_OK(tx);
  EXPECT_EQ((*tx)->FindTenantByDomain("T.EXAMPLE")->id, "t1");
}

TEST(SqliteStore, ServersMigratingOneFreshFileAtOnceAgree) {
  std::string path = (TempDir() / ("fresh-" + SecureRandom().NewUuid() + ".db")).string();
  StatusOr<std::unique_ptr<Store>> a = Unavailable("not run"), b = Unavailable("not run");
  std::thread ta([&] { a = OpenStore(path, 1); }), tb([&] { b = OpenStore(path, 1); });
  ta.join();
  tb.join();
  GH_ASSERT_OK(a);
  GH_ASSERT_OK(b);
  EXPECT_EQ((*a)->SchemaVersion(), (*b)->SchemaVersion());
}

// Writers leave copying the write-ahead log into the file to a thread of the
// store: ~1,500 pages of commits (past SQLite's threshold of 1,000, far short
// of the 8,000 at which a writer would copy it itself) reach the file.
TEST(SqliteStore, TheLogIsCopiedIntoTheFileInTheBackground) {
  const std::string path = (TempDir() / ("wal-" + SecureRandom().NewUuid() + ".db")).string();
  auto store = OpenStore(path, 2);
  GH_ASSERT_OK(store);
  SecureRandom random;
  const std::string details = "{\"note\":\"" + std::string(900, 'x') + "\"}";
  for (int commit = 0; commit < 12; ++commit) {
    auto tx = (*store)->Begin(TxMode::kWrite);
    GH_ASSERT_OK(tx);
    std::vector<directory::AuditEntry> entries(1000);
    for (auto& e : entries) {
      e.id = random.NewUuid();
      e.tenant_id = "t1";
      e.details_json = details;
    }
    GH_ASSERT_OK((*tx)->InsertAudits(entries));
    GH_ASSERT_OK((*tx)->Commit());
  }
  std::error_code ec;
  for (int waited = 0; waited < 10'000 && std::filesystem::file_size(path, ec) < 8'000'000; waited += 20)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_GE(std::filesystem::file_size(path, ec), 8'000'000u);
  EXPECT_LT(std::filesystem::file_size(path + "-wal", ec), 8'000u * 8192);
  auto tx = (*store)->Begin(TxMode::kRead);
  GH_ASSERT_OK(tx);
  auto page = (*tx)->ListAudit({.tenant_id = "t1", .top = 500});
  GH_ASSERT_OK(page);
  EXPECT_EQ(page->items.size(), 500u);
}

// Mails queued before migration 12 kept [slot text, value] pairs and their
// body no slots; after an upgrade they still read back as stored, for the
// mail module to fill in (tests/unit/mail/outbox_test.cc).
TEST(SqliteStore, MailsQueuedBeforeBodiesHadSlotsReadBackAsStored) {
  const std::string path = (TempDir() / ("legacy-" + SecureRandom().NewUuid() + ".db")).string();
  auto store = OpenStore(path, 2);
  GH_ASSERT_OK(store);
  OutboxMessage m;
  m.id = "m1";
  m.tenant_id = "t1";
  m.kind = "invitation";
  m.to = {"ann@partner.example"};
  m.shared_body_id = "b1";
  {
    auto tx = (*store)->Begin(TxMode::kWrite);
    GH_ASSERT_OK(tx);
    GH_ASSERT_OK((*tx)->Outbox().PutSharedBody({"b1", "For {to}", "Hi {to}", "<p>{html-to}</p>", 1}));
    GH_ASSERT_OK((*tx)->Outbox().EnqueueAll({m}));
    GH_ASSERT_OK((*tx)->Commit());
  }
  auto raw = sql::OpenSqlite(path);
  GH_ASSERT_OK(raw);
  const std::string legacy =
      R"([["{to}","o'hara@partner.example"],["{html-to}","o&#39;hara@partner.example"]])";
  std::string quoted;  // as an SQL string literal
  for (char c : legacy) quoted += c == '\'' ? std::string("''") : std::string(1, c);
  GH_ASSERT_OK((*raw)->Run("UPDATE mail_outbox SET fills = '" + quoted + "'"));
  auto tx = (*store)->Begin(TxMode::kRead);
  GH_ASSERT_OK(tx);
  auto got = (*tx)->Outbox().Get("m1");
  GH_ASSERT_OK(got);
  EXPECT_EQ(got->fills, legacy);
  ASSERT_NE(got->shared_body, nullptr);
  EXPECT_TRUE(got->shared_body->slots.empty());
  EXPECT_EQ(got->shared_body->subject, "For {to}");
}

TEST(SqliteStore, UnopenableFileIsUnavailable) {
  auto store = OpenStore("/nonexistent-dir-" + SecureRandom().NewUuid() + "/x.db");
  GH_EXPECT_CODE(store, Code::kUnavailable);
}

}  // namespace
}  // namespace gh::store::testing
