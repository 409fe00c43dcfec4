#pragma once
// Delivering one built message. Implementations: SmtpTransport (libcurl,
// smtp:// or smtps://) and FileTransport (.eml files, the embedded default).
//
// Send() result contract, which the sender's retry policy relies on:
//   OK                  accepted by the next hop (or written to disk);
//   FailedPrecondition  permanently refused (an SMTP 5xx reply to the message
//                       or a recipient): retrying cannot help, give up;
//   Unavailable         transient (cannot connect, timeout, TLS or login
//                       failure, 4xx reply, disk error): try again later.
// Send() may be called from the sender's thread only; implementations need
// not be thread-safe beyond that. Nothing here throws.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "mail/config.h"

namespace gh::mail {

struct OutgoingMail {
  std::string id;                       // the outbox id (file names, logs)
  int64_t created_at = 0;               // ms
  std::string envelope_from;            // MAIL FROM
  std::vector<std::string> recipients;  // RCPT TO: to + cc
  std::string data;                     // the RFC 5322 message, CRLF lines
};

class Transport {
 public:
  virtual ~Transport() = default;
  virtual Status Send(const OutgoingMail& mail) = 0;
};

// SMTP through libcurl; one connection per message (mail volume is low and
// this keeps failure handling per message simple).
std::unique_ptr<Transport> NewSmtpTransport(SmtpConfig config);

// Writes DIR/<yyyymmddThhmmss>-<id>.eml atomically (a temporary file in the
// same folder, then rename), creating DIR (0700) when missing. The composition
// root passes DATA/outbox.
std::unique_ptr<Transport> NewFileTransport(std::string dir);

}  // namespace gh::mail
