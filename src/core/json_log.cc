#include "core/json_log.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <ctime>

#include "core/encoding.h"

namespace gh {

std::string JsonQuote(std::string_view text) {
  const std::string utf8 = ValidUtf8(text);
  std::string out;
  out.reserve(utf8.size() + 2);
  out += '"';
  for (char c : utf8) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned char>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

void JsonLogFormatter::format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) {
  using namespace std::chrono;
  const auto since_epoch = msg.time.time_since_epoch();
  const std::time_t secs = duration_cast<seconds>(since_epoch).count();
  const int millis = static_cast<int>(duration_cast<milliseconds>(since_epoch).count() % 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char time[64];
  std::snprintf(time, sizeof time, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
  const auto level = spdlog::level::to_string_view(msg.level);
  std::string line = std::string("{\"time\":\"") + time + "\",\"level\":" +
                     JsonQuote(std::string_view(level.data(), level.size())) + ",\"message\":" +
                     JsonQuote(std::string_view(msg.payload.data(), msg.payload.size())) + "}\n";
  dest.append(line.data(), line.data() + line.size());
}

std::unique_ptr<spdlog::formatter> JsonLogFormatter::clone() const { return std::make_unique<JsonLogFormatter>(); }

void UseJsonLogs() { spdlog::set_formatter(std::make_unique<JsonLogFormatter>()); }

}  // namespace gh
