#include "wire/jwt.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "core/encoding.h"

namespace gh::wire {
namespace {

Status Malformed(std::string message) {
  return Unauthenticated("The token is malformed: " + std::move(message), std::string(kInvalidAuthenticationToken));
}

}  // namespace

StatusOr<JwtSegments> SplitJwt(std::string_view token) {
  size_t a = token.find('.');
  size_t b = a == std::string_view::npos ? a : token.find('.', a + 1);
  if (a == std::string_view::npos || b == std::string_view::npos || token.find('.', b + 1) != std::string_view::npos)
    return Malformed("a JWS in compact form has exactly three segments separated by '.'.");
  return JwtSegments{token.substr(0, a), token.substr(a + 1, b - a - 1), token.substr(b + 1)};
}

StatusOr<std::string> DecodeJwtSegment(std::string_view segment, std::string_view what) {
  const std::string bad = "the " + std::string(what) + " is not valid base64url.";
  for (char c : segment) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return Malformed(bad);
  }
  if (segment.size() % 4 == 1) return Malformed(bad);
  auto decoded = Base64UrlDecode(segment);
  if (!decoded.ok() || Base64UrlEncode(*decoded) != segment) return Malformed(bad);
  return std::move(decoded).value();
}

StatusOr<boost::json::object> ParseJwtObject(std::string_view json, std::string_view what) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(json, ec);
  if (ec || !v.is_object()) return Malformed("the " + std::string(what) + " is not a JSON object.");
  return std::move(v.as_object());
}

StatusOr<boost::json::object> DecodeJwtPayloadUnverified(std::string_view token) {
  GH_ASSIGN_OR_RETURN(JwtSegments seg, SplitJwt(token));
  GH_ASSIGN_OR_RETURN(std::string payload_json, DecodeJwtSegment(seg.payload, "payload"));
  return ParseJwtObject(payload_json, "payload");
}

}  // namespace gh::wire
