#pragma once
// The consent pages, as Entra shows them after sign-in: "Permissions
// requested" (the app, who registered it, each permission it asks for with
// its sentence, Accept / Cancel, and for administrators "Consent on behalf of
// your organization"), or "Need admin approval" (AADSTS90094) when the app asks
// for something only an administrator may allow. One form posts to /consent
// for both an authorization request and a device code; it carries the CSRF
// token and what to re-validate, never a decision the server trusts: the
// request is validated again and consent is recorded only for what the
// signed-in user may allow (identity/consent.h).
#include <memory>
#include <string>
#include <vector>

#include "http/router.h"
#include "identity/signin.h"
#include "web/signin_routes.h"

namespace gh::web {

// The consent step of /authorize for `user`, who lacks consent for some of
// what `request` asks for (or asked with prompt=consent).
http::Response AuthorizeConsentStep(SigninDeps& d, const http::Request& http_req,
                                    const identity::AuthorizeRequest& request, const directory::User& user,
                                    const identity::Consent::Evaluation& evaluation);

// The consent step of a device code's approval.
http::Response DeviceConsentStep(SigninDeps& d, const http::Request& http_req, const std::string& user_code,
                                 const identity::SigninService::DeviceConsent& consent);

// POST /consent.
std::vector<http::Route> ConsentRoutes(std::shared_ptr<SigninDeps> deps);

}  // namespace gh::web
