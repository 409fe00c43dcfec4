#pragma once
// The guest's redemption journey: the Get Started link → sign in at home →
// "Review permissions" → accept (or cancel) → the invitation's redirect URL.
#include <string>
#include <vector>

#include "core/random.h"
#include "http/router.h"
#include "identity/signin.h"
#include "invitations/invitation_service.h"

namespace gh::web {

struct RedeemDeps {
  invitations::InvitationService& invitations;
  identity::SigninService& signin;
  Random& random;
};

std::vector<http::Route> RedeemRoutes(RedeemDeps deps);

}  // namespace gh::web
