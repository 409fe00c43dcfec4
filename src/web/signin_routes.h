#pragma once
// The browser side of sign-in: the OAuth authorize endpoint, the sign-in pages
// (email → password or one-time passcode), sign-out, the device-code
// approval page, and the static assets they use.
//
// Sign-out changes state only on a POST with the CSRF token (GET /logout
// shows a "Sign out?" page), so no other site can sign a user out. The OpenID
// Connect end-session endpoint (GET /{tenant}/oauth2/v2.0/logout) signs out
// at once only when its id_token_hint is an ID token of this tenant for the
// signed-in user, as Keycloak does; otherwise it asks too. It redirects to
// post_logout_redirect_uri only when that is a redirect URI registered for
// the client (the hint's audience, or client_id).
#include <string>
#include <vector>

#include "core/random.h"
#include "directory/directory_service.h"
#include "http/router.h"
#include "identity/signin.h"
#include "identity/token_service.h"

namespace gh::web {

struct SigninDeps {
  identity::SigninService& signin;
  directory::DirectoryService& directory;
  Random& random;
  std::string public_base;
  identity::TokenService& tokens;  // verifies the end-session endpoint's id_token_hint
};

// The routes keep their own copy of `deps` (whose references must outlive them).
std::vector<http::Route> SigninRoutes(SigninDeps deps);

// Retry-After on a throttled (ResourceExhausted) sign-in or sign-up page: a
// second for "the server is busy", a minute for locks and rate limits.
void SetRetryAfter(http::Response& resp, const Status& s);

}  // namespace gh::web
