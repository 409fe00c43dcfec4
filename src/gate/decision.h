#pragma once
// The gate: every access rule of the seed in one pure decision function.
//
//   Decision Decide(const Snapshot&, const AccessRequest&)
//
// A decision evaluates every check that applies to the action, in a stable
// order, and records for each its id, whether it passed, a sentence for
// people and — when it failed — the remedy: what an administrator does, the
// API call and the CLI command. `allowed` is true only when every check
// passed. Decide does no I/O and takes no locks; the snapshot it reads is
// immutable (snapshot.h). The same function serves the API
// (POST /api/v1/access/check), the CLI (`gatehouse why`), the environment
// pages and the token endpoint.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gh::gate {

class Snapshot;

enum class Action {
  kEnvironmentAccess,
  kAppRun,
  kAppCreate,
  kAppCreateDataverse,
  kSolutionImport,
  kSolutionExport,
  kGroupCreate,
  kGroupParticipate,
  kClientUsd,
  kClientOutlookHomeEmail,
  kCustomerVoiceUse,
  kMakerPortalSignIn,
  kDirectoryRead,
  kUserInvite,
};
std::string_view ActionName(Action a);  // "environment.access", ...
std::optional<Action> ParseAction(std::string_view name);
const std::vector<Action>& AllActions();

struct AccessRequest {
  std::string resource_tenant_id;
  std::string user_id;         // the user object in the resource tenant
  Action action = Action::kEnvironmentAccess;
  std::string environment_id;  // id or uniqueName; empty when the action needs none
  std::string app_id;          // app.run (the app), crossTenant app targets
  std::string client_id;       // client surfaces
  std::string target_id;       // directory.read: the object read ("" = enumerate); user.invite: invitee email
};

// What an administrator does to turn a failed check into a pass.
struct Remedy {
  std::string what;  // a sentence: "Assign the Environment Maker security role in Contoso Sales."
  std::string api;   // "POST /api/v1/environments/{id}/users/{userId}/roleAssignments {...}"
  std::string cli;   // "gatehouse roles assign ..."
};

struct Check {
  std::string_view id;  // stable, e.g. "license.environmentAccess"
  bool passed = false;
  std::string sentence;
  Remedy remedy;  // empty when passed
};

struct Decision {
  bool allowed = false;
  Action action = Action::kEnvironmentAccess;
  std::vector<Check> checks;

  // The first failed check, or null when allowed.
  const Check* FirstFailure() const;
  // "id1, id2" of the failed checks.
  std::string FailedIds() const;
};

Decision Decide(const Snapshot& snapshot, const AccessRequest& request);

}  // namespace gh::gate
