#include "web/errors.h"

#include <spdlog/spdlog.h>

#include <string_view>

#include "http/status_code.h"
#include "web/page.h"

namespace gh::web {

int PageStatusFor(const Status& s) {
  // The reasons invitations::InvitationService::Check gives for a link.
  if (s.code() == Code::kFailedPrecondition) {
    if (s.reason() == "invalid_ticket") return 404;
    for (std::string_view gone : {"already_redeemed", "superseded", "expired", "user_deleted"})
      if (s.reason() == gone) return 410;
  }
  return http::StatusCodeFor(s);
}

int FieldStatusFor(const Status& s) { return s.code() == Code::kNotFound ? 400 : PageStatusFor(s); }

bool IsServerError(const Status& s) { return s.code() == Code::kInternal || s.code() == Code::kUnavailable; }

std::string ShownMessage(const http::Request& req, const Status& s) {
  if (!IsServerError(s)) return s.message();
  spdlog::error("request_id={} server error shown as a generic page: code={} reason={} detail=\"{}\"",
                req.request_id, CodeName(s.code()), s.reason(), s.message());
  return "Something went wrong on our side. Try again in a moment; if it keeps happening, give your administrator "
         "the request id " + req.request_id + ".";
}

http::Response ErrorPage(const http::Request& req, const Status& s, const std::string& title,
                         const std::string& link_text, const std::string& link_href) {
  return MessagePage(PageStatusFor(s), title, ShownMessage(req, s), link_text, link_href);
}

}  // namespace gh::web
