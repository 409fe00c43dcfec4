#pragma once
// multipart/form-data bodies (RFC 7578), as browsers send file uploads.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace gh::http {

struct FormPart {
  std::string name;
  std::string filename;      // empty for plain fields
  std::string content_type;  // empty when the part has none
  std::string_view body;     // points into the request body
};

// The boundary parameter of a multipart/form-data Content-Type, if it is one.
std::optional<std::string> MultipartBoundary(std::string_view content_type);
// Splits `body`; InvalidArgument when it is not well-formed.
StatusOr<std::vector<FormPart>> ParseMultipart(std::string_view body, std::string_view boundary);
const FormPart* FindPart(const std::vector<FormPart>& parts, std::string_view name);

}  // namespace gh::http
