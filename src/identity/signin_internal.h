#pragma once
// Helpers shared by the two halves of SigninService (signin.cc, the
// interactive sign-in; signin_grants.cc, the OAuth grants). Not for other files.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace gh::identity {

// An OAuth 2.0 error: `reason` is the protocol's error code ("invalid_grant"…).
inline Status OAuth(std::string reason, std::string message, Code code = Code::kInvalidArgument) {
  return Status(code, std::move(message), std::move(reason));
}

inline bool Contains(const std::vector<std::string>& v, std::string_view x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace gh::identity
