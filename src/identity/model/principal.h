#pragma once
// Who is calling: the verified content of a bearer token, confined to one
// tenant. A value type below transport and the domain, so the router can name
// the caller a route admits without knowing how tokens are verified.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

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

}  // namespace gh::identity
