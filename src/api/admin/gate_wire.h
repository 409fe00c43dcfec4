#pragma once
// The gate's decision on the wire: the access/check response and the 403
// Graph error a refused action returns (its message lists the failed checks,
// innerError carries them with their remedies).
#include <boost/json.hpp>

#include "gate/decision.h"
#include "gate/snapshot.h"
#include "http/router.h"
#include "wire/access_check.h"

namespace gh::api {

boost::json::object DecisionToJson(const gate::Snapshot& snap, const gate::AccessRequest& req,
                                   const gate::Decision& d);
// 403 {"error":{"code":"Authorization_RequestDenied","message":…,"innerError":{…,"failedChecks":[…]}}}
http::Response GateRefusal(http::RouteContext& ctx, const gate::Decision& d);

}  // namespace gh::api
