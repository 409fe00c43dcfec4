#include "core/random.h"

#include <openssl/crypto.h>

#include <cstring>

#include <openssl/rand.h>

#include <cstdlib>

#include "core/encoding.h"

namespace gh {

std::string Random::Bytes(size_t n) {
  std::string out(n, '\0');
  Fill(out.data(), n);
  return out;
}

namespace {
std::string Canonical(const unsigned char (&b)[16]) {
  static const char* hex = "0123456789abcdef";
  std::string s;
  s.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s.push_back('-');
    s.push_back(hex[b[i] >> 4]);
    s.push_back(hex[b[i] & 0x0f]);
  }
  return s;
}
}  // namespace

std::string Random::NewUuid() {
  unsigned char b[16];
  Fill(b, sizeof b);
  b[6] = (b[6] & 0x0f) | 0x40;  // version 4
  b[8] = (b[8] & 0x3f) | 0x80;  // RFC 4122 variant
  return Canonical(b);
}

std::string Random::NewOrderedUuid(int64_t unix_ms) {
  unsigned char b[16];
  Fill(b + 6, sizeof b - 6);
  for (int i = 0; i < 6; ++i) b[i] = static_cast<unsigned char>(static_cast<uint64_t>(unix_ms) >> (8 * (5 - i)));
  b[6] = (b[6] & 0x0f) | 0x70;  // version 7
  b[8] = (b[8] & 0x3f) | 0x80;  // RFC 4122 variant
  return Canonical(b);
}

std::string Random::Token(size_t n_bytes) { return Base64UrlEncode(Bytes(n_bytes)); }

void SecureRandom::Fill(void* out, size_t n) {
  // RAND_bytes costs about a microsecond per call and ids are minted several
  // per request (bulk invitations: per row), so each thread draws 512 bytes
  // at a time; consumed bytes are wiped from the buffer.
  thread_local unsigned char pool[512];
  thread_local size_t left = 0;
  if (n > sizeof pool / 4) {
    if (RAND_bytes(static_cast<unsigned char*>(out), static_cast<int>(n)) != 1) std::abort();
    return;
  }
  if (left < n) {
    if (RAND_bytes(pool, sizeof pool) != 1) std::abort();
    left = sizeof pool;
  }
  unsigned char* from = pool + (sizeof pool - left);
  std::memcpy(out, from, n);
  OPENSSL_cleanse(from, n);
  left -= n;
}

void SeededRandom::Fill(void* out, size_t n) {
  std::lock_guard lock(mu_);
  auto* p = static_cast<unsigned char*>(out);
  for (size_t i = 0; i < n; ++i) {  // splitmix64
    state_ += 0x9e3779b97f4a7c15ULL;
    uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    p[i] = static_cast<unsigned char>(z ^ (z >> 31));
  }
}

}  // namespace gh
