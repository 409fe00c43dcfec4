#pragma once
// What the harnesses share: the input as text, a way to split it into the
// parts a harness needs (readable seed files: parts are lines), and the
// check that turns a broken invariant into a crash libFuzzer reports.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>

namespace gh::fuzz {

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The text before the first '\n' and the rest after it (the rest is empty
// when there is no '\n').
inline std::pair<std::string_view, std::string_view> FirstLine(std::string_view text) {
  size_t nl = text.find('\n');
  if (nl == std::string_view::npos) return {text, {}};
  return {text.substr(0, nl), text.substr(nl + 1)};
}

// Prints what broke and aborts: ASan prints the stack, libFuzzer saves the input.
[[noreturn]] inline void Fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "\nFUZZ INVARIANT BROKEN: %s\n  %.*s\n", what, static_cast<int>(std::min<size_t>(detail.size(), 2000)),
               detail.data());
  std::abort();
}

#define GH_FUZZ_CHECK(cond, detail) \
  do {                              \
    if (!(cond)) ::gh::fuzz::Fail(#cond, (detail)); \
  } while (0)

}  // namespace gh::fuzz
