#pragma once
// The authenticated caller as an inviter (invitations and bulk invitations).
#include "api/services.h"
#include "http/router.h"
#include "invitations/invitation_service.h"

namespace gh::api {

StatusOr<invitations::Inviter> InviterOf(Services& s, const http::RouteContext& ctx);

// Apps need an invite permission; users are judged by the tenant's
// allowInvitesFrom setting inside the service, as Entra does.
http::Permission InvitePermission();

}  // namespace gh::api
