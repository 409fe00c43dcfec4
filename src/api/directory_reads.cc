#include "api/directory_reads.h"

#include "api/handler_util.h"
#include "api/permissions.h"
#include "core/strings.h"
#include "identity/signin.h"

namespace gh::api {

Status AuthorizeDirectoryRead(Services& s, const http::RouteContext& ctx, DirectoryRead read,
                              std::string_view target) {
  const identity::Principal* p = ctx.principal;
  const Status denied =
      PermissionDenied("Insufficient privileges to complete the operation.", "Authorization_RequestDenied");
  const bool get = read == DirectoryRead::kGetUser || read == DirectoryRead::kGetGroup;
  // Personal accounts share one tenant but are strangers to each other: it
  // has no directory to read, only each account's own profile.
  if (p != nullptr && p->tenant_id == wire::kConsumersTenantId) {
    return read == DirectoryRead::kGetUser && p->kind == identity::PrincipalKind::kUser &&
                   ToLower(std::string(target)) == p->object_id
               ? OkStatus()
               : denied;
  }
  if (p == nullptr || p->kind != identity::PrincipalKind::kUser) return OkStatus();
  const bool groups = read == DirectoryRead::kListGroups || read == DirectoryRead::kGetGroup;
  // Role holders are admitted by the route's own rule, as before.
  static const http::Permission kUsersByRole = perm::UsersRead();
  static const http::Permission kGroupsByRole = perm::GroupsRead();
  if ((groups ? kGroupsByRole : kUsersByRole).allows(*p)) return OkStatus();
  if (!HasDirectoryReadScope(*p, groups)) return denied;
  // A get names its object; a list (target "") enumerates. A get whose
  // target is empty can't happen (the router needs the segment).
  GH_ASSIGN_OR_RETURN(CallerDecision read_decision,
                      DecideForCaller(s, ctx, gate::Action::kDirectoryRead, get ? target : std::string_view()));
  return read_decision.decision.allowed ? OkStatus() : denied;
}

StatusOr<CallerDecision> DecideForCaller(Services& s, const http::RouteContext& ctx, gate::Action action,
                                         std::string_view target) {
  if (!s.gate) return Internal("The access gate is not configured.");
  GH_ASSIGN_OR_RETURN(auto snap, s.gate->Get(TenantOf(ctx)));
  gate::AccessRequest req;
  req.resource_tenant_id = TenantOf(ctx);
  req.user_id = ctx.principal->object_id;
  req.action = action;
  req.target_id = std::string(target);
  gate::Decision decision = gate::Decide(*snap, req);
  return CallerDecision{std::move(snap), std::move(decision)};
}

}  // namespace gh::api
