#pragma once
// The browser side of sign-in: the OAuth authorize endpoint, the sign-in pages
// (email → password or one-time passcode), sign-out, the device-code
// approval page, and the static assets they use.
#include <string>
#include <vector>

#include "core/random.h"
#include "directory/directory_service.h"
#include "http/router.h"
#include "identity/signin.h"

namespace gh::web {

struct SigninDeps {
  identity::SigninService& signin;
  directory::DirectoryService& directory;
  Random& random;
  std::string public_base;
};

// The routes keep their own copy of `deps` (whose references must outlive them).
std::vector<http::Route> SigninRoutes(SigninDeps deps);

// Retry-After on a throttled (ResourceExhausted) sign-in or sign-up page: a
// second for "the server is busy", a minute for locks and rate limits.
void SetRetryAfter(http::Response& resp, const Status& s);

}  // namespace gh::web
