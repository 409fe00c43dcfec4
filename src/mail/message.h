#pragma once
// Building RFC 5322 / MIME messages from already rendered parts. The result
// uses CRLF line endings, UTF-8 bodies in base64 (so any content, long lines
// or lines starting with "." travel unchanged), a multipart/alternative with
// text/plain then text/html when there is an HTML body, and RFC 2047 encoded
// words for non-ASCII display names and subjects.
//
// Header injection: every header value is checked; CR, LF or NUL in any field
// is InvalidArgument (refused, not stripped: a caller passing a newline in a
// subject has a bug or an attacker, and silently "fixing" hides both).
// Addresses must be plain addr-spec (local@domain, printable ASCII, no
// spaces, quotes, angle brackets, commas or semicolons).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace gh::mail {

struct MessageParts {
  std::string from_address;  // addr-spec, e.g. invites@gatehouse.example
  std::string from_name;     // display name, may be empty or non-ASCII
  std::vector<std::string> to;
  std::vector<std::string> cc;
  std::string reply_to;  // empty = no Reply-To
  std::string subject;
  std::string text_body;
  std::string html_body;  // empty = a single text/plain part
  int64_t date_ms = 0;    // the Date header (ms since the epoch, UTC)
  // Message-ID left part (e.g. the outbox id); the domain is the From domain.
  std::string message_id;
};

// The full message, ready for SMTP DATA or an .eml file. InvalidArgument on a
// bad address, no recipient, or CR/LF/NUL in any header field.
StatusOr<std::string> BuildMessage(const MessageParts& parts);

// True for a plain addr-spec that is safe to put in a header and an SMTP
// envelope (see above).
bool IsValidAddress(std::string_view address);

// A header value as an RFC 2047 "=?UTF-8?B?…?=" sequence when it is not
// printable ASCII; unchanged otherwise. No CR/LF check (BuildMessage does it).
std::string EncodeHeaderWord(std::string_view text);

// "Tue, 02 Jan 2024 03:04:05 +0000".
std::string FormatRfc5322Date(int64_t millis);

}  // namespace gh::mail
