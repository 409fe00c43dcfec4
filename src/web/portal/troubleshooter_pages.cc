// TODO(portal): the troubleshooter pages.
#include "web/portal/portal.h"

namespace gh::web::portal {

std::vector<http::Route> TroubleshooterPages(const Deps& d) { return {}; }

}  // namespace gh::web::portal
