#pragma once
// The environment URL (/env/{uniqueName}) and app links under it, guarded by
// the gate: not signed in → sign-in at the environment's tenant; allowed →
// just-in-time sync into the environment and a home page with the apps the
// user can run; refused → a 403 page listing each failed check in plain words
// with what to ask the administrator.
#include <vector>

#include "environments/environment_service.h"
#include "gate/snapshot_cache.h"
#include "http/router.h"
#include "directory/directory_service.h"
#include "identity/signin.h"

namespace gh::web {

struct EnvironmentPageDeps {
  identity::SigninService& signin;
  directory::DirectoryService& directory;
  environments::EnvironmentService& environments;
  gate::SnapshotCache* gate;
};

std::vector<http::Route> EnvironmentPages(EnvironmentPageDeps deps);

}  // namespace gh::web
