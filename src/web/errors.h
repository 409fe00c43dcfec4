#pragma once
// The one place a Status becomes a web page's answer (Graph's is
// api/graph/errors.h): the HTTP status, from the table every presentation
// shares (http/status_code.h), and what the page may show of the message.
// Sign-in, consent, redemption, environment and portal pages all answer
// through it, so a Status means the same status on every page.
#include <string>

#include "core/status.h"
#include "http/message.h"

namespace gh::web {

// The page's status for `s`: http::StatusCodeFor, except for invitation
// links (web/redeem_routes.cc), where a link that names no invitation is 404
// and one that can't be used any more (accepted, replaced, expired, its guest
// deleted) is 410 Gone.
int PageStatusFor(const Status& s);

// For a refusal shown next to a form field the visitor filled in: as
// PageStatusFor, except that something the form names but that isn't there
// is a mistake in the form (400), not a missing page (404).
int FieldStatusFor(const Status& s);

// True for the server's own failures (Internal, Unavailable: a database
// down, a driver error), as opposed to the caller's (4xx).
bool IsServerError(const Status& s);

// What a page may show of `s`: its message when it is about the request (the
// caller can act on it); for a server error, a generic sentence with the
// request id, while the message itself (which may quote the database driver,
// SQL or file paths) goes only to the log under that request id.
std::string ShownMessage(const http::Request& req, const Status& s);

// The message page for a failed call: PageStatusFor(s), `title`, and
// ShownMessage(req, s), with an optional link onwards.
http::Response ErrorPage(const http::Request& req, const Status& s, const std::string& title,
                         const std::string& link_text = {}, const std::string& link_href = {});

}  // namespace gh::web
