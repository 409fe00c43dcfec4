// Decide: which checks each action runs, in which order. Every applicable
// check is evaluated (not just up to the first failure) so the explanation
// lists everything an administrator has to fix at once.
#include <array>

#include "gate/checks.h"
#include "gate/decision.h"
#include "gate/snapshot.h"

namespace gh::gate {
namespace {

constexpr std::array<std::pair<Action, std::string_view>, 14> kActionNames{{
    {Action::kEnvironmentAccess, "environment.access"},
    {Action::kAppRun, "app.run"},
    {Action::kAppCreate, "app.create"},
    {Action::kAppCreateDataverse, "app.create.dataverse"},
    {Action::kSolutionImport, "solution.import"},
    {Action::kSolutionExport, "solution.export"},
    {Action::kGroupCreate, "group.create"},
    {Action::kGroupParticipate, "group.participate"},
    {Action::kClientUsd, "client.usd"},
    {Action::kClientOutlookHomeEmail, "client.outlookHomeEmail"},
    {Action::kCustomerVoiceUse, "customerVoice.use"},
    {Action::kMakerPortalSignIn, "makerPortal.signIn"},
    {Action::kDirectoryRead, "directory.read"},
    {Action::kUserInvite, "user.invite"},
}};

bool NeedsEnvironment(Action a) {
  switch (a) {
    case Action::kEnvironmentAccess:
    case Action::kAppRun:
    case Action::kAppCreate:
    case Action::kAppCreateDataverse:
    case Action::kSolutionImport:
    case Action::kSolutionExport: return true;
    default: return false;
  }
}

// The user and their home: checks that apply to anyone reaching the tenant.
void SignInChecks(const CheckContext& c, CheckList& out) {
  out.Record(AccountEnabled, c);
  out.Record(InvitationAccepted, c);
}

void CrossTenantChecks(const CheckContext& c, CheckList& out) {
  out.Record(CrossTenantInbound, c);
  out.Record(CrossTenantOutbound, c);
  out.Record(CloudBoundary, c);
}

void EnvironmentAccessChecks(const CheckContext& c, CheckList& out) {
  SignInChecks(c, out);
  CrossTenantChecks(c, out);
  out.Record(EnvironmentExists, c);
  if (c.env == kNoIndex) return;  // the rest is about the environment
  out.Record(EnvironmentState, c);
  out.Record(LicenseEnvironmentAccess, c);
  out.Record(EnvironmentSecurityGroup, c);
  out.Record(EnvironmentSecurityRole, c);
}

// The seed's guest-maker rules (members pass each with a sentence).
void GuestMakerChecks(const CheckContext& c, CheckList& out) {
  out.Record(TenantSettingsGuestsToMake, c);
  out.Record(GuestAccessSameAsMembers, c);
  out.Record(AccountOrganizational, c);
  out.Record(MakerSameCloud, c);
}

void ActionChecks(const CheckContext& c, CheckList& out) {
  const bool env = c.env != kNoIndex;
  switch (c.req.action) {
    case Action::kEnvironmentAccess: EnvironmentAccessChecks(c, out); break;
    case Action::kAppRun:
      EnvironmentAccessChecks(c, out);
      out.Record(AppShared, c);
      out.Record(LicenseAppRun, c);
      break;
    case Action::kAppCreate:
    case Action::kAppCreateDataverse:
      EnvironmentAccessChecks(c, out);
      if (env) out.Record(RoleEnvironmentMaker, c);
      GuestMakerChecks(c, out);
      if (c.req.action == Action::kAppCreateDataverse) {
        if (env) out.Record(EnvironmentDataverse, c);
        out.Record(LicenseDataverse, c);
      }
      break;
    case Action::kSolutionImport:
    case Action::kSolutionExport:
      EnvironmentAccessChecks(c, out);
      if (env) out.Record(RoleSolution, c, c.req.action == Action::kSolutionImport);
      GuestMakerChecks(c, out);
      out.Record(LicenseDataverse, c);  // solutions live in Dataverse
      break;
    case Action::kGroupCreate:
      SignInChecks(c, out);
      out.Record(GroupCreateMicrosoft365, c);
      break;
    case Action::kGroupParticipate:
      SignInChecks(c, out);
      out.Record(GroupParticipate, c);
      break;
    case Action::kClientUsd:
      SignInChecks(c, out);
      out.Record(ClientUsd, c);
      break;
    case Action::kClientOutlookHomeEmail:
      SignInChecks(c, out);
      out.Record(ClientOutlookHomeEmail, c);
      break;
    case Action::kCustomerVoiceUse:
      SignInChecks(c, out);
      out.Record(CustomerVoice, c);
      break;
    case Action::kMakerPortalSignIn:
      SignInChecks(c, out);
      CrossTenantChecks(c, out);
      out.Record(AccountOrganizational, c);
      break;
    case Action::kDirectoryRead:
      out.Record(AccountEnabled, c);
      out.Record(DirectoryRead, c);
      break;
    case Action::kUserInvite:
      out.Record(AccountEnabled, c);
      out.Record(InviteAllowed, c);
      out.Record(InviteDomain, c);
      out.Record(InviteCrossTenant, c);
      break;
  }
}

// The environment the request is about, or kNoIndex (none, or unknown).
uint32_t EnvironmentOf(const Snapshot& snap, const AccessRequest& req) {
  uint32_t env = kNoIndex;
  if (NeedsEnvironment(req.action) && !req.environment_id.empty()) env = snap.FindEnvironment(req.environment_id);
  if (req.action == Action::kAppRun && env == kNoIndex) {
    // The app names its environment when the caller didn't.
    if (const AppFacts* app = snap.FindApp(req.app_id)) env = snap.FindEnvironment(app->environment_id);
  }
  return env;
}

}  // namespace

std::string_view ActionName(Action a) {
  for (const auto& [act, name] : kActionNames)
    if (act == a) return name;
  return "unknown";
}

std::optional<Action> ParseAction(std::string_view name) {
  for (const auto& [act, n] : kActionNames)
    if (n == name) return act;
  return std::nullopt;
}

const std::vector<Action>& AllActions() {
  static const std::vector<Action> all = [] {
    std::vector<Action> v;
    for (const auto& [a, n] : kActionNames) v.push_back(a);
    return v;
  }();
  return all;
}

const Check* Decision::FirstFailure() const {
  for (const auto& c : checks)
    if (!c.passed) return &c;
  return nullptr;
}

std::string Decision::FailedIds() const {
  std::string out;
  for (const auto& c : checks) {
    if (c.passed) continue;
    if (!out.empty()) out += ", ";
    out += c.id;
  }
  return out;
}

Decision Decide(const Snapshot& snap, const AccessRequest& req) {
  Decision d;
  d.action = req.action;
  CheckContext c{snap, req, snap.FindUser(req.user_id), kNoIndex};
  if (c.user == kNoIndex) {
    d.checks.push_back({"user.exists", false,
                        "There is no user '" + req.user_id + "' in " + snap.resource().tenant.name + ".",
                        {"Invite the person as a guest, or create the user.",
                         "POST /v1.0/invitations {\"invitedUserEmailAddress\":\"…\",\"inviteRedirectUrl\":\"…\"}",
                         "gatehouse invite <email>"}});
    return d;
  }
  c.env = EnvironmentOf(snap, req);
  // Memory latency, not computation, is most of a decision's cost: a hint (no
  // effect on results) so the user's role entries in the environment load
  // while the checks before the role check run.
  if (c.env != kNoIndex) snap.PrefetchRoles(c.user, c.env);
  ActionChecks(c, d.checks);
  d.allowed = true;
  for (const auto& ch : d.checks) d.allowed = d.allowed && ch.passed;
  return d;
}

}  // namespace gh::gate
