// Cross-tenant access as forms: the default inbound and outbound B2B
// collaboration settings, one organization's (added, changed, removed) and
// the Microsoft cloud settings. Every Save goes through the same service call
// and patch functions as the API (directory::PolicyService, wire/policies.h),
// so the portal accepts exactly what the API accepts; a refusal is shown next
// to the part of the form it is about and changes nothing. Tenant settings and
// external collaboration are settings_pages.cc.
#include <algorithm>

#include "core/strings.h"
#include "web/portal/portal.h"
#include "web/portal/settings_internal.h"
#include "web/templates.h"
#include "wire/policies.h"

namespace gh::web::portal {
namespace settings {
namespace {
namespace json = boost::json;
using ctemplate::TemplateDictionary;
using directory::B2BSetting;
using directory::Policies;
using directory::TargetConfiguration;

// ---- cross-tenant access ---------------------------------------------------------

// One direction of B2B collaboration (inbound, outbound).
struct Direction {
  std::string_view key;    // form field prefix
  std::string_view graph;  // the property of the default and partner objects
  std::string_view heading;
  directory::B2BSetting directory::CrossTenantAccessPolicy::*default_setting;
  std::optional<directory::B2BSetting> directory::PartnerConfiguration::*partner_setting;
};
constexpr Direction kDirections[] = {
    {"inbound", "b2bCollaborationInbound", "Inbound access", &directory::CrossTenantAccessPolicy::default_inbound,
     &directory::PartnerConfiguration::inbound},
    {"outbound", "b2bCollaborationOutbound", "Outbound access", &directory::CrossTenantAccessPolicy::default_outbound,
     &directory::PartnerConfiguration::outbound},
};

// A list of selected targets of one type, typed one per line.
struct TargetList {
  std::string_view target_type, label;
};

// One half of a B2B setting.
struct Side {
  std::string_view key;  // form field part and Graph property
  std::string_view legend;
  std::string_view all_target, all_type;  // the target that means "everyone"
  std::span<const Choice> applies_to;
  std::span<const TargetList> lists;
  TargetConfiguration B2BSetting::*config;
};
constexpr Choice kAccessChoices[] = {{"allowed", "Allow access"}, {"blocked", "Block access"}};
constexpr Choice kUsersAppliesTo[] = {{"all", "All users and groups"}, {"selected", "Selected users and groups"}};
constexpr Choice kAppsAppliesTo[] = {{"all", "All applications"}, {"selected", "Selected applications"}};
constexpr TargetList kUserLists[] = {{"user", "User object IDs (one per line)"},
                                     {"group", "Group object IDs (one per line)"}};
constexpr TargetList kAppLists[] = {{"application", "Application IDs, Office365 or AllMicrosoftApps (one per line)"}};
constexpr Side kSides[] = {
    {"usersAndGroups", "Users and groups", "AllUsers", "user", kUsersAppliesTo, kUserLists, &B2BSetting::users_and_groups},
    {"applications", "Applications", "AllApplications", "application", kAppsAppliesTo, kAppLists,
     &B2BSetting::applications},
};
constexpr Choice kModeChoices[] = {{"default", "Inherited from default"}, {"custom", "Customize settings"}};

std::string Prefix(const Direction& dir, const Side& side) { return std::string(dir.key) + "." + std::string(side.key); }
std::string ListField(const std::string& prefix, const TargetList& l) { return prefix + "." + std::string(l.target_type); }
std::string ModeField(const Direction& dir) { return std::string(dir.key) + ".mode"; }

bool NamesEveryone(const TargetConfiguration& t, const Side& side) {
  return std::any_of(t.targets.begin(), t.targets.end(), [&](const auto& x) { return x.target == side.all_target; });
}

// The form's fields for one direction as `setting` holds them.
void AddB2BFields(Form& out, const Direction& dir, const B2BSetting& setting) {
  for (const Side& side : kSides) {
    const std::string prefix = Prefix(dir, side);
    const TargetConfiguration& t = setting.*side.config;
    out.fields.emplace_back(prefix + ".access", t.allowed ? "allowed" : "blocked");
    out.fields.emplace_back(prefix + ".appliesTo", NamesEveryone(t, side) ? "all" : "selected");
    for (const TargetList& l : side.lists) {
      std::string ids;
      for (const auto& x : t.targets)
        if (x.target_type == l.target_type && x.target != side.all_target) ids += x.target + "\n";
      out.fields.emplace_back(ListField(prefix, l), ids);
    }
  }
}

// One side as Graph's crossTenantAccessPolicyTargetConfiguration, from the form.
json::object TargetConfigurationJson(const Form& form, const std::string& prefix, const Side& side) {
  json::array targets;
  if (form.Get(prefix + ".appliesTo") == "all") {
    targets.push_back(json::object{{"target", side.all_target}, {"targetType", side.all_type}});
  } else {
    for (const TargetList& l : side.lists)
      for (const std::string& id : Lines(form.Get(ListField(prefix, l))))
        targets.push_back(json::object{{"target", id}, {"targetType", l.target_type}});
  }
  return {{"accessType", form.Get(prefix + ".access")}, {"targets", targets}};
}

// Applies the form's settings for one direction through `patch` (the
// default's or a partner's patch function), one side at a time so that each
// refusal is shown next to its side.
void ApplyDirection(const Form& form, const Direction& dir, FieldErrors& errors,
                    const std::function<Status(const json::object&)>& patch) {
  for (const Side& side : kSides) {
    const std::string prefix = Prefix(dir, side);
    json::object body{{dir.graph, json::object{{side.key, TargetConfigurationJson(form, prefix, side)}}}};
    Apply(errors, prefix, patch(body));
  }
}

// Adds one direction's fieldset at {{>B2B}} (portal_settings_b2b: whether it
// follows the default, then its users-and-groups and applications parts);
// `partner` adds the inherit-or-customize choice.
void AddDirection(Page& p, const Direction& dir, const Form& values, const FieldErrors& errors, bool read_only,
                  bool partner) {
  TemplateDictionary* d = p.Include("B2B", "portal_settings_b2b");
  d->SetValue("HEADING", std::string(dir.heading));
  if (partner)
    FillRadios(IncludeIn(d, "MODE", "portal_settings_radios"),
               {ModeField(dir), "Settings for this organization", kModeChoices, values.Get(ModeField(dir)), read_only,
                ErrorFor(errors, ModeField(dir))});
  for (const Side& side : kSides) {
    const std::string prefix = Prefix(dir, side);
    const std::string* error = ErrorFor(errors, prefix);
    TemplateDictionary* s = d->AddSectionDictionary("SIDE");
    s->SetValue("LEGEND", std::string(dir.heading) + ": " + std::string(side.legend));
    s->SetValue("ERROR_ID", prefix + "-error");
    FillRadios(IncludeIn(s, "ACCESS", "portal_settings_radios"),
               {prefix + ".access", "Access status", kAccessChoices, values.Get(prefix + ".access"), read_only});
    FillRadios(IncludeIn(s, "APPLIES", "portal_settings_radios"),
               {prefix + ".appliesTo", "Applies to", side.applies_to, values.Get(prefix + ".appliesTo"), read_only});
    for (const TargetList& l : side.lists) {
      TemplateDictionary* list = s->AddSectionDictionary("LIST");
      list->SetValue("ID", ListField(prefix, l));
      list->SetValue("LABEL", std::string(l.label));
      list->SetValue("TEXT", values.Get(ListField(prefix, l)));
      if (read_only) list->ShowSection("READONLY");
      if (error) list->ShowSection("INVALID");
    }
    if (error) s->AddSectionDictionary("ERROR")->SetValue("MESSAGE", *error);
  }
}

// "Users and groups: allowed (all); Applications: blocked (2 selected)", or
// that the organization follows the default.
std::string Summary(const std::optional<B2BSetting>& setting) {
  if (!setting) return "Inherited from default";
  std::string out;
  for (const Side& side : kSides) {
    const TargetConfiguration& t = (*setting).*side.config;
    if (!out.empty()) out += "; ";
    out += std::string(side.legend) + ": " + (t.allowed ? "allowed" : "blocked") +
           (NamesEveryone(t, side) ? " (all)" : " (" + std::to_string(t.targets.size()) + " selected)");
  }
  return out;
}

// The other Microsoft clouds, as allowedCloudEndpoints names them.
constexpr Choice kClouds[] = {
    {"microsoftonline.com", "Microsoft Azure commercial"},
    {"microsoftonline.us", "Microsoft Azure Government"},
    {"partner.microsoftonline.cn", "Microsoft Azure operated by 21Vianet"},
};

void AddClouds(Page& p, const Admin& a, const Form& values, const FieldErrors& errors, bool read_only) {
  const std::vector<std::string> allowed = values.All("cloud");
  const std::string* error = ErrorFor(errors, "cloud");
  for (const Choice& c : kClouds) {
    if (c.value == directory::CloudEndpoint(a.tenant.cloud)) continue;  // the tenant's own cloud always collaborates
    TemplateDictionary* cloud = p.Section("CLOUD");
    cloud->SetValue("ID", "cloud-" + std::string(c.value));
    cloud->SetValue("VALUE", std::string(c.value));
    cloud->SetValue("TEXT", std::string(c.text) + " (" + std::string(c.value) + ")");
    if (std::find(allowed.begin(), allowed.end(), c.value) != allowed.end()) cloud->ShowSection("CHECKED");
    if (read_only) cloud->ShowSection("READONLY");
    if (error) cloud->ShowSection("INVALID");
  }
  if (error) p.Section("CLOUD_ERROR")->SetValue("MESSAGE", *error);
}

// Every field of the cross-tenant page (default settings, clouds) as the policy holds them.
Form CrossTenantFields(const directory::CrossTenantAccessPolicy& policy) {
  Form f;
  for (const Direction& dir : kDirections) AddB2BFields(f, dir, policy.*dir.default_setting);
  for (const std::string& cloud : policy.allowed_cloud_endpoints) f.fields.emplace_back("cloud", cloud);
  return f;
}

std::string OrganizationName(PortalDeps& d, const std::string& tenant_id) {
  auto t = d.directory.ResolveTenant(tenant_id);
  return t.ok() ? t->name : "";
}

// The cross-tenant page: partners, the add form, default settings, clouds;
// `typed` is a refused form to show again as typed.
http::Response CrossTenantPage(PortalDeps& d, http::RouteContext& ctx, const Admin& a, const Policies& policies,
                               const Form& typed, const FieldErrors& errors, int status) {
  FormPage p(d, ctx, "portal_settings_cross_tenant", "Cross-tenant access settings · " + a.tenant.name);
  Layout(p, d, a, "/cross-tenant");
  ShowOutcome(p, ctx, errors);
  const bool read_only = !a.May(d.can.cross_tenant_policy_write);
  if (!read_only) p.Show("CAN_SAVE");
  const auto& partners = policies.cross_tenant.partners;
  p.Show(partners.empty() ? "NO_PARTNERS" : "HAS_PARTNERS");
  for (const auto& partner : partners) {
    TemplateDictionary* row = p.Section("PARTNER");
    const std::string name = OrganizationName(d, partner.tenant_id);
    row->SetValue("HREF", a.base + "/cross-tenant/" + partner.tenant_id);
    row->SetValue("NAME", name.empty() ? partner.tenant_id : name);
    row->SetValue("ID", partner.tenant_id);
    row->SetValue("INBOUND", Summary(partner.inbound));
    row->SetValue("OUTBOUND", Summary(partner.outbound));
  }
  p.Set("ORGANIZATION", typed.Get("organization"));
  if (const std::string* e = ErrorFor(errors, "organization")) p.Section("ORGANIZATION_ERROR")->SetValue("MESSAGE", *e);
  const Form values = Overlay(CrossTenantFields(policies.cross_tenant), typed);
  for (const Direction& dir : kDirections) AddDirection(p, dir, values, errors, read_only, /*partner=*/false);
  AddClouds(p, a, values, errors, read_only);
  return p.Response(status);
}

// After a refused cross-tenant change: the page again, with the refusal and what was typed.
http::Response CrossTenantRefused(PortalDeps& d, http::RouteContext& ctx, const Admin& a, const Form& typed,
                                  FieldErrors errors, const Status& refusal) {
  KeepGeneralError(ctx.request, errors, refusal);
  auto policies = d.policies.Get(a.tenant.id);
  if (!policies.ok()) return ErrorPage(ctx.request, policies.status(), "Can't read the policies");
  return CrossTenantPage(d, ctx, a, *policies, typed, errors, PageStatusFor(refusal));
}

http::Response CrossTenantGet(PortalDeps& d, Visit& v) {
  auto& [ctx, a, form] = v;
  auto policies = d.policies.Get(a.tenant.id);
  if (!policies.ok()) return ErrorPage(ctx.request, policies.status(), "Can't read the policies");
  return CrossTenantPage(d, ctx, a, *policies, {}, {}, 200);
}

// Saves the default inbound and outbound settings.
http::Response CrossTenantDefaultPost(PortalDeps& d, Visit& v) {
  // Named, not a structured binding: lambdas below use `form` (clang-15 cannot capture bindings).
  auto& ctx = v.ctx;
  auto& a = v.admin;
  auto& form = v.form;
  FieldErrors errors;
  auto saved = d.policies.UpdateCrossTenantDefault(a.Actor(), a.tenant.id, [&](directory::CrossTenantAccessPolicy& p) {
    for (const Direction& dir : kDirections)
      ApplyDirection(form, dir, errors,
                     [&](const json::object& body) { return wire::PatchCrossTenantDefault(p, body); });
    return AllApplied(errors);
  });
  if (!saved.ok()) return CrossTenantRefused(d, ctx, a, form, errors, saved.status());
  return Redirect(a.base + "/cross-tenant?saved=1", 303);
}

// The partner tenant the administrator means: a tenant id as typed, or a
// domain of a tenant Gatehouse knows.
StatusOr<std::string> PartnerTenantId(PortalDeps& d, const Admin& a, std::string_view typed) {
  typed = TrimView(typed);
  if (typed.empty()) return InvalidArgument("Enter the organization's tenant ID or one of its domain names.");
  std::string id = ToLower(typed);
  if (!IsUuid(id)) {
    auto tenant = d.directory.ResolveTenant(std::string(typed));
    if (tenant.status().code() == Code::kNotFound)
      return InvalidArgument("No organization with the domain '" + std::string(typed) +
                             "' is known here. Enter its tenant ID (a GUID) instead.");
    if (!tenant.ok()) return tenant.status();
    id = tenant->id;
  }
  return id;
}

http::Response AddPartnerPost(PortalDeps& d, Visit& v) {
  auto& [ctx, a, form] = v;
  auto id = PartnerTenantId(d, a, form.Get("organization"));
  if (!id.ok()) return CrossTenantRefused(d, ctx, a, form, {{"organization", ShownMessage(ctx.request, id.status())}}, id.status());
  auto saved = d.policies.AddPartner(a.Actor(), a.tenant.id, *id);
  if (!saved.ok())
    return CrossTenantRefused(d, ctx, a, form, {{"organization", ShownMessage(ctx.request, saved.status())}}, saved.status());
  return Redirect(a.base + "/cross-tenant/" + *id, 303);
}

// Saves the Microsoft cloud settings (allowedCloudEndpoints).
http::Response CloudsPost(PortalDeps& d, Visit& v) {
  auto& [ctx, a, form] = v;
  json::array clouds;
  for (const std::string& cloud : form.All("cloud")) clouds.emplace_back(cloud);
  FieldErrors errors;
  auto saved = d.policies.UpdateCrossTenantPolicy(a.Actor(), a.tenant.id, [&](directory::CrossTenantAccessPolicy& p) {
    Apply(errors, "cloud", wire::PatchCrossTenantPolicy(p, {{"allowedCloudEndpoints", clouds}}));
    return AllApplied(errors);
  });
  if (!saved.ok()) return CrossTenantRefused(d, ctx, a, form, errors, saved.status());
  return Redirect(a.base + "/cross-tenant?saved=1", 303);
}

// The partner in the path ("{partnerTenantId}"), lower-cased; empty when it is no tenant id.
std::string PartnerInPath(http::RouteContext& ctx) {
  std::string id = ToLower(ctx.params["partnerTenantId"]);
  return IsUuid(id) ? id : "";
}

http::Response PartnerNotFound(const Admin& a) {
  return MessagePage(404, "Organization not found", "It isn't in the cross-tenant access settings (any more).",
                     "Cross-tenant access settings", a.base + "/cross-tenant");
}

// The form's fields for a partner: "inherited" directions show the default they follow.
Form PartnerFields(const directory::CrossTenantAccessPolicy& policy, const directory::PartnerConfiguration& partner) {
  Form f;
  for (const Direction& dir : kDirections) {
    const auto& own = partner.*dir.partner_setting;
    f.fields.emplace_back(ModeField(dir), own ? "custom" : "default");
    AddB2BFields(f, dir, own ? *own : policy.*dir.default_setting);
  }
  return f;
}

http::Response PartnerPage(PortalDeps& d, http::RouteContext& ctx, const Admin& a, const Policies& policies,
                           const directory::PartnerConfiguration& partner, const Form& typed,
                           const FieldErrors& errors, int status) {
  const std::string name = OrganizationName(d, partner.tenant_id);
  FormPage p(d, ctx, "portal_settings_partner", (name.empty() ? partner.tenant_id : name) + " · Cross-tenant access");
  Layout(p, d, a, "/cross-tenant");
  ShowOutcome(p, ctx, errors);
  const bool read_only = !a.May(d.can.cross_tenant_policy_write);
  if (!read_only) p.Show("CAN_SAVE");
  p.Set("NAME", name.empty() ? "Organization " + partner.tenant_id : name).Set("ID", partner.tenant_id);
  const Form values = Overlay(PartnerFields(policies.cross_tenant, partner), typed);
  for (const Direction& dir : kDirections) AddDirection(p, dir, values, errors, read_only, /*partner=*/true);
  return p.Response(status);
}

http::Response PartnerGet(PortalDeps& d, Visit& v) {
  auto& [ctx, a, form] = v;
  auto policies = d.policies.Get(a.tenant.id);
  if (!policies.ok()) return ErrorPage(ctx.request, policies.status(), "Can't read the policies");
  const auto* partner = policies->cross_tenant.Partner(PartnerInPath(ctx));
  if (!partner) return PartnerNotFound(a);
  return PartnerPage(d, ctx, a, *policies, *partner, {}, {}, 200);
}

// Applies a partner form: each direction follows the default or gets its own settings.
void ApplyPartnerForm(const Form& form, directory::PartnerConfiguration& partner, FieldErrors& errors) {
  for (const Direction& dir : kDirections) {
    const std::string mode = form.Get(ModeField(dir));
    if (mode == "default") {
      partner.*dir.partner_setting = std::nullopt;  // inherits the default
    } else if (mode == "custom") {
      ApplyDirection(form, dir, errors, [&](const json::object& body) { return wire::PatchPartner(partner, body); });
    } else {
      errors.emplace(ModeField(dir), "Choose whether this organization follows the default settings or its own.");
    }
  }
}

http::Response PartnerPost(PortalDeps& d, Visit& v) {
  // Named, not a structured binding: lambdas below use `form` (clang-15 cannot capture bindings).
  auto& ctx = v.ctx;
  auto& a = v.admin;
  auto& form = v.form;
  const std::string id = PartnerInPath(ctx);
  FieldErrors errors;
  auto saved = d.policies.UpdatePartner(a.Actor(), a.tenant.id, id, [&](directory::PartnerConfiguration& partner) {
    ApplyPartnerForm(form, partner, errors);
    return AllApplied(errors);
  });
  if (saved.ok()) return Redirect(a.base + "/cross-tenant/" + id + "?saved=1", 303);
  auto policies = d.policies.Get(a.tenant.id);
  const auto* partner = policies.ok() ? policies->cross_tenant.Partner(id) : nullptr;
  if (!partner) return PartnerNotFound(a);
  KeepGeneralError(ctx.request, errors, saved.status());
  return PartnerPage(d, ctx, a, *policies, *partner, form, errors, PageStatusFor(saved.status()));
}

http::Response PartnerRemovePost(PortalDeps& d, Visit& v) {
  auto& [ctx, a, form] = v;
  const std::string id = PartnerInPath(ctx);
  Status removed = d.policies.RemovePartner(a.Actor(), a.tenant.id, id);
  if (removed.code() == Code::kNotFound) return PartnerNotFound(a);
  if (!removed.ok())
    return ErrorPage(ctx.request, removed, "Can't remove the organization");
  return Redirect(a.base + "/cross-tenant?saved=1", 303);
}

}  // namespace
}  // namespace settings

std::vector<http::Route> CrossTenantPages(const Deps& d) {
  AddTemplates({"portal_settings_radios", "portal_settings_outcome", "portal_settings_cross_tenant",
                "portal_settings_partner", "portal_settings_b2b"});
  const std::string cta = "/portal/{tenant}/cross-tenant";
  const Need read = &PortalPermissions::policies_read,
             cross_tenant = &PortalPermissions::cross_tenant_policy_write;
  return {
      PortalRoute(d, "GET", cta, read, settings::CrossTenantGet,
                  "Cross-tenant access: partners, defaults, clouds"),
      PortalRoute(d, "POST", cta, cross_tenant, settings::CrossTenantDefaultPost,
                  "Cross-tenant access: save the default settings"),
      PortalRoute(d, "POST", cta + "/partners", cross_tenant, settings::AddPartnerPost,
                  "Cross-tenant access: add an organization"),
      PortalRoute(d, "POST", cta + "/clouds", cross_tenant, settings::CloudsPost,
                  "Cross-tenant access: Microsoft cloud settings"),
      PortalRoute(d, "GET", cta + "/{partnerTenantId}", read, settings::PartnerGet,
                  "Cross-tenant access: one organization"),
      PortalRoute(d, "POST", cta + "/{partnerTenantId}", cross_tenant, settings::PartnerPost,
                  "Cross-tenant access: save an organization"),
      PortalRoute(d, "POST", cta + "/{partnerTenantId}/remove", cross_tenant, settings::PartnerRemovePost,
                  "Cross-tenant access: remove an organization"),
  };
}

}  // namespace gh::web::portal
