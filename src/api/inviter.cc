#include "api/inviter.h"

namespace gh::api {

StatusOr<invitations::Inviter> InviterOf(Services& s, const http::RouteContext& ctx) {
  const auto& p = *ctx.principal;
  invitations::Inviter who;
  who.id = p.object_id;
  who.name = p.display_name;
  who.is_app = p.kind == identity::PrincipalKind::kApp;
  who.app_permissions = p.roles;
  who.directory_roles = p.directory_roles;
  who.scopes = p.scopes;
  if (!who.is_app) {
    GH_ASSIGN_OR_RETURN(auto u, s.directory.GetUser(p.tenant_id, p.object_id));
    who.user_type = u.user_type;
    who.email = u.mail.value_or("");
    who.name = u.display_name;
  }
  return who;
}

http::Permission InvitePermission() {
  return {"User.Invite.All", [](const identity::Principal& p) {
            if (p.kind == identity::PrincipalKind::kUser) return true;
            for (const char* r : {"User.Invite.All", "User.ReadWrite.All", "Directory.ReadWrite.All"})
              if (p.HasRole(r)) return true;
            return false;
          }};
}

}  // namespace gh::api
