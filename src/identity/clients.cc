#include "identity/clients.h"

#include <algorithm>

#include "core/strings.h"
#include "identity/graph_permissions.h"
#include "identity/secrets.h"
#include "identity/token_service.h"  // kGraphAppId
#include "store/consent_repository.h"

namespace gh::identity {
namespace {

directory::AuditEntry AppAudit(const directory::Actor& actor, const directory::Client& c, std::string activity,
                               Random& random, const Clock& clock) {
  return directory::MakeAuditEntry(random, clock, actor, c.tenant_id, "ApplicationManagement", std::move(activity),
                                   "Application", c.id, c.display_name);
}

}  // namespace

const std::vector<std::string>& AutomationPermissions() {
  static const std::vector<std::string> p = {"Directory.ReadWrite.All", "User.ReadWrite.All", "Group.ReadWrite.All",
                                             "GroupMember.ReadWrite.All", "RoleManagement.ReadWrite.Directory",
                                             "User.Invite.All", "AuditLog.Read.All", "Policy.Read.All",
                                             "Policy.ReadWrite.Authorization", "Policy.ReadWrite.CrossTenantAccess", "Application.ReadWrite.All",
                                             "Organization.ReadWrite.All", "Environment.ReadWrite.All",
                                             "TenantSettings.ReadWrite.All", "AppRoleAssignment.ReadWrite.All",
                                             "DelegatedPermissionGrant.ReadWrite.All"};
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
  GH_RETURN_IF_ERROR(tx->InsertAudit(AppAudit(actor, c, "Add application", random_, clock_)));
  GH_RETURN_IF_ERROR(tx->Commit());
  return out;
}

namespace {

Status ValidateRedirectUri(const std::string& uri, bool public_client) {
  auto bad = [&](const std::string& why) {
    return InvalidArgument("The redirect URI '" + uri + "' is not valid: " + why + ".", "Request_BadRequest");
  };
  if (uri.empty() || uri.size() > 256) return bad("it must have 1 to 256 characters");
  if (uri.find_first_of(" \t\r\n#") != std::string::npos) return bad("it may not contain spaces or a fragment");
  if (uri.starts_with("https://") && uri.size() > 8) return OkStatus();
  for (std::string_view loopback : {"http://localhost", "http://127.0.0.1", "http://[::1]"})
    if (uri.starts_with(loopback) && (uri.size() == loopback.size() || uri[loopback.size()] == ':' ||
                                      uri[loopback.size()] == '/'))
      return OkStatus();
  auto colon = uri.find("://");
  if (public_client && colon != std::string::npos && colon > 0 && !uri.starts_with("http:") &&
      std::all_of(uri.begin(), uri.begin() + colon,
                  [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '+'; }))
    return OkStatus();
  return bad("use https, or http only on localhost");
}

Status ValidateResourceAccess(const std::vector<directory::RequiredResourceAccess>& all) {
  auto bad = [](const std::string& why) { return InvalidArgument(why, "Request_BadRequest"); };
  size_t entries = 0;
  for (const auto& r : all) {
    if (ToLower(r.resource_app_id) != kGraphAppId)
      return bad("requiredResourceAccess: the resource '" + r.resource_app_id +
                 "' is not served here; the only resource is Microsoft Graph (" + std::string(kGraphAppId) + ").");
    for (const auto& a : r.resource_access) {
      if (++entries > 400) return bad("requiredResourceAccess may declare at most 400 permissions.");
      if (a.type == "Scope" && FindScopeById(a.id) != nullptr) continue;
      if (a.type == "Role" && FindRoleById(a.id) != nullptr) continue;
      if (a.type != "Scope" && a.type != "Role")
        return bad("requiredResourceAccess: resourceAccess type '" + a.type + "' must be 'Scope' or 'Role'.");
      return bad("requiredResourceAccess: '" + a.id + "' is not the id of a" +
                 (a.type == "Scope" ? " delegated permission (Scope)" : "n application permission (Role)") +
                 " of Microsoft Graph.");
    }
  }
  for (size_t i = 0; i < all.size(); ++i)
    for (size_t j = i + 1; j < all.size(); ++j)
      if (ToLower(all[i].resource_app_id) == ToLower(all[j].resource_app_id))
        return bad("requiredResourceAccess lists the resource '" + all[i].resource_app_id + "' twice.");
  return OkStatus();
}

// Ids lower-cased and each declared once, as Entra keeps them.
std::vector<directory::RequiredResourceAccess> Normalised(std::vector<directory::RequiredResourceAccess> all) {
  for (auto& r : all) {
    r.resource_app_id = ToLower(r.resource_app_id);
    std::vector<directory::ResourceAccess> unique;
    for (auto& a : r.resource_access) {
      a.id = ToLower(a.id);
      if (std::find(unique.begin(), unique.end(), a) == unique.end()) unique.push_back(a);
    }
    r.resource_access = std::move(unique);
  }
  return all;
}

Status ValidateApplication(const directory::Client& c) {
  if (c.display_name.empty() || c.display_name.size() > 256)
    return InvalidArgument("Property 'displayName' must have 1 to 256 characters.", "Request_BadRequest");
  GH_RETURN_IF_ERROR(ValidateResourceAccess(c.required_resource_access));
  if (c.redirect_uris.size() + c.public_redirect_uris.size() > 256)
    return InvalidArgument("An application can have at most 256 redirect URIs.", "Request_BadRequest");
  for (const auto& u : c.redirect_uris) GH_RETURN_IF_ERROR(ValidateRedirectUri(u, false));
  for (const auto& u : c.public_redirect_uris) GH_RETURN_IF_ERROR(ValidateRedirectUri(u, true));
  return OkStatus();
}

}  // namespace

StatusOr<directory::Client> ClientRegistry::CreateApplication(const directory::Actor& actor,
                                                              const std::string& tenant_id,
                                                              const ApplicationChange& in) {
  directory::Client c;
  c.id = random_.NewUuid();
  c.app_id = random_.NewUuid();
  c.tenant_id = tenant_id;
  c.display_name = in.display_name.value_or("");
  c.confidential = true;
  c.redirect_uris = in.web_redirect_uris.value_or(std::vector<std::string>{});
  c.public_redirect_uris = in.public_redirect_uris.value_or(std::vector<std::string>{});
  c.required_resource_access = Normalised(in.required_resource_access.value_or(
      std::vector<directory::RequiredResourceAccess>{}));
  c.created_at = clock_.NowMillis();
  GH_RETURN_IF_ERROR(ValidateApplication(c));
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  GH_RETURN_IF_ERROR(tx->InsertClient(c));
  GH_RETURN_IF_ERROR(tx->InsertAudit(AppAudit(actor, c, "Add application", random_, clock_)));
  GH_RETURN_IF_ERROR(tx->Commit());
  return c;
}

StatusOr<directory::Client> ClientRegistry::GetApplication(const std::string& tenant_id,
                                                           const std::string& id_or_app_id) {
  GH_ASSIGN_OR_RETURN(auto all, ListApplications(tenant_id));
  std::string key = ToLower(id_or_app_id);
  for (auto& c : all)
    if (c.id == key || c.app_id == key) return c;
  return NotFound("Resource '" + id_or_app_id + "' does not exist or one of its queried reference-property objects "
                  "are not present.", "Request_ResourceNotFound");
}

StatusOr<std::vector<directory::Client>> ClientRegistry::ListApplications(const std::string& tenant_id) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  return tx->ListClients(tenant_id);
}

StatusOr<directory::Client> ClientRegistry::UpdateApplication(const directory::Actor& actor,
                                                              const std::string& tenant_id, const std::string& id,
                                                              const ApplicationChange& change) {
  GH_ASSIGN_OR_RETURN(auto c, GetApplication(tenant_id, id));
  if (change.display_name) c.display_name = *change.display_name;
  if (change.web_redirect_uris) c.redirect_uris = *change.web_redirect_uris;
  if (change.public_redirect_uris) c.public_redirect_uris = *change.public_redirect_uris;
  if (change.required_resource_access) c.required_resource_access = Normalised(*change.required_resource_access);
  GH_RETURN_IF_ERROR(ValidateApplication(c));
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  GH_RETURN_IF_ERROR(tx->UpdateClient(c));
  GH_RETURN_IF_ERROR(tx->InsertAudit(AppAudit(actor, c, "Update application", random_, clock_)));
  GH_RETURN_IF_ERROR(tx->Commit());
  return c;
}

Status ClientRegistry::DeleteApplication(const directory::Actor& actor, const std::string& tenant_id,
                                         const std::string& id) {
  GH_ASSIGN_OR_RETURN(auto c, GetApplication(tenant_id, id));
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  GH_RETURN_IF_ERROR(tx->Consent().DeleteGrantsOfClient(tenant_id, c.id));
  GH_RETURN_IF_ERROR(tx->DeleteClient(tenant_id, c.id));
  GH_RETURN_IF_ERROR(tx->InsertAudit(AppAudit(actor, c, "Delete application", random_, clock_)));
  return tx->Commit();
}

StatusOr<std::pair<directory::ClientSecret, std::string>> ClientRegistry::AddPassword(
    const directory::Actor& actor, const std::string& tenant_id, const std::string& id, std::string display_name,
    int64_t end_ms) {
  GH_ASSIGN_OR_RETURN(auto c, GetApplication(tenant_id, id));
  const int64_t now = clock_.NowMillis();
  if (end_ms == 0) end_ms = now + 2LL * 365 * 24 * 3600 * 1000;  // Entra's default: two years
  if (end_ms <= now) return InvalidArgument("The secret's endDateTime must be in the future.", "Request_BadRequest");
  if (display_name.size() > 256) return InvalidArgument("The secret's displayName is too long.", "Request_BadRequest");
  std::string secret = GenerateClientSecret(random_);
  directory::ClientSecret s{random_.NewUuid(), c.id, HashSecret(secret), secret.substr(0, 3), std::move(display_name),
                            now, end_ms};
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  GH_RETURN_IF_ERROR(tx->InsertClientSecret(s));
  GH_RETURN_IF_ERROR(tx->InsertAudit(AppAudit(actor, c, "Update application – Certificates and secrets management",
                                              random_, clock_)));
  GH_RETURN_IF_ERROR(tx->Commit());
  return std::pair{s, secret};
}

Status ClientRegistry::RemovePassword(const directory::Actor& actor, const std::string& tenant_id,
                                      const std::string& id, const std::string& key_id) {
  GH_ASSIGN_OR_RETURN(auto c, GetApplication(tenant_id, id));
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  GH_RETURN_IF_ERROR(tx->DeleteClientSecret(c.id, ToLower(key_id)));
  GH_RETURN_IF_ERROR(tx->InsertAudit(AppAudit(actor, c, "Update application – Certificates and secrets management",
                                              random_, clock_)));
  return tx->Commit();
}

StatusOr<std::vector<directory::ClientSecret>> ClientRegistry::ListPasswords(const std::string& tenant_id,
                                                                             const std::string& id) {
  GH_ASSIGN_OR_RETURN(auto c, GetApplication(tenant_id, id));
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  return tx->ListClientSecrets(c.id);
}

}  // namespace gh::identity
