#pragma once
// Sealing secrets that must be kept readable at rest (a bulk job's redeem
// links, which its submitter downloads as often as needed), so that a
// database dump or backup alone yields nothing usable: AES-256-GCM through
// OpenSSL's EVP interface, a fresh 96-bit nonce per value, and a context
// (what the value is and where it belongs) as additional authenticated data,
// so a sealed value copied to another row or job doesn't open there.
//
// The key lives outside the database (LoadOrCreateKeyFile: a file in the data
// folder, or wherever --at-rest-key points). Whoever holds both the database
// and the key reads the values; whoever holds only one reads nothing.
// Thread-safe: a SecretBox is immutable.
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace gh {

class SecretBox {
 public:
  static constexpr size_t kKeyBytes = 32;
  static constexpr std::string_view kSealedPrefix = "sb1.";  // every sealed value starts so

  // InvalidArgument unless `key` is kKeyBytes bytes.
  static StatusOr<std::shared_ptr<const SecretBox>> FromKey(std::string_view key);
  // A box with a fresh random key that lives only as long as the process
  // (for tests, and for code nobody gave the key file's box).
  static std::shared_ptr<const SecretBox> Ephemeral();
  ~SecretBox();

  // kSealedPrefix + base64url(nonce ‖ ciphertext ‖ tag). Aborts if OpenSSL fails
  // (it only does when out of memory).
  std::string Seal(std::string_view plaintext, std::string_view context) const;
  // The plaintext; InvalidArgument when `sealed` is not a sealed value,
  // FailedPrecondition when it doesn't open under this key and `context`
  // (another key, another place, or altered).
  StatusOr<std::string> Open(std::string_view sealed, std::string_view context) const;
  static bool IsSealed(std::string_view value);

 private:
  explicit SecretBox(std::string key) : key_(std::move(key)) {}
  std::string key_;
};

// The key kept in `path` (base64url text of 32 random bytes), created when
// absent — from OpenSSL's CSPRNG, mode 0600, its folder made if missing
// (0700). FailedPrecondition when the file holds no key of the right size or
// can be read by others than its owner; Internal on I/O errors.
StatusOr<std::shared_ptr<const SecretBox>> LoadOrCreateKeyFile(const std::string& path);

}  // namespace gh
