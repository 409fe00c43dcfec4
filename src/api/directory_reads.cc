#include "api/directory_reads.h"

#include "api/handler_util.h"
#include "api/permissions.h"
#include "core/random.h"
#include "directory/policies.h"
#include "identity/signin.h"

namespace gh::api {

bool GuestMayRead(std::string_view level, DirectoryRead read, bool self) {
  if (level == directory::kGuestSameAsMembersRole) return true;
  if (level == directory::kGuestLimitedRole) return read == DirectoryRead::kGetUser || read == DirectoryRead::kGetGroup;
  return read == DirectoryRead::kGetUser && self;  // restricted, and anything unrecognised
}

Status AuthorizeDirectoryRead(Services& s, const http::RouteContext& ctx, DirectoryRead read,
                              std::string_view target) {
  const identity::Principal* p = ctx.principal;
  const Status denied =
      PermissionDenied("Insufficient privileges to complete the operation.", "Authorization_RequestDenied");
  // Personal accounts share one tenant but are strangers to each other: it
  // has no directory to read, only each account's own profile.
  if (p != nullptr && p->tenant_id == identity::kConsumersTenantId) {
    const std::string t = ToLower(std::string(target));
    return read == DirectoryRead::kGetUser && p->kind == identity::PrincipalKind::kUser && t == p->object_id
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
  const std::string& tenant_id = TenantOf(ctx);
  auto caller = s.directory.GetUser(tenant_id, p->object_id);
  if (!caller.ok()) return caller.status().code() == Code::kNotFound ? denied : caller.status();
  if (!caller->account_enabled) return denied;
  if (caller->user_type != directory::UserType::kGuest) return OkStatus();
  GH_ASSIGN_OR_RETURN(auto policies, s.policies.Get(tenant_id));
  const std::string t = ToLower(std::string(target));
  const bool self = !t.empty() && (t == caller->id || t == ToLower(caller->user_principal_name));
  return GuestMayRead(policies.authorization.guest_user_role_id, read, self) ? OkStatus() : denied;
}

}  // namespace gh::api
