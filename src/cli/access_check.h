#pragma once
// `gatehouse why`: renders the answer of POST /api/v1/access/check (read with
// wire::AccessCheckFromJson, the shape the server writes) as a checklist.
#include <string>

#include "wire/access_check.h"

namespace gh::cli {

// "<subject> → <action>: allowed|denied" then one line per check
// ("✓ sentence" / "✗ sentence"), each failure followed by "    fix: <what>",
// "    run: <cli>" and "    api: <api>" when the remedy has them.
std::string RenderAccessCheck(const wire::AccessCheck& answer, const std::string& subject);

}  // namespace gh::cli
