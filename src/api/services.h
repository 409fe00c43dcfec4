#pragma once
// What the handlers need, wired once by the composition root (src/app).
#include <string>

#include "core/clock.h"
#include "directory/directory_service.h"
#include "identity/keys.h"
#include "identity/token_service.h"
#include "store/store.h"

namespace gh::api {

struct Services {
  store::Store& store;
  directory::DirectoryService& directory;
  identity::KeyManager& keys;
  identity::TokenService& tokens;
  const Clock& clock;
  std::string public_base;  // "https://localhost:8443": issuer base and absolute links
};

}  // namespace gh::api
