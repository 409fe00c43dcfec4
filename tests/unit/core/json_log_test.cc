// --log-format json: each line one JSON object, whatever the message holds.
#include "core/json_log.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <sstream>

namespace gh {
namespace {

TEST(JsonLogTest, QuoteEscapesWhatJsonNeeds) {
  EXPECT_EQ(JsonQuote("plain"), "\"plain\"");
  EXPECT_EQ(JsonQuote("say \"hi\"\n\tback\\slash\r"), R"("say \"hi\"\n\tback\\slash\r")");
  EXPECT_EQ(JsonQuote(std::string("nul\0bell\a", 9)), R"("nul\u0000bell\u0007")");
  EXPECT_EQ(JsonQuote("caf\xC3\xA9"), "\"caf\xC3\xA9\"");              // UTF-8 kept
  EXPECT_EQ(JsonQuote("bad\xFF"), "\"bad\xEF\xBF\xBD\"");              // not UTF-8: U+FFFD
}

TEST(JsonLogTest, EachRecordIsOneParsableLine) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  spdlog::logger logger("json-test", sink);
  logger.set_formatter(std::make_unique<JsonLogFormatter>());
  logger.warn("path=\"{}\" said {}", "/a\"b", "two\nlines");
  logger.info("second \xFF record");

  std::istringstream in(out.str());
  std::string first, second, rest;
  ASSERT_TRUE(std::getline(in, first));
  ASSERT_TRUE(std::getline(in, second));
  EXPECT_FALSE(std::getline(in, rest));

  boost::json::object a = boost::json::parse(first).as_object();
  EXPECT_EQ(a.at("level").as_string(), "warning");
  EXPECT_EQ(a.at("message").as_string(), "path=\"/a\"b\" said two\nlines");
  std::string time(a.at("time").as_string());
  ASSERT_EQ(time.size(), 24u) << time;  // 2026-01-31T12:00:00.123Z
  EXPECT_EQ(time[10], 'T');
  EXPECT_EQ(time.back(), 'Z');

  boost::json::object b = boost::json::parse(second).as_object();
  EXPECT_EQ(b.at("level").as_string(), "info");
  EXPECT_EQ(b.at("message").as_string(), "second \xEF\xBF\xBD record");
}

}  // namespace
}  // namespace gh
