#pragma once
// What an app may do, as Entra decides it.
//
// Delegated (a user's token): an app registration declares the Graph scopes it
// may ask for (requiredResourceAccess); an authorization or device request may
// ask only for those (plus the OpenID Connect scopes); the user consents for
// themself to the scopes that don't need an administrator, and a Global or
// Privileged Role Administrator consents to any, for themself or for the whole
// organisation. Consent is stored as Graph's oauth2PermissionGrants; a token
// carries only what is both requested and consented. Built-in first-party
// clients (the CLI, the seed's client surfaces) are pre-authorised for a fixed
// list instead (graph_permissions.h).
//
// Application (an app's own token): the application permissions an
// administrator granted the app (Graph appRoleAssignments on the Graph
// resource), kept on the registration (directory::Client::app_roles).
//
// This module decides and records; it knows nothing of HTTP. Who may call the
// Graph routes that manage grants is the route table's business (api/).
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/random.h"
#include "core/status.h"
#include "directory/directory_service.h"
#include "directory/model/types.h"
#include "store/consent_repository.h"
#include "store/store.h"

namespace gh::identity {

// The Graph resource's service principal in `tenant_id`: its object id, the
// same for every call (derived from the tenant id). Grants and app role
// assignments name it as their resourceId.
std::string GraphServicePrincipalId(std::string_view tenant_id);
inline constexpr std::string_view kGraphDisplayName = "Microsoft Graph";

// A client as consent sees it.
struct ConsentClient {
  std::string app_id;
  std::string object_id;  // its service principal id; empty for built-in clients
  std::string display_name;
  std::string publisher_tenant_id;           // the tenant that registered it; empty for built-in clients
  std::vector<std::string> allowed;          // Graph delegated permission names it may ask for
  bool first_party = false;                  // pre-authorised for `allowed`: never a consent page
};
// The delegated Graph scopes an app registration declares (requiredResourceAccess
// entries of type Scope on Graph, by name; unknown ids are skipped).
std::vector<std::string> DeclaredScopes(const directory::Client& c);

// A parsed `scope` parameter of a user flow.
struct ScopeRequest {
  std::vector<std::string> oidc;      // openid, profile, email, offline_access, as asked
  std::vector<std::string> resource;  // Graph permission names, deduplicated, in request order
  std::vector<std::string> All() const;  // oidc then resource
};

// Parses `scope` for `client`. Graph permissions come bare ("User.Read") or
// after the Graph resource ("https://graph.microsoft.com/User.Read", or
// Graph's app id); "<graph>/.default" asks for everything the client may ask
// for. When no Graph permission is asked for and the client may use User.Read,
// User.Read is implied (Entra issues the access token for Graph then).
// InvalidArgument with reason "invalid_scope" for a resource other than Graph
// (AADSTS500011), a name Graph doesn't expose as a delegated permission
// (AADSTS650053), or one the client may not ask for (AADSTS65005).
StatusOr<ScopeRequest> ParseScopeRequest(const ConsentClient& client, std::string_view scope);
// The same, dropping what ParseScopeRequest would refuse: for a grant issued
// earlier whose client has since declared less.
ScopeRequest ParseScopeRequestLenient(const ConsentClient& client, std::string_view scope);

// Scopes joined with single spaces.
std::string JoinScopes(const std::vector<std::string>& scopes);
// A space-separated scope string as its scopes (empty ones dropped).
std::vector<std::string> SplitScopes(std::string_view scope);

class Consent {
 public:
  Consent(store::Store& store, const Clock& clock, Random& random);

  // Which of `requested` (OpenID Connect and Graph names) `user_id` has
  // consent for with `client` in `tenant_id`: their own grant, the
  // organisation's, or the client's pre-authorisation. `missing` keeps the
  // request order; `missing_needs_admin` is true when one of them can only be
  // consented to by an administrator. A first-party client never misses
  // anything: what it isn't pre-authorised for is simply not granted.
  struct Evaluation {
    std::vector<std::string> granted;
    std::vector<std::string> missing;
    bool missing_needs_admin = false;
  };
  StatusOr<Evaluation> Evaluate(const std::string& tenant_id, const ConsentClient& client, const std::string& user_id,
                                const std::vector<std::string>& requested);

  // `user` consents to `scopes` for `client`: for the whole organisation when
  // `for_organization` (only a Global or Privileged Role Administrator), else
  // for themself (scopes needing admin consent only for those administrators).
  // Merged into the existing grant. PermissionDenied, reason "admin_consent_required"
  // (AADSTS90094), when the user may not; FailedPrecondition for a built-in
  // client (nothing to consent to).
  Status GrantByUser(const std::string& tenant_id, const ConsentClient& client, const directory::User& user,
                     const std::vector<std::string>& user_roles, const std::vector<std::string>& scopes,
                     bool for_organization);

  // ---- Graph /oauth2PermissionGrants (the caller is authorised by the route).
  // A grant's scopes must be delegated permissions of Graph (or OpenID Connect
  // scopes) that the client declares; clientId a registered client of the
  // tenant; resourceId the Graph service principal; principalId a user of
  // the tenant for "Principal", absent for "AllPrincipals". InvalidArgument
  // (Request_BadRequest) otherwise.
  StatusOr<std::vector<store::PermissionGrantRow>> ListGrants(const std::string& tenant_id,
                                                              const std::string& client_id = {});
  StatusOr<store::PermissionGrantRow> GetGrant(const std::string& tenant_id, const std::string& id);
  StatusOr<store::PermissionGrantRow> CreateGrant(const directory::Actor& actor, const std::string& tenant_id,
                                                  store::PermissionGrantRow in);
  StatusOr<store::PermissionGrantRow> UpdateGrantScopes(const directory::Actor& actor, const std::string& tenant_id,
                                                        const std::string& id, const std::vector<std::string>& scopes);
  Status DeleteGrant(const directory::Actor& actor, const std::string& tenant_id, const std::string& id);

  // ---- Application permissions: Graph appRoleAssignments of a client's
  // service principal on the Graph resource. An assignment's id is derived
  // from the client and the app role, so it is stable.
  struct AppRoleAssignment {
    std::string id;
    std::string principal_id;  // the client's service principal (object) id
    std::string principal_display_name;
    std::string resource_id;  // GraphServicePrincipalId
    std::string app_role_id;
    std::string permission;  // its name, e.g. "User.Read.All"
  };
  StatusOr<std::vector<AppRoleAssignment>> ListAppRoleAssignments(const std::string& tenant_id,
                                                                  const std::string& client_id);
  // Grants the application permission `app_role_id` (an appRole of Graph's)
  // to the client; granting one it already has returns the existing
  // assignment. InvalidArgument for an unknown role or resource.
  StatusOr<AppRoleAssignment> GrantAppRole(const directory::Actor& actor, const std::string& tenant_id,
                                           const std::string& client_id, const std::string& resource_id,
                                           const std::string& app_role_id);
  Status RevokeAppRole(const directory::Actor& actor, const std::string& tenant_id, const std::string& client_id,
                       const std::string& assignment_id);

 private:
  StatusOr<directory::Client> RegisteredClient(store::Transaction& tx, const std::string& tenant_id,
                                               const std::string& client_id);
  Status ValidateGrant(store::Transaction& tx, const std::string& tenant_id, const store::PermissionGrantRow& g);
  static std::string AssignmentId(const std::string& client_id, std::string_view app_role_id);

  store::Store& store_;
  const Clock& clock_;
  Random& random_;
};

}  // namespace gh::identity
