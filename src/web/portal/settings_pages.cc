// The settings that decide what guests may do here, as forms: Power
// Platform's tenant settings and Entra's external collaboration settings
// (guest access level, who may invite, allowed or blocked domains);
// cross-tenant access is cross_tenant_pages.cc. Every Save goes through the
// same service call and patch functions as the API, so the portal accepts
// exactly what the API accepts; a refusal is shown next to the part of the
// form it is about and changes nothing.
#include <algorithm>

#include "core/strings.h"
#include "environments/tenant_settings.h"
#include "web/portal/portal.h"
#include "web/portal/settings_internal.h"
#include "web/templates.h"
#include "wire/policies.h"

namespace gh::web::portal {

namespace settings {
using ctemplate::TemplateDictionary;

const std::string* ErrorFor(const FieldErrors& errors, const std::string& field) {
  auto it = errors.find(field);
  return it == errors.end() ? nullptr : &it->second;
}

void Apply(FieldErrors& errors, const std::string& field, const Status& s) {
  if (!s.ok()) errors.emplace(field, s.message());  // a patch function's validation: the caller's to fix
}

Status AllApplied(const FieldErrors& errors) {
  return errors.empty() ? OkStatus() : InvalidArgument("Some settings were refused; nothing was saved.");
}

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

TemplateDictionary* IncludeIn(TemplateDictionary* parent, const std::string& slot, const std::string& file) {
  TemplateDictionary* d = parent->AddIncludeDictionary(slot);
  d->SetFilename(file);
  return d;
}

Form Overlay(Form stored, const Form& typed) {
  std::erase_if(stored.fields, [&](const auto& f) { return !typed.All(f.first).empty(); });
  stored.fields.insert(stored.fields.end(), typed.fields.begin(), typed.fields.end());
  return stored;
}

std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    size_t end = std::min(text.find('\n'), text.size());
    if (auto line = TrimView(text.substr(0, end)); !line.empty()) out.emplace_back(line);
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  return out;
}

void ShowOutcome(Page& p, const http::RouteContext& ctx, const FieldErrors& errors) {
  TemplateDictionary* outcome = p.Include("OUTCOME", "portal_settings_outcome");
  if (ctx.request.Query("saved")) outcome->ShowSection("SAVED");
  if (const std::string* e = ErrorFor(errors, "")) outcome->AddSectionDictionary("ERROR")->SetValue("MESSAGE", *e);
}

void KeepGeneralError(const http::Request& req, FieldErrors& errors, const Status& s) {
  if (errors.empty()) errors.emplace("", ShownMessage(req, s));
}

namespace {
namespace json = boost::json;
using directory::Policies;

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
  // Named, not a structured binding: lambdas below use `form` (clang-15 cannot capture bindings).
  auto& ctx = v.ctx;
  auto& a = v.admin;
  auto& form = v.form;
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

}  // namespace
}  // namespace settings

std::vector<http::Route> SettingsPages(const Deps& d) {
  AddTemplates({"portal_settings_radios", "portal_settings_outcome", "portal_settings_tenant",
                "portal_settings_collaboration"});
  const Need read = &PortalPermissions::policies_read;
  return {
      PortalRoute(d, "GET", "/portal/{tenant}/settings", &PortalPermissions::tenant_settings_read,
                  settings::TenantSettingsGet, "Tenant settings (Power Platform)"),
      PortalRoute(d, "POST", "/portal/{tenant}/settings", &PortalPermissions::tenant_settings_write,
                  settings::TenantSettingsPost, "Tenant settings: save the switches"),
      PortalRoute(d, "GET", "/portal/{tenant}/external-collaboration", read, settings::CollaborationGet,
                  "External collaboration settings"),
      PortalRoute(d, "POST", "/portal/{tenant}/external-collaboration",
                  &PortalPermissions::authorization_policy_write, settings::CollaborationPost,
                  "External collaboration settings: save"),
  };
}

}  // namespace gh::web::portal
