// TODO(portal): the groups pages.
#include "web/portal/portal.h"

namespace gh::web::portal {

std::vector<http::Route> GroupsPages(const Deps& d) { return {}; }

}  // namespace gh::web::portal
