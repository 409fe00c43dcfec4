#pragma once
// What the handlers need, wired once by the composition root (src/app):
// domain services, never the store (every read and rule goes through one).
#include <functional>
#include <string>

#include "core/clock.h"
#include "directory/directory_service.h"
#include "directory/policy_service.h"
#include "invitations/bulk_runner.h"
#include "invitations/bulk_service.h"
#include "invitations/invitation_service.h"
#include "environments/app_service.h"
#include "environments/environment_service.h"
#include "environments/notifier.h"
#include "environments/tenant_settings.h"
#include "core/random.h"
#include "identity/clients.h"
#include "identity/consent.h"
#include "identity/keys.h"
#include "identity/signin.h"
#include "identity/token_service.h"
#include "licensing/licensing_service.h"
#include "gate/decision.h"
#include "gate/snapshot_cache.h"

namespace gh::api {

struct Services {
  directory::DirectoryService& directory;
  identity::KeyManager& keys;
  identity::TokenService& tokens;
  const Clock& clock;
  std::string public_base;  // "https://localhost:8443": issuer base and absolute links
  licensing::LicensingService& licensing;
  environments::EnvironmentService& environments;
  identity::SigninService& signin;
  Random& random;
  identity::ClientRegistry& clients;
  directory::PolicyService& policies;
  invitations::InvitationService& invitations;
  environments::Notifier& notifier;
  environments::AppService& apps;
  environments::TenantSettingsService& tenant_settings;
  identity::Consent& consent;
  // The gate's snapshots; they follow committed writes (the store's commit
  // listener), never requests.
  gate::SnapshotCache* gate = nullptr;
  // Told of each decision the access check serves (metrics; the gate's
  // Decide stays pure). Null: no one listens.
  std::function<void(const gate::Decision&)> on_decision = nullptr;
  // Bulk invitation jobs and the runner to wake after a submission (set by
  // the composition root; routes answer 503 without them).
  invitations::BulkInvitationService* bulk = nullptr;
  invitations::BulkRunner* bulk_runner = nullptr;
};

}  // namespace gh::api
