#include "identity/secrets.h"

#include <argon2.h>

#include <cctype>

#include "core/encoding.h"

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

Status ValidatePasswordStrength(std::string_view password) {
  const std::string prefix = "The specified password does not comply with password complexity requirements: ";
  size_t code_points = 0;
  bool lower = false, upper = false, digit = false, other = false;
  for (unsigned char c : password) {
    if ((c & 0xC0) != 0x80) ++code_points;  // count UTF-8 lead bytes only
    if (c >= 'a' && c <= 'z') lower = true;
    else if (c >= 'A' && c <= 'Z') upper = true;
    else if (c >= '0' && c <= '9') digit = true;
    else other = true;  // symbols, spaces and non-ASCII letters
  }
  if (code_points < 8) return InvalidArgument(prefix + "it must be at least 8 characters long.", "Request_BadRequest");
  if (code_points > 256) return InvalidArgument(prefix + "it must be at most 256 characters long.", "Request_BadRequest");
  if (int(lower) + int(upper) + int(digit) + int(other) < 2)
    return InvalidArgument(prefix +
                               "it must mix at least two of lower-case letters, upper-case letters, digits and "
                               "symbols.",
                           "Request_BadRequest");
  return OkStatus();
}

}  // namespace gh::identity
