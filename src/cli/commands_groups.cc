// Group commands: list, create (security or Microsoft 365), add a member —
// what environment security groups and the Microsoft 365 checks ask for.
#include "cli/commands_internal.h"
#include "wire/mail_nickname.h"

namespace gh::cli::internal {
namespace json = boost::json;

namespace {

struct GroupOptions {
  std::string group, member, name, description;
  bool microsoft365 = false;
};

}  // namespace

void RegisterGroupCommands(Registrar& r, CLI::App& app) {
  CommonFlags& f = r.flags;
  auto g = std::make_shared<GroupOptions>();
  const std::vector<Column> columns{{"id", "id"},
                                    {"displayName", "displayName"},
                                    {"groupTypes", "groupTypes"},
                                    {"securityEnabled", "securityEnabled"},
                                    {"mailEnabled", "mailEnabled"}};
  CLI::App* groups = Registrar::Group(&app, "groups", "List and create groups, add members");
  r.Command(groups, "list", "List groups", true, [&f, columns]() -> Status {
    GH_ASSIGN_OR_RETURN(auto format, FormatOf(f));
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    GH_ASSIGN_OR_RETURN(auto rows, c.api->List("/v1.0/groups", true));
    Out(FormatRows(rows, columns, format));
    return OkStatus();
  });

  CLI::App* create = r.Command(groups, "create", "Create a security group, or a Microsoft 365 group", true,
                               [&f, g, columns]() -> Status {
    GH_ASSIGN_OR_RETURN(auto format, FormatOf(f));
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    const std::string nickname = wire::MailNicknameFrom(g->name);  // as the portal makes it
    json::object body{{"displayName", g->name},
                      {"mailNickname", nickname.empty() ? "group" : nickname},
                      {"mailEnabled", g->microsoft365},
                      {"securityEnabled", !g->microsoft365}};
    if (g->microsoft365) body["groupTypes"] = json::array{"Unified"};
    if (!g->description.empty()) body["description"] = g->description;
    GH_ASSIGN_OR_RETURN(auto created, c.api->Post("/v1.0/groups", body));
    if (!created.is_object()) return Internal("error InvalidResponse: not a group");
    PrintObject(created.as_object(), columns, format);
    return OkStatus();
  });
  create->add_option("name", g->name, "Display name")->required();
  create->add_option("--description", g->description, "Description");
  create->add_flag("--microsoft365", g->microsoft365, "A Microsoft 365 group (mail-enabled, groupTypes Unified)");

  CLI::App* add = r.Command(groups, "add-member", "Add a user (or group) to a group", false, [&f, g]() -> Status {
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    GH_ASSIGN_OR_RETURN(auto group_id, ResolveGroupId(*c.api, g->group));
    GH_ASSIGN_OR_RETURN(auto member_id, ResolvePrincipalId(*c.api, g->member));
    GH_RETURN_IF_ERROR(c.api->Post("/v1.0/groups/" + Escape(group_id) + "/members/$ref",
                                   json::object{{"@odata.id", c.server + "/v1.0/directoryObjects/" + member_id}})
                           .status());
    Err("Added " + g->member + " to " + g->group);
    return OkStatus();
  });
  add->add_option("group", g->group, "Group id or name")->required();
  add->add_option("member", g->member, "User (id, UPN or mail) or group (id or name)")->required();
}

}  // namespace gh::cli::internal
