#include "environments/model/types.h"

#include <algorithm>

namespace gh::environments {

std::string_view TypeName(EnvironmentType t) {
  switch (t) {
    case EnvironmentType::kDefault: return "Default";
    case EnvironmentType::kProduction: return "Production";
    case EnvironmentType::kSandbox: return "Sandbox";
    case EnvironmentType::kDeveloper: return "Developer";
    case EnvironmentType::kTrial: return "Trial";
  }
  return "Production";
}

std::optional<EnvironmentType> ParseType(std::string_view s) {
  for (auto t : {EnvironmentType::kDefault, EnvironmentType::kProduction, EnvironmentType::kSandbox,
                 EnvironmentType::kDeveloper, EnvironmentType::kTrial})
    if (TypeName(t) == s) return t;
  return std::nullopt;
}

std::string_view StateName(EnvironmentState s) {
  switch (s) {
    case EnvironmentState::kEnabled: return "enabled";
    case EnvironmentState::kDisabled: return "disabled";
    case EnvironmentState::kAdminMode: return "adminMode";
  }
  return "enabled";
}

std::optional<EnvironmentState> ParseState(std::string_view s) {
  for (auto st : {EnvironmentState::kEnabled, EnvironmentState::kDisabled, EnvironmentState::kAdminMode})
    if (StateName(st) == s) return st;
  return std::nullopt;
}

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
