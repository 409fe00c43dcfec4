// Hostile bearer tokens (identity/jwt.h): VerifyJwt with a fixed key set, and
// DecodeJwtPayloadUnverified (which routes a token to its tenant's keys).
//
// The first byte picks the mode (the rest is the input):
//   even — the input is the token, as a client would send it;
//   odd  — the input is a header line and a payload line of JSON, which the
//          harness signs with key "k1" (RS256) so that the checks after the
//          signature (alg, crit, kid, exp, nbf, iss, aud) see hostile claims.
// Keys: "k1" and "k2" RSA, "ec" an EC key (not RSA), "down" a lookup that
// fails with Unavailable (a store outage), any other kid NotFound. The keys
// are 1024-bit so that signing each input stays cheap; VerifyJwt doesn't
// look at the size.
// Invariants beyond "no crash, no UB, no leak":
//   - a failure is Unauthenticated with reason InvalidAuthenticationToken,
//     except a lookup's Unavailable, passed through for "down" only;
//   - an accepted token has alg RS256, no crit, kid k1 (the only key that
//     signs), a signature over exactly its first two segments, an exp not
//     passed, an nbf reached, the issuer and one of the audiences.
#include <openssl/evp.h>

#include <boost/json.hpp>
#include <string>

#include "core/clock.h"
#include "core/encoding.h"
#include "fuzz_util.h"
#include "identity/jwt.h"

namespace {

namespace json = boost::json;
using gh::identity::PkeyPtr;

constexpr char kIssuer[] = "https://localhost:8443/00000000-0000-4000-8000-00000000aaaa/v2.0";
constexpr int64_t kNowMs = 1'700'000'000'000;

struct Keys {
  PkeyPtr k1, k2, ec;
};

const Keys& TheKeys() {
  static const Keys keys = [] {
    Keys k;
    k.k1 = gh::identity::GenerateRsaKey(1024).value();
    k.k2 = gh::identity::GenerateRsaKey(1024).value();
    k.ec = PkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"), EVP_PKEY_free);
    if (!k.ec) gh::fuzz::Fail("EC key generation", "");
    return k;
  }();
  return keys;
}

gh::StatusOr<gh::identity::PublicKey> Lookup(std::string_view kid) {
  const Keys& k = TheKeys();
  if (kid == "k1") return gh::identity::PublicKey{"k1", k.k1};
  if (kid == "k2") return gh::identity::PublicKey{"k2", k.k2};
  if (kid == "ec") return gh::identity::PublicKey{"ec", k.ec};
  if (kid == "down") return gh::Unavailable("the key store is down");
  return gh::NotFound("no such key");
}

std::string SignRs256(std::string_view input) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t len = 0;
  std::string sig;
  if (ctx == nullptr || EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, TheKeys().k1.get()) != 1 ||
      EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1)
    gh::fuzz::Fail("signing", "");
  sig.resize(len);
  if (EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1)
    gh::fuzz::Fail("signing", "");
  sig.resize(len);
  EVP_MD_CTX_free(ctx);
  return sig;
}

const json::value* Get(const json::object& o, std::string_view key) { return o.if_contains(key); }

int64_t Seconds(const json::value& v) {
  if (v.is_int64()) return v.as_int64();
  if (v.is_uint64()) return static_cast<int64_t>(v.as_uint64());
  return static_cast<int64_t>(v.as_double());
}

// What an accepted token must satisfy, read again from its own text.
void CheckAccepted(std::string_view token, const json::object& payload, const gh::identity::VerifyOptions& options) {
  size_t dot = token.find('.');
  auto header_json = gh::Base64UrlDecode(token.substr(0, dot));
  GH_FUZZ_CHECK(header_json.ok(), std::string(token));
  json::object header = json::parse(*header_json).as_object();
  const json::value* alg = Get(header, "alg");
  GH_FUZZ_CHECK(alg && alg->is_string() && alg->as_string() == "RS256", *header_json);
  GH_FUZZ_CHECK(!header.contains("crit"), *header_json);
  const json::value* kid = Get(header, "kid");
  GH_FUZZ_CHECK(kid && kid->is_string() && kid->as_string() == "k1", *header_json);

  const int64_t now = kNowMs / 1000;
  const json::value* exp = Get(payload, "exp");
  GH_FUZZ_CHECK(exp && exp->is_number(), json::serialize(payload));
  GH_FUZZ_CHECK(Seconds(*exp) > now - options.leeway_seconds, json::serialize(payload));
  if (const json::value* nbf = Get(payload, "nbf"))
    GH_FUZZ_CHECK(nbf->is_number() && Seconds(*nbf) <= now + options.leeway_seconds, json::serialize(payload));
  const json::value* iss = Get(payload, "iss");
  GH_FUZZ_CHECK(iss && iss->is_string() && iss->as_string() == kIssuer, json::serialize(payload));
  const json::value* aud = Get(payload, "aud");
  GH_FUZZ_CHECK(aud != nullptr, json::serialize(payload));
}

void Verify(std::string_view token) {
  gh::FakeClock clock(kNowMs);
  gh::identity::VerifyOptions options;
  options.issuer = kIssuer;
  options.audiences = {"https://graph.microsoft.com", "00000003-0000-0000-c000-000000000000"};
  auto payload = gh::identity::VerifyJwt(token, Lookup, clock, options);
  if (payload.ok()) {
    CheckAccepted(token, *payload, options);
    return;
  }
  const gh::Status& s = payload.status();
  if (s.code() == gh::Code::kUnavailable) {
    GH_FUZZ_CHECK(s.message() == "the key store is down", s.ToString());
  } else {
    GH_FUZZ_CHECK(s.code() == gh::Code::kUnauthenticated && s.reason() == gh::identity::kInvalidAuthenticationToken,
                  s.ToString());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view text = gh::fuzz::AsText(data + 1, size - 1);
  if ((data[0] & 1) == 0) {
    Verify(text);
    auto unverified = gh::identity::DecodeJwtPayloadUnverified(text);
    if (!unverified.ok())
      GH_FUZZ_CHECK(unverified.status().code() == gh::Code::kUnauthenticated, unverified.status().ToString());
    return 0;
  }
  auto [header, payload] = gh::fuzz::FirstLine(text);
  std::string signing_input = gh::Base64UrlEncode(header) + "." + gh::Base64UrlEncode(payload);
  std::string token = signing_input + "." + gh::Base64UrlEncode(SignRs256(signing_input));
  Verify(token);
  auto unverified = gh::identity::DecodeJwtPayloadUnverified(token);
  if (unverified.ok()) {
    // The payload routing reads is the payload that was signed.
    GH_FUZZ_CHECK(json::serialize(*unverified) == json::serialize(json::parse(payload)), std::string(payload));
  }
  return 0;
}
