#include "cli/access_check.h"

namespace gh::cli {

std::string RenderAccessCheck(const wire::AccessCheck& answer, const std::string& subject) {
  std::string out = subject + " → " + answer.action + ": " + (answer.allowed ? "allowed" : "denied") + "\n";
  for (const auto& c : answer.checks) {
    out += std::string("  ") + (c.passed ? "✓" : "✗") + " " + c.sentence + "\n";
    if (c.passed || !c.remedy) continue;
    if (!c.remedy->what.empty()) out += "      fix: " + c.remedy->what + "\n";
    if (!c.remedy->cli.empty()) out += "      run: " + c.remedy->cli + "\n";
    if (!c.remedy->api.empty()) out += "      api: " + c.remedy->api + "\n";
  }
  return out;
}

}  // namespace gh::cli
