#pragma once
// The directory's domain types: tenants, users, groups, memberships, directory
// roles and their assignments, automation clients, signing keys and the audit
// log. Plain values; no I/O. Storage rows and wire (JSON) shapes are mapped to
// and from these in the store and api modules respectively.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gh::directory {

enum class Cloud { kCommercial, kGcc, kGccHigh, kDod, kChina };
std::string_view CloudName(Cloud c);           // "commercial", "gcc", "gcc-high", "dod", "china"
std::optional<Cloud> ParseCloud(std::string_view s);

struct Tenant {
  std::string id;  // GUID
  std::string name;
  std::string initial_domain;                 // e.g. contoso.onmicrosoft.com-style, here "contoso.com"
  std::vector<std::string> verified_domains;  // lower-case, includes initial_domain
  Cloud cloud = Cloud::kCommercial;
  std::string default_usage_location;         // ISO 3166 alpha-2 or empty
  int64_t created_at = 0;
};

enum class UserType { kMember, kGuest };
std::string_view UserTypeName(UserType t);  // "Member" / "Guest"
std::optional<UserType> ParseUserType(std::string_view s);

// One sign-in identity of a user (Graph's objectIdentity).
struct Identity {
  std::string sign_in_type;        // "userPrincipalName", "emailAddress", "federated"
  std::string issuer;              // domain or issuer URI
  std::string issuer_assigned_id;  // e.g. the UPN, or the home object id

  bool operator==(const Identity&) const = default;
};

struct User {
  std::string id;  // GUID
  std::string tenant_id;
  std::string user_principal_name;  // unique per tenant, case-insensitive
  std::string display_name;
  std::optional<std::string> mail;
  std::optional<std::string> given_name;
  std::optional<std::string> surname;
  std::optional<std::string> job_title;
  std::optional<std::string> company_name;
  std::optional<std::string> usage_location;
  std::optional<std::string> preferred_language;
  std::optional<std::string> mail_nickname;
  bool account_enabled = true;
  UserType user_type = UserType::kMember;
  std::optional<std::string> external_user_state;  // "PendingAcceptance" / "Accepted"
  std::optional<int64_t> external_user_state_changed_at;
  std::optional<std::string> creation_type;  // null, "Invitation", ...
  std::vector<Identity> identities;
  std::vector<std::string> other_mails;
  std::string password_hash;  // Argon2id encoded; empty when none (never leaves the server)
  int64_t created_at = 0;
  int64_t updated_at = 0;
  // Sessions and refresh tokens from sign-ins before this time (ms) are
  // revoked (Graph's signInSessionsValidFromDateTime).
  int64_t sessions_valid_from = 0;

  bool operator==(const User&) const = default;
};

struct Group {
  std::string id;
  std::string tenant_id;
  std::string display_name;
  std::optional<std::string> description;
  std::string mail_nickname;
  std::optional<std::string> mail;
  bool mail_enabled = false;
  bool security_enabled = true;
  std::vector<std::string> group_types;  // {"Unified"} for Microsoft 365 groups
  // A role-assignable group (Graph's isAssignableToRole, fixed at creation):
  // the only kind that may hold directory roles; only Global and Privileged
  // Role Administrators change it or its members, and it has no nested groups.
  bool is_assignable_to_role = false;
  int64_t created_at = 0;
  int64_t updated_at = 0;

  bool IsMicrosoft365() const;
};

enum class MemberKind { kUser, kGroup };

struct Membership {
  std::string group_id;
  std::string member_id;
  MemberKind member_kind = MemberKind::kUser;
};

// Entra's built-in role templates that Gatehouse knows.
struct RoleTemplate {
  std::string_view id;
  std::string_view display_name;
  std::string_view description;
  bool privileged = false;  // Entra's "PRIVILEGED" label: the role can lead to elevation of privilege
};
const std::vector<RoleTemplate>& BuiltInRoles();
const RoleTemplate* FindRoleTemplate(std::string_view id);

inline constexpr std::string_view kGlobalAdministratorRole = "62e90394-69f5-4237-9190-012177145e10";
inline constexpr std::string_view kUserAdministratorRole = "fe930be7-5e62-47db-91af-98c3a49a38b1";
inline constexpr std::string_view kGuestInviterRole = "95e79109-95c0-4d8e-aee3-d01accf2d47b";
inline constexpr std::string_view kLicenseAdministratorRole = "4d6ac14f-3453-41d0-bef9-a3e0c569773a";
inline constexpr std::string_view kPowerPlatformAdministratorRole = "11648597-926c-4cf3-9c36-bcebb0ba8dcc";
inline constexpr std::string_view kHelpdeskAdministratorRole = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
inline constexpr std::string_view kPrivilegedRoleAdministratorRole = "e8611ab8-c189-46e8-94e1-60213ab1f814";

struct RoleAssignment {
  std::string id;
  std::string tenant_id;
  std::string role_definition_id;  // a role template id
  std::string principal_id;        // user or group id
  std::string directory_scope_id = "/";
  int64_t created_at = 0;
};

// An app registration that can obtain tokens (client credentials now, more later).
// An app registration's declaration of a permission it may use on a resource
// (Graph's requiredResourceAccess): a delegated scope ("Scope") or an
// application permission ("Role"), by the resource's id for it.
struct ResourceAccess {
  std::string id;
  std::string type;  // "Scope" | "Role"
  bool operator==(const ResourceAccess&) const = default;
};
struct RequiredResourceAccess {
  std::string resource_app_id;  // "00000003-0000-0000-c000-000000000000" for Graph
  std::vector<ResourceAccess> resource_access;
  bool operator==(const RequiredResourceAccess&) const = default;
};

struct Client {
  std::string id;      // object id (also its service principal's id in its tenant)
  std::string app_id;  // client_id
  std::string tenant_id;
  std::string display_name;
  bool confidential = true;
  // Application permissions an administrator granted (Graph appRoleAssignments
  // on the Graph resource), by name, e.g. "Directory.ReadWrite.All".
  std::vector<std::string> app_roles;
  std::vector<std::string> redirect_uris;         // web (confidential) redirect URIs
  int64_t created_at = 0;
  std::vector<std::string> public_redirect_uris;  // public-client (native, SPA) redirect URIs
  // What the app may ask for: delegated scopes it may request at sign-in and
  // application permissions an administrator may grant it.
  std::vector<RequiredResourceAccess> required_resource_access;
};

struct ClientSecret {
  std::string id;  // keyId
  std::string client_id;  // Client::id
  std::string hash;       // SHA-256 hex of the secret (secrets are 256-bit random)
  std::string hint;       // first 3 characters, as Entra shows
  std::string display_name;
  int64_t created_at = 0;
  int64_t expires_at = 0;
};

// A token-signing key; the private key is PEM (PKCS#8).
struct SigningKey {
  std::string kid;
  std::string tenant_id;
  std::string private_pem;
  int64_t created_at = 0;
  bool active = true;  // signs new tokens; inactive keys stay published until retired
};

struct AuditEntry {
  std::string id;
  std::string tenant_id;
  int64_t time = 0;
  std::string category;       // "UserManagement", "GroupManagement", "RoleManagement", ...
  std::string activity;       // "Add user", "Update user", ...
  std::string actor_id;       // user or client object id
  std::string actor_type;     // "user" / "app" / "system"
  std::string actor_name;     // UPN or app display name
  std::string target_id;
  std::string target_type;    // "User", "Group", ...
  std::string target_name;
  std::string result = "success";  // "success" / "failure"
  std::string result_reason;
  std::string details_json;   // modified properties etc. as a JSON object text
};

}  // namespace gh::directory
