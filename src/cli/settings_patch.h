#pragma once
// `gatehouse tenant-settings set a.b.c=value …`: builds the nested JSON object
// a PATCH /api/v1/tenantSettings expects from dotted keys. Pure.
#include <boost/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace gh::cli {

// The JSON value of one setting as typed on a command line: true/false, null,
// integers and decimals become JSON scalars; text that starts with '{', '['
// or '"' is parsed as JSON; anything else is a string (so `name=Contoso`
// needs no quotes).
StatusOr<boost::json::value> ParseSettingValue(std::string_view text);

// {"a.b.c=true", "a.b.d=5"} → {"a":{"b":{"c":true,"d":5}}}. InvalidArgument
// (reason "usage") for a missing '=', an empty key segment, or a key that is
// both a value and a parent ("a=1" with "a.b=2"). A later value for the same
// key replaces an earlier one.
StatusOr<boost::json::object> BuildSettingsPatch(const std::vector<std::string>& assignments);

}  // namespace gh::cli
