// TODO(portal): the environments pages.
#include "web/portal/portal.h"

namespace gh::web::portal {

std::vector<http::Route> EnvironmentsPages(const Deps& d) { return {}; }

}  // namespace gh::web::portal
