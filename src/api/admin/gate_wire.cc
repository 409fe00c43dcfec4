#include "api/admin/gate_wire.h"

#include "api/graph/errors.h"

namespace gh::api {
namespace json = boost::json;

namespace {

wire::AccessCheckItem ItemOf(const gate::Check& c) {
  wire::AccessCheckItem item{std::string(c.id), c.passed, c.sentence.str(), std::nullopt};
  if (!c.passed) item.remedy = wire::Remedy{c.remedy.what.str(), c.remedy.api.str(), c.remedy.cli.str()};
  return item;
}

}  // namespace

json::object DecisionToJson(const gate::Snapshot& snap, const gate::AccessRequest& req, const gate::Decision& d) {
  wire::AccessCheck a;
  a.allowed = d.allowed;
  a.action = std::string(gate::ActionName(d.action));
  a.tenant_id = req.resource_tenant_id;
  a.user.id = req.user_id;
  if (uint32_t u = snap.FindUser(req.user_id); u != gate::kNoIndex) {
    const auto& user = snap.user(u);
    a.user = {user.id, user.user_principal_name, user.display_name, user.guest ? "Guest" : "Member"};
  }
  a.environment_id = req.environment_id;
  a.app_id = req.app_id;
  a.client_id = req.client_id;
  for (const auto& c : d.checks) a.checks.push_back(ItemOf(c));
  a.admin_contact = snap.admin_contact();
  a.snapshot_version = snap.version();
  return wire::ToJson(a);
}

http::Response GateRefusal(http::RouteContext& ctx, const gate::Decision& d) {
  std::string msg = "Access denied by " + std::string(gate::ActionName(d.action)) + ":";
  json::array failed;
  for (const auto& c : d.checks) {
    if (c.passed) continue;
    msg += " [" + std::string(c.id) + "] " + c.sentence.str();
    failed.push_back(wire::ToJson(ItemOf(c)));
  }
  Status st = PermissionDenied(msg, "Authorization_RequestDenied");
  json::object body = GraphErrorBody(ctx.request, st);
  auto& inner = body["error"].as_object()["innerError"].as_object();
  inner["action"] = gate::ActionName(d.action);
  inner["failedChecks"] = failed;
  return http::Response::Json(HttpStatusFor(st), json::serialize(body));
}

}  // namespace gh::api
