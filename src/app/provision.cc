#include "app/provision.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "core/strings.h"
#include "directory/model/validation.h"
#include "identity/secrets.h"

namespace gh::app {
namespace json = boost::json;
using directory::Actor;

namespace {

// Created 0600 (not chmod-ed after the fact, when others could already have
// opened it): the demo's passwords and Bob's working invitation link.
Status WriteOwnerOnly(const std::string& path, const std::string& content) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Internal("Could not write '" + path + "'.");
  bool ok = ::fchmod(fd, 0600) == 0 &&
            ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
  ok = ::close(fd) == 0 && ok;
  return ok ? OkStatus() : Internal("Could not write '" + path + "'.");
}

}  // namespace

StatusOr<ProvisionResult> Provisioner::CreateTenant(const ProvisionRequest& req) {
  GH_RETURN_IF_ERROR(directory::ValidateEmail("admin", req.admin_email));
  if (directory::DomainOf(req.admin_email) != ToLower(req.domain))
    return InvalidArgument("The admin's address must be in the tenant's domain '" + req.domain + "'.");
  GH_RETURN_IF_ERROR(identity::ValidatePasswordStrength(req.admin_password));
  ProvisionResult out;
  Actor system = Actor::System();
  GH_ASSIGN_OR_RETURN(out.tenant, directory_.CreateTenant(system, req.tenant_name, req.domain, req.cloud));
  directory::NewUser admin;
  admin.user_principal_name = ToLower(req.admin_email);
  admin.display_name = req.tenant_name + " Administrator";
  admin.mail_nickname = admin.user_principal_name.substr(0, admin.user_principal_name.find('@'));
  admin.mail = admin.user_principal_name;
  admin.password = req.admin_password;
  GH_ASSIGN_OR_RETURN(out.admin, directory_.CreateUser(system, out.tenant.id, admin));
  GH_RETURN_IF_ERROR(directory_.AssignRole(system, out.tenant.id, std::string(directory::kGlobalAdministratorRole),
                                           out.admin.id)
                         .status());
  GH_ASSIGN_OR_RETURN(auto client, clients_.RegisterConfidential(system, out.tenant.id, "Gatehouse automation",
                                                                 identity::AutomationPermissions()));
  out.client_id = client.client.app_id;
  out.client_secret = client.secret;
  return out;
}

namespace {

struct DemoUser {
  const char* upn;
  const char* display;
  const char* given;
  const char* surname;
  const char* job;
  const char* role;  // directory role template id or nullptr
};

StatusOr<json::object> CreateDemoTenant(Provisioner& p, directory::DirectoryService& dir, const char* name,
                                        const char* domain, const char* password,
                                        const std::vector<DemoUser>& users,
                                        const std::vector<std::pair<const char*, bool>>& groups) {
  ProvisionRequest req{name, domain, std::string("admin@") + domain, password, directory::Cloud::kCommercial};
  GH_ASSIGN_OR_RETURN(auto res, p.CreateTenant(req));
  Actor system = Actor::System();
  json::array people;
  std::vector<std::string> ids;
  for (const auto& u : users) {
    directory::NewUser nu;
    nu.user_principal_name = u.upn;
    nu.display_name = u.display;
    nu.given_name = std::string(u.given);
    nu.surname = std::string(u.surname);
    nu.job_title = std::string(u.job);
    nu.mail = std::string(u.upn);
    nu.mail_nickname = std::string(u.upn).substr(0, std::string(u.upn).find('@'));
    nu.password = password;
    GH_ASSIGN_OR_RETURN(auto created, dir.CreateUser(system, res.tenant.id, nu));
    if (u.role) GH_RETURN_IF_ERROR(dir.AssignRole(system, res.tenant.id, u.role, created.id).status());
    ids.push_back(created.id);
    people.push_back(json::object{{"userPrincipalName", u.upn}, {"password", password}, {"jobTitle", u.job}});
  }
  json::array group_names;
  for (const auto& [gname, unified] : groups) {
    directory::NewGroup ng;
    ng.display_name = gname;
    std::string nick;
    for (const char* c = gname; *c; ++c)
      if (std::isalnum(static_cast<unsigned char>(*c))) nick += static_cast<char>(std::tolower(*c));
    ng.mail_nickname = nick;
    ng.mail_enabled = unified;
    ng.security_enabled = !unified;
    if (unified) ng.group_types = {"Unified"};
    GH_ASSIGN_OR_RETURN(auto g, dir.CreateGroup(system, res.tenant.id, ng));
    for (size_t i = 0; i < ids.size(); i += 2) GH_RETURN_IF_ERROR(dir.AddMember(system, res.tenant.id, g.id, ids[i]));
    group_names.push_back(json::string(gname));
  }
  return json::object{{"tenant", name},
                      {"tenantId", res.tenant.id},
                      {"domain", domain},
                      {"admin", json::object{{"userPrincipalName", res.admin.user_principal_name},
                                             {"password", password}}},
                      {"users", people},
                      {"groups", group_names},
                      {"clientId", res.client_id},
                      {"clientSecret", res.client_secret}};
}

}  // namespace

StatusOr<std::string> Provisioner::EnsureDemo(const std::string& credentials_file) {
  if (directory_.ResolveTenant("contoso.com").ok()) {
    std::ifstream in(credentials_file);
    if (!in) return FailedPrecondition("The demo tenants exist but their credentials file '" + credentials_file +
                                       "' is missing.");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  const char* user_admin = directory::kUserAdministratorRole.data();
  const char* pp_admin = directory::kPowerPlatformAdministratorRole.data();
  GH_ASSIGN_OR_RETURN(
      auto contoso,
      CreateDemoTenant(*this, directory_, "Contoso", "contoso.com", "Contoso-Demo-2026!",
                       {{"adele@contoso.com", "Adele Vance", "Adele", "Vance", "User Administrator", user_admin},
                        {"megan@contoso.com", "Megan Bowen", "Megan", "Bowen", "Power Platform admin", pp_admin},
                        {"alex@contoso.com", "Alex Wilber", "Alex", "Wilber", "Sales manager", nullptr},
                        {"lynne@contoso.com", "Lynne Robbins", "Lynne", "Robbins", "Sales representative", nullptr}},
                       {{"Contoso Sales", false}, {"Contoso Marketing", true}}));
  GH_ASSIGN_OR_RETURN(
      auto fabrikam,
      CreateDemoTenant(*this, directory_, "Fabrikam", "fabrikam.com", "Fabrikam-Demo-2026!",
                       {{"alice@fabrikam.com", "Alice Smith", "Alice", "Smith", "Consultant", nullptr},
                        {"bob@fabrikam.com", "Bob Jones", "Bob", "Jones", "Engineer", nullptr}},
                       {{"Fabrikam Consultants", false}}));
  std::string text = json::serialize(json::object{{"tenants", json::array{contoso, fabrikam}}});
  GH_RETURN_IF_ERROR(WriteOwnerOnly(credentials_file, text + "\n"));
  return text;
}

StatusOr<std::string> Provisioner::EnsureDemoWorkspace(licensing::LicensingService& licensing,
                                                       environments::EnvironmentService& environments,
                                                       invitations::InvitationService& invitations,
                                                       const std::string& invitation_file,
                                                       const std::string& redirect_url) {
  GH_ASSIGN_OR_RETURN(auto contoso, directory_.ResolveTenant("contoso.com"));
  Actor system = Actor::System();
  GH_RETURN_IF_ERROR(licensing::SeedDemoSkus(licensing, system, contoso.id));
  directory::ListQuery q;
  q.tenant_id = contoso.id;
  q.filter = std::make_shared<FilterExpr>(
      FilterExpr{FilterOp::kEq, "displayName", {std::string("Contoso Sales")}, {}});
  GH_ASSIGN_OR_RETURN(auto groups, directory_.ListGroups(q));
  std::string sales_group = groups.items.empty() ? "" : groups.items.front().id;
  GH_RETURN_IF_ERROR(environments::SeedDemo(environments, system, contoso.id, sales_group));
  if (std::ifstream in(invitation_file); in) {
    std::string link;
    std::getline(in, link);
    return link;
  }
  // Contoso's Global Administrator invites (an app may not while invitations
  // are limited to administrators, the seed's setting).
  GH_ASSIGN_OR_RETURN(auto admin, directory_.GetUser(contoso.id, "admin@contoso.com"));
  invitations::Inviter inviter{admin.id, admin.display_name, "admin@contoso.com", false, {},
                               {std::string(directory::kGlobalAdministratorRole)}, /*scopes: no token*/ {}};
  invitations::InvitationRequest req;
  req.email = "bob@fabrikam.com";
  req.display_name = "Bob Jones (Fabrikam)";
  req.redirect_url = redirect_url;
  req.send_message = true;
  req.custom_message = "Welcome to Contoso's sales workspace. Accept to get started.";
  GH_ASSIGN_OR_RETURN(auto res, invitations.Invite(inviter, contoso.id, req));
  GH_RETURN_IF_ERROR(WriteOwnerOnly(invitation_file, res.redeem_url + "\n"));
  return res.redeem_url;
}

}  // namespace gh::app
