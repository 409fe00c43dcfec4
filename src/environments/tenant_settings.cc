#include "environments/tenant_settings.h"

namespace gh::environments {
namespace json = boost::json;
namespace {

Status Bad(std::string m) { return InvalidArgument(std::move(m), "Request_BadRequest"); }

std::string_view KindName(const json::value& v) {
  if (v.is_bool()) return "boolean";
  if (v.is_int64() || v.is_uint64()) return "integer";
  if (v.is_string()) return "string";
  if (v.is_object()) return "object";
  return "value";
}

bool SameKind(const json::value& want, const json::value& got) {
  if (want.is_bool()) return got.is_bool();
  if (want.is_int64() || want.is_uint64()) return got.is_int64() || got.is_uint64();
  if (want.is_string()) return got.is_string();
  if (want.is_object()) return got.is_object();
  return false;
}

// Checks `patch` against the schema (the defaults) before anything changes.
Status Validate(const json::object& schema, const json::object& patch, const std::string& prefix) {
  for (const auto& [key, value] : patch) {
    std::string path = prefix.empty() ? std::string(key) : prefix + "." + std::string(key);
    auto it = schema.find(key);
    if (it == schema.end()) return Bad("Unknown tenant setting '" + path + "'.");
    if (!SameKind(it->value(), value))
      return Bad("Invalid value for tenant setting '" + path + "': expected a " +
                 std::string(KindName(it->value())) + ".");
    if (value.is_object()) GH_RETURN_IF_ERROR(Validate(it->value().as_object(), value.as_object(), path));
  }
  return OkStatus();
}

void Merge(json::object& doc, const json::object& patch) {
  for (const auto& [key, value] : patch) {
    if (value.is_object() && doc.contains(key) && doc[key].is_object()) Merge(doc[key].as_object(), value.as_object());
    else doc[key] = value;
  }
}

json::object Flags(std::initializer_list<std::string_view> names) {
  json::object o;
  for (auto n : names) o[n] = false;
  return o;
}

}  // namespace

const json::object& DefaultTenantSettings() {
  static const json::object d = [] {
    json::object doc = Flags({"walkMeOptOut", "disableNPSCommentsReachout", "disableNewsletterSendout",
                              "disableEnvironmentCreationByNonAdminUsers", "disablePortalsCreationByNonAdminUsers",
                              "disableSurveyFeedback", "disableUserInitiatedFeedback", "disableSurveyScreenshots",
                              "disableTrialEnvironmentCreationByNonAdminUsers",
                              "disableCapacityAllocationByEnvironmentAdmins",
                              "disableSupportTicketsVisibleByAllUsers"});
    json::object pp;
    pp["search"] = Flags({"disableDocsSearch", "disableCommunitySearch", "disableBingVideoSearch"});
    pp["teamsIntegration"] = json::object{{"shareWithColleaguesUserLimit", 10000}};
    pp["powerApps"] = Flags({"disableShareWithEveryone", "enableGuestsToMake", "disableMakerMatch",
                             "disableUnusedLicenseAssignment", "disableCreateFromImage", "disableCreateFromFigma",
                             "disableConnectionSharingWithEveryone", "disableCopilot", "enableCanvasAppInsights",
                             "disableMembersIndicator"});
    pp["powerAutomate"] = Flags({"disableCopilot", "disableCopilotWithBing", "enableComputerUseSharedMachines",
                                 "disableFlowRunResubmission"});
    json::object envs = Flags({"disablePreferredDataLocationForTeamsEnvironment"});
    envs["preferredEnvironmentLocation"] = "";
    pp["environments"] = envs;
    json::object gov = Flags({"disableAdminDigest", "disableDeveloperEnvironmentCreationByNonAdminUsers",
                              "enableDefaultEnvironmentRouting"});
    gov["additionalAdminDigestEmailRecipients"] = "";
    gov["environmentRoutingTargetSecurityGroupId"] = "";
    gov["environmentRoutingTargetEnvironmentGroupId"] = "";
    gov["policy"] = Flags({"enableDesktopFlowDataPolicyManagement", "enableAzureCommercialConnectionsFromUsGov"});
    pp["governance"] = gov;
    json::object lic = Flags({"disableBillingPolicyCreationByNonAdminUsers", "enableTenantCapacityReportForEnvironmentAdmins",
                              "enableTenantLicensingReportForEnvironmentAdmins"});
    lic["storageCapacityConsumptionWarningThreshold"] = 85;
    lic["disableUseOfUnassignedAIBuilderCredits"] = true;
    lic["applyAutoClaimToOnlyManagedEnvironments"] = true;
    pp["licensing"] = lic;
    pp["powerPages"] = json::object{};
    pp["champions"] = Flags({"disableChampionsInvitationReachout", "disableSkillsMatchInvitationReachout"});
    json::object intel = Flags({"disableCopilot", "enableOpenAiBotPublishing", "disableCopilotFeedback"});
    intel["disableCopilotFeedbackMetadata"] = true;
    pp["intelligence"] = intel;
    pp["modelExperimentation"] = Flags({"enableModelDataSharing", "disableDataLogging"});
    pp["catalogSettings"] = json::object{{"powerCatalogAudienceSetting", "All"}};
    pp["userManagementSettings"] = Flags({"enableDeleteDisabledUserinAllEnvironments"});
    doc["powerPlatform"] = pp;
    return doc;
  }();
  return d;
}

Status MergeTenantSettings(json::object& doc, const json::object& patch) {
  GH_RETURN_IF_ERROR(Validate(DefaultTenantSettings(), patch, ""));
  Merge(doc, patch);
  return OkStatus();
}

StatusOr<json::object> TenantSettingsIn(store::Transaction& tx, const std::string& tenant_id) {
  json::object doc = DefaultTenantSettings();
  auto stored = tx.GetDocument(tenant_id, std::string(kTenantSettingsDocument));
  if (!stored.ok()) {
    if (stored.status().code() == Code::kNotFound) return doc;
    return stored.status();
  }
  boost::system::error_code ec;
  json::value v = json::parse(*stored, ec);
  // A stored document always passed validation; keys that a later version
  // dropped are ignored rather than failing reads.
  if (!ec && v.is_object()) Merge(doc, v.as_object());
  return doc;
}

bool SettingFlag(const json::object& doc, std::string_view dotted_path) {
  const json::object* cur = &doc;
  while (true) {
    auto dot = dotted_path.find('.');
    auto it = cur->find(dotted_path.substr(0, dot));
    if (it == cur->end()) return false;
    if (dot == std::string_view::npos) return it->value().is_bool() && it->value().as_bool();
    if (!it->value().is_object()) return false;
    cur = &it->value().as_object();
    dotted_path = dotted_path.substr(dot + 1);
  }
}

StatusOr<json::object> TenantSettingsService::Get(const std::string& tenant_id) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  GH_RETURN_IF_ERROR(tx->GetTenant(tenant_id).status());
  return TenantSettingsIn(*tx, tenant_id);
}

StatusOr<json::object> TenantSettingsService::Update(const directory::Actor& actor, const std::string& tenant_id,
                                                     const json::object& body, bool replace) {
  GH_RETURN_IF_ERROR(Validate(DefaultTenantSettings(), body, ""));
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  GH_ASSIGN_OR_RETURN(auto tenant, tx->GetTenant(tenant_id));
  json::object doc = DefaultTenantSettings();
  if (!replace) { GH_ASSIGN_OR_RETURN(doc, TenantSettingsIn(*tx, tenant_id)); }
  Merge(doc, body);
  const int64_t now = clock_.NowMillis();
  GH_RETURN_IF_ERROR(tx->PutDocument(tenant_id, std::string(kTenantSettingsDocument), json::serialize(doc), now));
  GH_RETURN_IF_ERROR(tx->InsertAudit(directory::MakeAuditEntry(
      random_, clock_, actor, tenant_id, "TenantSettings", "Update tenant settings", "TenantSettings", tenant_id,
      tenant.name, json::serialize(json::object{{"modifiedProperties", body}, {"replace", replace}}))));
  GH_RETURN_IF_ERROR(tx->Commit());
  return doc;
}

}  // namespace gh::environments
