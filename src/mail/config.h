#pragma once
// Mail configuration as plain values: the composition root fills it from
// flags (--smtp URL, --mail-from ADDRESS) and hands it to the transports and
// the sender. No I/O here.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace gh::mail {

enum class SmtpTls {
  kNone,      // plain SMTP, never STARTTLS (local relays and tests only)
  kTry,       // STARTTLS when the server offers it (opportunistic)
  kRequired,  // STARTTLS or fail (the default)
  kImplicit,  // TLS from the first byte (smtps://, port 465)
};

struct SmtpConfig {
  std::string host;
  int port = 587;
  SmtpTls tls = SmtpTls::kRequired;
  std::string user;      // empty = no AUTH
  std::string password;
  std::string ca_file;   // empty = the system trust store
  int64_t connect_timeout_ms = 10'000;
  int64_t timeout_ms = 60'000;  // whole transaction, per message
};

// smtp://[user[:password]@]host[:port][?starttls=none|try|required][&cafile=PATH]
// smtps://[user[:password]@]host[:port]           (implicit TLS, default port 465)
// User and password are percent-decoded. smtp:// defaults to port 587 and
// starttls=required. InvalidArgument on anything else.
StatusOr<SmtpConfig> ParseSmtpUrl(std::string_view url);

struct MailConfig {
  std::optional<SmtpConfig> smtp;  // none = write .eml files to DIR/outbox/
  std::string from_address;        // envelope sender and From address
};

}  // namespace gh::mail
