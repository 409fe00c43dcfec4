#pragma once
// The catalogue of the permissions Gatehouse's Graph resource exposes, in one
// place: each permission's name, its delegated scope id (an
// oauth2PermissionScope of the Graph service principal) and its application
// role id (an appRole), whether delegated use needs an administrator's
// consent, and the sentences the consent page and the service principal show.
// Routes, the consent flow, app registrations (requiredResourceAccess) and the
// Graph /servicePrincipals view all read it from here.
//
// Graph's permissions keep Microsoft Graph's real ids, so existing app
// manifests and scripts work unchanged; Gatehouse's own permissions
// (environments and tenant settings, which Graph doesn't have) have fixed ids
// of Gatehouse's own. It deliberately lists only what Gatehouse serves: a name
// or id that isn't here is refused wherever it is asked for.
//
// Also here: the scopes the built-in first-party clients are pre-authorised
// for (they are never shown a consent page), and the roles that may consent
// for the whole organisation.
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gh::identity {

struct GraphPermission {
  std::string_view name;          // "User.ReadWrite.All"; also "openid", "offline_access", …
  std::string_view scope_id;      // delegated form (oauth2PermissionScope id); empty: application only
  std::string_view role_id;       // application form (appRole id); empty: delegated only
  bool admin_consent = true;      // delegated use needs an administrator's consent (Graph type "Admin")
  std::string_view consent_name;  // short name on the consent page, e.g. "Read and write all users' profiles"
  std::string_view consent_text;  // the sentence under it, written to the person consenting
  std::string_view role_name;     // the application permission's name as an admin grants it
  bool gatehouse = false;         // Gatehouse's own permission (not in Microsoft Graph)
};

// Every permission, in a stable order.
std::span<const GraphPermission> GraphPermissions();
// By name (exact, as Graph spells it; OpenID Connect scopes included); null when unknown.
const GraphPermission* FindPermission(std::string_view name);
// By delegated scope id / application role id (case-insensitive); null when unknown.
const GraphPermission* FindScopeById(std::string_view id);
const GraphPermission* FindRoleById(std::string_view id);

// openid, profile, email, offline_access.
bool IsOidcScope(std::string_view name);
// Directory.AccessAsUser.All: the app may do whatever the signed-in user may.
inline constexpr std::string_view kAccessAsUserScope = "Directory.AccessAsUser.All";

// The scopes each built-in first-party client may use without a consent page
// (Entra pre-authorises its own first-party clients the same way). The CLI
// asks for exactly these (cli/auth.h). Empty for any other client.
const std::vector<std::string>& PreauthorizedScopes(std::string_view client_id);
// The delegated scopes the admin portal's cookie session acts with: the same
// administrative set the CLI has (first-party, never third-party).
const std::vector<std::string>& FirstPartyAdminScopes();

// Directory roles (template ids) that may consent to any permission for the
// whole organisation: Global Administrator and Privileged Role Administrator
// (as in Entra; the Application Administrator roles aren't modelled).
bool MayConsentForOrganization(const std::vector<std::string>& directory_roles);

}  // namespace gh::identity
