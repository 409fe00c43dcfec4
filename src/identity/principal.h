#pragma once
// The caller (identity/model/principal.h) as the directory's rules see it.
#include "directory/model/actor.h"
#include "identity/model/principal.h"

namespace gh::identity {

// The principal as the directory's rules see it: name, and the authority it
// acts with (an app's application permissions; a user's roles and scopes).
inline directory::Actor ActorFor(const Principal& p) {
  directory::Actor a{p.object_id, p.kind == PrincipalKind::kApp ? "app" : "user", p.display_name};
  if (p.kind == PrincipalKind::kApp) {
    a.app_permissions = p.roles;
  } else {
    a.directory_roles = p.directory_roles;
    a.scopes = p.scopes;
  }
  return a;
}

}  // namespace gh::identity
