#pragma once
// Who is calling: the verified content of a bearer token, confined to one tenant.
#include <algorithm>
#include <string>
#include <vector>

#include "directory/model/actor.h"

namespace gh::identity {

enum class PrincipalKind { kApp, kUser };

struct Principal {
  PrincipalKind kind = PrincipalKind::kApp;
  std::string tenant_id;
  std::string object_id;   // user id, or the client's object id for apps
  std::string app_id;      // client_id the token was issued to
  std::string display_name;
  std::vector<std::string> roles;   // application permissions (apps) or app roles
  std::vector<std::string> scopes;  // delegated scopes (users)
  std::vector<std::string> directory_roles;  // role template ids held by a user

  bool HasRole(std::string_view r) const { return std::find(roles.begin(), roles.end(), r) != roles.end(); }
  bool HasScope(std::string_view s) const { return std::find(scopes.begin(), scopes.end(), s) != scopes.end(); }
};

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
