#pragma once
// Self-service sign-up for personal accounts (the `consumers` tenant): the
// form (email, display name, password twice), then the emailed verification
// code, then a session and back to where the browser was going. The pages
// never say whether an account already exists; the rules (consumer domains
// only, password strength, code lifetime and attempts, throttling) live in
// identity::SigninService::SignUpConsumer / VerifyConsumerSignUp.
#include <memory>
#include <string>
#include <vector>

#include "http/router.h"
#include "web/signin_routes.h"

namespace gh::web {

// GET/POST /signup. Shares the sign-in routes' deps.
std::vector<http::Route> SignupRoutes(std::shared_ptr<SigninDeps> deps);

// The "No account? Create one" link target for an address.
std::string SignupUrl(const std::string& continue_to, const std::string& email);

}  // namespace gh::web
