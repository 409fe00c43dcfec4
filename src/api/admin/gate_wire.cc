#include "api/admin/gate_wire.h"

#include "api/graph/errors.h"

namespace gh::api {
namespace json = boost::json;

json::object CheckToJson(const gate::Check& c) {
  json::object o{{"id", c.id}, {"passed", c.passed}, {"sentence", c.sentence.str()}};
  if (!c.passed)
    o["remedy"] = json::object{{"what", c.remedy.what.str()}, {"api", c.remedy.api.str()}, {"cli", c.remedy.cli.str()}};
  else
    o["remedy"] = nullptr;
  return o;
}

json::object DecisionToJson(const gate::Snapshot& snap, const gate::AccessRequest& req, const gate::Decision& d) {
  json::array checks, failed;
  for (const auto& c : d.checks) {
    checks.push_back(CheckToJson(c));
    if (!c.passed) failed.emplace_back(c.id);
  }
  uint32_t u = snap.FindUser(req.user_id);
  json::object user = u == gate::kNoIndex ? json::object{{"id", req.user_id}}
                                          : json::object{{"id", snap.user(u).id},
                                                         {"userPrincipalName", snap.user(u).user_principal_name},
                                                         {"displayName", snap.user(u).display_name},
                                                         {"userType", snap.user(u).guest ? "Guest" : "Member"}};
  auto opt = [](const std::string& s) { return s.empty() ? json::value(nullptr) : json::value(s); };
  return {{"allowed", d.allowed},
          {"action", gate::ActionName(d.action)},
          {"tenantId", req.resource_tenant_id},
          {"user", user},
          {"environmentId", opt(req.environment_id)},
          {"appId", opt(req.app_id)},
          {"clientId", opt(req.client_id)},
          {"failedChecks", failed},
          {"checks", checks},
          {"adminContact", snap.admin_contact()},
          {"snapshotVersion", snap.version()}};
}

http::Response GateRefusal(http::RouteContext& ctx, const gate::Decision& d) {
  std::string msg = "Access denied by " + std::string(gate::ActionName(d.action)) + ":";
  json::array failed;
  for (const auto& c : d.checks) {
    if (c.passed) continue;
    msg += " [" + std::string(c.id) + "] " + c.sentence.str();
    failed.push_back(CheckToJson(c));
  }
  Status st = PermissionDenied(msg, "Authorization_RequestDenied");
  json::object body = GraphErrorBody(ctx.request, st);
  auto& inner = body["error"].as_object()["innerError"].as_object();
  inner["action"] = gate::ActionName(d.action);
  inner["failedChecks"] = failed;
  return http::Response::Json(HttpStatusFor(st), json::serialize(body));
}

}  // namespace gh::api
