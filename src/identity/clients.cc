#include "identity/clients.h"

#include "identity/secrets.h"

namespace gh::identity {

const std::vector<std::string>& AutomationPermissions() {
  static const std::vector<std::string> p = {"Directory.ReadWrite.All", "User.ReadWrite.All", "Group.ReadWrite.All",
                                             "GroupMember.ReadWrite.All", "RoleManagement.ReadWrite.Directory",
                                             "User.Invite.All", "AuditLog.Read.All", "Application.ReadWrite.All"};
  return p;
}

ClientRegistry::ClientRegistry(store::Store& store, const Clock& clock, Random& random)
    : store_(store), clock_(clock), random_(random) {}

StatusOr<RegisteredClient> ClientRegistry::RegisterConfidential(const directory::Actor& actor,
                                                               const std::string& tenant_id,
                                                               std::string display_name,
                                                               std::vector<std::string> app_roles, int secret_days) {
  RegisteredClient out;
  auto& c = out.client;
  c.id = random_.NewUuid();
  c.app_id = random_.NewUuid();
  c.tenant_id = tenant_id;
  c.display_name = std::move(display_name);
  c.confidential = true;
  c.app_roles = std::move(app_roles);
  c.created_at = clock_.NowMillis();
  out.secret = GenerateClientSecret(random_);
  directory::ClientSecret s;
  s.id = random_.NewUuid();
  s.client_id = c.id;
  s.hash = HashSecret(out.secret);
  s.hint = out.secret.substr(0, 3);
  s.display_name = "Created by gatehouse";
  s.created_at = c.created_at;
  s.expires_at = c.created_at + int64_t{secret_days} * 24 * 3600 * 1000;

  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  GH_RETURN_IF_ERROR(tx->InsertClient(c));
  GH_RETURN_IF_ERROR(tx->InsertClientSecret(s));
  directory::AuditEntry e;
  e.id = random_.NewUuid();
  e.tenant_id = tenant_id;
  e.time = c.created_at;
  e.category = "ApplicationManagement";
  e.activity = "Add application";
  e.actor_id = actor.id;
  e.actor_type = actor.type;
  e.actor_name = actor.name;
  e.target_id = c.id;
  e.target_type = "Application";
  e.target_name = c.display_name;
  e.details_json = "{}";
  GH_RETURN_IF_ERROR(tx->InsertAudit(e));
  GH_RETURN_IF_ERROR(tx->Commit());
  return out;
}

}  // namespace gh::identity
