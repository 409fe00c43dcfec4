#pragma once
// Randomness and identifiers come in through this interface so tests can be
// deterministic. The production implementation uses OpenSSL's CSPRNG, which is
// what secrets (tokens, one-time codes, client secrets) require.
#include <cstdint>
#include <mutex>
#include <string>

namespace gh {

class Random {
 public:
  virtual ~Random() = default;
  virtual void Fill(void* out, size_t n) = 0;

  std::string Bytes(size_t n);
  // A random version-4 UUID in lower-case canonical form.
  std::string NewUuid();
  // n random bytes, base64url without padding (for tokens and secrets).
  std::string Token(size_t n_bytes = 32);
};

class SecureRandom final : public Random {
 public:
  void Fill(void* out, size_t n) override;  // aborts if the CSPRNG fails
};

// Deterministic sequence for tests (never for secrets).
class SeededRandom final : public Random {
 public:
  explicit SeededRandom(uint64_t seed) : state_(seed) {}
  void Fill(void* out, size_t n) override;

 private:
  std::mutex mu_;
  uint64_t state_;
};

bool IsUuid(std::string_view s);
std::string ToLower(std::string_view s);

}  // namespace gh
