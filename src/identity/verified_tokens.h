#pragma once
// Access tokens this server has already verified, so a client that sends the
// same bearer token on every request pays for the RS256 check, the base64url
// decoding and the JSON parse once, not per request.
//
// Only a token that passed every check (signature, issuer, audience,
// lifetime, claims) is kept, keyed by its exact bytes. A hit is re-checked
// against what can change after verification: the clock (exp and nbf, with
// the same leeway) and whether the signing key is still published — the
// caller re-asks the KeyManager for `kid`. What a token's user may do now
// (enabled, roles) is not in here; the API checks it on every request.
//
// Bounded: two generations of `capacity` entries each; when the current one
// fills, the older one is dropped. Thread-safe.
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "identity/model/principal.h"

namespace gh::identity {

class VerifiedTokens {
 public:
  struct Entry {
    Principal principal;
    std::string kid;      // the key that signed it
    int64_t exp = 0;      // seconds since the epoch
    std::optional<int64_t> nbf;
  };

  explicit VerifiedTokens(size_t capacity = 4096) : capacity_(capacity) {}

  // The entry for exactly `token`, if it was verified and is within its
  // lifetime at `now_s` give or take `leeway_s`; an expired entry is dropped.
  std::optional<Entry> Find(std::string_view token, int64_t now_s, int64_t leeway_s);
  void Put(std::string_view token, Entry entry);

 private:
  struct Hash {  // lets find() take the token as a string_view, without a copy
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Map = std::unordered_map<std::string, Entry, Hash, std::equal_to<>>;
  const size_t capacity_;
  std::mutex mu_;
  Map current_;
  Map previous_;
};

}  // namespace gh::identity
