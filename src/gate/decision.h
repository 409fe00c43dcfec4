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
// immutable (snapshot.h).
//
// Explanations are recorded, not written: a sentence or remedy is a Text — a
// string literal, or a renderer plus the indexes it reads — and becomes a
// string only when someone reads it (Text::str(), operator<<). Most decisions
// are never shown to a person, and building their strings eagerly was most of
// the cost of a decision. A rendered Text reads the snapshot it was decided
// on, so render while you still hold that snapshot (every caller does: it
// serialises right after deciding). The same function serves the API
// (POST /api/v1/access/check), the CLI (`gatehouse why`), the environment
// pages and the token endpoint.
#include <cstdint>
#include <iosfwd>
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

// What a lazily rendered Text reads: the snapshot and the user and
// environment the check looked at (indexes, not copies, so recording is a few
// stores).
struct TextArgs {
  const Snapshot* snap = nullptr;
  uint32_t user = UINT32_MAX;
  uint32_t env = UINT32_MAX;
};
using RenderFn = std::string (*)(const TextArgs&);

// One piece of explanation text, in one of three forms: a string literal
// (most sentences; never copied), a renderer with its arguments (texts that
// name the user or environment, rendered on demand), or an owned string (the
// rare paths that quote the request or a policy message, rendered eagerly).
class Text {
 public:
  Text() = default;
  Text(const char* literal) : literal_(literal) {}  // NOLINT: string literals only (not copied)
  Text(std::string owned) : owned_(std::move(owned)) {}  // NOLINT: implicit, like std::string
  Text(RenderFn render, TextArgs args) : render_(render), args_(args) {}

  bool empty() const { return render_ == nullptr && literal_.empty() && owned_.empty(); }
  std::string str() const;
  operator std::string() const { return str(); }  // NOLINT: reads like the std::string it replaced
  friend std::ostream& operator<<(std::ostream& os, const Text& t);

 private:
  std::string_view literal_;
  RenderFn render_ = nullptr;
  TextArgs args_;
  std::string owned_;
};

// What an administrator does to turn a failed check into a pass.
struct Remedy {
  Text what;  // a sentence: "Assign the Environment Maker security role in Contoso Sales."
  Text api;   // "POST /api/v1/environments/{id}/users/{userId}/roleAssignments {...}"
  Text cli;   // "gatehouse roles assign ..."
};

struct Check {
  std::string_view id;  // stable, e.g. "license.environmentAccess"
  bool passed = false;
  Text sentence;
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
