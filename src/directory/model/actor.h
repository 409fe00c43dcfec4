#pragma once
// Who is doing a write: the name the audit log shows, and the authority the
// domain's target rules (directory/model/privileges.h) judge. The route table has
// already admitted the caller for the kind of operation; the domain decides
// whether that caller may do it to this particular target.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace gh::directory {

struct Actor {
  Actor() = default;
  Actor(std::string id, std::string type, std::string name)
      : id(std::move(id)), type(std::move(type)), name(std::move(name)) {}

  std::string id;
  std::string type = "system";  // "user" / "app" / "system"
  std::string name;
  // A user's effective directory roles (template ids) and the delegated
  // scopes of the token they act through; an app's application permissions.
  std::vector<std::string> directory_roles;
  std::vector<std::string> scopes;
  std::vector<std::string> app_permissions;

  // Gatehouse itself (provisioning, migrations, jobs acting on their own
  // behalf): holds every right.
  static Actor System() { return {"", "system", "Gatehouse"}; }
  bool IsSystem() const { return type == "system"; }
  bool IsApp() const { return type == "app"; }
  bool IsUser() const { return type == "user"; }
  bool HoldsRole(std::string_view role) const {
    return std::find(directory_roles.begin(), directory_roles.end(), role) != directory_roles.end();
  }
  bool HoldsScope(std::string_view s) const { return std::find(scopes.begin(), scopes.end(), s) != scopes.end(); }
  bool HoldsPermission(std::string_view p) const {
    return std::find(app_permissions.begin(), app_permissions.end(), p) != app_permissions.end();
  }
};

}  // namespace gh::directory
