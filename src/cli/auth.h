#pragma once
// How client commands get a token: the device authorization grant (RFC 8628)
// for people (`gatehouse login`), cached with its refresh token in the user's
// config folder; or client credentials for automation (--client-id and
// --client-secret). The cache file holds secrets: it is written 0600 in a
// 0700 folder, atomically (temporary file + rename).
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "cli/api_client.h"
#include "cli/http_client.h"
#include "core/status.h"

namespace gh::cli {

// Exactly what the CLI's commands call (each route also needs the signed-in
// user's directory role), not ".default". The built-in CLI client is
// pre-authorised for this list and no more (identity::PreauthorizedScopes):
// no consent page, and a token never carries a scope outside it.
inline constexpr const char* kCliScope =
    "openid profile offline_access User.Read User.ReadWrite.All User.Invite.All Group.ReadWrite.All "
    "GroupMember.ReadWrite.All RoleManagement.ReadWrite.Directory Application.ReadWrite.All "
    "AppRoleAssignment.ReadWrite.All DelegatedPermissionGrant.ReadWrite.All AuditLog.Read.All Policy.Read.All "
    "Policy.ReadWrite.Authorization Policy.ReadWrite.CrossTenantAccess Organization.ReadWrite.All "
    "Environment.ReadWrite.All TenantSettings.ReadWrite.All";
inline constexpr const char* kGraphDefaultScope = "https://graph.microsoft.com/.default";

struct Profile {
  std::string server;  // "https://host:port", no trailing slash
  std::string tenant;  // id or verified domain, as given to login
  std::string ca_cert;
  std::string access_token;
  std::string refresh_token;
  int64_t expires_at = 0;  // Unix seconds
};

// $XDG_CONFIG_HOME/gatehouse/profile.json, else ~/.config/gatehouse/profile.json.
std::string ProfilePath();
// nullopt when no profile was saved; an error when it exists but is unreadable.
StatusOr<std::optional<Profile>> LoadProfile();
Status SaveProfile(const Profile& p);

// The connection flags every client command takes. Empty fields fall back to
// the environment (GATEHOUSE_SERVER, GATEHOUSE_TENANT, GATEHOUSE_CA_CERT,
// GATEHOUSE_CLIENT_ID, GATEHOUSE_CLIENT_SECRET), then to the saved profile.
struct ConnectionOptions {
  std::string server;
  std::string tenant;
  std::string ca_cert;
  std::string client_id;
  std::string client_secret;
  long timeout_seconds = 60;
};

// A server and a valid access token for it.
struct Connection {
  std::string server;
  std::string tenant;
  std::string access_token;
  bool app_only = false;  // client credentials
  std::unique_ptr<HttpClient> http;
  std::unique_ptr<ApiClient> api;
};

// Client credentials when a client id is given; otherwise the saved profile's
// token, refreshed (and the rotated refresh token saved) when it expires
// within a minute. Unauthenticated (exit 3) when nobody is signed in.
StatusOr<Connection> Connect(const ConnectionOptions& options);

// Runs the device authorization grant: prints the sign-in message to `err`,
// polls until the user approves (honouring interval and slow_down), and saves
// the profile. `sleep_seconds` is injectable for tests.
Status DeviceLogin(const ConnectionOptions& options, std::ostream& err,
                   const std::function<void(int64_t)>& sleep_seconds = {});

// Forgets the tokens (keeps server, tenant and CA for the next login).
Status Logout();

}  // namespace gh::cli
