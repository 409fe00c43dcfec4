#pragma once
// Byte and text encodings and digests used across modules (tokens, JWTs,
// secrets, mail bodies).
#include <string>
#include <string_view>

#include "core/status.h"

namespace gh {

std::string Base64UrlEncode(std::string_view bytes);  // no padding
StatusOr<std::string> Base64UrlDecode(std::string_view text);
std::string Base64Encode(std::string_view bytes);
StatusOr<std::string> Base64Decode(std::string_view text);
std::string HexEncode(std::string_view bytes);
std::string Sha256(std::string_view data);     // raw 32 bytes
std::string Sha256Hex(std::string_view data);  // lower-case hex
// UTF-8 as RFC 3629 has it: no overlong forms, surrogates, or code points
// past U+10FFFF. Request parameters and paths arrive as raw bytes, and what
// is stored or echoed as JSON must be UTF-8.
bool IsValidUtf8(std::string_view text);
// `text` with every byte that starts no well-formed sequence replaced by
// U+FFFD (the replacement character), for echoing untrusted text.
std::string ValidUtf8(std::string_view text);
// Constant-time comparison for secrets and digests.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace gh
