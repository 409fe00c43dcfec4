#pragma once
// App registrations that obtain tokens: creating one with a secret (returned
// once, stored only as a hash), adding secrets, removing a registration.
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/random.h"
#include "core/status.h"
#include "directory/directory_service.h"
#include "directory/model/types.h"
#include "store/store.h"

namespace gh::identity {

// The application permissions an automation client gets from `init`: full
// control of the directory through Graph, including granting permissions to
// other apps (AppRoleAssignment.ReadWrite.All, DelegatedPermissionGrant.ReadWrite.All).
const std::vector<std::string>& AutomationPermissions();

struct RegisteredClient {
  directory::Client client;
  std::string secret;  // plain text, shown once
};

class ClientRegistry {
 public:
  ClientRegistry(store::Store& store, const Clock& clock, Random& random);

  // App registrations as Graph's /applications manages them. Redirect URIs
  // must be https (or http on a loopback host, for development), without a
  // fragment; public-client URIs may also use a private scheme ("myapp://cb").
  struct ApplicationChange {
    std::optional<std::string> display_name;
    std::optional<std::vector<std::string>> web_redirect_uris;
    std::optional<std::vector<std::string>> public_redirect_uris;
    // Graph's requiredResourceAccess: only Microsoft Graph
    // (00000003-0000-0000-c000-000000000000) as the resource, and only ids of
    // its delegated scopes ("Scope") and application permissions ("Role")
    // that Gatehouse serves (identity/graph_permissions.h); anything else is
    // InvalidArgument (Request_BadRequest). Declaring grants nothing: users
    // consent to scopes, administrators grant application permissions.
    std::optional<std::vector<directory::RequiredResourceAccess>> required_resource_access;
  };
  StatusOr<directory::Client> CreateApplication(const directory::Actor& actor, const std::string& tenant_id,
                                                const ApplicationChange& in);
  StatusOr<directory::Client> GetApplication(const std::string& tenant_id, const std::string& id_or_app_id);
  StatusOr<std::vector<directory::Client>> ListApplications(const std::string& tenant_id);
  StatusOr<directory::Client> UpdateApplication(const directory::Actor& actor, const std::string& tenant_id,
                                                const std::string& id, const ApplicationChange& change);
  // Also removes the consent given to it (its delegated permission grants).
  Status DeleteApplication(const directory::Actor& actor, const std::string& tenant_id, const std::string& id);
  // A new secret, returned once in plain text with its metadata.
  StatusOr<std::pair<directory::ClientSecret, std::string>> AddPassword(const directory::Actor& actor,
                                                                        const std::string& tenant_id,
                                                                        const std::string& id,
                                                                        std::string display_name, int64_t end_ms);
  Status RemovePassword(const directory::Actor& actor, const std::string& tenant_id, const std::string& id,
                        const std::string& key_id);
  StatusOr<std::vector<directory::ClientSecret>> ListPasswords(const std::string& tenant_id, const std::string& id);

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
