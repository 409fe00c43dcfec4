#include "web/portal/portal.h"

#include <algorithm>
#include <utility>

#include "identity/graph_permissions.h"
#include "web/templates.h"

namespace gh::web {
namespace portal {
namespace {

// The portal's areas in navigation order: path suffix, link text, what it is
// for, and the permission that opens it.
struct Area {
  const char* path;
  const char* text;
  const char* about;
  http::Permission PortalPermissions::*need;
};
constexpr Area kAreas[] = {
    {"/users", "Users", "members and guests, their profile, licences, groups, roles and invitation.",
     &PortalPermissions::users_read},
    {"/users/invite", "New guest user", "invite one person from another organisation.", nullptr},
    {"/bulk", "Bulk invite", "invite guests from a CSV file, watch the job, download the results.", nullptr},
    {"/groups", "Groups", "security and Microsoft 365 groups and their members.", &PortalPermissions::groups_read},
    {"/licenses", "Licenses", "products, seats and who holds them.", &PortalPermissions::licenses_read},
    {"/environments", "Environments",
     "business-app environments: security group, users, security roles, notices, access reviews.",
     &PortalPermissions::environments_read},
    {"/settings", "Tenant settings", "what guests may make (enableGuestsToMake) and the rest of the document.",
     &PortalPermissions::tenant_settings_read},
    {"/external-collaboration", "External collaboration",
     "guest access level, who may invite, allowed and blocked domains.", &PortalPermissions::policies_read},
    {"/cross-tenant", "Cross-tenant access", "default and per-organisation inbound and outbound rules.",
     &PortalPermissions::policies_read},
    {"/audit", "Audit log", "who changed what, when, and with what result.", &PortalPermissions::audit_read},
    {"/troubleshoot", "Troubleshoot access", "why can't this user do this here — and what fixes it.",
     &PortalPermissions::access_check},
};

// Roles that open at least one area (the invitation pages are for anyone the
// tenant's allowInvitesFrom admits; the service decides).
bool HoldsPortalRole(const Admin& a) {
  using namespace directory;
  for (std::string_view r : {kGlobalAdministratorRole, kUserAdministratorRole, kGuestInviterRole,
                             kLicenseAdministratorRole, kPowerPlatformAdministratorRole, kHelpdeskAdministratorRole})
    if (a.HasRole(r)) return true;
  return false;
}

bool Opens(const PortalDeps& d, const Admin& a, const Area& area) {
  return area.need ? a.May(d.can.*area.need) : true;
}

http::Response Home(PortalDeps& d, Visit& v) {
  const Admin& a = v.admin;
  Page p("portal_home", a.tenant.name);
  Layout(p, d, a, "");
  for (const Area& area : kAreas) {
    if (!Opens(d, a, area)) continue;
    auto* s = p.Section("AREA");
    s->SetValue("HREF", a.base + area.path);
    s->SetValue("TEXT", area.text);
    s->SetValue("ABOUT", area.about);
  }
  return p.Response();
}

}  // namespace

bool Admin::HasRole(std::string_view role) const {
  const auto& held = principal.directory_roles;
  return std::find(held.begin(), held.end(), role) != held.end();
}

invitations::Inviter Admin::Inviter() const {
  invitations::Inviter who;
  who.id = user.id;
  who.name = user.display_name;
  who.email = user.mail.value_or("");
  who.directory_roles = principal.directory_roles;
  who.scopes = principal.scopes;
  who.user_type = user.user_type;
  return who;
}

void Layout(Page& p, const PortalDeps& d, const Admin& a, std::string_view current) {
  p.Set("ORG", a.tenant.name).Set("BASE", a.base);
  auto* nav = p.Include("NAV", "portal_nav");
  nav->SetValue("ORG", a.tenant.name);
  nav->SetValue("USER", a.user.user_principal_name);
  auto add = [&](std::string_view path, const char* text) {
    auto* link = nav->AddSectionDictionary("LINK");
    link->SetValue("HREF", a.base + std::string(path));
    link->SetValue("TEXT", text);
    if (path == current) link->ShowSection("CURRENT");
  };
  add("", "Home");
  for (const Area& area : kAreas)
    if (Opens(d, a, area)) add(area.path, area.text);
}

std::vector<std::string> Form::All(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : fields)
    if (k == name) out.push_back(v);
  return out;
}

FormPage::FormPage(PortalDeps& d, const http::RouteContext& ctx, std::string body, std::string title)
    : Page(std::move(body), std::move(title)), request_(ctx.request), csrf_(CsrfFor(ctx.request, d.random)) {
  Set("CSRF", csrf_.token);
}

http::Response FormPage::Response(int status) const {
  http::Response r = Page::Response(status);
  csrf_.Attach(request_, r);
  return r;
}

http::Response RespondWith(FormPage& p, const MaybeRefusal& refusal) {
  if (!refusal) return p.Response();
  p.Section(refusal->section)->SetValue("MESSAGE", refusal->message);
  return p.Response(refusal->status);
}

FilterPtr Where(FilterOp op, std::string property, FilterValue value) {
  return std::make_shared<const FilterExpr>(
      FilterExpr{op, std::move(property), {std::move(value)}, {}});
}

FilterPtr Join(FilterOp op, FilterPtr a, FilterPtr b) {
  if (!a) return b;
  if (!b) return a;
  return std::make_shared<const FilterExpr>(FilterExpr{op, "", {}, {a, b}});
}

void AddOption(Page& p, const std::string& section, const std::string& value, const std::string& text,
               bool selected) {
  auto* o = p.Section(section);
  o->SetValue("VALUE", value);
  o->SetValue("TEXT", text);
  if (selected) o->ShowSection("SELECTED");
}

std::string ProductName(const licensing::Sku& sku) {
  const licensing::Product* product = licensing::FindProduct(sku.sku_id);
  return product ? product->display_name : sku.sku_part_number;
}

const licensing::Sku* FindSku(const std::vector<licensing::Sku>& skus, const std::string& sku_id) {
  auto it = std::find_if(skus.begin(), skus.end(), [&](const licensing::Sku& s) { return s.sku_id == sku_id; });
  return it == skus.end() ? nullptr : &*it;
}

// ---- the request pipeline ----------------------------------------------------

namespace {

// The 403 page for an administrator who lacks the route's permission.
http::Response Lacks(const Admin& a, const http::Permission& need, bool changes) {
  return MessagePage(403, changes ? "You can't make this change" : "You can't open this page",
                     "It needs the " + need.name + " permission, which your roles in " + a.tenant.name +
                         " don't grant. A Global Administrator can give you the role that does.",
                     "Portal home", a.base);
}

// The posted form, URL-encoded or multipart (a file upload), or the page to
// show instead: 400 when a multipart body can't be read, the "form has
// expired" 403 when the CSRF token is wrong.
std::variant<Form, http::Response> ReadForm(const http::RouteContext& ctx) {
  Form f;
  if (auto boundary = http::MultipartBoundary(ctx.request.Header("Content-Type"))) {
    auto parts = http::ParseMultipart(ctx.request.body, *boundary);
    if (!parts.ok()) return ErrorPage(ctx.request, parts.status(), "This form can't be read");
    for (const http::FormPart& part : *parts)
      if (part.filename.empty()) f.fields.emplace_back(part.name, std::string(part.body));
    f.parts = std::move(*parts);
  } else {
    f.fields = http::ParseForm(ctx.request.body);
  }
  if (!CsrfValid(ctx.request, f.Get("csrf")))
    return MessagePage(403, "This form has expired", "Go back, reload the page and try again.");
  return f;
}

// The whole pipeline (portal.h), then the page's handler.
http::Response Serve(PortalDeps& d, http::RouteContext& ctx, const http::Permission& need, PageHandler handler) {
  auto admitted = Admit(d, ctx, need);
  if (auto* refused = std::get_if<http::Response>(&admitted)) return std::move(*refused);
  Visit v{ctx, std::get<Admin>(std::move(admitted)), {}};
  if (ctx.request.method == "POST") {
    auto posted = ReadForm(ctx);
    if (auto* refused = std::get_if<http::Response>(&posted)) return std::move(*refused);
    v.form = std::get<Form>(std::move(posted));
  }
  return handler(d, v);
}

// Any administrator the portal's gate lets in: the route table's name for kAnyAdministrator.
http::Permission AnyAdministrator() { return {"portal administrator", nullptr}; }

}  // namespace

std::variant<Admin, http::Response> Admit(PortalDeps& d, http::RouteContext& ctx, const http::Permission& need) {
  auto tenant = d.directory.ResolveTenant(ctx.params["tenant"]);
  if (!tenant.ok()) return MessagePage(404, "Organization not found", "Check the address you opened.");
  Admin out;
  out.tenant = *tenant;
  out.base = "/portal/" + tenant->id;
  auto session = d.signin.ResolveSession(CookieValue(ctx.request, kSessionCookie));
  if (!session.ok())
    return Redirect("/login?tenant=" + tenant->id + "&continue=" + http::PercentEncode(ctx.request.target), 303);
  auto user = d.signin.PrincipalIn(*session, tenant->id);
  if (!user.ok()) return MessagePage(403, "You can't manage " + tenant->name, ShownMessage(ctx.request, user.status()));
  auto roles = d.directory.EffectiveRoles(tenant->id, user->id);
  if (!roles.ok()) return ErrorPage(ctx.request, roles.status(), "Something went wrong");
  out.user = *user;
  out.principal.kind = identity::PrincipalKind::kUser;
  out.principal.tenant_id = tenant->id;
  out.principal.object_id = user->id;
  out.principal.display_name = user->display_name;
  out.principal.directory_roles = *roles;
  // The portal is a first-party client: its cookie session acts with the
  // fixed first-party scope set, and the route rules still ask for the role.
  out.principal.scopes = identity::FirstPartyAdminScopes();
  if (user->user_type == directory::UserType::kGuest || !HoldsPortalRole(out))
    return MessagePage(403, "You can't manage " + tenant->name,
                       "The portal is for the administrators of " + tenant->name +
                           " (Global, User, License, Power Platform and Helpdesk Administrators, and Guest "
                           "Inviters). Ask one of them to give you a role.",
                       "Sign out", "/logout");
  if (!out.May(need)) return Lacks(out, need, ctx.request.method == "POST");
  return out;
}

http::Route PortalRoute(const Deps& d, std::string method, std::string pattern, Need need, PageHandler handler,
                        std::string description) {
  http::Permission permission = need ? d->can.*need : AnyAdministrator();
  http::Route route{std::move(method), std::move(pattern), nullptr, permission, std::move(description)};
  route.handler = [d, permission, handler](http::RouteContext& ctx) { return Serve(*d, ctx, permission, handler); };
  route.credential = http::Credential::kSession;
  return route;
}

std::vector<http::Route> HomePages(const Deps& d) {
  AddTemplates({"portal_nav", "portal_home"});
  return {PortalRoute(d, "GET", "/portal/{tenant}", kAnyAdministrator, Home, "Admin portal home")};
}

}  // namespace portal

std::vector<http::Route> PortalPages(PortalDeps deps) {
  auto d = std::make_shared<PortalDeps>(std::move(deps));
  std::vector<http::Route> all;
  for (auto part : {portal::HomePages(d), portal::UsersPages(d), portal::UserPages(d), portal::BulkPages(d),
                    portal::GroupsPages(d), portal::LicensesPages(d), portal::EnvironmentsPages(d),
                    portal::SettingsPages(d), portal::CrossTenantPages(d), portal::AuditPages(d),
                    portal::TroubleshooterPages(d)})
    for (auto& r : part) all.push_back(std::move(r));
  return all;
}

}  // namespace gh::web
