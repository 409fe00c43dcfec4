#pragma once
// Reading a compact JWS (RFC 7515) without verifying it: its three segments,
// each strictly base64url-decoded, and its JSON header and payload. The
// server's verifier (identity/jwt.h, RS256 with OpenSSL) is built on these,
// and a client that only shows what a token says (the CLI's whoami) uses
// DecodeJwtPayloadUnverified without linking the server's crypto.
//
// Nothing here checks a signature, an expiry, an issuer or an audience.
// Errors are Unauthenticated with reason kInvalidAuthenticationToken and a
// message naming the malformed part.
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "core/status.h"

namespace gh::wire {

// Reason carried by every token-validation failure (Graph's error code for a
// bad bearer token).
inline constexpr std::string_view kInvalidAuthenticationToken = "InvalidAuthenticationToken";

struct JwtSegments {
  std::string_view header, payload, signature;  // still base64url, views into the token
};

// Exactly three segments separated by '.'.
StatusOr<JwtSegments> SplitJwt(std::string_view token);

// Strict base64url: only the URL alphabet, no padding, canonical trailing
// bits (so no two token strings carry the same signature bytes). `what`
// names the segment in the error ("header", "payload", "signature").
StatusOr<std::string> DecodeJwtSegment(std::string_view segment, std::string_view what);

// A decoded header or payload: a JSON object, else malformed.
StatusOr<boost::json::object> ParseJwtObject(std::string_view json, std::string_view what);

// The payload, WITHOUT verifying anything: only for routing (reading "tid"
// to know which tenant's keys to verify with) or display; never trust it.
StatusOr<boost::json::object> DecodeJwtPayloadUnverified(std::string_view token);

}  // namespace gh::wire
