#pragma once
// The authorization response to a client's redirect URI (RFC 6749 §4.1.2 and
// §4.1.2.1; OAuth 2.0 Form Post Response Mode): a 302 with the parameters in
// the query, or, for response_mode=form_post, a page that posts them. Empty
// parameters are left out — above all `state`, which goes back only when the
// request carried one (a certified relying party refuses a state it never
// sent).
#include <string>
#include <utility>
#include <vector>

#include "http/message.h"
#include "identity/signin.h"

namespace gh::web {

// `url` with `params` added to its query, percent-encoded; empty values are
// left out.
std::string WithParams(std::string url, const std::vector<std::pair<std::string, std::string>>& params);

http::Response AuthorizeResponse(const identity::AuthorizeRequest& request,
                                 const std::vector<std::pair<std::string, std::string>>& params);

}  // namespace gh::web
