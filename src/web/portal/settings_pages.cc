// TODO(portal): the settings pages.
#include "web/portal/portal.h"

namespace gh::web::portal {

std::vector<http::Route> SettingsPages(const Deps& d) { return {}; }

}  // namespace gh::web::portal
