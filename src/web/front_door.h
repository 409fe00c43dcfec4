#pragma once
// The server's front door, "/": where an administrator finds their
// organisation's portal and a guest their "My environments" page, by the
// organisation's domain. Every page's "Gatehouse" link leads here.
#include <vector>

#include "http/router.h"

namespace gh::web {

std::vector<http::Route> FrontDoorPages();

}  // namespace gh::web
