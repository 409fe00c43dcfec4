#pragma once
// Reading JSON objects strictly: each property is read with its expected
// type, and anything left over is an unknown property. Every failure is an
// InvalidArgument naming the property, so bad input is refused before
// anything changes. The server decodes request bodies with it (Graph's PATCH
// semantics: absent, null and value differ) and the CLI the server's answers.
#include <boost/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/status.h"

namespace gh::wire {

StatusOr<boost::json::object> ParseJsonObject(std::string_view body);

class FieldReader {
 public:
  // `type_name` is Graph's (e.g. "microsoft.graph.user"), used in messages.
  FieldReader(const boost::json::object& obj, std::string type_name);

  bool Has(std::string_view key) const;
  // Absent → nullopt. Present with the wrong type → error recorded.
  std::optional<std::string> String(std::string_view key);
  // Absent → nullopt; JSON null → engaged nullopt (clears a field); string → value.
  std::optional<std::optional<std::string>> NullableString(std::string_view key);
  std::optional<bool> Bool(std::string_view key);
  std::optional<int64_t> Int(std::string_view key);
  std::optional<std::vector<std::string>> StringArray(std::string_view key);
  const boost::json::object* Object(std::string_view key);  // null when absent or wrong type
  // Marks keys that may appear but are read-only: present → error.
  void ReadOnly(std::initializer_list<std::string_view> keys);
  // Marks keys accepted and ignored (e.g. "@odata.type").
  void Ignore(std::initializer_list<std::string_view> keys);

  // The first problem found, or an unknown property; OK when the body was clean.
  Status Finish() const;
  // The first problem found; properties not read are allowed (reading a
  // newer server's answer, which may have grown).
  Status FinishAllowingUnknown() const;

 private:
  const boost::json::value* Take(std::string_view key);
  void Fail(std::string message);

  const boost::json::object& obj_;
  std::string type_name_;
  std::set<std::string, std::less<>> seen_;
  std::optional<Status> error_;
};

}  // namespace gh::wire
