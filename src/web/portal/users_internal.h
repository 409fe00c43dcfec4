#pragma once
// Internal to the users area, shared by its two files only: users_pages.cc
// (the users list and New guest user) and user_page.cc (one user's page and
// the forms on it).
#include <string>
#include <string_view>
#include <vector>

#include "web/portal/portal.h"

namespace gh::web::portal::users {

// Where an invitation takes the guest after redeeming when no page is given:
// the New guest user form's default, and what a re-sent invitation uses (as
// Entra's "Resend invitation" uses My Apps).
inline constexpr const char* kDefaultRedirectUrl = "https://myapps.microsoft.com";

bool Contains(const std::vector<std::string>& v, std::string_view x);

// Every group of the tenant, sorted by name, for the pickers.
StatusOr<std::vector<directory::Group>> AllGroups(PortalDeps& d, const std::string& tenant_id);

}  // namespace gh::web::portal::users
