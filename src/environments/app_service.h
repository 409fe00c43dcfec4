#pragma once
// Apps in environments: create (as the calling user, its owner), share with
// users, groups or everyone, list. The rules of who may do what are here:
//   - creating is a signed-in user's act, decided by the gate (app.create, or
//     app.create.dataverse for a model-driven or Dataverse app);
//   - sharing is the owner's or an administrator's (a directory administrator,
//     or an app granted Environment.ReadWrite.All); sharing with everyone is
//     an administrator's alone when the tenant setting
//     powerPlatform.powerApps.disableShareWithEveryone is on;
//   - a list shows an administrator every app, anyone else the apps they own
//     or the gate lets them run (app.run).
// It also checks the data (the environment exists, principals belong to the
// tenant) and audits each write ("AppManagement") in the same transaction.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/random.h"
#include "core/status.h"
#include "directory/directory_service.h"
#include "gate/decision.h"
#include "gate/snapshot.h"
#include "store/store.h"

namespace gh::environments {

struct App {
  std::string id;
  std::string tenant_id;
  std::string environment_id;
  std::string display_name;
  std::string type = "canvas";  // "canvas" / "modelDriven"
  bool dataverse = false;
  std::string owner_id;
  bool shared_with_everyone = false;
  std::vector<std::string> shared_with;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct NewApp {
  std::string display_name;
  std::string type = "canvas";
  bool dataverse = false;
  std::string owner_id;
};

// The gate's current snapshot of a tenant (gate::SnapshotCache::Get, wired by
// the composition root).
using SnapshotSource = std::function<StatusOr<std::shared_ptr<const gate::Snapshot>>(const std::string& tenant_id)>;

// A create the gate refused: its decision, with the snapshot it was made on
// (the decision's text points into it: render while holding it).
struct GateRefusal {
  std::shared_ptr<const gate::Snapshot> snapshot;
  gate::Decision decision;
};

class AppService {
 public:
  AppService(store::Store& store, const Clock& clock, Random& random, SnapshotSource gate)
      : store_(store), clock_(clock), random_(random), gate_(std::move(gate)) {}

  // `actor` (a user) creates an app with owner `in.owner_id`. PermissionDenied
  // when the actor is an app, or when the gate refuses (then `refusal`, when
  // given, holds the decision and its checks); InvalidArgument for a bad name
  // or type. Gatehouse itself (Actor::System) creates without the gate.
  StatusOr<App> Create(const directory::Actor& actor, const std::string& tenant_id, const std::string& env_id,
                       const NewApp& in, GateRefusal* refusal = nullptr);
  // Adds principals (user or group ids of the tenant) and/or everyone.
  // PermissionDenied when `actor` may not share this app (see above).
  StatusOr<App> Share(const directory::Actor& actor, const std::string& tenant_id, const std::string& env_id,
                      const std::string& app_id, const std::vector<std::string>& principal_ids, bool everyone);
  StatusOr<App> Get(const std::string& tenant_id, const std::string& env_id, const std::string& app_id);
  // The environment's apps `actor` may see (see above). NotFound for a user
  // who is not in the tenant.
  StatusOr<std::vector<App>> ListVisibleTo(const directory::Actor& actor, const std::string& tenant_id,
                                           const std::string& env_id);

 private:
  StatusOr<std::shared_ptr<const gate::Snapshot>> Snapshot(const std::string& tenant_id);
  // A directory administrator (user), or an app granted Environment.ReadWrite.All.
  static bool IsAppsAdministrator(const directory::Actor& actor, const gate::Snapshot& snap);

  store::Store& store_;
  const Clock& clock_;
  Random& random_;
  SnapshotSource gate_;
};

}  // namespace gh::environments
