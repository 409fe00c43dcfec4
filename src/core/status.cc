#include "core/status.h"

#include "core/enum_names.h"

namespace gh {

namespace {

constexpr auto kCodeNames = std::to_array<EnumName<Code>>({
    {Code::kOk, "OK"},
    {Code::kInvalidArgument, "InvalidArgument"},
    {Code::kNotFound, "NotFound"},
    {Code::kAlreadyExists, "AlreadyExists"},
    {Code::kFailedPrecondition, "FailedPrecondition"},
    {Code::kPermissionDenied, "PermissionDenied"},
    {Code::kUnauthenticated, "Unauthenticated"},
    {Code::kResourceExhausted, "ResourceExhausted"},
    {Code::kUnavailable, "Unavailable"},
    {Code::kInternal, "Internal"},
});
static_assert(AreDistinct(kCodeNames));

}  // namespace

std::string_view CodeName(Code code) {
  std::string_view name = NameOf(kCodeNames, code);
  return name.empty() ? "Unknown" : name;
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string s(CodeName(code_));
  if (!reason_.empty()) s += " (" + reason_ + ")";
  return s + ": " + message_;
}

}  // namespace gh
