#pragma once
// Delegated directory reads: what a user may read with their own token when
// no directory role admits them. Members read users and groups; guests as the
// tenant's authorizationPolicy.guestUserRoleId says — a rule of the gate
// (gate::Decide, action directory.read: same as members / limited: by id, no
// lists / restricted: their own profile only), asked here. Personal accounts
// read only their own profile. Apps and role holders are decided by the
// route's permission alone. Writes are not covered: they keep needing a role
// or an application permission.
#include <memory>
#include <string_view>

#include "api/services.h"
#include "core/status.h"
#include "gate/decision.h"
#include "gate/snapshot.h"
#include "http/router.h"

namespace gh::api {

enum class DirectoryRead { kListUsers, kGetUser, kListGroups, kGetGroup };

// OK when the request's caller may make `read`; `target` is the {id} path
// segment of a get (object id or userPrincipalName). Call it from the handler
// after the route's permission (UsersReadDelegated / GroupsReadDelegated)
// admitted the caller. PermissionDenied "Authorization_RequestDenied"
// otherwise; errors of the gate's snapshot pass through.
Status AuthorizeDirectoryRead(Services& s, const http::RouteContext& ctx, DirectoryRead read,
                              std::string_view target = {});

// The gate's decision on `action` (about `target`, if any) for the calling
// user in the route's tenant: how directory routes ask the gate's rules
// (directory.read here, group.create for Microsoft 365 groups). The decision
// comes with the snapshot it was made on, which its texts read when they are
// rendered. The caller must be a user. Errors of the snapshot pass through.
struct CallerDecision {
  std::shared_ptr<const gate::Snapshot> snapshot;
  gate::Decision decision;
};
StatusOr<CallerDecision> DecideForCaller(Services& s, const http::RouteContext& ctx, gate::Action action,
                                         std::string_view target = {});

}  // namespace gh::api
