#include "identity/secrets.h"

#include <argon2.h>

#include <cctype>

#include "core/encoding.h"
#include "core/strings.h"

namespace gh::identity {

std::string GenerateClientSecret(Random& random) {
  // 30 bytes encode to exactly 40 base64url characters, no padding.
  std::string secret = Base64UrlEncode(random.Bytes(kClientSecretLength / 4 * 3));
  return secret;
}

std::string HashSecret(std::string_view secret) { return Sha256Hex(secret); }

bool VerifySecret(std::string_view secret, std::string_view hash_hex) {
  return ConstantTimeEquals(Sha256Hex(secret), ToLower(hash_hex));
}

StatusOr<std::string> HashPassword(std::string_view password, Random& random) {
  std::string salt = random.Bytes(kArgon2SaltBytes);
  size_t encoded_len = argon2_encodedlen(kArgon2Iterations, kArgon2MemoryKiB, kArgon2Parallelism,
                                         kArgon2SaltBytes, kArgon2HashBytes, Argon2_id);
  std::string encoded(encoded_len, '\0');
  int rc = argon2id_hash_encoded(kArgon2Iterations, kArgon2MemoryKiB, kArgon2Parallelism, password.data(),
                                 password.size(), salt.data(), salt.size(), kArgon2HashBytes, encoded.data(),
                                 encoded.size());
  if (rc != ARGON2_OK) return Internal(std::string("password hashing failed: ") + argon2_error_message(rc));
  encoded.resize(encoded.find('\0'));  // argon2_encodedlen counts the terminator
  return encoded;
}

bool VerifyPassword(std::string_view password, std::string_view encoded) {
  // Only Argon2id is accepted: a stored "$argon2i$…" would otherwise verify
  // under weaker parameters than we promise.
  if (encoded.substr(0, 10) != "$argon2id$") return false;
  std::string z(encoded);  // libargon2 wants a NUL-terminated string
  return argon2id_verify(z.c_str(), password.data(), password.size()) == ARGON2_OK;
}

}  // namespace gh::identity
