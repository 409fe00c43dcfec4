#include "api/inviter.h"

#include "api/permissions.h"

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
  // Who may invite at all is the authorization policy's call
  // (InvitationService::MayInvite, with the inviter's roles); here, that the
  // token was given a permission to invite: the app's application permission,
  // or the user's consent to let this app invite for them.
  return RequireScope("User.Invite.All", {"User.Invite.All", "User.ReadWrite.All", "Directory.ReadWrite.All"},
                      {"User.Invite.All", "User.ReadWrite.All", "Directory.ReadWrite.All"});
}

}  // namespace gh::api
