#pragma once
// Delegated directory reads: what a user may read with their own token when
// no directory role admits them. Members read users and groups; guests as the
// tenant's authorizationPolicy.guestUserRoleId says:
//   same as members: like a member;
//   limited (the default): their own profile, and other users and groups by
//     id, but no lists (no enumeration);
//   restricted: their own profile only.
// Apps and role holders are decided by the route's permission alone. Writes
// are not covered: they keep needing a role or an application permission.
#include <string_view>

#include "api/services.h"
#include "core/status.h"
#include "http/router.h"

namespace gh::api {

enum class DirectoryRead { kListUsers, kGetUser, kListGroups, kGetGroup };

// The guest rule on its own (pure). `self` is true when a kGetUser targets
// the guest's own object. Unknown levels are treated as restricted.
bool GuestMayRead(std::string_view guest_user_role_id, DirectoryRead read, bool self);

// OK when the request's caller may make `read`; `target` is the {id} path
// segment of a get (object id or userPrincipalName). Looks up the caller's
// userType and the tenant's policy, so call it from the handler after the
// route's permission (UsersReadDelegated / GroupsReadDelegated) admitted the
// caller. PermissionDenied "Authorization_RequestDenied" otherwise; store
// errors pass through.
Status AuthorizeDirectoryRead(Services& s, const http::RouteContext& ctx, DirectoryRead read,
                              std::string_view target = {});

}  // namespace gh::api
