// TODO(portal): the licenses pages.
#include "web/portal/portal.h"

namespace gh::web::portal {

std::vector<http::Route> LicensesPages(const Deps& d) { return {}; }

}  // namespace gh::web::portal
