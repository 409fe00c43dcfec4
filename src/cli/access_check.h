#pragma once
// `gatehouse why`: reads the answer of POST /api/v1/access/check and renders
// it as a checklist. Parsing is tolerant: a missing field reads as unknown,
// never as an error, so the CLI keeps working while the route grows.
#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace gh::cli {

struct AccessCheckItem {
  std::string id;
  std::optional<bool> passed;  // nullopt: the server did not say
  std::string message;        // "message", else "sentence" or "description", else the id
  std::string remedy_action;  // what to do, in words ("action" or "what")
  std::string remedy_api;     // the API call that does it
  std::string remedy_cli;     // the gatehouse command that does it
};

struct AccessCheckReport {
  bool allowed = false;  // "allowed" when given, else true only if every check passed
  std::string action;
  std::vector<AccessCheckItem> checks;
};

AccessCheckReport ParseAccessCheck(const boost::json::value& body);

// "<subject> → <action>: allowed|denied" then one line per check
// ("✓ message" / "✗ message" / "? message"), each failure followed by
// "    fix: <cli or action>" and "    api: <api>" when known.
std::string RenderAccessCheck(const AccessCheckReport& report, const std::string& subject);

}  // namespace gh::cli
