// Table-driven tests of the gate: for every rule at least one allow and one
// deny; each deny names the failed check and carries a remedy.
#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <functional>

#include "cli/client_commands.h"
#include "gate/decision.h"
#include "gate/snapshot.h"
#include "support/test_env.h"

namespace gh::gate {
namespace {

constexpr const char* kRes = "res-tenant";
constexpr const char* kFab = "fab-tenant";
constexpr const char* kGov = "gov-tenant";
constexpr const char* kConsumers = "9188040d-6c67-4c5b-b112-36a304b66dad";

directory::Tenant MakeTenant(std::string id, std::string name, std::string domain, directory::Cloud cloud) {
  directory::Tenant t;
  t.id = std::move(id);
  t.name = std::move(name);
  t.initial_domain = domain;
  t.verified_domains = {domain};
  t.cloud = cloud;
  return t;
}

UserFacts Member(std::string id) {
  UserFacts u;
  u.id = id;
  u.user_principal_name = id + "@contoso.com";
  u.display_name = id;
  u.mail = id + "@contoso.com";
  u.license_environment_access = u.license_dataverse = u.license_power_apps = true;
  return u;
}

UserFacts Guest(std::string id, HomeKind home, std::string home_tenant, std::string domain) {
  UserFacts u = Member(id);
  u.user_principal_name = id + "_" + domain + "#EXT#@contoso.com";
  u.mail = id + "@" + domain;
  u.guest = true;
  u.home = home;
  u.home_tenant_id = std::move(home_tenant);
  u.home_object_id = "home-" + id;
  return u;
}

const uint32_t kMaker = PrivilegeMask({"createCanvasApp", "shareApps"});
const uint32_t kCustomizer =
    PrivilegeMask({"createCanvasApp", "createModelDrivenApp", "importSolution", "exportSolution", "customize"});

// The baseline: every rule passes for "alex" (member) and "gina" (guest from
// Fabrikam); each case breaks one thing.
SnapshotInput Base() {
  SnapshotInput in;
  in.resource.tenant = MakeTenant(kRes, "Contoso", "contoso.com", directory::Cloud::kCommercial);
  in.resource.policies.authorization.guest_user_role_id = std::string(directory::kGuestSameAsMembersRole);
  in.home_tenants[kFab] = {MakeTenant(kFab, "Fabrikam", "fabrikam.com", directory::Cloud::kCommercial), {}};
  in.home_tenants[kGov] = {MakeTenant(kGov, "Gov", "gov.us", directory::Cloud::kGccHigh), {}};
  in.home_tenants[kConsumers] = {MakeTenant(kConsumers, "Consumers", "outlook.com", directory::Cloud::kCommercial), {}};
  in.settings.enable_guests_to_make = true;
  in.admin_contact = "admin@contoso.com";
  in.users = {Member("alex"), Guest("gina", HomeKind::kOtherTenant, kFab, "fabrikam.com"),
              Guest("pat", HomeKind::kConsumer, kConsumers, "outlook.com"),
              Guest("greg", HomeKind::kOtherTenant, kGov, "gov.us"), Member("admin")};
  in.users.back().global_admin = true;
  in.users.back().directory_roles = {std::string(directory::kGlobalAdministratorRole)};
  in.users.back().license_environment_access = false;
  in.groups = {{"g-sales", "Contoso Sales", false}, {"g-nested", "Sales EU", false}, {"g-m365", "Marketing", true}, {"g-core", "Sales Core", false}};
  in.memberships = {{"g-sales", "g-nested", directory::MemberKind::kGroup},
                    {"g-core", "g-nested", directory::MemberKind::kGroup},
                    {"g-nested", "alex", directory::MemberKind::kUser},
                    {"g-sales", "gina", directory::MemberKind::kUser},
                    {"g-sales", "pat", directory::MemberKind::kUser},
                    {"g-sales", "greg", directory::MemberKind::kUser},
                    {"g-m365", "gina", directory::MemberKind::kUser}};
  auto env = [](std::string id, std::string name, bool dv, std::optional<std::string> group,
                environments::EnvironmentState st) {
    EnvironmentFacts f;
    f.env.id = id;
    f.env.unique_name = name;
    f.env.display_name = name;
    f.env.dataverse = dv;
    f.env.security_group_id = group;
    f.env.state = st;
    return f;
  };
  in.environments = {env("env-sales", "contoso-sales", true, "g-sales", environments::EnvironmentState::kEnabled),
                     env("env-box", "contoso-sandbox", false, std::nullopt, environments::EnvironmentState::kEnabled),
                     env("env-off", "contoso-off", true, std::nullopt, environments::EnvironmentState::kDisabled),
                     env("env-adm", "contoso-adm", true, std::nullopt, environments::EnvironmentState::kAdminMode)};
  in.role_grants = {{"env-sales", "g-core", kCustomizer},   // alex through nested groups
                    {"env-sales", "gina", kMaker},          {"env-sales", "pat", kMaker},
                    {"env-sales", "greg", kMaker},          {"env-box", "gina", kMaker},
                    {"env-off", "alex", kMaker},            {"env-adm", "alex", kMaker}};
  in.apps = {{"app-1", "env-sales", "Orders", AppType::kCanvas, false, "alex", false, {"g-sales"}},
             {"app-2", "env-sales", "Secret", AppType::kCanvas, false, "alex", false, {}}};
  return in;
}

struct Case {
  std::string name;
  Action action;
  std::string user;
  std::string env;
  bool allowed;
  std::string failed_id;  // when denied
  std::function<void(SnapshotInput&)> mutate = nullptr;
  std::string app;
  std::string target;
};

UserFacts& U(SnapshotInput& in, const std::string& id) {
  for (auto& u : in.users)
    if (u.id == id) return u;
  throw std::runtime_error("no user " + id);
}

void BlockAll(directory::B2BSetting& s) { s.users_and_groups = {false, {{"AllUsers", "user"}}}; }

std::vector<Case> Cases() {
  using A = Action;
  const std::string S = "contoso-sales";
  return {
      // environment.access and its rules
      {"member via nested group", A::kEnvironmentAccess, "alex", S, true, ""},
      {"guest", A::kEnvironmentAccess, "gina", S, true, ""},
      {"disabled account", A::kEnvironmentAccess, "gina", S, false, "account.enabled",
       [](auto& in) { U(in, "gina").enabled = false; }},
      {"pending invitation", A::kEnvironmentAccess, "gina", S, false, "invitation.accepted",
       [](auto& in) { U(in, "gina").pending_acceptance = true; }},
      {"inbound blocked", A::kEnvironmentAccess, "gina", S, false, "crossTenant.inbound",
       [](auto& in) {
         directory::PartnerConfiguration p;
         p.tenant_id = kFab;
         p.inbound.emplace();
         BlockAll(*p.inbound);
         in.resource.policies.cross_tenant.partners.push_back(p);
       }},
      {"inbound allows the user's home group", A::kEnvironmentAccess, "gina", S, true, "",
       [](auto& in) {
         in.resource.policies.cross_tenant.default_inbound.users_and_groups = {true, {{"home-grp", "group"}}};
         U(in, "gina").home_group_ids = {"home-grp"};
       }},
      {"outbound blocked at home", A::kEnvironmentAccess, "gina", S, false, "crossTenant.outbound",
       [](auto& in) { BlockAll(in.home_tenants[kFab].policies.cross_tenant.default_outbound); }},
      {"cloud boundary", A::kEnvironmentAccess, "greg", S, false, "cloud.boundary"},
      {"cloud boundary opened both sides", A::kEnvironmentAccess, "greg", S, true, "",
       [](auto& in) {
         in.resource.policies.cross_tenant.allowed_cloud_endpoints = {"microsoftonline.us"};
         in.home_tenants[kGov].policies.cross_tenant.allowed_cloud_endpoints = {"microsoftonline.com"};
       }},
      {"unknown environment", A::kEnvironmentAccess, "alex", "nope", false, "environment.exists"},
      {"disabled environment", A::kEnvironmentAccess, "alex", "contoso-off", false, "environment.state"},
      {"admin mode refuses users", A::kEnvironmentAccess, "alex", "contoso-adm", false, "environment.state"},
      {"admin mode admits admins", A::kEnvironmentAccess, "admin", "contoso-adm", true, ""},
      {"no licence", A::kEnvironmentAccess, "gina", S, false, "license.environmentAccess",
       [](auto& in) { U(in, "gina").license_environment_access = false; }},
      {"admin needs no licence, group or role", A::kEnvironmentAccess, "admin", S, true, ""},
      {"not in security group", A::kEnvironmentAccess, "gina", S, false, "environment.securityGroup",
       [](auto& in) { in.memberships.erase(in.memberships.begin() + 3); }},
      {"no security group needed", A::kEnvironmentAccess, "gina", "contoso-sandbox", true, ""},
      {"no security role", A::kEnvironmentAccess, "gina", S, false, "environment.securityRole",
       [](auto& in) { in.role_grants.erase(in.role_grants.begin() + 1); }},
      // app.run
      {"app shared with a group", A::kAppRun, "gina", "", true, "", nullptr, "app-1"},
      {"app owner", A::kAppRun, "alex", "", true, "", nullptr, "app-2"},
      {"app not shared", A::kAppRun, "gina", "", false, "app.shared", nullptr, "app-2"},
      {"app shared with everyone", A::kAppRun, "gina", "", true, "",
       [](auto& in) { in.apps[1].shared_with_everyone = true; }, "app-2"},
      {"no licence to run", A::kAppRun, "gina", "", false, "license.appRun",
       [](auto& in) { U(in, "gina").license_power_apps = U(in, "gina").license_environment_access = false; }, "app-1"},
      // app.create: the seed's guest-maker rules
      {"guest maker", A::kAppCreate, "gina", S, true, ""},
      {"member maker", A::kAppCreate, "alex", S, true, ""},
      {"no Environment Maker", A::kAppCreate, "gina", "contoso-sandbox", false, "role.environmentMaker",
       [](auto& in) { in.role_grants[4].privileges = PrivilegeMask({"readData"}); }},
      {"guests may not make", A::kAppCreate, "gina", S, false, "tenantSettings.enableGuestsToMake",
       [](auto& in) { in.settings.enable_guests_to_make = false; }},
      {"members make without the guest setting", A::kAppCreate, "alex", S, true, "",
       [](auto& in) { in.settings.enable_guests_to_make = false; }},
      {"guest access limited", A::kAppCreate, "gina", S, false, "guestAccess.sameAsMembers",
       [](auto& in) { in.resource.policies.authorization.guest_user_role_id = std::string(directory::kGuestLimitedRole); }},
      {"personal account maker", A::kAppCreate, "pat", S, false, "account.organizational"},
      {"maker across clouds", A::kAppCreate, "greg", S, false, "cloud.makerBoundary",
       [](auto& in) {
         in.resource.policies.cross_tenant.allowed_cloud_endpoints = {"microsoftonline.us"};
         in.home_tenants[kGov].policies.cross_tenant.allowed_cloud_endpoints = {"microsoftonline.com"};
       }},
      {"dataverse maker", A::kAppCreateDataverse, "gina", S, true, ""},
      {"no Dataverse licence", A::kAppCreateDataverse, "gina", S, false, "license.dataverse",
       [](auto& in) { U(in, "gina").license_dataverse = false; }},
      {"environment without Dataverse", A::kAppCreateDataverse, "gina", "contoso-sandbox", false,
       "environment.dataverse"},
      // solutions
      {"customizer imports", A::kSolutionImport, "alex", S, true, ""},
      {"maker can't import", A::kSolutionImport, "gina", S, false, "role.solutionImport"},
      {"customizer exports", A::kSolutionExport, "alex", S, true, ""},
      {"maker can't export", A::kSolutionExport, "gina", S, false, "role.solutionExport"},
      // Microsoft 365 groups
      {"member creates a group", A::kGroupCreate, "alex", "", true, ""},
      {"guest can't create a group", A::kGroupCreate, "gina", "", false, "group.createMicrosoft365"},
      {"guest takes part in its group", A::kGroupParticipate, "gina", "", true, "", nullptr, "", "g-m365"},
      {"not a member of the group", A::kGroupParticipate, "alex", "", false, "group.member", nullptr, "", "g-m365"},
      // client surfaces
      {"member uses USD", A::kClientUsd, "alex", "", true, ""},
      {"guest refused USD", A::kClientUsd, "gina", "", false, "client.usd"},
      {"member uses Outlook", A::kClientOutlookHomeEmail, "alex", "", true, ""},
      {"guest refused Outlook home email", A::kClientOutlookHomeEmail, "gina", "", false, "client.outlookHomeEmail"},
      {"member uses Customer Voice", A::kCustomerVoiceUse, "alex", "", true, ""},
      {"guest refused Customer Voice", A::kCustomerVoiceUse, "gina", "", false, "customerVoice.use"},
      {"organisation guest signs in to the maker portal", A::kMakerPortalSignIn, "gina", "", true, ""},
      {"personal account refused the maker portal", A::kMakerPortalSignIn, "pat", "", false, "account.organizational"},
      // directory.read per guest access level
      {"member enumerates", A::kDirectoryRead, "alex", "", true, ""},
      {"same-as-members guest enumerates", A::kDirectoryRead, "gina", "", true, ""},
      {"limited guest reads by id", A::kDirectoryRead, "gina", "", true, "",
       [](auto& in) { in.resource.policies.authorization.guest_user_role_id = std::string(directory::kGuestLimitedRole); },
       "", "alex"},
      {"limited guest can't enumerate", A::kDirectoryRead, "gina", "", false, "directory.guestAccessLevel",
       [](auto& in) { in.resource.policies.authorization.guest_user_role_id = std::string(directory::kGuestLimitedRole); }},
      {"restricted guest reads self", A::kDirectoryRead, "gina", "", true, "",
       [](auto& in) { in.resource.policies.authorization.guest_user_role_id = std::string(directory::kGuestRestrictedRole); },
       "", "gina"},
      {"restricted guest can't read others", A::kDirectoryRead, "gina", "", false, "directory.guestAccessLevel",
       [](auto& in) { in.resource.policies.authorization.guest_user_role_id = std::string(directory::kGuestRestrictedRole); },
       "", "alex"},
      {"restricted guest reads self by UPN, any case", A::kDirectoryRead, "gina", "", true, "",
       [](auto& in) { in.resource.policies.authorization.guest_user_role_id = std::string(directory::kGuestRestrictedRole); },
       "", "GINA_fabrikam.com#EXT#@contoso.com"},
      {"restricted guest can't enumerate", A::kDirectoryRead, "gina", "", false, "directory.guestAccessLevel",
       [](auto& in) { in.resource.policies.authorization.guest_user_role_id = std::string(directory::kGuestRestrictedRole); }},
      {"unknown guest access level fails closed", A::kDirectoryRead, "gina", "", false, "directory.guestAccessLevel",
       [](auto& in) { in.resource.policies.authorization.guest_user_role_id = "not-a-level"; }, "", "alex"},
      {"disabled member reads nothing", A::kDirectoryRead, "alex", "", false, "account.enabled",
       [](auto& in) { U(in, "alex").enabled = false; }},
      // user.invite
      {"admin invites", A::kUserInvite, "admin", "", true, "", nullptr, "", "new@northwind.com"},
      {"member may not invite", A::kUserInvite, "alex", "", false, "invite.allowed", nullptr, "", "new@northwind.com"},
      {"denied domain", A::kUserInvite, "admin", "", false, "invite.domain",
       [](auto& in) {
         in.resource.policies.domains.mode = directory::DomainRestrictions::Mode::kDenyList;
         in.resource.policies.domains.domains = {"northwind.com"};
       },
       "", "new@northwind.com"},
      {"cross-tenant inbound blocks invitations", A::kUserInvite, "admin", "", false, "crossTenant.inbound",
       [](auto& in) { BlockAll(in.resource.policies.cross_tenant.default_inbound); }, "", "bob@fabrikam.com"},
  };
}

// Whether a remedy's `gatehouse …` line is one the command line takes: parsed
// by the real client commands (not run), placeholders such as <name> and all.
::testing::AssertionResult CliAccepts(const std::string& line) {
  if (!line.starts_with("gatehouse ")) return ::testing::AssertionFailure() << "not a gatehouse command: " << line;
  CLI::App app{"gatehouse"};
  auto commands = cli::RegisterClientCommands(app);
  try {
    app.parse(line, /*program_name_included=*/true);
  } catch (const CLI::ParseError& e) {
    return ::testing::AssertionFailure() << "`" << line << "`: " << e.what();
  }
  if (app.get_subcommands().empty()) return ::testing::AssertionFailure() << "`" << line << "` names no command";
  return ::testing::AssertionSuccess();
}

// Whether a remedy's "METHOD /path …" is a route the server has: same method,
// and each segment the pattern's or a placeholder for its "{name}".
::testing::AssertionResult ApiAccepts(const std::string& line) {
  static const gh::testing::TestEnv env;  // its routes, built once
  auto split = [](std::string_view path) {
    std::vector<std::string_view> out;
    for (size_t at = 1; at <= path.size();) {
      size_t end = std::min(path.find('/', at), path.size());
      out.push_back(path.substr(at, end - at));
      at = end + 1;
    }
    return out;
  };
  const size_t space = line.find(' ');
  if (space == std::string::npos) return ::testing::AssertionFailure() << "not METHOD /path: " << line;
  const std::string method = line.substr(0, space);
  std::string path = line.substr(space + 1, line.find(' ', space + 1) - space - 1);
  path = path.substr(0, path.find('?'));
  const auto segments = split(path);
  for (const http::Route& route : env.router->routes()) {
    if (route.method != method) continue;
    const auto pattern = split(route.pattern);
    if (pattern.size() != segments.size()) continue;
    bool same = true;
    for (size_t i = 0; i < pattern.size() && same; ++i)
      same = pattern[i] == segments[i] || (pattern[i].starts_with('{') && !segments[i].empty());
    if (same) return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "no route for `" << line << "`";
}

class DecideTest : public ::testing::TestWithParam<Case> {};

TEST_P(DecideTest, Rule) {
  const Case& c = GetParam();
  SnapshotInput in = Base();
  if (c.mutate) c.mutate(in);
  auto snap = Snapshot::Build(std::move(in));
  AccessRequest req{kRes, c.user, c.action, c.env, c.app, "", c.target};
  Decision d = Decide(*snap, req);
  if (c.allowed) {
    EXPECT_TRUE(d.allowed) << c.name << ": failed " << d.FailedIds() << " — "
                           << (d.FirstFailure() ? d.FirstFailure()->sentence : "");
    return;
  }
  EXPECT_FALSE(d.allowed) << c.name;
  const Check* found = nullptr;
  for (const auto& ch : d.checks)
    if (ch.id == c.failed_id && !ch.passed) found = &ch;
  ASSERT_NE(found, nullptr) << c.name << ": expected " << c.failed_id << " to fail; failed: " << d.FailedIds();
  EXPECT_FALSE(found->sentence.empty());
  EXPECT_FALSE(found->remedy.what.empty()) << c.failed_id;
  EXPECT_FALSE(found->remedy.api.empty()) << c.failed_id;
  EXPECT_FALSE(found->remedy.cli.empty()) << c.failed_id;
  EXPECT_TRUE(CliAccepts(found->remedy.cli.str())) << c.failed_id;
  EXPECT_TRUE(ApiAccepts(found->remedy.api.str())) << c.failed_id;
}

INSTANTIATE_TEST_SUITE_P(Gate, DecideTest, ::testing::ValuesIn(Cases()), [](const auto& info) {
  std::string n;
  for (char ch : info.param.name) n += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
  return n;
});

// The two checks above would let a wrong remedy through if they accepted anything.
TEST(DecideTest, RemedyLinesThatNameNothingAreCaught) {
  EXPECT_TRUE(ApiAccepts("POST /api/v1/environments/{id}/roleAssignments {}"));
  EXPECT_FALSE(ApiAccepts("POST /api/v1/environments/{id}/roleAssignment {}"));
  EXPECT_FALSE(ApiAccepts("PUT /v1.0/users/u1"));
  EXPECT_TRUE(CliAccepts("gatehouse users set ann@contoso.com --enable"));
  EXPECT_FALSE(CliAccepts("gatehouse users update ann@contoso.com --account-enabled true"));
  EXPECT_FALSE(CliAccepts("gatehouse invite ann@contoso.com --resend"));
  EXPECT_FALSE(CliAccepts("gatehouse env assign-role contoso-sales ann@contoso.com"));  // no role
}

TEST(DecideTest, EveryCheckIsEvaluatedAndPassingChecksHaveNoRemedy) {
  auto snap = Snapshot::Build(Base());
  Decision d = Decide(*snap, {kRes, "gina", Action::kAppCreateDataverse, "contoso-sales", "", "", ""});
  ASSERT_TRUE(d.allowed) << d.FailedIds();
  EXPECT_GE(d.checks.size(), 14u);
  for (const auto& c : d.checks) EXPECT_TRUE(c.remedy.what.empty()) << c.id;
}

TEST(DecideTest, UnknownUser) {
  auto snap = Snapshot::Build(Base());
  Decision d = Decide(*snap, {kRes, "nobody", Action::kEnvironmentAccess, "contoso-sales", "", "", ""});
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.FailedIds(), "user.exists");
}

TEST(SnapshotTest, PatchedCopiesShareTheRest) {
  auto snap = Snapshot::Build(Base());
  auto roles = std::make_shared<EnvironmentRoles>(snap->roles(1));
  roles->clear();
  auto next = snap->WithEnvironmentRoles(1, roles);
  EXPECT_EQ(&snap->directory(), &next->directory());
  EXPECT_TRUE(Decide(*snap, {kRes, "gina", Action::kEnvironmentAccess, "contoso-sandbox", "", "", ""}).allowed);
  EXPECT_FALSE(Decide(*next, {kRes, "gina", Action::kEnvironmentAccess, "contoso-sandbox", "", "", ""}).allowed);
  UserFacts gina = snap->user(snap->FindUser("gina"));
  gina.enabled = false;
  auto third = next->WithUser(gina);
  EXPECT_EQ(Decide(*third, {kRes, "gina", Action::kEnvironmentAccess, "contoso-sales", "", "", ""}).FailedIds(),
            "account.enabled");
}

}  // namespace
}  // namespace gh::gate
