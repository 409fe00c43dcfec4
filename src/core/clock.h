#pragma once
// Time comes in through this interface so expiry and ordering tests are
// deterministic. Times are milliseconds since the Unix epoch, UTC.
#include <atomic>
#include <cstdint>
#include <string>

#include "core/status.h"

namespace gh {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t NowMillis() const = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t NowMillis() const override;
};

// Thread-safe manual clock for tests.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t start_ms = 1'700'000'000'000) : now_(start_ms) {}
  int64_t NowMillis() const override { return now_.load(); }
  void Advance(int64_t ms) { now_ += ms; }
  void Set(int64_t ms) { now_ = ms; }

 private:
  std::atomic<int64_t> now_;
};

// "2024-05-01T12:34:56Z" (Graph's DateTimeOffset form, UTC, second precision).
std::string FormatIso8601(int64_t millis);
// Accepts the form above, optionally with fractional seconds.
StatusOr<int64_t> ParseIso8601(std::string_view text);

}  // namespace gh
