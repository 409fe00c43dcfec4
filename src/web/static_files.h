#pragma once
// The pages' static files: the stylesheet and the one script (form_post).
#include <vector>

#include "http/router.h"

namespace gh::web {

std::vector<http::Route> StaticFiles();

}  // namespace gh::web
