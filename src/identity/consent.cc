#include "identity/consent.h"

#include <algorithm>
#include <boost/json.hpp>
#include <sstream>

#include "core/encoding.h"
#include "core/strings.h"
#include "identity/graph_permissions.h"
#include "identity/token_service.h"  // kGraphResource, kGraphAppId

namespace gh::identity {
namespace {

constexpr std::string_view kAllPrincipals = "AllPrincipals";
constexpr std::string_view kPrincipal = "Principal";

bool Contains(const std::vector<std::string>& v, std::string_view x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

void AddUnique(std::vector<std::string>& v, std::string_view x) {
  if (!Contains(v, x)) v.emplace_back(x);
}

Status InvalidScope(std::string message) { return Status(Code::kInvalidArgument, std::move(message), "invalid_scope"); }
bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && ToLower(std::string(s.substr(0, prefix.size()))) == prefix;
}

directory::AuditEntry Audit(Random& random, const Clock& clock, const directory::Actor& actor,
                            const std::string& tenant_id, std::string activity, const std::string& client_id,
                            const std::string& client_name, const std::string& details) {
  return directory::MakeAuditEntry(random, clock, actor, tenant_id, "ApplicationManagement", std::move(activity),
                                   "ServicePrincipal", client_id, client_name, details);
}

std::string ScopesJson(const std::vector<std::string>& scopes) {
  boost::json::array a;
  for (const auto& s : scopes) a.emplace_back(s);
  return boost::json::serialize(a);
}

}  // namespace

std::string GraphServicePrincipalId(std::string_view tenant_id) {
  // A name-based id (RFC 9562 version 8: the bits are ours to define), so
  // every server of a tenant names Graph's service principal the same way.
  std::string h = Sha256("gatehouse:graph-service-principal:" + ToLower(std::string(tenant_id)));
  h[6] = static_cast<char>((h[6] & 0x0f) | 0x80);
  h[8] = static_cast<char>((h[8] & 0x3f) | 0x80);
  std::string hex = HexEncode(h.substr(0, 16));
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20, 12);
}

std::vector<std::string> DeclaredScopes(const directory::Client& c) {
  std::vector<std::string> out;
  for (const auto& r : c.required_resource_access) {
    if (ToLower(r.resource_app_id) != kGraphAppId) continue;
    for (const auto& a : r.resource_access)
      if (a.type == "Scope")
        if (const GraphPermission* p = FindScopeById(a.id)) AddUnique(out, p->name);
  }
  return out;
}

std::vector<std::string> ScopeRequest::All() const {
  std::vector<std::string> out = oidc;
  for (const auto& s : resource) AddUnique(out, s);
  return out;
}

std::string JoinScopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const auto& s : scopes) out += (out.empty() ? "" : " ") + s;
  return out;
}

std::vector<std::string> SplitScopes(std::string_view scope) {
  std::vector<std::string> out;
  std::istringstream in{std::string(scope)};
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

namespace {

StatusOr<ScopeRequest> ParseScopes(const ConsentClient& client, std::string_view scope, bool strict) {
  ScopeRequest out;
  std::istringstream words{std::string(scope)};
  const std::string graph_url = std::string(kGraphResource) + "/";
  const std::string graph_id = std::string(kGraphAppId) + "/";
  bool default_requested = false;
  for (std::string w; words >> w;) {
    if (IsOidcScope(w)) {
      AddUnique(out.oidc, w);
      continue;
    }
    std::string name = w;
    if (StartsWithNoCase(w, graph_url)) name = w.substr(graph_url.size());
    else if (StartsWithNoCase(w, graph_id)) name = w.substr(graph_id.size());
    else if (w.find('/') != std::string::npos || w.find(':') != std::string::npos) {
      if (!strict) continue;
      return InvalidScope("AADSTS500011: The resource principal named " + w.substr(0, w.rfind('/')) +
                          " was not found in the tenant. Gatehouse's user tokens are for Microsoft Graph "
                          "(https://graph.microsoft.com).");
    }
    if (name == ".default") {
      default_requested = true;
      continue;
    }
    const GraphPermission* p = FindPermission(name);
    if (!strict && (p == nullptr || p->scope_id.empty() || !Contains(client.allowed, p->name))) continue;
    if (p == nullptr || p->scope_id.empty())
      return InvalidScope("AADSTS650053: The application '" + client.display_name + "' asked for scope '" + name +
                          "' that doesn't exist on the resource '" + std::string(kGraphAppId) + "'.");
    if (!Contains(client.allowed, p->name))
      return InvalidScope("AADSTS65005: The application '" + client.display_name + "' asked for scope '" + name +
                          "', which isn't among the permissions its registration declares (requiredResourceAccess). "
                          "Add the permission to the app registration's API permissions first.");
    AddUnique(out.resource, p->name);
  }
  if (default_requested)
    for (const auto& s : client.allowed)
      if (!IsOidcScope(s)) AddUnique(out.resource, s);
  if (out.resource.empty() && Contains(client.allowed, "User.Read")) out.resource.push_back("User.Read");
  return out;
}

}  // namespace

StatusOr<ScopeRequest> ParseScopeRequest(const ConsentClient& client, std::string_view scope) {
  return ParseScopes(client, scope, true);
}

ScopeRequest ParseScopeRequestLenient(const ConsentClient& client, std::string_view scope) {
  auto r = ParseScopes(client, scope, false);
  return r.ok() ? *r : ScopeRequest{};
}

Consent::Consent(store::Store& store, const Clock& clock, Random& random)
    : store_(store), clock_(clock), random_(random) {}

StatusOr<Consent::Evaluation> Consent::Evaluate(const std::string& tenant_id, const ConsentClient& client,
                                                const std::string& user_id,
                                                const std::vector<std::string>& requested) {
  Evaluation e;
  std::vector<std::string> consented;
  if (client.first_party) {
    consented = client.allowed;
  } else if (!client.object_id.empty()) {
    GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
    GH_ASSIGN_OR_RETURN(auto grants, tx->Consent().ListGrants(tenant_id, client.object_id));
    const std::string graph = GraphServicePrincipalId(tenant_id);
    for (const auto& g : grants) {
      if (g.resource_id != graph) continue;
      if (g.consent_type == kAllPrincipals || (g.consent_type == kPrincipal && g.principal_id == user_id))
        for (const auto& s : g.scopes) AddUnique(consented, s);
    }
  }
  for (const auto& s : requested) {
    if (Contains(consented, s)) {
      AddUnique(e.granted, s);
    } else if (!client.first_party) {
      AddUnique(e.missing, s);
      const GraphPermission* p = FindPermission(s);
      if (p == nullptr || p->admin_consent) e.missing_needs_admin = true;
    }
  }
  return e;
}

Status Consent::GrantByUser(const std::string& tenant_id, const ConsentClient& client, const directory::User& user,
                            const std::vector<std::string>& user_roles, const std::vector<std::string>& scopes,
                            bool for_organization) {
  if (client.first_party || client.object_id.empty())
    return FailedPrecondition("This application is part of Gatehouse; it needs no consent.");
  const bool admin = MayConsentForOrganization(user_roles);
  bool needs_admin = false;
  for (const auto& s : scopes) {
    const GraphPermission* p = FindPermission(s);
    if (p == nullptr || p->scope_id.empty() || !(IsOidcScope(s) || Contains(client.allowed, s)))
      return InvalidScope("AADSTS650053: The application '" + client.display_name + "' can't be granted '" + s +
                          "'.");
    needs_admin = needs_admin || p->admin_consent;
  }
  if ((for_organization || needs_admin) && !admin)
    return Status(Code::kPermissionDenied,
                  "AADSTS90094: " + client.display_name +
                      " needs permission to access resources in your organization that only an admin can grant. "
                      "Ask an admin to grant permission to this app before you can use it.",
                  "admin_consent_required");
  const int64_t now = clock_.NowMillis();
  const std::string type(for_organization ? kAllPrincipals : kPrincipal);
  const std::string principal = for_organization ? "" : user.id;
  const std::string graph = GraphServicePrincipalId(tenant_id);
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  GH_ASSIGN_OR_RETURN(auto grants, tx->Consent().ListGrants(tenant_id, client.object_id));
  auto it = std::find_if(grants.begin(), grants.end(), [&](const store::PermissionGrantRow& g) {
    return g.consent_type == type && g.principal_id == principal && g.resource_id == graph;
  });
  if (it != grants.end()) {
    for (const auto& s : scopes) AddUnique(it->scopes, s);
    it->updated_at = now;
    GH_RETURN_IF_ERROR(tx->Consent().UpdateGrant(*it));
  } else {
    store::PermissionGrantRow g{random_.NewUuid(), tenant_id, client.object_id, type, principal, graph, scopes, now,
                                now};
    GH_RETURN_IF_ERROR(tx->Consent().InsertGrant(g));
  }
  boost::json::object details{{"consentType", type}, {"scope", JoinScopes(scopes)}};
  GH_RETURN_IF_ERROR(tx->InsertAudit(Audit(random_, clock_, {user.id, "user", user.user_principal_name}, tenant_id,
                                           "Consent to application", client.object_id, client.display_name,
                                           boost::json::serialize(details))));
  return tx->Commit();
}

// ---- Graph /oauth2PermissionGrants -------------------------------------------

StatusOr<directory::Client> Consent::RegisteredClient(store::Transaction& tx, const std::string& tenant_id,
                                                      const std::string& client_id) {
  GH_ASSIGN_OR_RETURN(auto clients, tx.ListClients(tenant_id));
  const std::string key = ToLower(client_id);
  for (auto& c : clients)
    if (c.id == key) return c;
  return NotFound("Resource '" + client_id + "' does not exist or one of its queried reference-property objects are "
                  "not present.", "Request_ResourceNotFound");
}

Status Consent::ValidateGrant(store::Transaction& tx, const std::string& tenant_id,
                              const store::PermissionGrantRow& g) {
  if (g.consent_type != kAllPrincipals && g.consent_type != kPrincipal)
    return BadRequest("Property 'consentType' must be 'AllPrincipals' or 'Principal'.");
  if (g.consent_type == kAllPrincipals && !g.principal_id.empty())
    return BadRequest("Property 'principalId' must be null when consentType is 'AllPrincipals'.");
  if (g.consent_type == kPrincipal) {
    if (g.principal_id.empty()) return BadRequest("Property 'principalId' is required when consentType is 'Principal'.");
    auto u = tx.GetUser(tenant_id, g.principal_id);
    if (!u.ok())
      return u.status().code() == Code::kNotFound ? BadRequest("Property 'principalId' names no user of this tenant.")
                                                  : u.status();
  }
  if (g.resource_id != GraphServicePrincipalId(tenant_id))
    return BadRequest("Property 'resourceId' must be the service principal of Microsoft Graph (appId " +
                      std::string(kGraphAppId) + ") in this tenant.");
  auto client = RegisteredClient(tx, tenant_id, g.client_id);
  if (!client.ok())
    return client.status().code() == Code::kNotFound
               ? BadRequest("Property 'clientId' names no service principal of this tenant.")
               : client.status();
  if (g.scopes.empty()) return BadRequest("Property 'scope' must name at least one permission.");
  const auto declared = DeclaredScopes(*client);
  for (const auto& s : g.scopes) {
    const GraphPermission* p = FindPermission(s);
    if (p == nullptr || p->scope_id.empty())
      return BadRequest("'" + s + "' isn't a delegated permission of Microsoft Graph.");
    if (!IsOidcScope(s) && !Contains(declared, s))
      return BadRequest("The application '" + client->display_name + "' doesn't declare '" + s +
                        "' in its requiredResourceAccess; add it to the registration first.");
  }
  return OkStatus();
}

StatusOr<std::vector<store::PermissionGrantRow>> Consent::ListGrants(const std::string& tenant_id,
                                                                     const std::string& client_id) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  return tx->Consent().ListGrants(tenant_id, ToLower(client_id));
}

StatusOr<store::PermissionGrantRow> Consent::GetGrant(const std::string& tenant_id, const std::string& id) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  auto g = tx->Consent().GetGrant(tenant_id, id);
  if (!g.ok() && g.status().code() == Code::kNotFound)
    return NotFound("Resource '" + id + "' does not exist or one of its queried reference-property objects are not "
                    "present.", "Request_ResourceNotFound");
  return g;
}

StatusOr<store::PermissionGrantRow> Consent::CreateGrant(const directory::Actor& actor, const std::string& tenant_id,
                                                         store::PermissionGrantRow in) {
  in.tenant_id = tenant_id;
  in.client_id = ToLower(in.client_id);
  in.principal_id = ToLower(in.principal_id);
  in.resource_id = ToLower(in.resource_id);
  std::vector<std::string> scopes;
  for (const auto& s : in.scopes) AddUnique(scopes, s);
  in.scopes = std::move(scopes);
  in.id = random_.NewUuid();
  in.created_at = in.updated_at = clock_.NowMillis();
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  GH_RETURN_IF_ERROR(ValidateGrant(*tx, tenant_id, in));
  Status inserted = tx->Consent().InsertGrant(in);
  if (inserted.code() == Code::kAlreadyExists)
    return Status(Code::kAlreadyExists,
                  "Permission entry already exists for this client, principal and resource; update it instead.",
                  "Request_MultipleObjectsWithSameKeyValue");
  GH_RETURN_IF_ERROR(inserted);
  GH_ASSIGN_OR_RETURN(auto client, RegisteredClient(*tx, tenant_id, in.client_id));
  boost::json::object details{{"consentType", in.consent_type}, {"scope", JoinScopes(in.scopes)}};
  if (!in.principal_id.empty()) details["principalId"] = in.principal_id;
  GH_RETURN_IF_ERROR(tx->InsertAudit(Audit(random_, clock_, actor, tenant_id, "Add delegated permission grant",
                                           client.id, client.display_name, boost::json::serialize(details))));
  GH_RETURN_IF_ERROR(tx->Commit());
  return in;
}

StatusOr<store::PermissionGrantRow> Consent::UpdateGrantScopes(const directory::Actor& actor,
                                                               const std::string& tenant_id, const std::string& id,
                                                               const std::vector<std::string>& scopes) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  auto g = tx->Consent().GetGrant(tenant_id, id);
  if (!g.ok() && g.status().code() == Code::kNotFound)
    return NotFound("Resource '" + id + "' does not exist or one of its queried reference-property objects are not "
                    "present.", "Request_ResourceNotFound");
  GH_RETURN_IF_ERROR(g.status());
  std::vector<std::string> unique;
  for (const auto& s : scopes) AddUnique(unique, s);
  g->scopes = std::move(unique);
  g->updated_at = clock_.NowMillis();
  GH_RETURN_IF_ERROR(ValidateGrant(*tx, tenant_id, *g));
  GH_RETURN_IF_ERROR(tx->Consent().UpdateGrant(*g));
  GH_ASSIGN_OR_RETURN(auto client, RegisteredClient(*tx, tenant_id, g->client_id));
  GH_RETURN_IF_ERROR(tx->InsertAudit(Audit(random_, clock_, actor, tenant_id, "Update delegated permission grant",
                                           client.id, client.display_name,
                                           boost::json::serialize(boost::json::object{
                                               {"grantId", g->id}, {"scope", JoinScopes(g->scopes)}}))));
  GH_RETURN_IF_ERROR(tx->Commit());
  return *g;
}

Status Consent::DeleteGrant(const directory::Actor& actor, const std::string& tenant_id, const std::string& id) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  auto g = tx->Consent().GetGrant(tenant_id, id);
  if (!g.ok() && g.status().code() == Code::kNotFound)
    return NotFound("Resource '" + id + "' does not exist or one of its queried reference-property objects are not "
                    "present.", "Request_ResourceNotFound");
  GH_RETURN_IF_ERROR(g.status());
  GH_RETURN_IF_ERROR(tx->Consent().DeleteGrant(tenant_id, g->id));
  auto client = RegisteredClient(*tx, tenant_id, g->client_id);
  GH_RETURN_IF_ERROR(tx->InsertAudit(Audit(random_, clock_, actor, tenant_id, "Remove delegated permission grant",
                                           g->client_id, client.ok() ? client->display_name : "",
                                           boost::json::serialize(boost::json::object{
                                               {"grantId", g->id}, {"scope", ScopesJson(g->scopes)}}))));
  return tx->Commit();
}

// ---- application permissions -------------------------------------------------

std::string Consent::AssignmentId(const std::string& client_id, std::string_view app_role_id) {
  return Base64UrlEncode(Sha256("gatehouse:appRoleAssignment:" + client_id + ":" + std::string(app_role_id)));
}

StatusOr<std::vector<Consent::AppRoleAssignment>> Consent::ListAppRoleAssignments(const std::string& tenant_id,
                                                                                  const std::string& client_id) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  GH_ASSIGN_OR_RETURN(auto client, RegisteredClient(*tx, tenant_id, client_id));
  std::vector<AppRoleAssignment> out;
  const std::string graph = GraphServicePrincipalId(tenant_id);
  for (const auto& name : client.app_roles) {
    const GraphPermission* p = FindPermission(name);
    if (p == nullptr || p->role_id.empty()) continue;  // not a permission Gatehouse serves: grants nothing
    out.push_back({AssignmentId(client.id, p->role_id), client.id, client.display_name, graph,
                   std::string(p->role_id), std::string(p->name)});
  }
  return out;
}

StatusOr<Consent::AppRoleAssignment> Consent::GrantAppRole(const directory::Actor& actor, const std::string& tenant_id,
                                                           const std::string& client_id,
                                                           const std::string& resource_id,
                                                           const std::string& app_role_id) {
  const GraphPermission* p = FindRoleById(app_role_id);
  if (p == nullptr)
    return BadRequest("Permission (appRole) '" + app_role_id + "' doesn't exist on the resource Microsoft Graph.");
  const std::string graph = GraphServicePrincipalId(tenant_id);
  if (ToLower(resource_id) != graph)
    return BadRequest("Property 'resourceId' must be the service principal of Microsoft Graph (appId " +
                      std::string(kGraphAppId) + ") in this tenant.");
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  GH_ASSIGN_OR_RETURN(auto client, RegisteredClient(*tx, tenant_id, client_id));
  AppRoleAssignment a{AssignmentId(client.id, p->role_id), client.id, client.display_name, graph,
                      std::string(p->role_id), std::string(p->name)};
  if (Contains(client.app_roles, p->name)) return a;
  client.app_roles.emplace_back(p->name);
  GH_RETURN_IF_ERROR(tx->UpdateClient(client));
  GH_RETURN_IF_ERROR(tx->InsertAudit(Audit(random_, clock_, actor, tenant_id, "Add app role assignment to service principal",
                                           client.id, client.display_name,
                                           boost::json::serialize(boost::json::object{
                                               {"appRoleId", a.app_role_id}, {"permission", a.permission}}))));
  GH_RETURN_IF_ERROR(tx->Commit());
  return a;
}

Status Consent::RevokeAppRole(const directory::Actor& actor, const std::string& tenant_id,
                              const std::string& client_id, const std::string& assignment_id) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  GH_ASSIGN_OR_RETURN(auto client, RegisteredClient(*tx, tenant_id, client_id));
  auto it = std::find_if(client.app_roles.begin(), client.app_roles.end(), [&](const std::string& name) {
    const GraphPermission* p = FindPermission(name);
    return p != nullptr && !p->role_id.empty() && AssignmentId(client.id, p->role_id) == assignment_id;
  });
  if (it == client.app_roles.end())
    return NotFound("Resource '" + assignment_id + "' does not exist or one of its queried reference-property "
                    "objects are not present.", "Request_ResourceNotFound");
  std::string name = *it;
  client.app_roles.erase(it);
  GH_RETURN_IF_ERROR(tx->UpdateClient(client));
  GH_RETURN_IF_ERROR(tx->InsertAudit(Audit(random_, clock_, actor, tenant_id,
                                           "Remove app role assignment from service principal", client.id,
                                           client.display_name,
                                           boost::json::serialize(boost::json::object{{"permission", name}}))));
  return tx->Commit();
}

}  // namespace gh::identity
