#include "wire/json_reader.h"

namespace gh::wire {

StatusOr<boost::json::object> ParseJsonObject(std::string_view body) {
  if (body.empty()) return InvalidArgument("The request body is empty; a JSON object was expected.", "BadRequest");
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec);
  if (ec) return InvalidArgument("The request body is not valid JSON: " + ec.message() + ".", "BadRequest");
  if (!v.is_object()) return InvalidArgument("The request body must be a JSON object.", "BadRequest");
  return std::move(v.as_object());
}

FieldReader::FieldReader(const boost::json::object& obj, std::string type_name)
    : obj_(obj), type_name_(std::move(type_name)) {}

bool FieldReader::Has(std::string_view key) const { return obj_.contains(key); }

const boost::json::value* FieldReader::Take(std::string_view key) {
  seen_.emplace(key);
  return obj_.if_contains(key);
}

void FieldReader::Fail(std::string message) {
  if (!error_) error_ = InvalidArgument(std::move(message), "Request_BadRequest");
}

std::optional<std::string> FieldReader::String(std::string_view key) {
  const auto* v = Take(key);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    Fail("Invalid value for property '" + std::string(key) + "': a string was expected.");
    return std::nullopt;
  }
  return std::string(v->as_string());
}

std::optional<std::optional<std::string>> FieldReader::NullableString(std::string_view key) {
  const auto* v = Take(key);
  if (!v) return std::nullopt;
  if (v->is_null()) return std::optional<std::string>{};
  if (!v->is_string()) {
    Fail("Invalid value for property '" + std::string(key) + "': a string or null was expected.");
    return std::nullopt;
  }
  return std::optional<std::string>{std::string(v->as_string())};
}

std::optional<bool> FieldReader::Bool(std::string_view key) {
  const auto* v = Take(key);
  if (!v) return std::nullopt;
  if (!v->is_bool()) {
    Fail("Invalid value for property '" + std::string(key) + "': true or false was expected.");
    return std::nullopt;
  }
  return v->as_bool();
}

std::optional<int64_t> FieldReader::Int(std::string_view key) {
  const auto* v = Take(key);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64() && v->as_uint64() <= static_cast<uint64_t>(INT64_MAX)) return static_cast<int64_t>(v->as_uint64());
  Fail("Invalid value for property '" + std::string(key) + "': an integer was expected.");
  return std::nullopt;
}

std::optional<std::vector<std::string>> FieldReader::StringArray(std::string_view key) {
  const auto* v = Take(key);
  if (!v) return std::nullopt;
  if (!v->is_array()) {
    Fail("Invalid value for property '" + std::string(key) + "': an array of strings was expected.");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& e : v->as_array()) {
    if (!e.is_string()) {
      Fail("Invalid value for property '" + std::string(key) + "': an array of strings was expected.");
      return std::nullopt;
    }
    out.emplace_back(e.as_string());
  }
  return out;
}

const boost::json::object* FieldReader::Object(std::string_view key) {
  const auto* v = Take(key);
  if (!v) return nullptr;
  if (!v->is_object()) {
    Fail("Invalid value for property '" + std::string(key) + "': an object was expected.");
    return nullptr;
  }
  return &v->as_object();
}

void FieldReader::ReadOnly(std::initializer_list<std::string_view> keys) {
  for (auto k : keys) {
    seen_.emplace(k);
    if (obj_.contains(k)) Fail("Property '" + std::string(k) + "' is read-only and cannot be set.");
  }
}

void FieldReader::Ignore(std::initializer_list<std::string_view> keys) {
  for (auto k : keys) seen_.emplace(k);
}

Status FieldReader::FinishAllowingUnknown() const { return error_ ? *error_ : OkStatus(); }

Status FieldReader::Finish() const {
  if (error_) return *error_;
  for (const auto& kv : obj_) {
    if (!seen_.contains(kv.key()))
      return InvalidArgument("Property '" + std::string(kv.key()) + "' does not exist on type '" + type_name_ + "'.",
                             "Request_BadRequest");
  }
  return OkStatus();
}

}  // namespace gh::wire
