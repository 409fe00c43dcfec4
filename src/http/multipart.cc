#include "http/multipart.h"

#include "core/strings.h"
#include <algorithm>
#include <cctype>

namespace gh::http {
namespace {

// The value of `param` in a header value like `form-data; name="a"; filename="b.csv"`.
std::string Param(std::string_view header, std::string_view param) {
  size_t pos = 0;
  while ((pos = header.find(';', pos)) != std::string_view::npos) {
    std::string_view rest = TrimView(header.substr(pos + 1), " \t");
    size_t eq = rest.find('=');
    if (eq != std::string_view::npos && ToLower(TrimView(rest.substr(0, eq), " \t")) == param) {
      std::string_view v = TrimView(rest.substr(eq + 1), " \t");
      if (!v.empty() && v.front() == '"') {
        std::string out;
        for (size_t i = 1; i < v.size() && v[i] != '"'; ++i) {
          if (v[i] == '\\' && i + 1 < v.size()) ++i;
          out += v[i];
        }
        return out;
      }
      return std::string(v.substr(0, v.find(';')));
    }
    ++pos;
  }
  return {};
}

const Status kMalformed = InvalidArgument("The multipart/form-data body is malformed.", "Request_BadRequest");

}  // namespace

std::optional<std::string> MultipartBoundary(std::string_view content_type) {
  if (!ToLower(TrimView(content_type.substr(0, content_type.find(';')), " \t")).starts_with("multipart/form-data"))
    return std::nullopt;
  std::string b = Param(content_type, "boundary");
  if (b.empty() || b.size() > 70) return std::nullopt;
  return b;
}

StatusOr<std::vector<FormPart>> ParseMultipart(std::string_view body, std::string_view boundary) {
  const std::string delim = "--" + std::string(boundary);
  std::vector<FormPart> parts;
  size_t pos = body.find(delim);
  if (pos == std::string_view::npos) return kMalformed;
  pos += delim.size();
  while (true) {
    if (body.substr(pos, 2) == "--") return parts;  // closing delimiter
    if (body.substr(pos, 2) != "\r\n") return kMalformed;
    pos += 2;
    size_t headers_end = body.find("\r\n\r\n", pos);
    if (headers_end == std::string_view::npos) return kMalformed;
    FormPart part;
    std::string_view headers = body.substr(pos, headers_end - pos);
    while (!headers.empty()) {
      size_t eol = headers.find("\r\n");
      std::string_view line = headers.substr(0, eol);
      headers = eol == std::string_view::npos ? std::string_view() : headers.substr(eol + 2);
      size_t colon = line.find(':');
      if (colon == std::string_view::npos) return kMalformed;
      std::string name = ToLower(TrimView(line.substr(0, colon), " \t"));
      std::string_view value = TrimView(line.substr(colon + 1), " \t");
      if (name == "content-disposition") {
        part.name = Param(value, "name");
        part.filename = Param(value, "filename");
      } else if (name == "content-type") {
        part.content_type = std::string(value);
      }
    }
    size_t start = headers_end + 4;
    size_t end = body.find("\r\n" + delim, start);
    if (end == std::string_view::npos) return kMalformed;
    part.body = body.substr(start, end - start);
    parts.push_back(std::move(part));
    pos = end + 2 + delim.size();
  }
}

const FormPart* FindPart(const std::vector<FormPart>& parts, std::string_view name) {
  auto it = std::find_if(parts.begin(), parts.end(), [&](const FormPart& p) { return p.name == name; });
  return it == parts.end() ? nullptr : &*it;
}

}  // namespace gh::http
