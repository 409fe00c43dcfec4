#include "core/secret_box.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>

#include "core/encoding.h"

namespace gh {
namespace {

constexpr std::string_view kPrefix = SecretBox::kSealedPrefix;
constexpr size_t kNonceBytes = 12;
constexpr size_t kTagBytes = 16;

struct CtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CtxFree>;

[[noreturn]] void Die(const char* what) {
  // Only on allocation failure inside OpenSSL: nothing sensible to return.
  std::fprintf(stderr, "gatehouse: AES-256-GCM %s failed\n", what);
  std::abort();
}

const unsigned char* U(const char* p) { return reinterpret_cast<const unsigned char*>(p); }
const unsigned char* U(std::string_view s) { return U(s.data()); }

}  // namespace

StatusOr<std::shared_ptr<const SecretBox>> SecretBox::FromKey(std::string_view key) {
  if (key.size() != kKeyBytes)
    return InvalidArgument("an at-rest key is " + std::to_string(kKeyBytes) + " bytes, not " +
                           std::to_string(key.size()));
  return std::shared_ptr<const SecretBox>(new SecretBox(std::string(key)));
}

std::shared_ptr<const SecretBox> SecretBox::Ephemeral() {
  std::string key(kKeyBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), static_cast<int>(key.size())) != 1) Die("key");
  return std::shared_ptr<const SecretBox>(new SecretBox(std::move(key)));
}

SecretBox::~SecretBox() { OPENSSL_cleanse(key_.data(), key_.size()); }

bool SecretBox::IsSealed(std::string_view value) { return value.starts_with(kPrefix); }

std::string SecretBox::Seal(std::string_view plaintext, std::string_view context) const {
  // The nonce comes from OpenSSL's CSPRNG, not the injectable gh::Random: a
  // nonce must never repeat under a key, and a seeded test source repeats.
  std::string out(kNonceBytes + plaintext.size() + kTagBytes, '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(out.data());
  if (RAND_bytes(nonce, kNonceBytes) != 1) Die("nonce");
  CtxPtr ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, U(key_), nonce) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, U(context), static_cast<int>(context.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nonce + kNonceBytes, &len, U(plaintext), static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), nonce + kNonceBytes + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, nonce + kNonceBytes + plaintext.size()) != 1)
    Die("encryption");
  return std::string(kPrefix) + Base64UrlEncode(out);
}

StatusOr<std::string> SecretBox::Open(std::string_view sealed, std::string_view context) const {
  if (!IsSealed(sealed)) return InvalidArgument("not a sealed value");
  auto raw = Base64UrlDecode(sealed.substr(kPrefix.size()));
  if (!raw.ok() || raw->size() < kNonceBytes + kTagBytes) return InvalidArgument("not a sealed value");
  const size_t n = raw->size() - kNonceBytes - kTagBytes;
  const unsigned char* nonce = U(*raw);
  std::string plain(n, '\0');
  std::string tag = raw->substr(kNonceBytes + n);
  CtxPtr ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, U(key_), nonce) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, U(context), static_cast<int>(context.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()), &len, nonce + kNonceBytes,
                        static_cast<int>(n)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) != 1)
    Die("decryption");
  // Only the tag check can fail: another key or context, or altered bytes.
  if (EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()) + len, &len) != 1)
    return FailedPrecondition("the sealed value does not open with this key here");
  return plain;
}

StatusOr<std::shared_ptr<const SecretBox>> LoadOrCreateKeyFile(const std::string& path) {
  namespace fs = std::filesystem;
  const fs::path file(path);
  std::error_code ec;
  if (file.has_parent_path() && !fs::exists(file.parent_path(), ec)) {
    fs::create_directories(file.parent_path(), ec);
    if (ec) return Internal("creating " + file.parent_path().string() + ": " + ec.message());
    fs::permissions(file.parent_path(), fs::perms::owner_all, fs::perm_options::replace, ec);
  }
  if (!fs::exists(file, ec)) {
    // Written whole under a temporary name, then linked into place: link(2)
    // fails if the name exists, so of two servers starting at once on one
    // data folder, one creates the key and the other reads it — never a
    // half-written one.
    const std::string tmp = path + ".tmp." + std::to_string(::getpid());
    ::unlink(tmp.c_str());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return Internal("creating the at-rest key " + tmp + ": " + std::strerror(errno));
    std::string key(SecretBox::kKeyBytes, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), static_cast<int>(key.size())) != 1) Die("key");
    std::string text = Base64UrlEncode(key) + "\n";
    bool ok = ::fchmod(fd, 0600) == 0 && ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
              ::fsync(fd) == 0;
    ok = ::close(fd) == 0 && ok;
    OPENSSL_cleanse(text.data(), text.size());
    const int linked = ok ? ::link(tmp.c_str(), path.c_str()) : -1;
    const int err = errno;
    ::unlink(tmp.c_str());
    if (linked == 0) return SecretBox::FromKey(key);
    if (!ok || err != EEXIST) return Internal("writing the at-rest key " + path + ": " + std::strerror(err));
  }
  struct stat st {};
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || ::fstat(fd, &st) != 0) {
    std::string err = std::strerror(errno);
    if (fd >= 0) ::close(fd);
    return Internal("reading the at-rest key " + path + ": " + err);
  }
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    return FailedPrecondition("the at-rest key " + path + " can be read by others; chmod 600 it");
  }
  char buf[128];
  ssize_t n = ::read(fd, buf, sizeof buf);
  ::close(fd);
  std::string text(buf, n > 0 ? static_cast<size_t>(n) : 0);
  OPENSSL_cleanse(buf, sizeof buf);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  auto key = Base64UrlDecode(text);
  OPENSSL_cleanse(text.data(), text.size());
  if (!key.ok() || key->size() != SecretBox::kKeyBytes)
    return FailedPrecondition("the at-rest key " + path + " is not a key (it holds 32 bytes in base64url)");
  return SecretBox::FromKey(*key);
}

}  // namespace gh
