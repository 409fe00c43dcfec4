#pragma once
// The admin portal, /portal/{tenant} (tenant = id or verified domain): pages
// for the tenant's administrators, signed in through the tenant's own sign-in
// pages. Each area (users, bulk, groups, licences, environments, settings,
// audit, troubleshooter) lives in its own file and contributes its routes and
// templates; this header is what they share.
//
// Who may do what is the API's rule, not the portal's: the composition root
// passes the same permission predicates the API routes use (api/permissions),
// each portal route's row in the route table carries the one it needs, and
// the portal's request pipeline (below) admits the signed-in user when their
// directory roles satisfy it.
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/clock.h"
#include "core/random.h"
#include "directory/directory_service.h"
#include "directory/policy_service.h"
#include "environments/environment_service.h"
#include "environments/notifier.h"
#include "environments/tenant_settings.h"
#include "gate/snapshot_cache.h"
#include "http/multipart.h"
#include "http/router.h"
#include "identity/principal.h"
#include "identity/signin.h"
#include "invitations/bulk_runner.h"
#include "invitations/bulk_service.h"
#include "invitations/invitation_service.h"
#include "licensing/licensing_service.h"
#include "web/cookies.h"
#include "web/errors.h"
#include "web/page.h"

namespace gh::web {

// The API's permission predicates, one per kind of page or action.
struct PortalPermissions {
  http::Permission users_read, users_write, groups_read, groups_write, roles_read, roles_write;
  http::Permission licenses_read, licenses_write, skus_write;
  http::Permission environments_read, environments_write;
  http::Permission tenant_settings_read, tenant_settings_write;
  http::Permission policies_read, authorization_policy_write, cross_tenant_policy_write;
  http::Permission audit_read, access_check;
  http::Permission organization_write;  // the tenant's own properties (default usage location)
};

struct PortalDeps {
  const Clock& clock;
  Random& random;
  directory::DirectoryService& directory;
  directory::PolicyService& policies;
  identity::SigninService& signin;
  invitations::InvitationService& invitations;
  invitations::BulkInvitationService* bulk;  // bulk pages answer 503 without it
  invitations::BulkRunner* runner;           // woken after an upload; may be null
  licensing::LicensingService& licensing;
  environments::EnvironmentService& environments;
  environments::Notifier& notifier;
  environments::TenantSettingsService& tenant_settings;
  gate::SnapshotCache* gate;  // the troubleshooter answers 503 without it
  PortalPermissions can;
};

std::vector<http::Route> PortalPages(PortalDeps deps);

namespace portal {

using Deps = std::shared_ptr<PortalDeps>;

// The signed-in administrator of the tenant in the path.
struct Admin {
  directory::Tenant tenant;
  directory::User user;
  identity::Principal principal;  // a user principal with the effective directory roles
  std::string base;               // "/portal/{tenant id}"

  bool May(const http::Permission& p) const { return !p.allows || p.allows(principal); }
  bool HasRole(std::string_view role_template_id) const;
  directory::Actor Actor() const { return identity::ActorFor(principal); }
  invitations::Inviter Inviter() const;
};

// Fills the shared layout: organisation, signed-in user, and the navigation
// links the administrator may open (`current` is the active one's path
// suffix, e.g. "/users").
void Layout(Page& p, const PortalDeps& d, const Admin& a, std::string_view current);

// A form posted to a portal page, with its CSRF token already checked.
struct Form {
  std::vector<std::pair<std::string, std::string>> fields;
  // A multipart/form-data body's parts, files included (their bodies point
  // into the request body); its parts without a file name are in `fields`.
  std::vector<http::FormPart> parts = {};
  std::string Get(std::string_view name) const { return http::FormValue(fields, name); }
  // Every value of a repeated field (checkboxes).
  std::vector<std::string> All(std::string_view name) const;
};

// A page whose forms carry a CSRF token: {{CSRF}} is set, and the response
// sets the token's cookie when the browser had none.
class FormPage : public Page {
 public:
  FormPage(PortalDeps& d, const http::RouteContext& ctx, std::string body, std::string title);
  http::Response Response(int status = 200) const;

 private:
  const http::Request& request_;
  Csrf csrf_;
};

// A refusal shown next to the field it is about: the template section that
// holds its {{MESSAGE}}, and the page's status.
struct Refusal {
  std::string section;
  std::string message;
  int status = 400;
};
using MaybeRefusal = std::optional<Refusal>;
// The page with the refusal (if any) in its section, at its status (200 without one).
http::Response RespondWith(FormPage& p, const MaybeRefusal& refusal);

// Filters for the services' list queries: `property op value`, and two
// filters joined by and/or (either may be null: the other is returned).
FilterPtr Where(FilterOp op, std::string property, FilterValue value);
FilterPtr Join(FilterOp op, FilterPtr a, FilterPtr b);

// A <select>'s option in section `section` ({{VALUE}}, {{TEXT}}, {{#SELECTED}}).
void AddOption(Page& p, const std::string& section, const std::string& value, const std::string& text,
               bool selected);

// A subscribed product's name as people know it ("Power Apps per user"), or its part number.
std::string ProductName(const licensing::Sku& sku);
const licensing::Sku* FindSku(const std::vector<licensing::Sku>& skus, const std::string& sku_id);

// ---- the request pipeline -----------------------------------------------------
//
// Every portal route goes through one pipeline, in this order: the tenant in
// the path (404 page), the session (303 to the sign-in page, back here
// afterwards), the user in that tenant and their effective directory roles,
// the portal's gate (guests and users holding no role that opens the portal
// get a 403 page), the route's permission (a 403 page naming it), and for a
// POST the form with its CSRF token checked (the "form has expired" 403
// page). Only then does the page's handler run.

// A request the pipeline admitted: what a page's handler works with.
struct Visit {
  http::RouteContext& ctx;
  Admin admin;
  Form form;  // POST only
};

// A portal page: does the page's work for an admitted visit.
using PageHandler = http::Response (*)(PortalDeps&, Visit&);

// The permission a route needs beyond the portal's gate: one of
// PortalPermissions', or kAnyAdministrator for the pages every portal
// administrator opens (the home page, New guest user and bulk invitations,
// where the invitation service decides who may invite).
using Need = http::Permission PortalPermissions::*;
inline constexpr Need kAnyAdministrator = nullptr;

// The route table's row for a portal page: its permission is `need`'s (the
// name shows in the route table), the caller proves who they are with the
// portal's session cookie, and a POST changes state.
http::Route PortalRoute(const Deps& d, std::string method, std::string pattern, Need need, PageHandler handler,
                        std::string description);

// The pipeline's steps that need no body (all but the form): the
// administrator, or the page to show instead. A bulk upload's large body is
// admitted by these before it is read.
std::variant<Admin, http::Response> Admit(PortalDeps& d, http::RouteContext& ctx, const http::Permission& need);

// Each area's routes (and templates, registered when its routes are built).
std::vector<http::Route> HomePages(const Deps& d);
std::vector<http::Route> UsersPages(const Deps& d);  // the list and New guest user
std::vector<http::Route> UserPages(const Deps& d);   // one user's page and its forms
std::vector<http::Route> BulkPages(const Deps& d);
std::vector<http::Route> GroupsPages(const Deps& d);
std::vector<http::Route> LicensesPages(const Deps& d);
std::vector<http::Route> EnvironmentsPages(const Deps& d);
std::vector<http::Route> SettingsPages(const Deps& d);     // tenant settings, external collaboration
std::vector<http::Route> CrossTenantPages(const Deps& d);  // cross-tenant access
std::vector<http::Route> AuditPages(const Deps& d);
std::vector<http::Route> TroubleshooterPages(const Deps& d);

}  // namespace portal
}  // namespace gh::web
