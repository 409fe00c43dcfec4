#pragma once
// Client secrets and user passwords: generation, hashing and verification.
//
// Client secrets are long random strings we generate, so a single fast hash
// (SHA-256) is the right storage form: there is nothing to brute-force that a
// slow hash would protect. Passwords are chosen by people and are low-entropy,
// so they get Argon2id with OWASP's recommended parameters. Neither is ever
// stored or logged in clear text. Rate limiting of sign-in lives elsewhere.
#include <string>
#include <string_view>

#include "core/random.h"
#include "core/status.h"
#include "directory/model/validation.h"

namespace gh::identity {

// Length of a generated client secret (Entra's secrets are 40 characters).
inline constexpr size_t kClientSecretLength = 40;

// A new client secret: 40 base64url characters encoding 30 random bytes, so
// 240 bits of entropy (a 40-character string cannot hold 256; 240 is far above
// the 128-bit floor of ARCHITECTURE §6). Use a CSPRNG-backed Random.
std::string GenerateClientSecret(Random& random);

// Storage form of a client secret: lower-case hex SHA-256.
std::string HashSecret(std::string_view secret);

// True if `secret` hashes to `hash_hex` (case-insensitive hex). Constant time in
// the content of the digests.
bool VerifySecret(std::string_view secret, std::string_view hash_hex);

// Argon2id parameters (OWASP Password Storage Cheat Sheet: m=19 MiB, t=2, p=1).
inline constexpr uint32_t kArgon2MemoryKiB = 19456;
inline constexpr uint32_t kArgon2Iterations = 2;
inline constexpr uint32_t kArgon2Parallelism = 1;
inline constexpr size_t kArgon2SaltBytes = 16;
inline constexpr size_t kArgon2HashBytes = 32;

// The PHC-encoded Argon2id hash of `password` with a fresh 16-byte salt from
// `random`, e.g. "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>". Takes ~20–50 ms
// and 19 MiB of memory by design. Internal if libargon2 fails.
StatusOr<std::string> HashPassword(std::string_view password, Random& random);

// True iff `encoded` is an Argon2id hash (any parameters) of `password`. False
// for anything else, including malformed or non-Argon2id encodings.
bool VerifyPassword(std::string_view password, std::string_view encoded);

// The password policy is the directory's (directory/model/validation.h).
using directory::ValidatePasswordStrength;

}  // namespace gh::identity
