// Hostile request targets, query strings, form bodies and multipart uploads
// (http/message.h, http/multipart.h): the parsing every request goes through
// before a handler sees it.
//
// One input feeds every parser:
//   - the whole input is a request target for Request::ParseTarget;
//   - the whole input is an application/x-www-form-urlencoded body (ParseForm,
//     TryParseForm);
//   - the first line is a Content-Type for MultipartBoundary, the rest the
//     multipart body split on that boundary (or on the first line itself
//     when it is not a multipart Content-Type).
// Invariants beyond "no crash, no UB, no leak":
//   - an accepted target decodes to a path with exactly the '/' of the raw
//     path (an encoded '/' can't move a segment boundary), and decoding
//     never makes a NUL (%00 is refused; a raw NUL can't reach ParseTarget
//     through Beast, which refuses control characters in a request line);
//   - PercentEncode then PercentDecode/TryPercentDecode gives back the input;
//   - a form TryParseForm accepts has no NUL and only UTF-8, one it refuses
//     leaves no pairs, and ParseForm gives the same pairs;
//   - every part ParseMultipart returns lies inside the body it was given.
#include <string>
#include <type_traits>
#include <vector>

#include "core/encoding.h"
#include "fuzz_util.h"
#include "http/message.h"
#include "http/multipart.h"

namespace {

using gh::fuzz::AsText;

size_t Count(std::string_view s, char c) { return static_cast<size_t>(std::count(s.begin(), s.end(), c)); }

// ParseForm's result, whether it is the pairs or (once it can refuse a form)
// a StatusOr of them.
template <class T>
void ConsumeForm(const T& form) {
  if constexpr (requires { form.ok(); }) {
    if (form.ok()) ConsumeForm(*form);
  } else {
    for (const auto& [k, v] : form) (void)(k.size() + v.size());
    (void)gh::http::FormValue(form, "csrf");
  }
}

// TryParseForm refuses a whole form with a bad escape, a NUL or bytes that
// aren't UTF-8; what it accepts is clean, and ParseForm agrees with it.
void FuzzStrictForm(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> pairs;
  const bool ok = gh::http::TryParseForm(text, &pairs);
  if (!ok) GH_FUZZ_CHECK(pairs.empty(), "a refused form left pairs behind");
  for (const auto& [k, v] : pairs) {
    GH_FUZZ_CHECK(Count(k, '\0') == 0 && Count(v, '\0') == 0, "an accepted form with a NUL");
    GH_FUZZ_CHECK(gh::IsValidUtf8(k) && gh::IsValidUtf8(v), "an accepted form that isn't UTF-8");
  }
  GH_FUZZ_CHECK(gh::http::ParseForm(text) == pairs, "ParseForm and TryParseForm disagree");
}

void FuzzTarget(std::string_view text) {
  gh::http::Request req;
  req.target = std::string(text);
  if (!req.ParseTarget()) return;
  std::string_view raw_path = text.substr(0, text.find_first_of("?#"));
  GH_FUZZ_CHECK(Count(req.path, '\0') == Count(raw_path, '\0'), "decoding made a NUL: " + req.target);
  GH_FUZZ_CHECK(Count(req.path, '/') == Count(raw_path, '/'), "decoding moved a segment boundary: " + req.target);
  const size_t raw_nuls = Count(text, '\0');
  for (const auto& [name, value] : req.query) {
    GH_FUZZ_CHECK(Count(name, '\0') + Count(value, '\0') <= raw_nuls, "decoding made a NUL: " + req.target);
    (void)req.Query(name);
  }
}

void FuzzPercent(std::string_view text) {
  const std::string encoded = gh::http::PercentEncode(text);
  GH_FUZZ_CHECK(gh::http::PercentDecode(encoded, false) == text, encoded);
  GH_FUZZ_CHECK(gh::http::PercentDecode(encoded, true) == text, encoded);
  std::string strict;
  const bool ok = gh::http::TryPercentDecode(encoded, true, &strict);
  // Strict decoding refuses %00 and nothing else that PercentEncode writes.
  GH_FUZZ_CHECK(ok == (text.find('\0') == std::string_view::npos), encoded);
  if (ok) GH_FUZZ_CHECK(strict == text, encoded);
  // Lenient decoding of arbitrary text never fails, strict may.
  (void)gh::http::PercentDecode(text, true);
  if (gh::http::TryPercentDecode(text, false, &strict))
    GH_FUZZ_CHECK(Count(strict, '\0') == Count(text, '\0'), "strict decoding made a NUL");
}

void FuzzMultipart(std::string_view text) {
  auto [content_type, body] = gh::fuzz::FirstLine(text);
  std::optional<std::string> boundary = gh::http::MultipartBoundary(content_type);
  if (boundary) GH_FUZZ_CHECK(!boundary->empty() && boundary->size() <= 70, *boundary);
  std::string b = boundary ? *boundary : std::string(content_type);
  if (b.empty()) return;
  auto parts = gh::http::ParseMultipart(body, b);
  if (!parts.ok()) return;
  for (const auto& p : *parts) {
    GH_FUZZ_CHECK(p.body.data() >= body.data() && p.body.data() + p.body.size() <= body.data() + body.size(),
                  "a part outside the body");
  }
  (void)gh::http::FindPart(*parts, "file");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = AsText(data, size);
  FuzzTarget(text);
  ConsumeForm(gh::http::ParseForm(text));
  FuzzStrictForm(text);
  FuzzPercent(text);
  FuzzMultipart(text);
  return 0;
}
