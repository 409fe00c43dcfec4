#pragma once
// App registrations that obtain tokens: creating one with a secret (returned
// once, stored only as a hash), adding secrets, removing a registration.
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/random.h"
#include "core/status.h"
#include "directory/directory_service.h"
#include "directory/model.h"
#include "store/store.h"

namespace gh::identity {

// The application permissions an automation client gets from `init`: full
// control of the directory through Graph.
const std::vector<std::string>& AutomationPermissions();

struct RegisteredClient {
  directory::Client client;
  std::string secret;  // plain text, shown once
};

class ClientRegistry {
 public:
  ClientRegistry(store::Store& store, const Clock& clock, Random& random);

  // A confidential client with one secret valid for `secret_days` days.
  StatusOr<RegisteredClient> RegisterConfidential(const directory::Actor& actor, const std::string& tenant_id,
                                                  std::string display_name, std::vector<std::string> app_roles,
                                                  int secret_days = 365);

 private:
  store::Store& store_;
  const Clock& clock_;
  Random& random_;
};

}  // namespace gh::identity
