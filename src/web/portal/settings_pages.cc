// The settings that decide what guests may do here, as forms: Power
// Platform's tenant settings, Entra's external collaboration settings (guest
// access level, who may invite, allowed or blocked domains) and cross-tenant
// access (default and per-organization B2B collaboration, Microsoft cloud
// settings). Every Save goes through the same service call and patch
// functions as the API, so the portal accepts exactly what the API accepts; a
// refusal is shown next to the part of the form it is about and changes
// nothing.
#include <map>
#include <span>

#include "core/strings.h"
#include "environments/tenant_settings.h"
#include "web/portal/portal.h"
#include "web/templates.h"
#include "wire/policies.h"

namespace gh::web::portal {
namespace {
namespace json = boost::json;
using ctemplate::TemplateDictionary;
using directory::B2BSetting;
using directory::Policies;
using directory::TargetConfiguration;

// ---- shared by the three areas ------------------------------------------------

// Form field (or part of a form) → the refusal shown next to it; "" is the whole form.
using FieldErrors = std::map<std::string, std::string>;

const std::string* ErrorFor(const FieldErrors& errors, const std::string& field) {
  auto it = errors.find(field);
  return it == errors.end() ? nullptr : &it->second;
}

// Records a patch function's refusal under the field it is about.
void Apply(FieldErrors& errors, const std::string& field, const Status& s) {
  if (!s.ok()) errors.emplace(field, s.message());  // a patch function's validation: the caller's to fix
}

// What a service change returns when any part of the form was refused, so
// the service keeps everything as it was.
Status AllApplied(const FieldErrors& errors) {
  return errors.empty() ? OkStatus() : InvalidArgument("Some settings were refused; nothing was saved.");
}

struct Choice {
  std::string_view value, text;
};

struct RadioGroup {
  std::string name, legend;
  std::span<const Choice> choices;
  std::string checked;
  bool read_only = false;
  const std::string* error = nullptr;
};

// Fills a radio group's include dictionary (template portal_settings_radios:
// legend, options, the checked one and a refusal, if any, next to it).
void FillRadios(TemplateDictionary* d, const RadioGroup& g) {
  d->SetValue("LEGEND", g.legend);
  d->SetValue("NAME", g.name);
  d->SetValue("ERROR_ID", g.name + "-error");
  for (const Choice& c : g.choices) {
    TemplateDictionary* o = d->AddSectionDictionary("OPTION");
    o->SetValue("ID", g.name + "-" + std::string(c.value));
    o->SetValue("VALUE", std::string(c.value));
    o->SetValue("TEXT", std::string(c.text));
    if (c.value == g.checked) o->ShowSection("CHECKED");
    if (g.read_only) o->ShowSection("READONLY");
    if (g.error) o->ShowSection("INVALID");
  }
  if (g.error) d->AddSectionDictionary("ERROR")->SetValue("MESSAGE", *g.error);
}

// Expands template `file` at {{>slot}} inside a section or included template.
TemplateDictionary* IncludeIn(TemplateDictionary* parent, const std::string& slot, const std::string& file) {
  TemplateDictionary* d = parent->AddIncludeDictionary(slot);
  d->SetFilename(file);
  return d;
}

// The stored values with what the administrator typed in their place, so a
// refused form shows what was typed.
Form Overlay(Form stored, const Form& typed) {
  std::erase_if(stored.fields, [&](const auto& f) { return !typed.All(f.first).empty(); });
  stored.fields.insert(stored.fields.end(), typed.fields.begin(), typed.fields.end());
  return stored;
}

// The non-blank lines of a textarea, trimmed.
std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    size_t end = std::min(text.find('\n'), text.size());
    if (auto line = TrimView(text.substr(0, end)); !line.empty()) out.emplace_back(line);
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  return out;
}

// The page's "Saved" notice after a Post/Redirect/Get, and a refusal of the whole form.
void ShowOutcome(Page& p, const http::RouteContext& ctx, const FieldErrors& errors) {
  TemplateDictionary* outcome = p.Include("OUTCOME", "portal_settings_outcome");
  if (ctx.request.Query("saved")) outcome->ShowSection("SAVED");
  if (const std::string* e = ErrorFor(errors, "")) outcome->AddSectionDictionary("ERROR")->SetValue("MESSAGE", *e);
}

// A service failure that no field explains is shown for the whole form.
void KeepGeneralError(const http::Request& req, FieldErrors& errors, const Status& s) {
  if (errors.empty()) errors.emplace("", ShownMessage(req, s));
}

// ---- tenant settings ------------------------------------------------------------

// A boolean leaf of the settings document: its dotted path, the path of the
// section holding it ("" at the top) and its value.
struct BoolSetting {
  std::string path, section;
  bool on = false;
};

std::string JoinPath(const std::string& prefix, std::string_view key) {
  return prefix.empty() ? std::string(key) : prefix + "." + std::string(key);
}

// Each section's own switches come before its subsections', so each section is one group.
void CollectBooleans(const json::object& o, const std::string& section, std::vector<BoolSetting>& out) {
  for (const auto& kv : o)
    if (kv.value().is_bool()) out.push_back({JoinPath(section, kv.key()), section, kv.value().as_bool()});
  for (const auto& kv : o)
    if (kv.value().is_object()) CollectBooleans(kv.value().as_object(), JoinPath(section, kv.key()), out);
}

std::vector<BoolSetting> BooleanSettings(const json::object& doc) {
  std::vector<BoolSetting> out;
  CollectBooleans(doc, "", out);
  return out;
}

// The switches that matter for guests, first and in words; the rest are
// labelled by their path.
struct Featured {
  std::string_view path, name, label;
};
constexpr Featured kFeatured[] = {
    {"powerPlatform.powerApps.enableGuestsToMake", "enableGuestsToMake", "Let guests make apps (enableGuestsToMake)"},
    {"powerPlatform.powerApps.disableShareWithEveryone", "disableShareWithEveryone",
     "Stop makers sharing apps with Everyone (disableShareWithEveryone)"},
    {"disableEnvironmentCreationByNonAdminUsers", "disableEnvironmentCreationByNonAdminUsers",
     "Only admins create production and sandbox environments (disableEnvironmentCreationByNonAdminUsers)"},
    {"disableTrialEnvironmentCreationByNonAdminUsers", "disableTrialEnvironmentCreationByNonAdminUsers",
     "Only admins create trial environments (disableTrialEnvironmentCreationByNonAdminUsers)"},
};

const Featured* FeaturedFor(std::string_view path) {
  for (const Featured& f : kFeatured)
    if (f.path == path) return &f;
  return nullptr;
}

std::string SwitchName(const BoolSetting& s) {
  const Featured* f = FeaturedFor(s.path);
  return f ? std::string(f->name) : s.path;
}

void AddSwitch(TemplateDictionary* group, const BoolSetting& s, std::string_view label, bool read_only) {
  TemplateDictionary* sw = group->AddSectionDictionary("SWITCH");
  sw->SetValue("ID", "setting-" + SwitchName(s));
  sw->SetValue("NAME", SwitchName(s));
  sw->SetValue("LABEL", std::string(label));
  if (s.on) sw->ShowSection("ON");
  if (read_only) sw->ShowSection("READONLY");
}

http::Response TenantSettingsForm(PortalDeps& d, http::RouteContext& ctx, const Admin& a, const json::object& doc,
                                  const FieldErrors& errors, int status) {
  FormPage p(d, ctx, "portal_settings_tenant", "Tenant settings · " + a.tenant.name);
  Layout(p, d, a, "/settings");
  ShowOutcome(p, ctx, errors);
  const bool read_only = !a.May(d.can.tenant_settings_write);
  if (!read_only) p.Show("CAN_SAVE");
  const std::vector<BoolSetting> settings = BooleanSettings(doc);
  TemplateDictionary* featured = p.Section("GROUP");
  featured->SetValue("TITLE", "Guests and makers");
  for (const Featured& f : kFeatured)
    for (const BoolSetting& s : settings)
      if (s.path == f.path) AddSwitch(featured, s, f.label, read_only);
  TemplateDictionary* group = nullptr;
  std::string section;
  for (const BoolSetting& s : settings) {
    if (FeaturedFor(s.path)) continue;
    if (!group || s.section != section) {
      section = s.section;
      group = p.Section("GROUP");
      group->SetValue("TITLE", section.empty() ? "General" : section);
    }
    AddSwitch(group, s, s.path, read_only);
  }
  p.Set("JSON", json::serialize(doc));
  return p.Response(status);
}

// Sets `value` at a dotted path of `root`, creating the sections on the way.
void SetAtPath(json::object& root, std::string_view dotted, json::value value) {
  json::object* at = &root;
  for (size_t dot; (dot = dotted.find('.')) != std::string_view::npos; dotted.remove_prefix(dot + 1)) {
    json::value& next = (*at)[dotted.substr(0, dot)];
    if (!next.is_object()) next = json::object();
    at = &next.as_object();
  }
  (*at)[dotted] = std::move(value);
}

// A PATCH body with the switches the form turned on or off (unchecked boxes
// are not posted, so every boolean of the document is compared).
json::object ChangedSwitches(const json::object& doc, const Form& form) {
  json::object patch;
  for (const BoolSetting& s : BooleanSettings(doc)) {
    const bool on = form.Get(SwitchName(s)) == "true";
    if (on != s.on) SetAtPath(patch, s.path, on);
  }
  return patch;
}


http::Response TenantSettingsGet(PortalDeps& d, Visit& v) {
  auto& [ctx, a, form] = v;
  auto doc = d.tenant_settings.Get(a.tenant.id);
  if (!doc.ok()) return ErrorPage(ctx.request, doc.status(), "Can't read the tenant settings");
  return TenantSettingsForm(d, ctx, a, *doc, {}, 200);
}

http::Response TenantSettingsPost(PortalDeps& d, Visit& v) {
  auto& [ctx, a, form] = v;
  auto& settings = d.tenant_settings;
  auto doc = settings.Get(a.tenant.id);
  if (!doc.ok()) return ErrorPage(ctx.request, doc.status(), "Can't read the tenant settings");
  if (json::object patch = ChangedSwitches(*doc, form); !patch.empty()) {
    auto saved = settings.Update(a.Actor(), a.tenant.id, patch, /*replace=*/false);
    if (!saved.ok())
      return TenantSettingsForm(d, ctx, a, *doc, {{"", ShownMessage(ctx.request, saved.status())}}, PageStatusFor(saved.status()));
  }
  return Redirect(a.base + "/settings?saved=1", 303);
}

// ---- external collaboration -------------------------------------------------------

// Entra's options, in Entra's words.
constexpr Choice kGuestAccessChoices[] = {
    {directory::kGuestSameAsMembersRole, "Guest users have the same access as members (most inclusive)"},
    {directory::kGuestLimitedRole,
     "Guest users have limited access to properties and memberships of directory objects (default)"},
    {directory::kGuestRestrictedRole,
     "Guest user access is restricted to properties and memberships of their own directory objects (most restrictive)"},
};
constexpr Choice kInviteChoices[] = {
    {"everyone", "Anyone in the organization can invite guest users including guests and non-admins (most inclusive)"},
    {"adminsGuestInvitersAndAllMembers",
     "Member users and users assigned to specific admin roles can invite guest users including guests with member "
     "permissions"},
    {"adminsAndGuestInviters", "Only users assigned to specific admin roles can invite guest users"},
    {"none", "No one in the organization can invite guest users including admins (most restrictive)"},
};
// Gatehouse's authorizationPolicy.allowDeviceCodeFlow (Entra: a Conditional
// Access policy blocking the device code authentication flow).
constexpr Choice kDeviceCodeChoices[] = {
    {"true", "Allow sign-in with a device code (command-line tools, devices without a browser)"},
    {"false", "Block the device code flow for everyone in this organization (most restrictive)"},
};
constexpr Choice kRestrictionChoices[] = {
    {"allowAll", "Allow invitations to be sent to any domain (most inclusive)"},
    {"denyList", "Deny invitations to the specified domains"},
    {"allowList", "Allow invitations only to the specified domains (most restrictive)"},
};

// The form's fields as the policies hold them.
Form CollaborationFields(const Policies& p) {
  Form f;
  f.fields.emplace_back("guestUserRoleId", p.authorization.guest_user_role_id);
  f.fields.emplace_back("allowInvitesFrom", directory::AllowInvitesFromName(p.authorization.allow_invites_from));
  f.fields.emplace_back("mode", wire::DomainRestrictionsToJson(p.domains).at("mode").as_string());
  f.fields.emplace_back("allowDeviceCodeFlow", p.authorization.allow_device_code_flow ? "true" : "false");
  std::string lines;
  for (const std::string& domain : p.domains.domains) lines += domain + "\n";
  f.fields.emplace_back("domains", lines);
  return f;
}

http::Response CollaborationForm(PortalDeps& d, http::RouteContext& ctx, const Admin& a, const Form& values,
                                 const FieldErrors& errors, int status) {
  FormPage p(d, ctx, "portal_settings_collaboration", "External collaboration settings · " + a.tenant.name);
  Layout(p, d, a, "/external-collaboration");
  ShowOutcome(p, ctx, errors);
  const bool read_only = !a.May(d.can.authorization_policy_write);
  if (read_only) p.Show("READONLY");
  else p.Show("CAN_SAVE");
  auto radios = [&](const char* slot, const std::string& name, const char* legend, std::span<const Choice> choices) {
    FillRadios(p.Include(slot, "portal_settings_radios"),
               {name, legend, choices, values.Get(name), read_only, ErrorFor(errors, name)});
  };
  radios("ACCESS", "guestUserRoleId", "Guest user access", kGuestAccessChoices);
  radios("INVITES", "allowInvitesFrom", "Guest invite settings", kInviteChoices);
  radios("RESTRICTIONS", "mode", "Collaboration restrictions", kRestrictionChoices);
  radios("DEVICE", "allowDeviceCodeFlow", "Device code sign-in", kDeviceCodeChoices);
  p.Set("DOMAINS", values.Get("domains"));
  if (const std::string* e = ErrorFor(errors, "domains")) p.Section("DOMAINS_ERROR")->SetValue("MESSAGE", *e);
  return p.Response(status);
}

http::Response CollaborationGet(PortalDeps& d, Visit& v) {
  auto& [ctx, a, form] = v;
  auto policies = d.policies.Get(a.tenant.id);
  if (!policies.ok()) return ErrorPage(ctx.request, policies.status(), "Can't read the policies");
  return CollaborationForm(d, ctx, a, CollaborationFields(*policies), {}, 200);
}

// The guest access level, who may invite, and the domain list, saved
// together through the Graph routes' patch functions: all or nothing.
http::Response CollaborationPost(PortalDeps& d, Visit& v) {
  auto& [ctx, a, form] = v;
  FieldErrors errors;
  auto authorization = [&](directory::AuthorizationPolicy& policy) {
    for (const char* field : {"guestUserRoleId", "allowInvitesFrom"})
      Apply(errors, field, wire::PatchAuthorizationPolicy(policy, {{field, form.Get(field)}}));
    // Only when the form has it: a form from before the setting keeps it as it is.
    if (const std::string device = form.Get("allowDeviceCodeFlow"); !device.empty()) {
      json::value v = device == "true" ? json::value(true) : device == "false" ? json::value(false) : json::value(device);
      Apply(errors, "allowDeviceCodeFlow", wire::PatchAuthorizationPolicy(policy, {{"allowDeviceCodeFlow", v}}));
    }
    return AllApplied(errors);
  };
  auto domains = [&](directory::DomainRestrictions& restrictions) {
    // The mode first: switching it discards the old list, then the typed list applies.
    const std::string mode = form.Get("mode");
    Apply(errors, "mode", wire::PatchDomainRestrictions(restrictions, {{"mode", mode}}));
    json::array domains;
    if (mode != "allowAll")
      for (const std::string& domain : Lines(form.Get("domains"))) domains.emplace_back(domain);
    Apply(errors, "domains", wire::PatchDomainRestrictions(restrictions, {{"domains", domains}}));
    return AllApplied(errors);
  };
  auto saved = d.policies.UpdateCollaborationSettings(a.Actor(), a.tenant.id, authorization, domains);
  if (saved.ok()) return Redirect(a.base + "/external-collaboration?saved=1", 303);
  KeepGeneralError(ctx.request, errors, saved.status());
  auto stored = d.policies.Get(a.tenant.id);
  Form values = stored.ok() ? Overlay(CollaborationFields(*stored), form) : form;
  return CollaborationForm(d, ctx, a, values, errors, PageStatusFor(saved.status()));
}

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
  auto& [ctx, a, form] = v;
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
  auto& [ctx, a, form] = v;
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

std::vector<http::Route> SettingsPages(const Deps& d) {
  AddTemplates({"portal_settings_radios", "portal_settings_outcome", "portal_settings_tenant",
                "portal_settings_collaboration", "portal_settings_cross_tenant", "portal_settings_partner",
                "portal_settings_b2b"});
  const std::string cta = "/portal/{tenant}/cross-tenant";
  const Need read = &PortalPermissions::policies_read, cross_tenant = &PortalPermissions::cross_tenant_policy_write;
  return {
      PortalRoute(d, "GET", "/portal/{tenant}/settings", &PortalPermissions::tenant_settings_read, TenantSettingsGet,
                  "Tenant settings (Power Platform)"),
      PortalRoute(d, "POST", "/portal/{tenant}/settings", &PortalPermissions::tenant_settings_write,
                  TenantSettingsPost, "Tenant settings: save the switches"),
      PortalRoute(d, "GET", "/portal/{tenant}/external-collaboration", read, CollaborationGet,
                  "External collaboration settings"),
      PortalRoute(d, "POST", "/portal/{tenant}/external-collaboration", &PortalPermissions::authorization_policy_write,
                  CollaborationPost, "External collaboration settings: save"),
      PortalRoute(d, "GET", cta, read, CrossTenantGet, "Cross-tenant access: partners, defaults, clouds"),
      PortalRoute(d, "POST", cta, cross_tenant, CrossTenantDefaultPost, "Cross-tenant access: save the default settings"),
      PortalRoute(d, "POST", cta + "/partners", cross_tenant, AddPartnerPost, "Cross-tenant access: add an organization"),
      PortalRoute(d, "POST", cta + "/clouds", cross_tenant, CloudsPost, "Cross-tenant access: Microsoft cloud settings"),
      PortalRoute(d, "GET", cta + "/{partnerTenantId}", read, PartnerGet, "Cross-tenant access: one organization"),
      PortalRoute(d, "POST", cta + "/{partnerTenantId}", cross_tenant, PartnerPost,
                  "Cross-tenant access: save an organization"),
      PortalRoute(d, "POST", cta + "/{partnerTenantId}/remove", cross_tenant, PartnerRemovePost,
                  "Cross-tenant access: remove an organization"),
  };
}

}  // namespace gh::web::portal
