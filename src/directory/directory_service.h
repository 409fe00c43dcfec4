#pragma once
// The directory's write and read operations with their rules: users, groups,
// memberships and directory role assignments, each write audited in the same
// transaction. Callers have already been authenticated and admitted for the
// kind of operation by the route table; this module checks the data
// (validity, uniqueness, tenant confinement) and who may act on this target
// (directory/model/privileges.h: privileged users, role-assignable groups).
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/random.h"
#include "core/status.h"
#include "core/filter.h"
#include "directory/directory_cache.h"
#include "directory/model/actor.h"
#include "directory/model/types.h"
#include "store/store.h"

namespace gh::directory {


// An audit entry for a write by `actor`, stamped with a new id and the time;
// every module's writes build theirs with this.
AuditEntry MakeAuditEntry(Random& random, const Clock& clock, const Actor& actor, const std::string& tenant_id,
                          std::string category, std::string activity, std::string target_type,
                          const std::string& target_id, const std::string& target_name,
                          std::string details_json = "{}");

// Fields a caller may set when creating a user; unset optionals stay null.
struct NewUser {
  std::string user_principal_name;
  std::string display_name;
  std::string mail_nickname;
  std::string password;  // required for members created directly
  bool account_enabled = true;
  UserType user_type = UserType::kMember;
  std::optional<std::string> mail, given_name, surname, job_title, company_name, usage_location,
      preferred_language;
  std::vector<std::string> other_mails;
};

// A partial update: only engaged fields change. An engaged empty optional
// inside (e.g. given_name = std::optional<std::string>{}) clears the field.
struct UserPatch {
  std::optional<std::string> display_name, user_principal_name, mail_nickname, password;
  std::optional<std::optional<std::string>> mail, given_name, surname, job_title, company_name, usage_location,
      preferred_language;
  std::optional<bool> account_enabled;
  std::optional<UserType> user_type;
  std::optional<std::vector<std::string>> other_mails;
  bool empty() const;
  bool only_password() const;  // a password reset and nothing else
};

struct NewGroup {
  std::string display_name;
  std::string mail_nickname;
  std::optional<std::string> description;
  bool mail_enabled = false;
  bool security_enabled = true;
  std::vector<std::string> group_types;
  bool is_assignable_to_role = false;  // only Global / Privileged Role Administrators may set it
};

struct GroupPatch {
  std::optional<std::string> display_name, mail_nickname;
  std::optional<std::optional<std::string>> description;
  std::optional<bool> security_enabled, mail_enabled;
  bool empty() const;
};

// Which users or groups to list, a page at a time. Rows come ordered by id;
// `after` is the last id of the previous page (keyset paging, so concurrent
// inserts neither repeat nor skip earlier rows). `filter` names Graph
// properties its maker has checked are filterable (the API: http::ParseFilter
// over api/graph's UserFilterable/GroupFilterable; the portal builds its own
// from those names); any other name is an Internal error.
struct ListQuery {
  std::string tenant_id;
  FilterPtr filter;      // may be null
  int top = 100;
  std::string after;     // empty = from the start
  bool count = false;    // also count every row the filter matches (Page::count)
};

// A member of a group as listed: the object and its kind.
struct Member {
  MemberKind kind;
  std::optional<User> user;
  std::optional<Group> group;
};

using PasswordHasher = std::function<StatusOr<std::string>(std::string_view password)>;

class DirectoryService {
 public:
  DirectoryService(store::Store& store, const Clock& clock, Random& random, PasswordHasher hash_password);

  // Reads of a user by id or UPN, a group by id and a user's roles go
  // through `cache` from now on (before the service is shared; the cache
  // outlives it). Without one they read the store.
  void UseCache(DirectoryCache* cache) { cache_ = cache; }

  // OK when the database answers (the readiness probe).
  Status Ready();

  // Tenants
  StatusOr<Tenant> CreateTenant(const Actor& actor, std::string name, std::string domain, Cloud cloud);
  StatusOr<Tenant> GetTenant(const std::string& id);
  // By GUID or any verified domain (case-insensitive).
  StatusOr<Tenant> ResolveTenant(const std::string& id_or_domain);

  // Users. `id_or_upn` accepts the object id or the userPrincipalName.
  StatusOr<User> CreateUser(const Actor& actor, const std::string& tenant_id, NewUser in);
  StatusOr<User> UpdateUser(const Actor& actor, const std::string& tenant_id, const std::string& id_or_upn,
                            const UserPatch& patch);
  Status DeleteUser(const Actor& actor, const std::string& tenant_id, const std::string& id_or_upn);
  // Ends every sign-in session and refresh token the user has (Graph's
  // revokeSignInSessions): sessions_valid_from = now.
  Status RevokeSignInSessions(const Actor& actor, const std::string& tenant_id, const std::string& id_or_upn);
  StatusOr<User> GetUser(const std::string& tenant_id, const std::string& id_or_upn);
  StatusOr<store::Page<User>> ListUsers(const ListQuery& q);

  // Groups
  StatusOr<Group> CreateGroup(const Actor& actor, const std::string& tenant_id, NewGroup in);
  StatusOr<Group> UpdateGroup(const Actor& actor, const std::string& tenant_id, const std::string& id,
                              const GroupPatch& patch);
  Status DeleteGroup(const Actor& actor, const std::string& tenant_id, const std::string& id);
  StatusOr<Group> GetGroup(const std::string& tenant_id, const std::string& id);
  StatusOr<store::Page<Group>> ListGroups(const ListQuery& q);

  // Membership. A member is a user or a group of the same tenant; adding a
  // group that (transitively) contains the target group is refused.
  Status AddMember(const Actor& actor, const std::string& tenant_id, const std::string& group_id,
                   const std::string& member_id);
  Status RemoveMember(const Actor& actor, const std::string& tenant_id, const std::string& group_id,
                      const std::string& member_id);
  StatusOr<std::vector<Member>> ListMembers(const std::string& tenant_id, const std::string& group_id);
  // Groups the object is a direct member of (Graph's memberOf).
  StatusOr<std::vector<std::string>> GroupsOf(const std::string& tenant_id, const std::string& object_id);
  // Groups the object belongs to directly or through nesting.
  StatusOr<std::vector<std::string>> TransitiveGroupsOf(const std::string& tenant_id, const std::string& object_id);

  // Directory roles (Entra template ids).
  StatusOr<RoleAssignment> AssignRole(const Actor& actor, const std::string& tenant_id,
                                      const std::string& role_template_id, const std::string& principal_id);
  Status RemoveRoleAssignment(const Actor& actor, const std::string& tenant_id, const std::string& assignment_id);
  StatusOr<RoleAssignment> GetRoleAssignment(const std::string& tenant_id, const std::string& id);
  StatusOr<std::vector<RoleAssignment>> ListRoleAssignments(const std::string& tenant_id,
                                                            const std::string& principal_id = {},
                                                            const std::string& role_id = {});
  // Role template ids a user holds, directly or through a role-assignable
  // group they are a member of.
  StatusOr<std::vector<std::string>> EffectiveRoles(const std::string& tenant_id, const std::string& user_id);
  // The user and their effective roles, read together (authorising a request).
  StatusOr<std::pair<User, std::vector<std::string>>> UserWithRoles(const std::string& tenant_id,
                                                                    const std::string& user_id);
  static StatusOr<std::vector<std::string>> RolesIn(store::Transaction& tx, const std::string& tenant_id,
                                                    const std::string& user_id);

  StatusOr<store::Page<AuditEntry>> ListAudit(const store::AuditQuery& q);

 private:
  // Runs `body` in a write transaction and commits; the audit entry it fills
  // in is written in the same transaction.
  template <typename Fn>
  Status Write(Fn&& body);
  AuditEntry Audit(const Actor& actor, const std::string& tenant_id, std::string category, std::string activity,
                   std::string target_type, const std::string& target_id, const std::string& target_name);
  StatusOr<User> FindUser(store::Transaction& tx, const std::string& tenant_id, const std::string& id_or_upn);
  // The privilege rules (directory/model/privileges.h) for the sensitive fields `p` changes on `u`.
  static Status CheckSensitive(store::Transaction& tx, const Actor& actor, const User& u, const UserPatch& p);
  Status CheckUpnDomain(store::Transaction& tx, const std::string& tenant_id, const std::string& upn);

  store::Store& store_;
  const Clock& clock_;
  Random& random_;
  PasswordHasher hash_password_;
  DirectoryCache* cache_ = nullptr;
};

}  // namespace gh::directory
