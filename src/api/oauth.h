#pragma once
// The OAuth 2.0 / OpenID Connect endpoints of each tenant (token, JWKS,
// discovery), the bearer-token authenticator the router uses, and the health
// probes.
#include <vector>

#include "api/services.h"
#include "http/router.h"

namespace gh::api {

std::vector<http::Route> OAuthRoutes(Services& s);
std::vector<http::Route> HealthRoutes(Services& s);

// Verifies "Authorization: Bearer …" with the token service; a user's
// directory roles are looked up so role-based permissions can be checked.
class BearerAuthenticator final : public http::Authenticator {
 public:
  explicit BearerAuthenticator(Services& s) : s_(s) {}
  StatusOr<identity::Principal> Authenticate(const http::Request& req) override;

 private:
  Services& s_;
};


}  // namespace gh::api
