#include "mail/message.h"

#include <ctime>

#include "core/encoding.h"

namespace gh::mail {
namespace {

constexpr std::string_view kCrlf = "\r\n";

bool HasLineBreak(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

bool IsPrintableAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

// Base64 folded at 76 characters per line (RFC 2045).
std::string Base64Lines(std::string_view bytes) {
  std::string b64 = Base64Encode(bytes);
  std::string out;
  for (size_t i = 0; i < b64.size(); i += 76) {
    out += b64.substr(i, 76);
    out += kCrlf;
  }
  return out;
}

// A display name as a quoted-string (ASCII) or encoded words (otherwise).
std::string DisplayName(std::string_view name) {
  if (!IsPrintableAscii(name)) return EncodeHeaderWord(name);
  std::string q = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') q += '\\';
    q += c;
  }
  return q + "\"";
}

std::string AddressList(const std::vector<std::string>& addrs) {
  std::string out;
  for (const auto& a : addrs) out += (out.empty() ? "" : ", ") + a;
  return out;
}

Status CheckField(std::string_view what, std::string_view value) {
  if (HasLineBreak(value)) return InvalidArgument("The mail " + std::string(what) + " contains a line break.");
  return OkStatus();
}

Status CheckAddresses(std::string_view what, const std::vector<std::string>& addrs) {
  for (const auto& a : addrs) {
    if (!IsValidAddress(a)) return InvalidArgument("'" + a + "' is not a valid " + std::string(what) + " address.");
  }
  return OkStatus();
}

}  // namespace

bool IsValidAddress(std::string_view a) {
  if (a.empty() || a.size() > 254) return false;
  size_t at = a.rfind('@');
  if (at == 0 || at == std::string_view::npos || at + 1 >= a.size()) return false;
  if (a.find('@') != at) return false;
  for (unsigned char c : a) {
    if (c <= 0x20 || c >= 0x7f) return false;
    if (std::string_view("<>()[],;:\\\"").find(static_cast<char>(c)) != std::string_view::npos) return false;
  }
  return true;
}

std::string EncodeHeaderWord(std::string_view text) {
  if (IsPrintableAscii(text)) return std::string(text);
  // Each encoded word carries at most 45 bytes (60 base64 characters, under
  // the 75-character limit), split on UTF-8 character boundaries so every
  // word decodes on its own (RFC 2047 §5).
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t end = std::min(text.size(), i + 45);
    while (end < text.size() && end > i && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    if (end == i) end = std::min(text.size(), i + 45);  // not UTF-8: split anywhere
    if (!out.empty()) out += "\r\n ";  // folding whitespace between words is ignored
    out += "=?UTF-8?B?" + Base64Encode(text.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string FormatRfc5322Date(int64_t millis) {
  std::time_t t = static_cast<std::time_t>(millis / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  // Fixed English names: strftime's %a/%b follow the locale.
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday], tm.tm_mday,
                kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

StatusOr<std::string> BuildMessage(const MessageParts& p) {
  if (!IsValidAddress(p.from_address)) return InvalidArgument("'" + p.from_address + "' is not a valid From address.");
  if (p.to.empty() && p.cc.empty()) return InvalidArgument("The mail has no recipient.");
  GH_RETURN_IF_ERROR(CheckAddresses("To", p.to));
  GH_RETURN_IF_ERROR(CheckAddresses("Cc", p.cc));
  if (!p.reply_to.empty() && !IsValidAddress(p.reply_to))
    return InvalidArgument("'" + p.reply_to + "' is not a valid Reply-To address.");
  GH_RETURN_IF_ERROR(CheckField("sender name", p.from_name));
  GH_RETURN_IF_ERROR(CheckField("subject", p.subject));
  GH_RETURN_IF_ERROR(CheckField("message id", p.message_id));
  if (!IsPrintableAscii(p.message_id) || p.message_id.find_first_of("<>@ ") != std::string::npos)
    return InvalidArgument("The message id '" + p.message_id + "' is not usable in a Message-ID.");

  std::string m;
  auto header = [&m](std::string_view name, std::string_view value) {
    m.append(name).append(": ").append(value).append(kCrlf);
  };
  header("From", p.from_name.empty() ? p.from_address : DisplayName(p.from_name) + " <" + p.from_address + ">");
  if (!p.to.empty()) header("To", AddressList(p.to));
  if (!p.cc.empty()) header("Cc", AddressList(p.cc));
  if (!p.reply_to.empty()) header("Reply-To", p.reply_to);
  header("Subject", EncodeHeaderWord(p.subject));
  header("Date", FormatRfc5322Date(p.date_ms));
  std::string domain = p.from_address.substr(p.from_address.rfind('@') + 1);
  header("Message-ID", "<" + (p.message_id.empty() ? std::to_string(p.date_ms) : p.message_id) + "@" + domain + ">");
  header("MIME-Version", "1.0");
  header("Auto-Submitted", "auto-generated");  // RFC 3834: auto-responders stay quiet

  auto part_headers = [&](std::string_view type) {
    header("Content-Type", std::string(type) + "; charset=UTF-8");
    header("Content-Transfer-Encoding", "base64");
  };
  if (p.html_body.empty()) {
    part_headers("text/plain");
    m += kCrlf;
    m += Base64Lines(p.text_body);
    return m;
  }
  // "=_" never occurs in base64 or in our headers, so the boundary cannot
  // collide with content.
  std::string boundary = "=_gh_" + Sha256Hex(p.message_id + p.subject).substr(0, 24);
  header("Content-Type", "multipart/alternative; boundary=\"" + boundary + "\"");
  m += kCrlf;
  m += "This is a MIME-formatted message.\r\n";
  m += "--" + boundary + "\r\n";
  part_headers("text/plain");
  m += kCrlf;
  m += Base64Lines(p.text_body);
  m += "--" + boundary + "\r\n";
  part_headers("text/html");
  m += kCrlf;
  m += Base64Lines(p.html_body);
  m += "--" + boundary + "--\r\n";
  return m;
}

}  // namespace gh::mail
