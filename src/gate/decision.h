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
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
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
// 32 bytes: a decision records 10–17 checks of four texts each, so the size
// of a Text is most of the cost of recording an explanation.
class Text {
 public:
  // User-provided (not "= default") so that value-initialising a Text, as
  // `Remedy{}` does, doesn't zero the whole object first.
  Text() noexcept {}
  Text(const char* literal) : kind_(kLiteral) { p_.literal = literal; }  // NOLINT: string literals only (not copied)
  Text(std::string owned) {  // NOLINT: implicit, like std::string
    if (owned.empty()) return;
    kind_ = kOwned;
    p_.owned = new std::string(std::move(owned));
  }
  Text(RenderFn render, TextArgs args) : kind_(kRender), args_(args) { p_.render = render; }
  Text(const Text& o) { CopyFrom(o); }
  Text(Text&& o) noexcept { TakeFrom(o); }
  Text& operator=(const Text& o) {
    if (this != &o) Text(o).swap(*this);
    return *this;
  }
  Text& operator=(Text&& o) noexcept {
    if (this != &o) Release(), TakeFrom(o);
    return *this;
  }
  ~Text() { Release(); }

  bool empty() const { return kind_ == kEmpty || (kind_ == kLiteral && *p_.literal == '\0'); }
  std::string str() const;
  operator std::string() const { return str(); }  // NOLINT: reads like the std::string it replaced
  friend std::ostream& operator<<(std::ostream& os, const Text& t);

 private:
  enum Kind : uint8_t { kEmpty, kLiteral, kRender, kOwned };
  union Payload {
    const char* literal;  // kLiteral
    RenderFn render;      // kRender, reading args_
    std::string* owned;   // kOwned (owned by this Text)
  };

  // Only kind_ is set for an empty text (most remedies): recording a passed
  // check then costs a few byte stores.
  void CopyFrom(const Text& o) {
    kind_ = o.kind_;
    if (kind_ == kEmpty) return;
    p_ = o.p_;
    if (kind_ == kRender) args_ = o.args_;
    if (kind_ == kOwned) p_.owned = new std::string(*o.p_.owned);
  }
  void TakeFrom(Text& o) {
    kind_ = o.kind_;
    if (kind_ == kEmpty) return;
    p_ = o.p_;
    if (kind_ == kRender) args_ = o.args_;
    o.kind_ = kEmpty;
  }
  void Release() {
    if (kind_ == kOwned) DeleteOwned();
    kind_ = kEmpty;
  }
  // Out of line (text.cc): inlined, GCC can't tell the union's members apart
  // and warns that a literal might be deleted.
  void DeleteOwned();
  void swap(Text& o) noexcept {
    Text tmp(std::move(o));
    o.TakeFrom(*this);
    TakeFrom(tmp);
  }

  Kind kind_ = kEmpty;
  Payload p_;      // set unless kEmpty
  TextArgs args_;  // set for kRender
};

// What an administrator does to turn a failed check into a pass.
struct Remedy {
  Text what;  // a sentence: "Assign the Environment Maker security role in Contoso Sales."
  Text api;   // "POST /api/v1/environments/{id}/users/{userId}/roleAssignments {...}"
  Text cli;   // "gatehouse env assign-role …": a command line the CLI takes
};

struct Check {
  std::string_view id;  // stable, e.g. "license.environmentAccess"
  bool passed = false;
  Text sentence;
  Remedy remedy;  // empty when passed
};

// The checks of one decision, in order, stored inline (no allocation per
// decision). Reads like a std::vector<Check>. The capacity covers the longest
// action (app.create.dataverse: 17 checks); Decide composes a fixed list per
// action, so exceeding it is a programming error (std::length_error).
class CheckList {
 public:
  static constexpr size_t kCapacity = 20;

  CheckList() = default;
  CheckList(const CheckList& o) {
    for (const Check& c : o) push_back(c);
  }
  CheckList(CheckList&& o) noexcept {
    for (Check& c : o) new (data() + size_++) Check(std::move(c));
  }
  CheckList& operator=(const CheckList& o) {
    if (this != &o) {
      clear();
      for (const Check& c : o) push_back(c);
    }
    return *this;
  }
  CheckList& operator=(CheckList&& o) noexcept {
    if (this != &o) {
      clear();
      for (Check& c : o) new (data() + size_++) Check(std::move(c));
    }
    return *this;
  }
  ~CheckList() { clear(); }

  void push_back(Check c) {
    Reserve();
    new (data() + size_++) Check(std::move(c));
  }
  // Appends what check(args...) returns, constructed in place (no copy).
  template <class CheckFn, class... Args>
  void Record(CheckFn check, const Args&... args) {
    Reserve();
    new (data() + size_) Check(check(args...));
    ++size_;
  }
  void clear() {
    for (Check& c : *this) c.~Check();
    size_ = 0;
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  Check* begin() { return data(); }
  Check* end() { return data() + size_; }
  const Check* begin() const { return data(); }
  const Check* end() const { return data() + size_; }
  const Check& operator[](size_t i) const { return data()[i]; }
  const Check& front() const { return data()[0]; }
  const Check& back() const { return data()[size_ - 1]; }

 private:
  void Reserve() const {
    if (size_ == kCapacity) throw std::length_error("gate::CheckList: more than kCapacity checks");
  }
  Check* data() { return std::launder(reinterpret_cast<Check*>(storage_)); }
  const Check* data() const { return std::launder(reinterpret_cast<const Check*>(storage_)); }

  uint32_t size_ = 0;
  alignas(Check) unsigned char storage_[kCapacity * sizeof(Check)];
};

struct Decision {
  bool allowed = false;
  Action action = Action::kEnvironmentAccess;
  CheckList checks;

  // The first failed check, or null when allowed.
  const Check* FirstFailure() const;
  // "id1, id2" of the failed checks.
  std::string FailedIds() const;
};

Decision Decide(const Snapshot& snapshot, const AccessRequest& request);

}  // namespace gh::gate
