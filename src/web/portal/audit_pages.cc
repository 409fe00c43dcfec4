// TODO(portal): the audit pages.
#include "web/portal/portal.h"

namespace gh::web::portal {

std::vector<http::Route> AuditPages(const Deps& d) { return {}; }

}  // namespace gh::web::portal
