#include "wire/policies.h"

#include <algorithm>

#include "core/strings.h"
#include "directory/model/validation.h"

namespace gh::wire {
namespace json = boost::json;
using directory::AllowInvitesFrom;
using directory::AllowInvitesFromName;
using directory::AuthorizationPolicy;
using directory::B2BSetting;
using directory::CrossTenantAccessPolicy;
using directory::DomainRestrictions;
using directory::kGuestLimitedRole;
using directory::kGuestRestrictedRole;
using directory::kGuestSameAsMembersRole;
using directory::PartnerConfiguration;
using directory::Policies;
using directory::Target;
using directory::TargetConfiguration;
using directory::ValidateDomain;

namespace {

bool Has(const std::vector<std::string>& v, std::string_view x) { return std::find(v.begin(), v.end(), x) != v.end(); }

Status Bad(std::string m) { return InvalidArgument(std::move(m), "Request_BadRequest"); }

std::string Str(const json::value& v) { return v.is_string() ? std::string(v.as_string()) : std::string(); }

json::object TargetConfigToJson(const TargetConfiguration& t) {
  json::array targets;
  for (const auto& x : t.targets) targets.push_back(json::object{{"target", x.target}, {"targetType", x.target_type}});
  return {{"accessType", t.allowed ? "allowed" : "blocked"}, {"targets", targets}};
}

StatusOr<TargetConfiguration> TargetConfigFromJson(const json::value& v, std::string_view field, bool apps) {
  if (!v.is_object()) return Bad("Property '" + std::string(field) + "' must be an object.");
  const auto& o = v.as_object();
  TargetConfiguration t;
  for (const auto& kv : o)
    if (kv.key() != "accessType" && kv.key() != "targets")
      return Bad("Property '" + std::string(kv.key()) + "' does not exist on type "
                 "'microsoft.graph.crossTenantAccessPolicyTargetConfiguration'.");
  std::string access = o.contains("accessType") ? Str(o.at("accessType")) : "allowed";
  if (access != "allowed" && access != "blocked")
    return Bad("Property '" + std::string(field) + ".accessType' must be 'allowed' or 'blocked'.");
  t.allowed = access == "allowed";
  if (const auto* arr = o.if_contains("targets")) {
    if (!arr->is_array()) return Bad("Property '" + std::string(field) + ".targets' must be an array.");
    for (const auto& e : arr->as_array()) {
      if (!e.is_object()) return Bad("Each target must be an object.");
      Target x{Str(e.as_object().contains("target") ? e.at("target") : json::value()),
               Str(e.as_object().contains("targetType") ? e.at("targetType") : json::value())};
      if (apps) {
        if (x.target_type != "application" ||
            !(x.target == "AllApplications" || x.target == "Office365" || x.target == "AllMicrosoftApps" ||
              IsUuid(x.target)))
          return Bad("Application targets must have targetType 'application' and a target of 'AllApplications', "
                     "'Office365', 'AllMicrosoftApps' or an application id.");
      } else {
        if (!((x.target == "AllUsers" && x.target_type == "user") ||
              ((x.target_type == "user" || x.target_type == "group") && IsUuid(x.target))))
          return Bad("User targets must be {'AllUsers', 'user'} or a user or group id with targetType 'user' or "
                     "'group'.");
        x.target = x.target == "AllUsers" ? x.target : ToLower(x.target);
      }
      t.targets.push_back(std::move(x));
    }
  }
  if (t.targets.empty()) return Bad("Property '" + std::string(field) + ".targets' needs at least one target.");
  return t;
}

json::object B2BToJson(const B2BSetting& s) {
  return {{"usersAndGroups", TargetConfigToJson(s.users_and_groups)},
          {"applications", TargetConfigToJson(s.applications)}};
}

Status PatchB2B(B2BSetting& s, const json::value& v, std::string_view field) {
  if (!v.is_object()) return Bad("Property '" + std::string(field) + "' must be an object.");
  for (const auto& kv : v.as_object()) {
    if (kv.key() == "usersAndGroups") {
      GH_ASSIGN_OR_RETURN(s.users_and_groups, TargetConfigFromJson(kv.value(), "usersAndGroups", false));
    } else if (kv.key() == "applications") {
      GH_ASSIGN_OR_RETURN(s.applications, TargetConfigFromJson(kv.value(), "applications", true));
    } else {
      return Bad("Property '" + std::string(kv.key()) + "' does not exist on type "
                 "'microsoft.graph.crossTenantAccessPolicyB2BSetting'.");
    }
  }
  return OkStatus();
}

// Properties Graph has on these objects that Gatehouse accepts but does not model.
bool Ignored(std::string_view key) {
  return key == "@odata.context" || key == "@odata.type" || key == "b2bDirectConnectInbound" ||
         key == "b2bDirectConnectOutbound" || key == "inboundTrust" || key == "automaticUserConsentSettings" ||
         key == "tenantRestrictions" || key == "invitationRedemptionIdentityProviderConfiguration" ||
         key == "isInMultiTenantOrganization" || key == "isServiceProvider";
}

}  // namespace

// ---- Graph JSON ------------------------------------------------------------------------

json::object AuthorizationPolicyToJson(const AuthorizationPolicy& p) {
  return {{"id", "authorizationPolicy"},
          {"displayName", "Authorization Policy"},
          {"description", "Used to manage authorization related settings across the company."},
          {"allowInvitesFrom", std::string(AllowInvitesFromName(p.allow_invites_from))},
          {"allowEmailVerifiedUsersToJoinOrganization", p.allow_email_verified_users_to_join},
          {"guestUserRoleId", p.guest_user_role_id},
          {"allowDeviceCodeFlow", p.allow_device_code_flow}};
}

Status PatchAuthorizationPolicy(AuthorizationPolicy& p, const json::object& patch) {
  AuthorizationPolicy next = p;
  for (const auto& kv : patch) {
    std::string_view k = kv.key();
    if (k == "allowInvitesFrom") {
      auto from = directory::ParseAllowInvitesFrom(Str(kv.value()));
      if (!from)
        return Bad("Invalid value for 'allowInvitesFrom': expected none, adminsAndGuestInviters, "
                   "adminsGuestInvitersAndAllMembers or everyone.");
      next.allow_invites_from = *from;
    } else if (k == "guestUserRoleId") {
      std::string v = ToLower(Str(kv.value()));
      if (v != kGuestSameAsMembersRole && v != kGuestLimitedRole && v != kGuestRestrictedRole)
        return Bad("Invalid value for 'guestUserRoleId': use " + std::string(kGuestSameAsMembersRole) +
                   " (same as members), " + std::string(kGuestLimitedRole) + " (limited) or " +
                   std::string(kGuestRestrictedRole) + " (restricted).");
      next.guest_user_role_id = v;
    } else if (k == "allowEmailVerifiedUsersToJoinOrganization") {
      if (!kv.value().is_bool()) return Bad("'allowEmailVerifiedUsersToJoinOrganization' must be true or false.");
      next.allow_email_verified_users_to_join = kv.value().as_bool();
    } else if (k == "allowDeviceCodeFlow") {
      if (!kv.value().is_bool()) return Bad("'allowDeviceCodeFlow' must be true or false.");
      next.allow_device_code_flow = kv.value().as_bool();
    } else if (k == "id" || k == "displayName" || k == "description") {
      return Bad("Property '" + std::string(k) + "' is read-only and cannot be set.");
    } else if (!Ignored(k)) {
      return Bad("Property '" + std::string(k) + "' does not exist on type 'microsoft.graph.authorizationPolicy'.");
    }
  }
  p = next;
  return OkStatus();
}

json::object DomainRestrictionsToJson(const DomainRestrictions& d) {
  json::array domains;
  for (const auto& x : d.domains) domains.emplace_back(x);
  const char* mode = d.mode == DomainRestrictions::Mode::kAllowAll  ? "allowAll"
                     : d.mode == DomainRestrictions::Mode::kDenyList ? "denyList"
                                                                     : "allowList";
  return {{"mode", mode}, {"domains", domains}};
}

Status PatchDomainRestrictions(DomainRestrictions& d, const json::object& patch) {
  DomainRestrictions next = d;
  for (const auto& kv : patch) {
    if (kv.key() == "mode") {
      std::string m = Str(kv.value());
      auto mode = m == "allowAll" ? DomainRestrictions::Mode::kAllowAll
                  : m == "denyList" ? DomainRestrictions::Mode::kDenyList
                  : m == "allowList" ? DomainRestrictions::Mode::kAllowList
                                     : std::optional<DomainRestrictions::Mode>();
      if (!mode) return Bad("Invalid value for 'mode': expected allowAll, denyList or allowList.");
      // One list type at a time: switching discards the list, as in Entra.
      if (*mode != next.mode && !patch.contains("domains")) next.domains.clear();
      next.mode = *mode;
    } else if (kv.key() == "domains") {
      if (!kv.value().is_array()) return Bad("'domains' must be an array of domain names.");
      next.domains.clear();
      for (const auto& e : kv.value().as_array()) {
        std::string dom = ToLower(Str(e));
        GH_RETURN_IF_ERROR(ValidateDomain(dom));
        if (!Has(next.domains, dom)) next.domains.push_back(dom);
      }
    } else {
      return Bad("Property '" + std::string(kv.key()) + "' does not exist on the collaboration restrictions.");
    }
  }
  size_t size = 0;
  for (const auto& x : next.domains) size += x.size() + 1;
  if (size > 25'000) return Bad("The domain list is larger than the 25 KB policy limit.");
  d = next;
  return OkStatus();
}

json::object CrossTenantDefaultToJson(const CrossTenantAccessPolicy& p) {
  return {{"isServiceDefault", p.default_is_service_default},
          {"b2bCollaborationInbound", B2BToJson(p.default_inbound)},
          {"b2bCollaborationOutbound", B2BToJson(p.default_outbound)}};
}

Status PatchCrossTenantDefault(CrossTenantAccessPolicy& p, const json::object& patch) {
  CrossTenantAccessPolicy next = p;
  for (const auto& kv : patch) {
    if (kv.key() == "b2bCollaborationInbound") {
      GH_RETURN_IF_ERROR(PatchB2B(next.default_inbound, kv.value(), "b2bCollaborationInbound"));
    } else if (kv.key() == "b2bCollaborationOutbound") {
      GH_RETURN_IF_ERROR(PatchB2B(next.default_outbound, kv.value(), "b2bCollaborationOutbound"));
    } else if (kv.key() == "isServiceDefault") {
      return Bad("Property 'isServiceDefault' is read-only and cannot be set.");
    } else if (!Ignored(kv.key())) {
      return Bad("Property '" + std::string(kv.key()) + "' does not exist on type "
                 "'microsoft.graph.crossTenantAccessPolicyConfigurationDefault'.");
    }
  }
  next.default_is_service_default = false;
  p = next;
  return OkStatus();
}

json::object PartnerToJson(const PartnerConfiguration& p) {
  return {{"tenantId", p.tenant_id},
          {"b2bCollaborationInbound", p.inbound ? json::value(B2BToJson(*p.inbound)) : json::value(nullptr)},
          {"b2bCollaborationOutbound", p.outbound ? json::value(B2BToJson(*p.outbound)) : json::value(nullptr)},
          {"isServiceProvider", false},
          {"isInMultiTenantOrganization", false}};
}

Status PatchPartner(PartnerConfiguration& p, const json::object& patch) {
  PartnerConfiguration next = p;
  for (const auto& kv : patch) {
    auto apply = [&](std::optional<B2BSetting>& slot, std::string_view field) -> Status {
      if (kv.value().is_null()) {
        slot.reset();  // inherit the default again
        return OkStatus();
      }
      B2BSetting s = slot.value_or(B2BSetting{});
      GH_RETURN_IF_ERROR(PatchB2B(s, kv.value(), field));
      slot = s;
      return OkStatus();
    };
    if (kv.key() == "b2bCollaborationInbound") {
      GH_RETURN_IF_ERROR(apply(next.inbound, "b2bCollaborationInbound"));
    } else if (kv.key() == "b2bCollaborationOutbound") {
      GH_RETURN_IF_ERROR(apply(next.outbound, "b2bCollaborationOutbound"));
    } else if (kv.key() == "tenantId") {
      if (ToLower(Str(kv.value())) != next.tenant_id) return Bad("Property 'tenantId' cannot be changed.");
    } else if (!Ignored(kv.key())) {
      return Bad("Property '" + std::string(kv.key()) + "' does not exist on type "
                 "'microsoft.graph.crossTenantAccessPolicyConfigurationPartner'.");
    }
  }
  p = next;
  return OkStatus();
}

json::object CrossTenantPolicyToJson(const CrossTenantAccessPolicy& p) {
  json::array clouds;
  for (const auto& c : p.allowed_cloud_endpoints) clouds.emplace_back(c);
  return {{"id", "crossTenantAccessPolicy"}, {"displayName", "CrossTenantAccessPolicy"}, {"allowedCloudEndpoints", clouds}};
}

Status PatchCrossTenantPolicy(CrossTenantAccessPolicy& p, const json::object& patch) {
  std::vector<std::string> clouds = p.allowed_cloud_endpoints;
  for (const auto& kv : patch) {
    if (kv.key() == "allowedCloudEndpoints") {
      if (!kv.value().is_array()) return Bad("'allowedCloudEndpoints' must be an array.");
      clouds.clear();
      for (const auto& e : kv.value().as_array()) {
        std::string c = Str(e);
        if (c != "microsoftonline.com" && c != "microsoftonline.us" && c != "partner.microsoftonline.cn")
          return Bad("Invalid cloud endpoint '" + c + "': expected microsoftonline.com, microsoftonline.us or "
                     "partner.microsoftonline.cn.");
        if (!Has(clouds, c)) clouds.push_back(c);
      }
    } else if (kv.key() != "displayName" && !Ignored(kv.key())) {
      return Bad("Property '" + std::string(kv.key()) + "' does not exist on type "
                 "'microsoft.graph.crossTenantAccessPolicy'.");
    }
  }
  p.allowed_cloud_endpoints = clouds;
  return OkStatus();
}

std::string PoliciesToStorage(const Policies& p) {
  json::array partners;
  for (const auto& x : p.cross_tenant.partners) partners.push_back(PartnerToJson(x));
  json::object cross = CrossTenantDefaultToJson(p.cross_tenant);
  cross["partners"] = partners;
  cross["allowedCloudEndpoints"] = CrossTenantPolicyToJson(p.cross_tenant).at("allowedCloudEndpoints");
  return json::serialize(json::object{{"authorizationPolicy", AuthorizationPolicyToJson(p.authorization)},
                                      {"collaborationRestrictions", DomainRestrictionsToJson(p.domains)},
                                      {"crossTenantAccessPolicy", cross}});
}

Policies PoliciesFromStorage(const std::string& text) {
  Policies p;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return p;
  const auto& o = v.as_object();
  auto obj = [&](const json::object& from, std::string_view key) -> const json::object* {
    const auto* x = from.if_contains(key);
    return x && x->is_object() ? &x->as_object() : nullptr;
  };
  if (const auto* a = obj(o, "authorizationPolicy")) {
    json::object patch;
    for (const char* k : {"allowInvitesFrom", "guestUserRoleId", "allowEmailVerifiedUsersToJoinOrganization",
                          "allowDeviceCodeFlow"})
      if (a->contains(k)) patch[k] = a->at(k);
    (void)PatchAuthorizationPolicy(p.authorization, patch);
  }
  if (const auto* d = obj(o, "collaborationRestrictions")) (void)PatchDomainRestrictions(p.domains, *d);
  if (const auto* c = obj(o, "crossTenantAccessPolicy")) {
    json::object def;
    for (const char* k : {"b2bCollaborationInbound", "b2bCollaborationOutbound"})
      if (c->contains(k)) def[k] = c->at(k);
    (void)PatchCrossTenantDefault(p.cross_tenant, def);
    p.cross_tenant.default_is_service_default =
        c->contains("isServiceDefault") && c->at("isServiceDefault").is_bool() && c->at("isServiceDefault").as_bool();
    if (const auto* arr = c->if_contains("partners"); arr && arr->is_array())
      for (const auto& e : arr->as_array()) {
        if (!e.is_object()) continue;
        PartnerConfiguration partner{ToLower(Str(e.as_object().contains("tenantId") ? e.at("tenantId") : json::value())),
                                     std::nullopt, std::nullopt};
        json::object rest = e.as_object();
        rest.erase("tenantId");
        (void)PatchPartner(partner, rest);
        p.cross_tenant.partners.push_back(partner);
      }
    json::object clouds;
    if (c->contains("allowedCloudEndpoints")) clouds["allowedCloudEndpoints"] = c->at("allowedCloudEndpoints");
    (void)PatchCrossTenantPolicy(p.cross_tenant, clouds);
  }
  return p;
}

}  // namespace gh::wire
