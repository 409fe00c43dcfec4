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
  // A version-7 UUID (RFC 9562): the Unix time in milliseconds, then 74
  // random bits. Ids minted one after another sort in time order, so rows
  // keyed by them are appended to an index instead of landing on a random
  // page — for high-volume rows (audit, mail, invited guests). Not secret.
  std::string NewOrderedUuid(int64_t unix_ms);
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

}  // namespace gh
