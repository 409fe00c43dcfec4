#include "identity/jwt.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "core/encoding.h"

namespace gh::identity {
namespace {

struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using BioPtr = std::unique_ptr<BIO, BioFree>;

PkeyPtr Adopt(EVP_PKEY* raw) { return PkeyPtr(raw, EVP_PKEY_free); }

Status BadToken(std::string message) {
  return Unauthenticated(std::move(message), std::string(kInvalidAuthenticationToken));
}

bool IsRsa(EVP_PKEY* pkey) { return pkey != nullptr && EVP_PKEY_is_a(pkey, "RSA") == 1; }

bool AudienceMatches(const boost::json::value& aud, const std::vector<std::string>& allowed) {
  auto one = [&](const boost::json::value& v) {
    if (!v.is_string()) return false;
    for (const auto& a : allowed)
      if (v.as_string() == a) return true;
    return false;
  };
  if (aud.is_array()) {
    for (const auto& v : aud.as_array())
      if (one(v)) return true;
    return false;
  }
  return one(aud);
}

}  // namespace

StatusOr<std::optional<int64_t>> NumericDate(const boost::json::object& payload, std::string_view name) {
  auto it = payload.find(name);
  if (it == payload.end()) return std::optional<int64_t>();
  const boost::json::value& v = it->value();
  if (v.is_int64()) return std::optional<int64_t>(v.as_int64());
  if (v.is_uint64() && v.as_uint64() <= static_cast<uint64_t>(INT64_MAX))
    return std::optional<int64_t>(static_cast<int64_t>(v.as_uint64()));
  if (v.is_double() && v.as_double() > -9e15 && v.as_double() < 9e15)
    return std::optional<int64_t>(static_cast<int64_t>(v.as_double()));
  return BadToken("The token is malformed: the '" + std::string(name) + "' claim is not a number.");
}

StatusOr<std::string> SignJwt(const boost::json::object& payload, const SigningKeyMaterial& key) {
  if (!IsRsa(key.pkey.get())) return InvalidArgument("SignJwt needs an RSA private key");
  if (key.kid.empty()) return InvalidArgument("SignJwt needs a key id");
  boost::json::object header{{"typ", "JWT"}, {"alg", "RS256"}, {"kid", key.kid}};
  std::string signing_input =
      Base64UrlEncode(boost::json::serialize(header)) + "." + Base64UrlEncode(boost::json::serialize(payload));

  MdCtxPtr ctx(EVP_MD_CTX_new());
  size_t sig_len = 0;
  // RSA's default padding for EVP_DigestSign is PKCS#1 v1.5, which is what RS256 is.
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.pkey.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &sig_len, reinterpret_cast<const unsigned char*>(signing_input.data()),
                     signing_input.size()) != 1)
    return Internal("RS256 signing failed to initialise");
  std::string sig(sig_len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &sig_len,
                     reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size()) != 1)
    return Internal("RS256 signing failed");
  sig.resize(sig_len);
  return signing_input + "." + Base64UrlEncode(sig);
}

StatusOr<boost::json::object> VerifyJwt(std::string_view token, const KeyLookup& lookup_by_kid, const Clock& clock,
                                         const VerifyOptions& options) {
  GH_ASSIGN_OR_RETURN(wire::JwtSegments seg, wire::SplitJwt(token));
  GH_ASSIGN_OR_RETURN(std::string header_json, wire::DecodeJwtSegment(seg.header, "header"));
  GH_ASSIGN_OR_RETURN(std::string payload_json, wire::DecodeJwtSegment(seg.payload, "payload"));
  GH_ASSIGN_OR_RETURN(std::string signature, wire::DecodeJwtSegment(seg.signature, "signature"));
  GH_ASSIGN_OR_RETURN(boost::json::object header, wire::ParseJwtObject(header_json, "header"));

  // The algorithm is fixed by us, not chosen by the token: anything but RS256
  // is refused before a key is even looked up.
  const boost::json::value* alg = header.if_contains("alg");
  if (alg == nullptr || !alg->is_string() || alg->as_string() != "RS256") {
    std::string name = alg != nullptr && alg->is_string() ? std::string(alg->as_string()) : "";
    return BadToken("Signature validation failed. The token's algorithm '" + name +
                    "' is not supported; only RS256 is accepted.");
  }
  if (header.contains("crit"))
    return BadToken("The token is malformed: the 'crit' header parameter is not supported.");
  const boost::json::value* kid = header.if_contains("kid");
  if (kid == nullptr || !kid->is_string() || kid->as_string().empty())
    return BadToken("Signature validation failed. The token header has no 'kid'.");

  StatusOr<PublicKey> key = lookup_by_kid(std::string_view(kid->as_string()));
  if (!key.ok()) {
    if (key.status().code() != Code::kNotFound) return key.status();
    return BadToken("Signature validation failed. Unable to match key: kid: '" + std::string(kid->as_string()) + "'.");
  }
  if (!IsRsa(key->pkey.get()))
    return BadToken("Signature validation failed. The key for kid '" + std::string(kid->as_string()) + "' is not RSA.");

  std::string_view signing_input = token.substr(0, seg.header.size() + 1 + seg.payload.size());
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key->pkey.get()) != 1)
    return Internal("RS256 verification failed to initialise");
  int rc = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                            reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size());
  if (rc != 1) return BadToken("Signature validation failed.");

  // Only now is the payload trusted enough to parse and check.
  GH_ASSIGN_OR_RETURN(boost::json::object payload, wire::ParseJwtObject(payload_json, "payload"));
  const int64_t now = clock.NowMillis() / 1000;
  GH_ASSIGN_OR_RETURN(std::optional<int64_t> exp, NumericDate(payload, "exp"));
  GH_ASSIGN_OR_RETURN(std::optional<int64_t> nbf, NumericDate(payload, "nbf"));
  if (!exp) return BadToken("Lifetime validation failed, the token has no expiry ('exp').");
  // The leeway moves `now`, never the claim: a claim near INT64_MAX (which
  // the token chooses) plus the leeway would overflow.
  if (now - options.leeway_seconds >= *exp) return BadToken("Lifetime validation failed, the token is expired.");
  if (nbf && now + options.leeway_seconds < *nbf) return BadToken("Lifetime validation failed, the token is not yet valid.");

  const boost::json::value* iss = payload.if_contains("iss");
  if (options.issuer.empty() || iss == nullptr || !iss->is_string() || iss->as_string() != options.issuer)
    return BadToken("Issuer validation failed. The token's issuer is not '" + options.issuer + "'.");
  if (!options.audiences.empty()) {
    const boost::json::value* aud = payload.if_contains("aud");
    if (aud == nullptr || !AudienceMatches(*aud, options.audiences))
      return BadToken("Audience validation failed. The token is not intended for this resource.");
  }
  return payload;
}

StatusOr<PkeyPtr> GenerateRsaKey(int bits) {
  EVP_PKEY* raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(bits));
  if (raw == nullptr) return Internal("RSA key generation failed");
  return Adopt(raw);
}

StatusOr<std::string> PrivateKeyToPem(EVP_PKEY* pkey) {
  if (pkey == nullptr) return InvalidArgument("no key");
  BioPtr bio(BIO_new(BIO_s_mem()));
  // PEM_write_bio_PrivateKey writes PKCS#8 ("BEGIN PRIVATE KEY") in OpenSSL 3.
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), pkey, nullptr, nullptr, 0, nullptr, nullptr) != 1)
    return Internal("could not encode the private key as PEM");
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

StatusOr<PkeyPtr> LoadPrivateKeyPem(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return Internal("out of memory");
  EVP_PKEY* raw = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (raw == nullptr) return InvalidArgument("the PEM text is not a readable private key");
  return Adopt(raw);
}

StatusOr<std::string> GenerateRsaKeyPem(int bits) {
  GH_ASSIGN_OR_RETURN(PkeyPtr key, GenerateRsaKey(bits));
  return PrivateKeyToPem(key.get());
}

StatusOr<std::string> ComputeKid(EVP_PKEY* pkey) {
  if (pkey == nullptr) return InvalidArgument("no key");
  unsigned char* der = nullptr;
  int n = i2d_PUBKEY(pkey, &der);
  if (n <= 0) return Internal("could not encode the public key");
  std::string digest = Sha256(std::string_view(reinterpret_cast<char*>(der), static_cast<size_t>(n)));
  OPENSSL_free(der);
  return Base64UrlEncode(digest).substr(0, 27);
}

StatusOr<boost::json::object> PublicJwk(const PublicKey& key) {
  if (!IsRsa(key.pkey.get())) return InvalidArgument("a JWK can only be made from an RSA key here");
  auto param = [&](const char* name) -> StatusOr<std::string> {
    BIGNUM* bn = nullptr;
    if (EVP_PKEY_get_bn_param(key.pkey.get(), name, &bn) != 1) return Internal("could not read an RSA parameter");
    std::string bytes(static_cast<size_t>(BN_num_bytes(bn)), '\0');
    BN_bn2bin(bn, reinterpret_cast<unsigned char*>(bytes.data()));
    BN_free(bn);
    return Base64UrlEncode(bytes);
  };
  GH_ASSIGN_OR_RETURN(std::string n, param(OSSL_PKEY_PARAM_RSA_N));
  GH_ASSIGN_OR_RETURN(std::string e, param(OSSL_PKEY_PARAM_RSA_E));
  return boost::json::object{{"kty", "RSA"}, {"use", "sig"}, {"alg", "RS256"}, {"kid", key.kid}, {"n", n}, {"e", e}};
}

}  // namespace gh::identity
