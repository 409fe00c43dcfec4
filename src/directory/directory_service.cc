#include "directory/directory_service.h"

#include <algorithm>
#include <boost/json.hpp>

#include "core/strings.h"
#include "directory/model/privileges.h"
#include "directory/model/validation.h"

namespace gh::directory {
namespace {

store::ListQuery StoreQuery(const ListQuery& q) {
  return {.tenant_id = q.tenant_id, .filter = q.filter, .top = q.top, .after = q.after, .count = q.count};
}

std::string ModifiedProperties(const std::vector<std::string>& names) {
  boost::json::array arr;
  for (const auto& n : names) arr.emplace_back(boost::json::object{{"displayName", n}});
  return boost::json::serialize(boost::json::object{{"modifiedProperties", arr}});
}

Status ValidateNickname(std::string_view nick) {
  if (nick.empty()) return InvalidArgument("Property 'mailNickname' is required.", "Request_BadRequest");
  if (nick.size() > 64) return InvalidArgument("Property 'mailNickname' is longer than 64 characters.", "Request_BadRequest");
  for (char c : nick)
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) > 0x7e ||
        std::string_view("@()\\[]\";:<>,").find(c) != std::string_view::npos)
      return InvalidArgument("Property 'mailNickname' contains the character '" + std::string(1, c) +
                                 "', which is not allowed.",
                             "Request_BadRequest");
  return OkStatus();
}

Status ValidateOptional(std::string_view field, const std::optional<std::string>& v, size_t max) {
  return v ? ValidateLength(field, *v, max, false) : OkStatus();
}

Status ValidateUserFields(const User& u) {
  GH_RETURN_IF_ERROR(ValidateLength("displayName", u.display_name, 256, true));
  GH_RETURN_IF_ERROR(ValidateUserPrincipalName(u.user_principal_name));
  GH_RETURN_IF_ERROR(ValidateOptional("givenName", u.given_name, 64));
  GH_RETURN_IF_ERROR(ValidateOptional("surname", u.surname, 64));
  GH_RETURN_IF_ERROR(ValidateOptional("jobTitle", u.job_title, 128));
  GH_RETURN_IF_ERROR(ValidateOptional("companyName", u.company_name, 64));
  if (u.mail) GH_RETURN_IF_ERROR(ValidateEmail("mail", *u.mail));
  if (u.usage_location) GH_RETURN_IF_ERROR(ValidateUsageLocation(*u.usage_location));
  if (u.preferred_language) GH_RETURN_IF_ERROR(ValidateLength("preferredLanguage", *u.preferred_language, 10, false));
  if (u.mail_nickname) GH_RETURN_IF_ERROR(ValidateNickname(*u.mail_nickname));
  if (u.other_mails.size() > 250) return InvalidArgument("Property 'otherMails' has more than 250 values.");
  for (const auto& m : u.other_mails) GH_RETURN_IF_ERROR(ValidateEmail("otherMails", m));
  return OkStatus();
}

Status ValidateGroupFields(const Group& g) {
  GH_RETURN_IF_ERROR(ValidateLength("displayName", g.display_name, 256, true));
  GH_RETURN_IF_ERROR(ValidateNickname(g.mail_nickname));
  GH_RETURN_IF_ERROR(ValidateOptional("description", g.description, 1024));
  for (const auto& t : g.group_types)
    if (t != "Unified" && t != "DynamicMembership")
      return InvalidArgument("Property 'groupTypes' has the unsupported value '" + t + "'.", "Request_BadRequest");
  if (g.IsMicrosoft365() && !g.mail_enabled)
    return InvalidArgument("A Microsoft 365 group (groupTypes 'Unified') must have mailEnabled true.",
                           "Request_BadRequest");
  if (!g.IsMicrosoft365() && !g.security_enabled)
    return InvalidArgument("Only Microsoft 365 groups (groupTypes 'Unified') may have securityEnabled false.",
                           "Request_BadRequest");
  if (g.is_assignable_to_role && (!g.security_enabled ||
                                  std::find(g.group_types.begin(), g.group_types.end(), "DynamicMembership") !=
                                      g.group_types.end()))
    return InvalidArgument("A group with isAssignableToRole true must have securityEnabled true and assigned "
                           "(not dynamic) membership.",
                           "Request_BadRequest");
  return OkStatus();
}

template <typename T>
void Apply(std::optional<T>& field, const std::optional<std::optional<T>>& patch) {
  if (patch) field = *patch;
}

}  // namespace

bool UserPatch::empty() const {
  return !display_name && !user_principal_name && !mail_nickname && !password && !mail && !given_name &&
         !surname && !job_title && !company_name && !usage_location && !preferred_language && !account_enabled &&
         !user_type && !other_mails;
}

bool UserPatch::only_password() const {
  UserPatch rest = *this;
  rest.password.reset();
  return password.has_value() && rest.empty();
}

bool GroupPatch::empty() const {
  return !display_name && !mail_nickname && !description && !security_enabled && !mail_enabled;
}

DirectoryService::DirectoryService(store::Store& store, const Clock& clock, Random& random,
                                   PasswordHasher hash_password)
    : store_(store), clock_(clock), random_(random), hash_password_(std::move(hash_password)) {}

template <typename Fn>
Status DirectoryService::Write(Fn&& body) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  GH_RETURN_IF_ERROR(body(*tx));
  return tx->Commit();
}

AuditEntry MakeAuditEntry(Random& random, const Clock& clock, const Actor& actor, const std::string& tenant_id,
                          std::string category, std::string activity, std::string target_type,
                          const std::string& target_id, const std::string& target_name, std::string details_json) {
  AuditEntry e;
  e.time = clock.NowMillis();
  e.id = random.NewOrderedUuid(e.time);
  e.tenant_id = tenant_id;
  e.category = std::move(category);
  e.activity = std::move(activity);
  e.actor_id = actor.id;
  e.actor_type = actor.type;
  e.actor_name = actor.name;
  e.target_id = target_id;
  e.target_type = std::move(target_type);
  e.target_name = target_name;
  e.details_json = std::move(details_json);
  return e;
}

AuditEntry DirectoryService::Audit(const Actor& actor, const std::string& tenant_id, std::string category,
                                   std::string activity, std::string target_type, const std::string& target_id,
                                   const std::string& target_name) {
  return MakeAuditEntry(random_, clock_, actor, tenant_id, std::move(category), std::move(activity),
                        std::move(target_type), target_id, target_name);
}

// ---- tenants ---------------------------------------------------------------

StatusOr<Tenant> DirectoryService::CreateTenant(const Actor& actor, std::string name, std::string domain,
                                                Cloud cloud) {
  GH_RETURN_IF_ERROR(ValidateLength("name", name, 256, true));
  domain = ToLower(domain);
  GH_RETURN_IF_ERROR(ValidateDomain(domain));
  Tenant t;
  t.id = random_.NewUuid();
  t.name = std::move(name);
  t.initial_domain = domain;
  t.verified_domains = {domain};
  t.cloud = cloud;
  t.created_at = clock_.NowMillis();
  GH_RETURN_IF_ERROR(Write([&](store::Transaction& tx) -> Status {
    if (tx.FindTenantByDomain(domain).ok())
      return AlreadyExists("The domain '" + domain + "' is already used by another tenant.", "Request_BadRequest");
    GH_RETURN_IF_ERROR(tx.InsertTenant(t));
    return tx.InsertAudit(Audit(actor, t.id, "DirectoryManagement", "Create company", "Company", t.id, t.name));
  }));
  return t;
}

StatusOr<Tenant> DirectoryService::GetTenant(const std::string& id) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  return tx->GetTenant(id);
}

Status DirectoryService::Ready() { return store_.Begin(store::TxMode::kRead).status(); }

StatusOr<Tenant> DirectoryService::ResolveTenant(const std::string& id_or_domain) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  if (IsUuid(id_or_domain)) return tx->GetTenant(ToLower(id_or_domain));
  return tx->FindTenantByDomain(ToLower(id_or_domain));
}

// ---- users -----------------------------------------------------------------

StatusOr<User> DirectoryService::FindUser(store::Transaction& tx, const std::string& tenant_id,
                                          const std::string& id_or_upn) {
  if (IsUuid(id_or_upn)) return tx.GetUser(tenant_id, ToLower(id_or_upn));
  if (id_or_upn.find('@') != std::string::npos) return tx.FindUserByUpn(tenant_id, id_or_upn);
  return InvalidArgument("Invalid object identifier '" + id_or_upn + "'.", "Request_BadRequest");
}

Status DirectoryService::CheckUpnDomain(store::Transaction& tx, const std::string& tenant_id,
                                        const std::string& upn) {
  GH_ASSIGN_OR_RETURN(Tenant t, tx.GetTenant(tenant_id));
  std::string domain = DomainOf(upn);
  if (std::find(t.verified_domains.begin(), t.verified_domains.end(), domain) == t.verified_domains.end())
    return InvalidArgument(
        "The domain portion of the userPrincipalName property is invalid. You must use one of the verified "
        "domain names in your organization.",
        "Request_BadRequest");
  return OkStatus();
}

StatusOr<User> DirectoryService::CreateUser(const Actor& actor, const std::string& tenant_id, NewUser in) {
  User u;
  u.id = random_.NewUuid();
  u.tenant_id = tenant_id;
  u.user_principal_name = in.user_principal_name;
  u.display_name = in.display_name;
  u.mail_nickname = in.mail_nickname;
  u.account_enabled = in.account_enabled;
  u.user_type = in.user_type;
  u.mail = in.mail;
  u.given_name = in.given_name;
  u.surname = in.surname;
  u.job_title = in.job_title;
  u.company_name = in.company_name;
  u.usage_location = in.usage_location;
  u.preferred_language = in.preferred_language;
  u.other_mails = in.other_mails;
  u.created_at = u.updated_at = clock_.NowMillis();
  u.identities = {{"userPrincipalName", DomainOf(u.user_principal_name), u.user_principal_name}};
  GH_RETURN_IF_ERROR(ValidateUserFields(u));
  if (in.password.empty())
    return InvalidArgument("Property 'passwordProfile.password' is required when creating a user.",
                           "Request_BadRequest");
  GH_RETURN_IF_ERROR(ValidatePasswordStrength(in.password));
  GH_ASSIGN_OR_RETURN(u.password_hash, hash_password_(in.password));
  GH_RETURN_IF_ERROR(Write([&](store::Transaction& tx) -> Status {
    GH_RETURN_IF_ERROR(CheckUpnDomain(tx, tenant_id, u.user_principal_name));
    Status s = tx.InsertUser(u);
    if (s.code() == Code::kAlreadyExists)
      return AlreadyExists("Another object with the same value for property userPrincipalName already exists.",
                           "Request_BadRequest");
    GH_RETURN_IF_ERROR(s);
    return tx.InsertAudit(Audit(actor, tenant_id, "UserManagement", "Add user", "User", u.id, u.user_principal_name));
  }));
  return u;
}

StatusOr<User> DirectoryService::UpdateUser(const Actor& actor, const std::string& tenant_id,
                                            const std::string& id_or_upn, const UserPatch& p) {
  if (!p.only_password()) GH_RETURN_IF_ERROR(MayEditUserProperties(actor));
  std::string new_hash;
  if (p.password) {
    if (p.password->empty()) return InvalidArgument("Property 'passwordProfile.password' may not be empty.");
    GH_RETURN_IF_ERROR(ValidatePasswordStrength(*p.password));
    GH_ASSIGN_OR_RETURN(new_hash, hash_password_(*p.password));
  }
  User u;
  GH_RETURN_IF_ERROR(Write([&](store::Transaction& tx) -> Status {
    GH_ASSIGN_OR_RETURN(u, FindUser(tx, tenant_id, id_or_upn));
    GH_RETURN_IF_ERROR(CheckSensitive(tx, actor, u, p));
    // A new password or a disable ends every sign-in made before it.
    if (p.password || (p.account_enabled && !*p.account_enabled)) u.sessions_valid_from = clock_.NowMillis();
    std::vector<std::string> changed;
    auto mark = [&](bool engaged, const char* name) {
      if (engaged) changed.push_back(name);
    };
    if (p.display_name) u.display_name = *p.display_name;
    if (p.user_principal_name) {
      u.user_principal_name = *p.user_principal_name;
      GH_RETURN_IF_ERROR(CheckUpnDomain(tx, tenant_id, u.user_principal_name));
    }
    if (p.mail_nickname) u.mail_nickname = *p.mail_nickname;
    Apply(u.mail, p.mail);
    Apply(u.given_name, p.given_name);
    Apply(u.surname, p.surname);
    Apply(u.job_title, p.job_title);
    Apply(u.company_name, p.company_name);
    Apply(u.usage_location, p.usage_location);
    Apply(u.preferred_language, p.preferred_language);
    if (p.account_enabled) u.account_enabled = *p.account_enabled;
    if (p.user_type) u.user_type = *p.user_type;
    if (p.other_mails) u.other_mails = *p.other_mails;
    if (!new_hash.empty()) u.password_hash = new_hash;
    mark(p.display_name.has_value(), "DisplayName");
    mark(p.user_principal_name.has_value(), "UserPrincipalName");
    mark(p.mail_nickname.has_value(), "MailNickname");
    mark(p.mail.has_value(), "Mail");
    mark(p.given_name.has_value(), "GivenName");
    mark(p.surname.has_value(), "Surname");
    mark(p.job_title.has_value(), "JobTitle");
    mark(p.company_name.has_value(), "CompanyName");
    mark(p.usage_location.has_value(), "UsageLocation");
    mark(p.preferred_language.has_value(), "PreferredLanguage");
    mark(p.account_enabled.has_value(), "AccountEnabled");
    mark(p.user_type.has_value(), "UserType");
    mark(p.other_mails.has_value(), "OtherMails");
    mark(p.password.has_value(), "PasswordProfile");
    GH_RETURN_IF_ERROR(ValidateUserFields(u));
    u.updated_at = clock_.NowMillis();
    Status s = tx.UpdateUser(u);
    if (s.code() == Code::kAlreadyExists)
      return AlreadyExists("Another object with the same value for property userPrincipalName already exists.",
                           "Request_BadRequest");
    GH_RETURN_IF_ERROR(s);
    auto entry = Audit(actor, tenant_id, "UserManagement", "Update user", "User", u.id, u.user_principal_name);
    entry.details_json = ModifiedProperties(changed);
    return tx.InsertAudit(entry);
  }));
  return u;
}

Status DirectoryService::DeleteUser(const Actor& actor, const std::string& tenant_id, const std::string& id_or_upn) {
  return Write([&](store::Transaction& tx) -> Status {
    GH_ASSIGN_OR_RETURN(User u, FindUser(tx, tenant_id, id_or_upn));
    GH_ASSIGN_OR_RETURN(auto roles, RolesIn(tx, tenant_id, u.id));
    GH_RETURN_IF_ERROR(MayTakeSensitiveAction(actor, roles, UserAction::kDelete));
    GH_RETURN_IF_ERROR(tx.DeleteUser(tenant_id, u.id));
    return tx.InsertAudit(Audit(actor, tenant_id, "UserManagement", "Delete user", "User", u.id, u.user_principal_name));
  });
}

Status DirectoryService::RevokeSignInSessions(const Actor& actor, const std::string& tenant_id,
                                              const std::string& id_or_upn) {
  return Write([&](store::Transaction& tx) -> Status {
    GH_ASSIGN_OR_RETURN(User u, FindUser(tx, tenant_id, id_or_upn));
    GH_ASSIGN_OR_RETURN(auto roles, RolesIn(tx, tenant_id, u.id));
    GH_RETURN_IF_ERROR(MayTakeSensitiveAction(actor, roles, UserAction::kResetPassword));
    u.sessions_valid_from = clock_.NowMillis();
    GH_RETURN_IF_ERROR(tx.UpdateUser(u));
    return tx.InsertAudit(Audit(actor, tenant_id, "UserManagement", "Invalidate all refresh tokens for user", "User",
                                u.id, u.user_principal_name));
  });
}

Status DirectoryService::CheckSensitive(store::Transaction& tx, const Actor& actor, const User& u,
                                        const UserPatch& p) {
  std::vector<UserAction> actions;
  if (p.password) actions.push_back(UserAction::kResetPassword);
  if (p.account_enabled && *p.account_enabled != u.account_enabled) actions.push_back(UserAction::kEnableOrDisable);
  if (p.user_principal_name && ToLower(*p.user_principal_name) != ToLower(u.user_principal_name))
    actions.push_back(UserAction::kChangeSignInName);
  if ((p.mail && *p.mail != u.mail) || (p.other_mails && *p.other_mails != u.other_mails))
    actions.push_back(UserAction::kChangeMail);
  if (p.user_type && *p.user_type != u.user_type) actions.push_back(UserAction::kChangeUserType);
  if (actions.empty()) return OkStatus();
  GH_ASSIGN_OR_RETURN(auto roles, RolesIn(tx, u.tenant_id, u.id));
  for (UserAction a : actions) GH_RETURN_IF_ERROR(MayTakeSensitiveAction(actor, roles, a));
  return OkStatus();
}

StatusOr<User> DirectoryService::GetUser(const std::string& tenant_id, const std::string& id_or_upn) {
  auto load = [&]() -> StatusOr<User> {
    GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
    return FindUser(*tx, tenant_id, id_or_upn);
  };
  if (cache_ == nullptr) return load();
  if (IsUuid(id_or_upn)) return cache_->UserById(tenant_id, ToLower(id_or_upn), load);
  if (id_or_upn.find('@') != std::string::npos) return cache_->UserByUpn(tenant_id, id_or_upn, load);
  return load();  // FindUser words the error
}

StatusOr<store::Page<User>> DirectoryService::ListUsers(const ListQuery& q) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  return tx->ListUsers(StoreQuery(q));
}

// ---- groups ----------------------------------------------------------------

StatusOr<Group> DirectoryService::CreateGroup(const Actor& actor, const std::string& tenant_id, NewGroup in) {
  Group g;
  g.id = random_.NewUuid();
  g.tenant_id = tenant_id;
  g.display_name = std::move(in.display_name);
  g.mail_nickname = std::move(in.mail_nickname);
  g.description = std::move(in.description);
  g.mail_enabled = in.mail_enabled;
  g.security_enabled = in.security_enabled;
  g.group_types = std::move(in.group_types);
  g.is_assignable_to_role = in.is_assignable_to_role;
  g.created_at = g.updated_at = clock_.NowMillis();
  GH_RETURN_IF_ERROR(ValidateGroupFields(g));
  GH_RETURN_IF_ERROR(MayWriteGroup(actor, g));
  GH_RETURN_IF_ERROR(Write([&](store::Transaction& tx) -> Status {
    GH_ASSIGN_OR_RETURN(Tenant t, tx.GetTenant(tenant_id));
    if (g.mail_enabled) g.mail = g.mail_nickname + "@" + t.initial_domain;
    GH_RETURN_IF_ERROR(tx.InsertGroup(g));
    return tx.InsertAudit(Audit(actor, tenant_id, "GroupManagement", "Add group", "Group", g.id, g.display_name));
  }));
  return g;
}

StatusOr<Group> DirectoryService::UpdateGroup(const Actor& actor, const std::string& tenant_id,
                                              const std::string& id, const GroupPatch& p) {
  Group g;
  GH_RETURN_IF_ERROR(Write([&](store::Transaction& tx) -> Status {
    GH_ASSIGN_OR_RETURN(g, tx.GetGroup(tenant_id, id));
    GH_RETURN_IF_ERROR(MayWriteGroup(actor, g));
    if (p.display_name) g.display_name = *p.display_name;
    if (p.mail_nickname) g.mail_nickname = *p.mail_nickname;
    Apply(g.description, p.description);
    if (p.security_enabled) g.security_enabled = *p.security_enabled;
    if (p.mail_enabled) g.mail_enabled = *p.mail_enabled;
    GH_RETURN_IF_ERROR(ValidateGroupFields(g));
    g.updated_at = clock_.NowMillis();
    GH_RETURN_IF_ERROR(tx.UpdateGroup(g));
    return tx.InsertAudit(Audit(actor, tenant_id, "GroupManagement", "Update group", "Group", g.id, g.display_name));
  }));
  return g;
}

Status DirectoryService::DeleteGroup(const Actor& actor, const std::string& tenant_id, const std::string& id) {
  return Write([&](store::Transaction& tx) -> Status {
    GH_ASSIGN_OR_RETURN(Group g, tx.GetGroup(tenant_id, id));
    GH_RETURN_IF_ERROR(MayWriteGroup(actor, g));
    GH_RETURN_IF_ERROR(tx.DeleteGroup(tenant_id, id));
    return tx.InsertAudit(Audit(actor, tenant_id, "GroupManagement", "Delete group", "Group", g.id, g.display_name));
  });
}

StatusOr<Group> DirectoryService::GetGroup(const std::string& tenant_id, const std::string& id) {
  auto load = [&]() -> StatusOr<Group> {
    GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
    return tx->GetGroup(tenant_id, id);
  };
  return cache_ != nullptr ? cache_->GroupById(tenant_id, id, load) : load();
}

StatusOr<store::Page<Group>> DirectoryService::ListGroups(const ListQuery& q) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  return tx->ListGroups(StoreQuery(q));
}

// ---- membership ------------------------------------------------------------

Status DirectoryService::AddMember(const Actor& actor, const std::string& tenant_id, const std::string& group_id,
                                   const std::string& member_id) {
  return Write([&](store::Transaction& tx) -> Status {
    GH_ASSIGN_OR_RETURN(Group g, tx.GetGroup(tenant_id, group_id));
    GH_RETURN_IF_ERROR(MayWriteMembers(actor, g));
    Membership m{group_id, member_id, MemberKind::kUser};
    std::string member_name;
    if (auto u = tx.GetUser(tenant_id, member_id); u.ok()) {
      member_name = u->user_principal_name;
    } else if (auto sub = tx.GetGroup(tenant_id, member_id); sub.ok()) {
      m.member_kind = MemberKind::kGroup;
      member_name = sub->display_name;
      if (g.is_assignable_to_role)
        return InvalidArgument("A group that can be assigned directory roles can't have groups as members.",
                               "Request_BadRequest");
      if (member_id == group_id) return InvalidArgument("A group cannot be a member of itself.", "Request_BadRequest");
      GH_ASSIGN_OR_RETURN(auto parents, tx.ListTransitiveGroupsOf(tenant_id, group_id));
      if (std::find(parents.begin(), parents.end(), member_id) != parents.end())
        return InvalidArgument("Adding this group would create a membership cycle.", "Request_BadRequest");
    } else {
      return NotFound("Resource '" + member_id + "' does not exist or one of its queried reference-property "
                      "objects are not present.", "Request_ResourceNotFound");
    }
    Status s = tx.AddMember(tenant_id, m);
    if (s.code() == Code::kAlreadyExists)
      return AlreadyExists(
          "One or more added object references already exist for the following modified properties: 'members'.",
          "Request_BadRequest");
    GH_RETURN_IF_ERROR(s);
    auto e = Audit(actor, tenant_id, "GroupManagement", "Add member to group", "Group", g.id, g.display_name);
    e.details_json = boost::json::serialize(boost::json::object{{"memberId", member_id}, {"memberName", member_name}});
    return tx.InsertAudit(e);
  });
}

Status DirectoryService::RemoveMember(const Actor& actor, const std::string& tenant_id, const std::string& group_id,
                                      const std::string& member_id) {
  return Write([&](store::Transaction& tx) -> Status {
    GH_ASSIGN_OR_RETURN(Group g, tx.GetGroup(tenant_id, group_id));
    GH_RETURN_IF_ERROR(MayWriteMembers(actor, g));
    GH_RETURN_IF_ERROR(tx.RemoveMember(tenant_id, group_id, member_id));
    auto e = Audit(actor, tenant_id, "GroupManagement", "Remove member from group", "Group", g.id, g.display_name);
    e.details_json = boost::json::serialize(boost::json::object{{"memberId", member_id}});
    return tx.InsertAudit(e);
  });
}

StatusOr<std::vector<Member>> DirectoryService::ListMembers(const std::string& tenant_id,
                                                            const std::string& group_id) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  GH_RETURN_IF_ERROR(tx->GetGroup(tenant_id, group_id).status());
  GH_ASSIGN_OR_RETURN(auto ms, tx->ListMembers(tenant_id, group_id));
  std::vector<Member> out;
  out.reserve(ms.size());
  for (const auto& m : ms) {
    Member mem{m.member_kind, std::nullopt, std::nullopt};
    if (m.member_kind == MemberKind::kUser) {
      GH_ASSIGN_OR_RETURN(mem.user, tx->GetUser(tenant_id, m.member_id));
    } else {
      GH_ASSIGN_OR_RETURN(mem.group, tx->GetGroup(tenant_id, m.member_id));
    }
    out.push_back(std::move(mem));
  }
  return out;
}

StatusOr<std::vector<std::string>> DirectoryService::GroupsOf(const std::string& tenant_id,
                                                              const std::string& object_id) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  return tx->ListGroupsOf(tenant_id, object_id);
}

StatusOr<std::vector<std::string>> DirectoryService::TransitiveGroupsOf(const std::string& tenant_id,
                                                                        const std::string& object_id) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  return tx->ListTransitiveGroupsOf(tenant_id, object_id);
}

// ---- directory roles -------------------------------------------------------

StatusOr<RoleAssignment> DirectoryService::AssignRole(const Actor& actor, const std::string& tenant_id,
                                                      const std::string& role_template_id,
                                                      const std::string& principal_id) {
  const RoleTemplate* role = FindRoleTemplate(ToLower(role_template_id));
  if (!role)
    return NotFound("The role definition '" + role_template_id + "' does not exist.", "Request_ResourceNotFound");
  RoleAssignment a;
  a.id = random_.NewUuid();
  a.tenant_id = tenant_id;
  a.role_definition_id = std::string(role->id);
  a.principal_id = ToLower(principal_id);
  a.created_at = clock_.NowMillis();
  GH_RETURN_IF_ERROR(Write([&](store::Transaction& tx) -> Status {
    std::string name;
    if (auto u = tx.GetUser(tenant_id, a.principal_id); u.ok()) {
      name = u->user_principal_name;
    } else if (auto g = tx.GetGroup(tenant_id, a.principal_id); g.ok()) {
      name = g->display_name;
      if (!g->is_assignable_to_role)
        return InvalidArgument("The group '" + g->display_name +
                                   "' can't be assigned a directory role: only groups created with "
                                   "isAssignableToRole true can hold roles.",
                               "Request_BadRequest");
    } else {
      return NotFound("The principal '" + principal_id + "' does not exist in this directory.",
                      "Request_ResourceNotFound");
    }
    GH_ASSIGN_OR_RETURN(auto existing, tx.ListRoleAssignments(tenant_id, a.principal_id, a.role_definition_id));
    if (!existing.empty())
      return AlreadyExists("A conflicting object with one or more of the specified property values is present in "
                           "the directory.",
                           "Request_BadRequest");
    GH_RETURN_IF_ERROR(tx.InsertRoleAssignment(a));
    auto e = Audit(actor, tenant_id, "RoleManagement", "Add member to role", "Role", a.role_definition_id,
                   std::string(role->display_name));
    e.details_json = boost::json::serialize(boost::json::object{{"principalId", a.principal_id}, {"principalName", name}});
    return tx.InsertAudit(e);
  }));
  return a;
}

Status DirectoryService::RemoveRoleAssignment(const Actor& actor, const std::string& tenant_id,
                                              const std::string& assignment_id) {
  return Write([&](store::Transaction& tx) -> Status {
    GH_ASSIGN_OR_RETURN(RoleAssignment a, tx.GetRoleAssignment(tenant_id, assignment_id));
    GH_RETURN_IF_ERROR(tx.DeleteRoleAssignment(tenant_id, assignment_id));
    const RoleTemplate* role = FindRoleTemplate(a.role_definition_id);
    auto e = Audit(actor, tenant_id, "RoleManagement", "Remove member from role", "Role", a.role_definition_id,
                   role ? std::string(role->display_name) : a.role_definition_id);
    e.details_json = boost::json::serialize(boost::json::object{{"principalId", a.principal_id}});
    return tx.InsertAudit(e);
  });
}

StatusOr<RoleAssignment> DirectoryService::GetRoleAssignment(const std::string& tenant_id, const std::string& id) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  return tx->GetRoleAssignment(tenant_id, id);
}

StatusOr<std::vector<RoleAssignment>> DirectoryService::ListRoleAssignments(const std::string& tenant_id,
                                                                            const std::string& principal_id,
                                                                            const std::string& role_id) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  return tx->ListRoleAssignments(tenant_id, principal_id, role_id);
}

StatusOr<std::vector<std::string>> DirectoryService::RolesIn(store::Transaction& tx, const std::string& tenant_id,
                                                             const std::string& user_id) {
  // Roles come from the user's own assignments and from role-assignable
  // groups they are a direct member of (such groups have no nested groups).
  GH_ASSIGN_OR_RETURN(auto principals, tx.ListGroupsOf(tenant_id, user_id));
  principals.push_back(user_id);
  std::vector<std::string> roles;
  for (const auto& p : principals) {
    GH_ASSIGN_OR_RETURN(auto as, tx.ListRoleAssignments(tenant_id, p));
    for (auto& a : as)
      if (std::find(roles.begin(), roles.end(), a.role_definition_id) == roles.end())
        roles.push_back(a.role_definition_id);
  }
  return roles;
}

StatusOr<std::vector<std::string>> DirectoryService::EffectiveRoles(const std::string& tenant_id,
                                                                    const std::string& user_id) {
  auto load = [&]() -> StatusOr<std::vector<std::string>> {
    GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
    return RolesIn(*tx, tenant_id, user_id);
  };
  return cache_ != nullptr ? cache_->RolesOf(tenant_id, user_id, load) : load();
}

StatusOr<std::pair<User, std::vector<std::string>>> DirectoryService::UserWithRoles(const std::string& tenant_id,
                                                                                  const std::string& user_id) {
  if (cache_ != nullptr) {  // two lookups, each from memory when it can
    GH_ASSIGN_OR_RETURN(User u, GetUser(tenant_id, user_id));
    GH_ASSIGN_OR_RETURN(auto roles, EffectiveRoles(tenant_id, user_id));
    return std::pair{std::move(u), std::move(roles)};
  }
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  GH_ASSIGN_OR_RETURN(User u, tx->GetUser(tenant_id, user_id));
  GH_ASSIGN_OR_RETURN(auto roles, RolesIn(*tx, tenant_id, user_id));
  return std::pair{std::move(u), std::move(roles)};
}

StatusOr<store::Page<AuditEntry>> DirectoryService::ListAudit(const store::AuditQuery& q) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  return tx->ListAudit(q);
}

}  // namespace gh::directory
