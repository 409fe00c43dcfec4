#pragma once
// Creating a tenant with its first Global Administrator and an automation
// client (what `gatehouse init` does), and the demo tenants of `serve --demo`.
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "directory/directory_service.h"
#include "environments/environment_service.h"
#include "identity/clients.h"
#include "invitations/invitation_service.h"
#include "licensing/licensing_service.h"
#include "store/store.h"

namespace gh::app {

struct ProvisionRequest {
  std::string tenant_name;
  std::string domain;
  std::string admin_email;  // becomes the admin's userPrincipalName; must be in `domain`
  std::string admin_password;
  directory::Cloud cloud = directory::Cloud::kCommercial;
};

struct ProvisionResult {
  directory::Tenant tenant;
  directory::User admin;
  std::string client_id;
  std::string client_secret;  // shown once
};

class Provisioner {
 public:
  Provisioner(directory::DirectoryService& directory, identity::ClientRegistry& clients)
      : directory_(directory), clients_(clients) {}

  StatusOr<ProvisionResult> CreateTenant(const ProvisionRequest& req);

  // Creates the demo tenants (Contoso, Fabrikam) unless they exist, and returns
  // their credentials as JSON text. Credentials of a demo created earlier are
  // read back from `credentials_file` (secrets cannot be recovered from the
  // database, so the demo keeps them there, mode 0600).
  StatusOr<std::string> EnsureDemo(const std::string& credentials_file);

  // The rest of the demo, after EnsureDemo: Contoso's SKUs with seats, its
  // Default, "Contoso Sales" (Dataverse, security group) and sandbox
  // environments, and a pending invitation of bob@fabrikam.com whose email is
  // in the outbox; redeeming it lands on `redirect_url`. Idempotent. Returns
  // the invitation's Get Started link (kept in `invitation_file`, since the
  // ticket can't be read back).
  StatusOr<std::string> EnsureDemoWorkspace(licensing::LicensingService& licensing,
                                            environments::EnvironmentService& environments,
                                            invitations::InvitationService& invitations,
                                            const std::string& invitation_file, const std::string& redirect_url);

 private:
  directory::DirectoryService& directory_;
  identity::ClientRegistry& clients_;
};

}  // namespace gh::app
