#pragma once
// Log lines as JSON (`gatehouse serve --log-format json`): one object per
// line, {"time":"2026-01-31T12:00:00.123Z","level":"info","message":"…"},
// for log shippers that parse JSON. The message is escaped per RFC 8259
// (quotes, backslashes, control characters as \n or \u00XX) and bytes that
// are not UTF-8 become U+FFFD, so every line is one valid JSON document
// whatever a message holds (a client-chosen path, an exception's text).
#include <spdlog/formatter.h>

#include <memory>
#include <string>
#include <string_view>

namespace gh {

class JsonLogFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
  std::unique_ptr<spdlog::formatter> clone() const override;
};

// `text` as a JSON string literal, quotes included.
std::string JsonQuote(std::string_view text);

// Makes every spdlog logger (the default one and those made later) write JSON lines.
void UseJsonLogs();

}  // namespace gh
