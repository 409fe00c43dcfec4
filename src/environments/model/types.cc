#include "environments/model/types.h"

#include <algorithm>

#include "core/enum_names.h"

namespace gh::environments {

namespace {

constexpr auto kTypeNames = std::to_array<EnumName<EnvironmentType>>({
    {EnvironmentType::kDefault, "Default"},
    {EnvironmentType::kProduction, "Production"},
    {EnvironmentType::kSandbox, "Sandbox"},
    {EnvironmentType::kDeveloper, "Developer"},
    {EnvironmentType::kTrial, "Trial"},
});
static_assert(AreDistinct(kTypeNames));

constexpr auto kStateNames = std::to_array<EnumName<EnvironmentState>>({
    {EnvironmentState::kEnabled, "enabled"},
    {EnvironmentState::kDisabled, "disabled"},
    {EnvironmentState::kAdminMode, "adminMode"},
});
static_assert(AreDistinct(kStateNames));

}  // namespace

std::string_view TypeName(EnvironmentType t) { return NameOf(kTypeNames, t); }
std::optional<EnvironmentType> ParseType(std::string_view s) { return FromName(kTypeNames, s); }

std::string_view StateName(EnvironmentState s) { return NameOf(kStateNames, s); }
std::optional<EnvironmentState> ParseState(std::string_view s) { return FromName(kStateNames, s); }

const std::vector<std::string_view>& AllPrivileges() {
  static const std::vector<std::string_view> p = {kCreateCanvasApp, kCreateModelDrivenApp, kImportSolution,
                                                  kExportSolution,  kReadData,             kWriteData,
                                                  kShareApps,       kCustomize,            kAdminister};
  return p;
}

bool SecurityRole::Grants(std::string_view privilege) const {
  return std::find(privileges.begin(), privileges.end(), privilege) != privileges.end();
}

// Privileges follow Microsoft's descriptions of the predefined roles
// (learn.microsoft.com/power-platform/admin/database-security): the Environment
// Maker creates and shares canvas apps but has no data access; solution and
// model-driven work needs System Customizer; Basic User and Service
// Reader/Writer work with data only.
const std::vector<RoleTemplate>& PredefinedRoles(bool dataverse) {
  static const std::vector<RoleTemplate> with = {
      {kSystemAdministrator, AllPrivileges()},
      {"System Customizer",
       {kCreateCanvasApp, kCreateModelDrivenApp, kImportSolution, kExportSolution, kCustomize, kReadData, kWriteData,
        kShareApps}},
      {kEnvironmentMaker, {kCreateCanvasApp, kShareApps}},
      {"Basic User", {kReadData, kWriteData}},
      {"Service Reader", {kReadData}},
      {"Service Writer", {kReadData, kWriteData}},
      {"Delegate", {}},
      {"Support User", {}},
      {"Office Collaborator", {kReadData}},
  };
  static const std::vector<RoleTemplate> without = {
      {kEnvironmentAdmin, {kCreateCanvasApp, kShareApps, kCustomize, kAdminister}},
      {kEnvironmentMaker, {kCreateCanvasApp, kShareApps}},
  };
  return dataverse ? with : without;
}

}  // namespace gh::environments
