#include "mail/config.h"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <charconv>

namespace gh::mail {

StatusOr<SmtpConfig> ParseSmtpUrl(std::string_view text) {
  auto parsed = boost::urls::parse_absolute_uri(text);
  if (!parsed) return InvalidArgument("The SMTP URL is not a valid URL.");
  boost::urls::url_view u = *parsed;
  SmtpConfig c;
  std::string scheme = u.scheme();
  if (scheme == "smtps") {
    c.tls = SmtpTls::kImplicit;
    c.port = 465;
  } else if (scheme != "smtp") {
    return InvalidArgument("The SMTP URL must start with smtp:// or smtps://.");
  }
  c.host = u.host();
  if (c.host.empty()) return InvalidArgument("The SMTP URL has no host.");
  if (u.has_port()) {
    std::string_view p = u.port();
    int port = 0;
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
    if (ec != std::errc() || end != p.data() + p.size() || port < 1 || port > 65535)
      return InvalidArgument("The SMTP URL's port is not a number from 1 to 65535.");
    c.port = port;
  }
  if (u.has_userinfo()) {
    c.user = u.user();
    c.password = u.password();
  }
  for (auto param : u.params()) {
    if (param.key == "starttls") {
      if (c.tls == SmtpTls::kImplicit) return InvalidArgument("starttls does not apply to smtps:// URLs.");
      if (param.value == "none") c.tls = SmtpTls::kNone;
      else if (param.value == "try") c.tls = SmtpTls::kTry;
      else if (param.value == "required") c.tls = SmtpTls::kRequired;
      else return InvalidArgument("starttls must be none, try or required.");
    } else if (param.key == "cafile") {
      c.ca_file = param.value;
    } else {
      return InvalidArgument("Unknown SMTP URL option '" + std::string(param.key) + "'.");
    }
  }
  return c;
}

}  // namespace gh::mail
