#pragma once
// Set-up for tests that sign users in to a registered app: the app declares
// the Graph scopes it uses (requiredResourceAccess) and an administrator has
// consented to them for everyone (an AllPrincipals oauth2PermissionGrant), as
// a real tenant would before its users sign in.
#include <stdexcept>
#include <string>
#include <vector>

#include "identity/consent.h"
#include "identity/graph_permissions.h"
#include "identity/signin.h"
#include "support/test_env.h"

namespace gh::testing {

// The requiredResourceAccess declaring `scopes` (delegated) and `roles`
// (application permissions) on Graph.
inline std::vector<directory::RequiredResourceAccess> GraphAccess(const std::vector<std::string>& scopes,
                                                                  const std::vector<std::string>& roles = {}) {
  directory::RequiredResourceAccess r{std::string(identity::kGraphAppId), {}};
  for (const auto& s : scopes) {
    const auto* p = identity::FindPermission(s);
    if (p == nullptr || p->scope_id.empty()) throw std::runtime_error("no delegated permission " + s);
    r.resource_access.push_back({std::string(p->scope_id), "Scope"});
  }
  for (const auto& s : roles) {
    const auto* p = identity::FindPermission(s);
    if (p == nullptr || p->role_id.empty()) throw std::runtime_error("no application permission " + s);
    r.resource_access.push_back({std::string(p->role_id), "Role"});
  }
  return {r};
}

// Registers an app declaring `scopes`, and (when `consent`) an administrator's
// consent to all of them for the whole tenant.
inline directory::Client RegisterConsentedApp(TestEnv& env, const std::string& tenant_id, const std::string& name,
                                              std::vector<std::string> web_redirects,
                                              std::vector<std::string> public_redirects,
                                              const std::vector<std::string>& scopes, bool consent = true) {
  identity::ClientRegistry::ApplicationChange in;
  in.display_name = name;
  in.web_redirect_uris = std::move(web_redirects);
  in.public_redirect_uris = std::move(public_redirects);
  in.required_resource_access = GraphAccess(scopes);
  auto app = env.clients->CreateApplication(directory::Actor::System(), tenant_id, in);
  if (!app.ok()) throw std::runtime_error(app.status().ToString());
  if (consent) {
    store::PermissionGrantRow g;
    g.client_id = app->id;
    g.consent_type = "AllPrincipals";
    g.resource_id = identity::GraphServicePrincipalId(tenant_id);
    g.scopes = scopes;
    auto granted = identity::Consent(*env.store, env.clock, env.random)
                       .CreateGrant(directory::Actor::System(), tenant_id, g);
    if (!granted.ok()) throw std::runtime_error(granted.status().ToString());
  }
  return *app;
}

// A token of the tenant's first Global Administrator signed in to the
// built-in CLI (first-party, pre-authorised for the administrative scopes):
// what an administrator acts with. App tokens invite only when the policy
// lets members invite; an administrator invites under every policy but "none".
inline std::string AdminUserToken(TestEnv& env, const TestEnv::TenantHandle& t) {
  identity::TokenService::UserTokenRequest req;
  req.tenant_id = t.res.tenant.id;
  req.client_id = std::string(wire::kCliClientId);
  req.user_id = t.res.admin.id;
  req.idp = env.tokens->Issuer(t.res.tenant.id);
  req.preferred_username = t.res.admin.user_principal_name;
  req.name = t.res.admin.display_name;
  req.scopes = identity::FirstPartyAdminScopes();
  req.with_id_token = false;
  auto issued = env.tokens->IssueUserTokens(req);
  if (!issued.ok()) throw std::runtime_error(issued.status().ToString());
  return issued->access_token;
}

}  // namespace gh::testing
