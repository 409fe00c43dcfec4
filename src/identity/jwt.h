#pragma once
// Compact JWS (RFC 7515) signed with RS256, and the RSA key helpers the token
// endpoint and the JWKS document need.
//
// Only RS256 is produced and only RS256 is accepted: the verifier ignores any
// other "alg" (including "none" and HS256, whose acceptance with an RSA public
// key as the HMAC secret is the classic JWT key-confusion attack). There is no
// JWE, no embedded keys ("jwk"/"jku"/"x5u" headers are never followed) and no
// "crit" extension support (tokens carrying "crit" are rejected).
//
// All functions are thread-safe; EVP_PKEY handles are only read after creation.
#include <openssl/types.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "core/clock.h"
#include "core/status.h"
#include "wire/jwt.h"

namespace gh::identity {

// Reason carried by every token-validation failure (Graph's error code for a
// bad bearer token).
using wire::kInvalidAuthenticationToken;

// Shared ownership because the key manager caches keys while requests use them.
using PkeyPtr = std::shared_ptr<EVP_PKEY>;

// A private key able to sign, and the key id written into the JWS header.
struct SigningKeyMaterial {
  std::string kid;
  PkeyPtr pkey;  // RSA private key
};

// A key able to verify signatures for one kid.
struct PublicKey {
  std::string kid;
  PkeyPtr pkey;  // RSA; may also hold the private half (only the public one is used)
};

// Returns the verification key for `kid`. NotFound means "no such key" and is
// reported as an invalid token; any other error (e.g. Unavailable when the store
// is down) is passed through unchanged so callers can tell outages from bad tokens.
using KeyLookup = std::function<StatusOr<PublicKey>(std::string_view kid)>;

struct VerifyOptions {
  std::string issuer;                  // required; "iss" must equal it exactly
  std::vector<std::string> audiences;  // "aud" must be one of these; empty = not checked
  int64_t leeway_seconds = 300;        // clock skew tolerated on exp and nbf
};

// Signs `payload` as a compact JWS with header {"typ":"JWT","alg":"RS256","kid":…}.
// InvalidArgument if the key is missing or not RSA; Internal if OpenSSL fails.
StatusOr<std::string> SignJwt(const boost::json::object& payload, const SigningKeyMaterial& key);

// Verifies `token` and returns its payload. Checks, in order: three base64url
// segments, JSON header with alg RS256 and a kid, key lookup by kid, the
// signature, then "exp" (required), "nbf" (optional), "iss" and "aud".
// Failures are Unauthenticated with reason kInvalidAuthenticationToken and a
// message naming the failed check; lookup errors other than NotFound pass through.
StatusOr<boost::json::object> VerifyJwt(std::string_view token, const KeyLookup& lookup_by_kid, const Clock& clock,
                                         const VerifyOptions& options);

// Reads a NumericDate claim ("exp", "nbf"): nullopt when absent. Accepts any
// JSON number (some issuers write floats); anything else is a malformed token.
StatusOr<std::optional<int64_t>> NumericDate(const boost::json::object& payload, std::string_view name);

// Decodes the payload WITHOUT verifying anything (wire/jwt.h, which clients
// share). Only for routing (e.g. reading "tid" to know which tenant's keys to
// verify with); never trust the result. Unauthenticated
// (kInvalidAuthenticationToken) if the token is malformed.
using wire::DecodeJwtPayloadUnverified;

// A fresh RSA key (2048 bits by default) from OpenSSL's CSPRNG. Key material
// deliberately does not come from the injected gh::Random, which may be seeded
// in tests.
StatusOr<PkeyPtr> GenerateRsaKey(int bits = 2048);
// Unencrypted PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----") of a private key.
StatusOr<std::string> PrivateKeyToPem(EVP_PKEY* pkey);
// Parses a PEM private key (PKCS#8 or traditional). InvalidArgument if unreadable.
StatusOr<PkeyPtr> LoadPrivateKeyPem(std::string_view pem);
// GenerateRsaKey + PrivateKeyToPem.
StatusOr<std::string> GenerateRsaKeyPem(int bits = 2048);

// Stable key id: base64url(SHA-256(DER SubjectPublicKeyInfo)) cut to 27
// characters (~160 bits, the length of Entra's kids). Same public key, same kid.
StatusOr<std::string> ComputeKid(EVP_PKEY* pkey);

// The public JWK {"kty":"RSA","use":"sig","alg":"RS256","kid","n","e"}.
// InvalidArgument if the key is not RSA.
StatusOr<boost::json::object> PublicJwk(const PublicKey& key);

}  // namespace gh::identity
