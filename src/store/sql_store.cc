// The Store implementation shared by both backends: every statement below runs
// unchanged on SQLite and PostgreSQL through sql::Connection.
//
// Failure rule: an error from the database (constraint violation, lost
// connection, ...) fails the whole transaction — PostgreSQL aborts it anyway,
// and on SQLite it keeps a multi-statement write from being half-committed.
// Later calls return that error and Commit() rolls back. Errors decided here
// (NotFound on a missing row, a filter it can't translate) change nothing and
// leave the transaction usable.
#include <boost/json.hpp>
#include <mutex>
#include <set>
#include <thread>

#include "core/strings.h"
#include "store/environments_repository.h"
#include "store/apps_repository.h"
#include "store/filter_sql.h"
#include "store/licensing_repository.h"
#include "store/migrations.h"
#include "store/outbox_repository.h"
#include "store/pool.h"
#include "store/bulk_repository.h"
#include "store/consent_repository.h"
#include "store/invitations_repository.h"
#include "store/signin_repository.h"
#include "store/sql.h"
#include "store/sql_changes.h"
#include "store/sql_repositories.h"
#include "store/sql_tx.h"
#include "store/store.h"

namespace gh::store {
namespace {

namespace json = boost::json;
using namespace directory;  // NOLINT: this file maps every directory type
using sql::Params;
using sql::Row;
using sql::Rows;

constexpr auto kPoolWait = std::chrono::seconds(5);

// ---- Table definitions: column order is the parameter order for INSERT and
// UPDATE and the result order for SELECT. The first `key` columns identify a row.


const Table kTenants{"tenants",
                     {"id", "name", "initial_domain", "verified_domains", "cloud", "default_usage_location",
                      "created_at"},
                     1};
const Table kUsers{"users",
                   {"tenant_id", "id", "upn", "upn_lower", "display_name", "mail", "mail_lower", "given_name",
                    "surname", "job_title", "company_name", "usage_location", "preferred_language", "mail_nickname",
                    "account_enabled", "user_type", "external_user_state", "external_user_state_changed_at",
                    "creation_type", "identities", "other_mails", "password_hash", "created_at", "updated_at",
                    "sessions_valid_from"},
                   2};
const Table kGroups{"groups",
                    {"tenant_id", "id", "display_name", "description", "mail_nickname", "mail", "mail_enabled",
                     "security_enabled", "group_types", "created_at", "updated_at", "is_assignable_to_role"},
                    2};
const Table kMemberships{"memberships", {"tenant_id", "group_id", "member_id", "member_kind"}, 3};
const Table kRoleAssignments{
    "role_assignments",
    {"id", "tenant_id", "role_definition_id", "principal_id", "directory_scope_id", "created_at"},
    1};
const Table kClients{"clients",
                     {"id", "tenant_id", "app_id", "display_name", "confidential", "app_roles", "redirect_uris",
                      "created_at", "public_redirect_uris", "required_resource_access"},
                     1};
const Table kClientSecrets{
    "client_secrets", {"id", "client_id", "hash", "hint", "display_name", "created_at", "expires_at"}, 1};
const Table kSigningKeys{"signing_keys", {"kid", "tenant_id", "private_pem", "created_at", "active"}, 2};
const Table kAudit{"audit_log",
                   {"id", "tenant_id", "time", "category", "activity", "actor_id", "actor_type", "actor_name",
                    "target_id", "target_type", "target_name", "result", "result_reason", "details_json"},
                   1};

}  // namespace

// ---- JSON columns. Unreadable JSON (never written by us) reads as empty.

std::string StringsToJson(const std::vector<std::string>& v) {
  // Written directly: building a json::array first copied every string
  // (bulk writes call this three times a row).
  std::string out = "[";
  for (const auto& s : v) {
    if (out.size() > 1) out += ',';
    out += json::serialize(json::string_view(s));
  }
  return out += ']';
}

namespace {

// The elements of a JSON array column; none when the text isn't one (a
// column written by hand or damaged reads as empty, as before).
json::array ArrayColumn(const std::string& text) {
  std::error_code ec;
  json::value v = json::parse(text, ec);
  return !ec && v.is_array() ? std::move(v.as_array()) : json::array();
}

// `o[k]` when it is a string, else empty.
std::string StringField(const json::object& o, std::string_view k) {
  auto* p = o.if_contains(k);
  return p && p->is_string() ? std::string(p->as_string()) : std::string();
}

}  // namespace

std::vector<std::string> StringsFromJson(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& e : ArrayColumn(text)) {
    if (e.is_string()) out.emplace_back(e.as_string());
  }
  return out;
}

namespace {

std::string IdentitiesToJson(const std::vector<Identity>& v) {
  std::string out = "[";  // written directly, as StringsToJson
  for (const auto& i : v) {
    if (out.size() > 1) out += ',';
    out += "{\"signInType\":" + json::serialize(json::string_view(i.sign_in_type)) +
           ",\"issuer\":" + json::serialize(json::string_view(i.issuer)) +
           ",\"issuerAssignedId\":" + json::serialize(json::string_view(i.issuer_assigned_id)) + "}";
  }
  return out += ']';
}

std::vector<Identity> IdentitiesFromJson(const std::string& text) {
  std::vector<Identity> out;
  for (const auto& e : ArrayColumn(text)) {
    if (!e.is_object()) continue;
    const auto& o = e.as_object();
    out.push_back({StringField(o, "signInType"), StringField(o, "issuer"), StringField(o, "issuerAssignedId")});
  }
  return out;
}

// Graph's requiredResourceAccess shape: [{"resourceAppId","resourceAccess":[{"id","type"}]}].
std::string ResourceAccessToJson(const std::vector<RequiredResourceAccess>& v) {
  json::array out;
  for (const auto& r : v) {
    json::array access;
    for (const auto& a : r.resource_access) access.push_back(json::object{{"id", a.id}, {"type", a.type}});
    out.push_back(json::object{{"resourceAppId", r.resource_app_id}, {"resourceAccess", std::move(access)}});
  }
  return json::serialize(out);
}

std::vector<RequiredResourceAccess> ResourceAccessFromJson(const std::string& text) {
  std::vector<RequiredResourceAccess> out;
  for (const auto& e : ArrayColumn(text)) {
    if (!e.is_object()) continue;
    RequiredResourceAccess r{StringField(e.as_object(), "resourceAppId"), {}};
    if (auto* a = e.as_object().if_contains("resourceAccess"); a && a->is_array())
      for (const auto& x : a->as_array())
        if (x.is_object()) r.resource_access.push_back({StringField(x.as_object(), "id"), StringField(x.as_object(), "type")});
    out.push_back(std::move(r));
  }
  return out;
}

// ---- Row mapping (parameter order = Table::cols).

std::optional<std::string> LowerOpt(const std::optional<std::string>& s) {
  return s ? std::optional(ToLower(*s)) : std::nullopt;
}

Params TenantParams(const Tenant& t) {
  return {t.id, t.name, t.initial_domain, StringsToJson(t.verified_domains), std::string(CloudName(t.cloud)),
          t.default_usage_location, sql::Int(t.created_at)};
}
Tenant TenantFrom(const Row& r) {
  return {r.Text(0), r.Text(1), r.Text(2), StringsFromJson(r.Text(3)),
          ParseCloud(r.Text(4)).value_or(Cloud::kCommercial), r.Text(5), r.Int(6)};
}

Params UserParams(const User& u) {
  return sql::MakeParams(u.tenant_id,
                         u.id,
                         u.user_principal_name,
                         ToLower(u.user_principal_name),
                         u.display_name,
                         sql::OptText(u.mail),
                         sql::OptText(LowerOpt(u.mail)),
                         sql::OptText(u.given_name),
                         sql::OptText(u.surname),
                         sql::OptText(u.job_title),
                         sql::OptText(u.company_name),
                         sql::OptText(u.usage_location),
                         sql::OptText(u.preferred_language),
                         sql::OptText(u.mail_nickname),
                         sql::Bool(u.account_enabled),
                         std::string(UserTypeName(u.user_type)),
                         sql::OptText(u.external_user_state),
                         sql::OptInt(u.external_user_state_changed_at),
                         sql::OptText(u.creation_type),
                         IdentitiesToJson(u.identities),
                         StringsToJson(u.other_mails),
                         u.password_hash,
                         sql::Int(u.created_at),
                         sql::Int(u.updated_at),
                         sql::Int(u.sessions_valid_from));
}
User UserFrom(const Row& r) {
  User u;
  u.tenant_id = r.Text(0);
  u.id = r.Text(1);
  u.user_principal_name = r.Text(2);
  u.display_name = r.Text(4);
  u.mail = r.OptText(5);
  u.given_name = r.OptText(7);
  u.surname = r.OptText(8);
  u.job_title = r.OptText(9);
  u.company_name = r.OptText(10);
  u.usage_location = r.OptText(11);
  u.preferred_language = r.OptText(12);
  u.mail_nickname = r.OptText(13);
  u.account_enabled = r.Bool(14);
  u.user_type = r.Text(15) == UserTypeName(UserType::kGuest) ? UserType::kGuest : UserType::kMember;
  u.external_user_state = r.OptText(16);
  u.external_user_state_changed_at = r.OptInt(17);
  u.creation_type = r.OptText(18);
  u.identities = IdentitiesFromJson(r.Text(19));
  u.other_mails = StringsFromJson(r.Text(20));
  u.password_hash = r.Text(21);
  u.created_at = r.Int(22);
  u.updated_at = r.Int(23);
  u.sessions_valid_from = r.Int(24);
  return u;
}

Params GroupParams(const Group& g) {
  return {g.tenant_id,          g.id,     g.display_name,          sql::OptText(g.description),
          g.mail_nickname,      sql::OptText(g.mail), sql::Bool(g.mail_enabled), sql::Bool(g.security_enabled),
          StringsToJson(g.group_types), sql::Int(g.created_at), sql::Int(g.updated_at),
          sql::Bool(g.is_assignable_to_role)};
}
Group GroupFrom(const Row& r) {
  Group g;
  g.tenant_id = r.Text(0);
  g.id = r.Text(1);
  g.display_name = r.Text(2);
  g.description = r.OptText(3);
  g.mail_nickname = r.Text(4);
  g.mail = r.OptText(5);
  g.mail_enabled = r.Bool(6);
  g.security_enabled = r.Bool(7);
  g.group_types = StringsFromJson(r.Text(8));
  g.created_at = r.Int(9);
  g.updated_at = r.Int(10);
  g.is_assignable_to_role = r.Bool(11);
  return g;
}

Membership MembershipFrom(const Row& r) {
  return {r.Text(1), r.Text(2), r.Text(3) == "group" ? MemberKind::kGroup : MemberKind::kUser};
}

Params RoleAssignmentParams(const RoleAssignment& a) {
  return {a.id, a.tenant_id, a.role_definition_id, a.principal_id, a.directory_scope_id, sql::Int(a.created_at)};
}
RoleAssignment RoleAssignmentFrom(const Row& r) {
  return {r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Int(5)};
}

Params ClientParams(const Client& c) {
  return {c.id, c.tenant_id, c.app_id, c.display_name, sql::Bool(c.confidential), StringsToJson(c.app_roles),
          StringsToJson(c.redirect_uris), sql::Int(c.created_at), StringsToJson(c.public_redirect_uris),
          ResourceAccessToJson(c.required_resource_access)};
}
Client ClientFrom(const Row& r) {
  return {r.Text(0),          r.Text(2), r.Text(1), r.Text(3), r.Bool(4), StringsFromJson(r.Text(5)),
          StringsFromJson(r.Text(6)), r.Int(7), StringsFromJson(r.Text(8)), ResourceAccessFromJson(r.Text(9))};
}

Params ClientSecretParams(const ClientSecret& s) {
  return {s.id, s.client_id, s.hash, s.hint, s.display_name, sql::Int(s.created_at), sql::Int(s.expires_at)};
}
ClientSecret ClientSecretFrom(const Row& r) {
  return {r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Int(5), r.Int(6)};
}

Params SigningKeyParams(const SigningKey& k) {
  return {k.kid, k.tenant_id, k.private_pem, sql::Int(k.created_at), sql::Bool(k.active)};
}
SigningKey SigningKeyFrom(const Row& r) { return {r.Text(0), r.Text(1), r.Text(2), r.Int(3), r.Bool(4)}; }

Params AuditParams(const AuditEntry& e) {
  return sql::MakeParams(e.id, e.tenant_id, sql::Int(e.time), e.category, e.activity, e.actor_id, e.actor_type,
                         e.actor_name, e.target_id, e.target_type, e.target_name, e.result, e.result_reason,
                         e.details_json);
}
AuditEntry AuditFrom(const Row& r) {
  AuditEntry e;
  e.id = r.Text(0);
  e.tenant_id = r.Text(1);
  e.time = r.Int(2);
  e.category = r.Text(3);
  e.activity = r.Text(4);
  e.actor_id = r.Text(5);
  e.actor_type = r.Text(6);
  e.actor_name = r.Text(7);
  e.target_id = r.Text(8);
  e.target_type = r.Text(9);
  e.target_name = r.Text(10);
  e.result = r.Text(11);
  e.result_reason = r.Text(12);
  e.details_json = r.Text(13);
  return e;
}

class SqlTransaction final : public Transaction, private SqlTx {
 public:
  SqlTransaction(ConnectionPool::Lease lease, TxMode mode, const CommitListener& listener)
      : SqlTx(std::move(lease), mode), listener_(listener) {}

  Status Commit() override {
    // A failure here fails the transaction: the commit below rolls back.
    auto recorded = RecordChanges(*this);
    const int64_t seq = recorded.ok() ? *recorded : 0;
    GH_RETURN_IF_ERROR(SqlTx::Commit());
    if (listener_ && seq) listener_(seq);
    return OkStatus();
  }
  void BeginBatch() override { SqlTx::HoldPipeline(); }
  Status EndBatch() override { return SqlTx::ReleasePipeline(); }

  // ---- Module repositories, created on first use; they run on this SqlTx.

  LicensingRepository& Licensing() override {
    if (!licensing_) licensing_ = NewSqlLicensingRepository(*this);
    return *licensing_;
  }
  EnvironmentsRepository& Environments() override {
    if (!environments_) environments_ = NewSqlEnvironmentsRepository(*this);
    return *environments_;
  }
  InvitationsRepository& Invitations() override {
    if (!invitations_) invitations_ = NewSqlInvitationsRepository(static_cast<SqlTx&>(*this));
    return *invitations_;
  }
  AppsRepository& Apps() override {
    if (!apps_) apps_ = NewSqlAppsRepository(static_cast<SqlTx&>(*this));
    return *apps_;
  }
  BulkRepository& Bulk() override {
    if (!bulk_) bulk_ = NewSqlBulkRepository(static_cast<SqlTx&>(*this));
    return *bulk_;
  }
  SigninRepository& Signin() override {
    if (!signin_) signin_ = NewSqlSigninRepository(static_cast<SqlTx&>(*this));
    return *signin_;
  }
  OutboxRepository& Outbox() override {
    if (!outbox_) outbox_ = NewSqlOutboxRepository(static_cast<SqlTx&>(*this));
    return *outbox_;
  }
  ConsentRepository& Consent() override {
    if (!consent_) consent_ = NewSqlConsentRepository(static_cast<SqlTx&>(*this));
    return *consent_;
  }

  // ---- Tenants

  Status InsertTenant(const Tenant& t) override {
    changes().Add(t.id, ChangeKind::kTenant);
    Status st = Exec(kTenants.Insert(), TenantParams(t)).status();
    if (st.ok()) st = InsertDomains(t);
    return Explain(st, Code::kAlreadyExists, "A tenant with id '" + t.id + "' or one of its domains already exists.");
  }

  Status UpdateTenant(const Tenant& t) override {
    changes().Add(t.id, ChangeKind::kTenant);
    GH_ASSIGN_OR_RETURN(int64_t n, Exec(kTenants.Update(), TenantParams(t)));
    if (n == 0) return NotFound("Tenant '" + t.id + "' not found.");
    Status st = Exec("DELETE FROM tenant_domains WHERE tenant_id = $1", {t.id}).status();
    if (st.ok()) st = InsertDomains(t);
    return Explain(st, Code::kAlreadyExists, "One of the domains of tenant '" + t.id + "' belongs to another tenant.");
  }

  StatusOr<Tenant> GetTenant(const std::string& id) override {
    return One(kTenants.Select("WHERE id = $1"), {id}, TenantFrom, "Tenant '" + id + "'");
  }

  StatusOr<Tenant> FindTenantByDomain(const std::string& domain) override {
    return One(kTenants.Select("WHERE id = (SELECT tenant_id FROM tenant_domains WHERE domain = $1)"),
               {ToLower(domain)}, TenantFrom, "Tenant with domain '" + domain + "'");
  }

  StatusOr<std::map<std::string, Tenant>> FindTenantsByDomains(const std::vector<std::string>& domains) override {
    std::set<std::string> wanted;
    for (const std::string& d : domains) wanted.insert(ToLower(d));
    GH_ASSIGN_OR_RETURN(
        std::vector<Tenant> tenants,
        ManyIn(kTenants.Select("WHERE id IN (SELECT tenant_id FROM tenant_domains WHERE domain IN "), {},
               std::vector<std::string>(wanted.begin(), wanted.end()), ")", TenantFrom));
    // tenant_domains holds each tenant's initial and verified domains, lower-case.
    std::map<std::string, Tenant> out;
    for (const Tenant& t : tenants) {
      for (const std::string& d : t.verified_domains)
        if (wanted.contains(ToLower(d))) out.emplace(ToLower(d), t);
      if (wanted.contains(ToLower(t.initial_domain))) out.emplace(ToLower(t.initial_domain), t);
    }
    return out;
  }

  StatusOr<std::vector<Tenant>> ListTenants() override {
    return Many(kTenants.Select("ORDER BY created_at, id"), {}, TenantFrom);
  }

  // ---- Users

  Status InsertUser(const User& u) override {
    changes().Add(u.tenant_id, ChangeKind::kUser, u.id);
    return Explain(Exec(kUsers.Insert(), UserParams(u)).status(), Code::kAlreadyExists,
                   "A user with id '" + u.id + "' or userPrincipalName '" + u.user_principal_name +
                       "' already exists.");
  }

  Status UpdateUser(const User& u) override {
    changes().Add(u.tenant_id, ChangeKind::kUser, u.id);
    StatusOr<int64_t> n = Exec(kUsers.Update(), UserParams(u));
    if (!n.ok()) {
      return Explain(n.status(), Code::kAlreadyExists,
                     "Another user already has userPrincipalName '" + u.user_principal_name + "'.");
    }
    return *n ? OkStatus() : NotFound("User '" + u.id + "' not found.");
  }

  Status DeleteUser(const std::string& tenant_id, const std::string& id) override {
    GH_ASSIGN_OR_RETURN(int64_t n, Exec("DELETE FROM users WHERE tenant_id = $1 AND id = $2", {tenant_id, id}));
    if (n == 0) return NotFound("User '" + id + "' not found.");
    changes().Add(tenant_id, ChangeKind::kPrincipalDeleted, id);
    return DeletePrincipalLinks(tenant_id, id);
  }

  StatusOr<User> GetUser(const std::string& tenant_id, const std::string& id) override {
    return One(kUsers.Select("WHERE tenant_id = $1 AND id = $2"), {tenant_id, id}, UserFrom, "User '" + id + "'");
  }

  StatusOr<User> FindUserByUpn(const std::string& tenant_id, const std::string& upn) override {
    return One(kUsers.Select("WHERE tenant_id = $1 AND upn_lower = $2"), {tenant_id, ToLower(upn)}, UserFrom,
               "User with userPrincipalName '" + upn + "'");
  }

  StatusOr<std::vector<User>> FindUsersByMail(const std::string& tenant_id, const std::string& mail) override {
    return Many(kUsers.Select("WHERE tenant_id = $1 AND mail_lower = $2 ORDER BY id"), {tenant_id, ToLower(mail)},
                UserFrom);
  }

  StatusOr<std::vector<User>> FindUsersByMails(const std::string& tenant_id,
                                               const std::vector<std::string>& mails) override {
    return UsersWhereIn("mail_lower", tenant_id, mails);
  }

  StatusOr<std::vector<User>> FindUsersByUpns(const std::string& tenant_id,
                                              const std::vector<std::string>& upns) override {
    return UsersWhereIn("upn_lower", tenant_id, upns);
  }

  Status InsertUsers(const std::vector<User>& users) override {
    for (const User& u : users) changes().Add(u.tenant_id, ChangeKind::kUser, u.id);
    return Explain(InsertAll(kUsers, users, UserParams), Code::kAlreadyExists,
                   "One of the users, or its userPrincipalName, already exists.");
  }

  StatusOr<Page<User>> ListUsers(const ListQuery& q) override {
    return List(kUsers, UserFilterTable(), q, UserFrom);
  }

  // ---- Groups

  Status InsertGroup(const Group& g) override {
    changes().Add(g.tenant_id, ChangeKind::kGroup, g.id);
    return Explain(Exec(kGroups.Insert(), GroupParams(g)).status(), Code::kAlreadyExists,
                   "A group with id '" + g.id + "' already exists.");
  }

  Status UpdateGroup(const Group& g) override {
    changes().Add(g.tenant_id, ChangeKind::kGroup, g.id);
    GH_ASSIGN_OR_RETURN(int64_t n, Exec(kGroups.Update(), GroupParams(g)));
    return n ? OkStatus() : NotFound("Group '" + g.id + "' not found.");
  }

  Status DeleteGroup(const std::string& tenant_id, const std::string& id) override {
    // Memberships reference the group, so they go first; check existence
    // before writing anything so NotFound leaves the transaction untouched.
    GH_ASSIGN_OR_RETURN(Rows found, Query("SELECT 1 FROM groups WHERE tenant_id = $1 AND id = $2", {tenant_id, id}));
    if (found.empty()) return NotFound("Group '" + id + "' not found.");
    changes().Add(tenant_id, ChangeKind::kPrincipalDeleted, id);
    GH_RETURN_IF_ERROR(
        Exec("DELETE FROM memberships WHERE tenant_id = $1 AND group_id = $2", {tenant_id, id}).status());
    GH_RETURN_IF_ERROR(DeletePrincipalLinks(tenant_id, id));
    return Exec("DELETE FROM groups WHERE tenant_id = $1 AND id = $2", {tenant_id, id}).status();
  }

  StatusOr<Group> GetGroup(const std::string& tenant_id, const std::string& id) override {
    return One(kGroups.Select("WHERE tenant_id = $1 AND id = $2"), {tenant_id, id}, GroupFrom, "Group '" + id + "'");
  }

  StatusOr<Page<Group>> ListGroups(const ListQuery& q) override {
    return List(kGroups, GroupFilterTable(), q, GroupFrom);
  }

  // ---- Memberships

  Status AddMember(const std::string& tenant_id, const Membership& m) override {
    changes().Add(tenant_id, ChangeKind::kMembership, m.member_id);
    Status st = Exec(kMemberships.Insert(), {tenant_id, m.group_id, m.member_id,
                                             std::string(m.member_kind == MemberKind::kGroup ? "group" : "user")})
                    .status();
    st = Explain(st, Code::kAlreadyExists,
                 "'" + m.member_id + "' is already a member of group '" + m.group_id + "'.");
    // The memberships → groups foreign key: the group does not exist.
    return Explain(st, Code::kFailedPrecondition, "Group '" + m.group_id + "' not found.", Code::kNotFound);
  }

  Status RemoveMember(const std::string& tenant_id, const std::string& group_id,
                      const std::string& member_id) override {
    changes().Add(tenant_id, ChangeKind::kMembership, member_id);
    GH_ASSIGN_OR_RETURN(int64_t n, Exec("DELETE FROM memberships WHERE tenant_id = $1 AND group_id = $2 AND "
                                        "member_id = $3",
                                        {tenant_id, group_id, member_id}));
    return n ? OkStatus() : NotFound("'" + member_id + "' is not a member of group '" + group_id + "'.");
  }

  StatusOr<std::vector<Membership>> ListMembers(const std::string& tenant_id, const std::string& group_id) override {
    return Many(kMemberships.Select("WHERE tenant_id = $1 AND group_id = $2 ORDER BY member_id"),
                {tenant_id, group_id}, MembershipFrom);
  }

  StatusOr<std::vector<std::string>> ListGroupsOf(const std::string& tenant_id,
                                                  const std::string& member_id) override {
    return Ids("SELECT group_id FROM memberships WHERE tenant_id = $1 AND member_id = $2 ORDER BY group_id",
               {tenant_id, member_id});
  }

  StatusOr<std::vector<std::string>> ListTransitiveGroupsOf(const std::string& tenant_id,
                                                            const std::string& member_id) override {
    // UNION (not UNION ALL) drops rows already seen, so cycles terminate.
    return Ids(
        "WITH RECURSIVE up(group_id) AS ("
        " SELECT group_id FROM memberships WHERE tenant_id = $1 AND member_id = $2"
        " UNION"
        " SELECT m.group_id FROM memberships m JOIN up ON m.member_id = up.group_id WHERE m.tenant_id = $1"
        ") SELECT group_id FROM up ORDER BY group_id",
        {tenant_id, member_id});
  }

  StatusOr<std::vector<Membership>> ListAllMemberships(const std::string& tenant_id) override {
    return Many(kMemberships.Select("WHERE tenant_id = $1 ORDER BY group_id, member_id"), {tenant_id},
                MembershipFrom);
  }

  // ---- Role assignments

  Status InsertRoleAssignment(const RoleAssignment& a) override {
    changes().Add(a.tenant_id, ChangeKind::kDirectoryRole, a.principal_id);
    return Explain(Exec(kRoleAssignments.Insert(), RoleAssignmentParams(a)).status(), Code::kAlreadyExists,
                   "Role '" + a.role_definition_id + "' is already assigned to '" + a.principal_id + "'.");
  }

  Status DeleteRoleAssignment(const std::string& tenant_id, const std::string& id) override {
    GH_ASSIGN_OR_RETURN(Rows deleted, Query("DELETE FROM role_assignments WHERE tenant_id = $1 AND id = $2 "
                                            "RETURNING principal_id",
                                            {tenant_id, id}));
    if (deleted.empty()) return NotFound("Role assignment '" + id + "' not found.");
    changes().Add(tenant_id, ChangeKind::kDirectoryRole, deleted.front().Text(0));
    return OkStatus();
  }

  StatusOr<RoleAssignment> GetRoleAssignment(const std::string& tenant_id, const std::string& id) override {
    return One(kRoleAssignments.Select("WHERE tenant_id = $1 AND id = $2"), {tenant_id, id}, RoleAssignmentFrom,
               "Role assignment '" + id + "'");
  }

  StatusOr<std::vector<RoleAssignment>> ListRoleAssignments(const std::string& tenant_id,
                                                            const std::string& principal_id,
                                                            const std::string& role_id) override {
    Params params{tenant_id};
    std::string where = "WHERE tenant_id = $1";
    if (!principal_id.empty()) params.push_back(principal_id), where += " AND principal_id = " + P(params);
    if (!role_id.empty()) params.push_back(role_id), where += " AND role_definition_id = " + P(params);
    return Many(kRoleAssignments.Select(where + " ORDER BY id"), params, RoleAssignmentFrom);
  }

  // ---- Clients

  Status InsertClient(const Client& c) override {
    return Explain(Exec(kClients.Insert(), ClientParams(c)).status(), Code::kAlreadyExists,
                   "A client with id '" + c.id + "' or appId '" + c.app_id + "' already exists.");
  }

  StatusOr<Client> FindClientByAppId(const std::string& tenant_id, const std::string& app_id) override {
    return One(kClients.Select("WHERE tenant_id = $1 AND app_id = $2"), {tenant_id, app_id}, ClientFrom,
               "Client with appId '" + app_id + "'");
  }

  StatusOr<std::vector<Client>> ListClients(const std::string& tenant_id) override {
    return Many(kClients.Select("WHERE tenant_id = $1 ORDER BY id"), {tenant_id}, ClientFrom);
  }

  Status DeleteClient(const std::string& tenant_id, const std::string& id) override {
    GH_ASSIGN_OR_RETURN(Rows found, Query("SELECT 1 FROM clients WHERE tenant_id = $1 AND id = $2", {tenant_id, id}));
    if (found.empty()) return NotFound("Client '" + id + "' not found.");
    changes().Add(tenant_id, ChangeKind::kPrincipalDeleted, id);
    GH_RETURN_IF_ERROR(Exec("DELETE FROM client_secrets WHERE client_id = $1", {id}).status());
    GH_RETURN_IF_ERROR(DeletePrincipalLinks(tenant_id, id));
    return Exec("DELETE FROM clients WHERE tenant_id = $1 AND id = $2", {tenant_id, id}).status();
  }

  StatusOr<std::string> GetDocument(const std::string& tenant_id, const std::string& kind) override {
    GH_ASSIGN_OR_RETURN(Rows rows, Query("SELECT body FROM tenant_documents WHERE tenant_id = $1 AND kind = $2",
                                         {tenant_id, kind}));
    if (rows.empty()) return NotFound("Document '" + kind + "' not found.");
    return rows.front().Text(0);
  }

  Status PutDocument(const std::string& tenant_id, const std::string& kind, const std::string& body,
                     int64_t updated_at) override {
    changes().Add(tenant_id, ChangeKind::kDocument, kind);
    GH_ASSIGN_OR_RETURN(int64_t n, Exec("UPDATE tenant_documents SET body = $3, updated_at = $4 "
                                        "WHERE tenant_id = $1 AND kind = $2",
                                        {tenant_id, kind, body, sql::Int(updated_at)}));
    if (n) return OkStatus();
    Status st = Exec("INSERT INTO tenant_documents (tenant_id, kind, body, updated_at) VALUES ($1, $2, $3, $4)",
                     {tenant_id, kind, body, sql::Int(updated_at)})
                    .status();
    return Explain(st, Code::kFailedPrecondition, "Tenant '" + tenant_id + "' not found.", Code::kNotFound);
  }

  Status UpdateClient(const Client& c) override {
    GH_ASSIGN_OR_RETURN(int64_t n, Exec(kClients.Update(), ClientParams(c)));
    return n ? OkStatus() : NotFound("Client '" + c.id + "' not found.");
  }

  Status DeleteClientSecret(const std::string& client_id, const std::string& secret_id) override {
    GH_ASSIGN_OR_RETURN(int64_t n, Exec("DELETE FROM client_secrets WHERE client_id = $1 AND id = $2",
                                        {client_id, secret_id}));
    return n ? OkStatus() : NotFound("Client secret '" + secret_id + "' not found.");
  }

  Status InsertClientSecret(const ClientSecret& s) override {
    Status st = Exec(kClientSecrets.Insert(), ClientSecretParams(s)).status();
    st = Explain(st, Code::kAlreadyExists, "A client secret with keyId '" + s.id + "' already exists.");
    return Explain(st, Code::kFailedPrecondition, "Client '" + s.client_id + "' not found.", Code::kNotFound);
  }

  StatusOr<std::vector<ClientSecret>> ListClientSecrets(const std::string& client_id) override {
    return Many(kClientSecrets.Select("WHERE client_id = $1 ORDER BY created_at, id"), {client_id},
                ClientSecretFrom);
  }

  // ---- Signing keys

  Status InsertSigningKey(const SigningKey& k) override {
    changes().Add(k.tenant_id, ChangeKind::kSigningKey, k.kid);
    return Explain(Exec(kSigningKeys.Insert(), SigningKeyParams(k)).status(), Code::kAlreadyExists,
                   "A signing key with kid '" + k.kid + "' already exists.");
  }

  Status UpdateSigningKey(const SigningKey& k) override {
    changes().Add(k.tenant_id, ChangeKind::kSigningKey, k.kid);
    GH_ASSIGN_OR_RETURN(int64_t n, Exec(kSigningKeys.Update(), SigningKeyParams(k)));
    return n ? OkStatus() : NotFound("Signing key '" + k.kid + "' not found.");
  }

  StatusOr<std::vector<SigningKey>> ListSigningKeys(const std::string& tenant_id) override {
    return Many(kSigningKeys.Select("WHERE tenant_id = $1 ORDER BY created_at DESC, kid DESC"), {tenant_id},
                SigningKeyFrom);
  }

  // ---- The change feed (sql_changes.cc)

  StatusOr<std::vector<Change>> ReadChanges(int64_t after, int limit) override {
    return store::ReadChanges(*this, after, limit);
  }
  StatusOr<int64_t> LastChangeSeq() override { return store::LastChangeSeq(*this); }
  StatusOr<int64_t> FirstChangeSeq() override { return store::FirstChangeSeq(*this); }
  StatusOr<int64_t> PurgeChanges(int64_t before) override { return store::PurgeChanges(*this, before); }

  // ---- Audit

  Status InsertAudit(const AuditEntry& e) override {
    return Explain(Exec(kAudit.Insert(), AuditParams(e)).status(), Code::kAlreadyExists,
                   "An audit entry with id '" + e.id + "' already exists.");
  }

  Status InsertAudits(const std::vector<AuditEntry>& entries) override {
    return Explain(InsertAll(kAudit, entries, AuditParams), Code::kAlreadyExists,
                   "One of the audit entries already exists.");
  }

  StatusOr<Page<AuditEntry>> ListAudit(const AuditQuery& q) override {
    Params params{q.tenant_id};
    std::string where = "WHERE tenant_id = $1";
    auto add = [&](std::string_view cond, sql::Value v) {
      params.push_back(std::move(v));
      where += " AND " + std::string(cond) + " " + P(params);
    };
    if (q.category) add("category =", *q.category);
    if (q.activity) add("activity =", *q.activity);
    if (q.actor_id) add("actor_id =", *q.actor_id);
    if (q.target_id) add("target_id =", *q.target_id);
    if (q.since) add("time >=", *q.since);
    if (q.until) add("time <", *q.until);
    if (!q.after.empty()) {
      // Newest first: the next page holds entries strictly older than the
      // cursor entry in (time, id) order.
      params.push_back(q.after);
      where += " AND (time, id) < (SELECT time, id FROM audit_log WHERE tenant_id = $1 AND id = " + P(params) + ")";
    }
    return Paged(kAudit.Select(where + " ORDER BY time DESC, id DESC LIMIT "), std::move(params), q.top, AuditFrom);
  }

 private:
  // Users of the tenant whose `column` (a lower-case copy) is any of `values`, ordered by id.
  StatusOr<std::vector<User>> UsersWhereIn(std::string_view column, const std::string& tenant_id,
                                           const std::vector<std::string>& values) {
    std::vector<std::string> lower;
    lower.reserve(values.size());
    for (const std::string& v : values) lower.push_back(ToLower(v));
    GH_ASSIGN_OR_RETURN(std::vector<User> users,
                        ManyIn(kUsers.Select("WHERE tenant_id = $1 AND " + std::string(column) + " IN "),
                               {tenant_id}, std::move(lower), "", UserFrom));
    std::sort(users.begin(), users.end(), [](const User& a, const User& b) { return a.id < b.id; });
    return users;
  }

  template <typename T>
  StatusOr<Page<T>> List(const Table& table, const FilterTable& filters, const ListQuery& q, T (*from)(const Row&)) {
    Params params{q.tenant_id};
    std::string where = "WHERE tenant_id = $1";
    if (q.filter) {
      GH_ASSIGN_OR_RETURN(std::string cond, FilterToSql(*q.filter, filters, params));
      where += " AND " + cond;
    }
    std::optional<int64_t> count;
    if (q.count) {
      GH_ASSIGN_OR_RETURN(Rows rows, Query("SELECT COUNT(*) FROM " + std::string(table.name) + " " + where, params));
      count = rows.at(0).Int(0);
    }
    if (!q.after.empty()) params.push_back(q.after), where += " AND id > " + P(params);
    GH_ASSIGN_OR_RETURN(Page<T> page, Paged(table.Select(where + " ORDER BY id LIMIT "), std::move(params), q.top, from));
    page.count = count;
    return page;
  }

  Status InsertDomains(const Tenant& t) {
    std::set<std::string> domains{ToLower(t.initial_domain)};
    for (const auto& d : t.verified_domains) domains.insert(ToLower(d));
    for (const auto& d : domains) {
      GH_RETURN_IF_ERROR(
          Exec("INSERT INTO tenant_domains (domain, tenant_id) VALUES ($1, $2)", {d, t.id}).status());
    }
    return OkStatus();
  }

  // What hangs off a user, group or client: its group memberships and roles,
  // and its licences, environment roles and environment user records.
  Status DeletePrincipalLinks(const std::string& tenant_id, const std::string& id) {
    for (std::string_view table : {"license_assignments", "env_role_assignments"})
      GH_RETURN_IF_ERROR(
          Exec("DELETE FROM " + std::string(table) + " WHERE tenant_id = $1 AND principal_id = $2", {tenant_id, id})
              .status());
    GH_RETURN_IF_ERROR(Exec("DELETE FROM env_users WHERE tenant_id = $1 AND user_id = $2", {tenant_id, id}).status());
    GH_RETURN_IF_ERROR(
        Exec("DELETE FROM memberships WHERE tenant_id = $1 AND member_id = $2", {tenant_id, id}).status());
    return Exec("DELETE FROM role_assignments WHERE tenant_id = $1 AND principal_id = $2", {tenant_id, id}).status();
  }

  std::unique_ptr<LicensingRepository> licensing_;
  std::unique_ptr<EnvironmentsRepository> environments_;
  std::unique_ptr<OutboxRepository> outbox_;
  std::unique_ptr<SigninRepository> signin_;
  std::unique_ptr<InvitationsRepository> invitations_;
  std::unique_ptr<AppsRepository> apps_;
  std::unique_ptr<BulkRepository> bulk_;
  std::unique_ptr<ConsentRepository> consent_;

  const CommitListener& listener_;
};

class SqlStore final : public Store {
 public:
  // `postgres_url`: where to LISTEN for other nodes' changes; empty for SQLite.
  SqlStore(std::shared_ptr<ConnectionPool> pool, std::string_view backend, int version, std::string postgres_url)
      : pool_(std::move(pool)), backend_(backend), version_(version), postgres_url_(std::move(postgres_url)) {}

  StatusOr<bool> WaitForChanges(std::chrono::milliseconds timeout) override {
    if (postgres_url_.empty()) return false;
    // One waiter at a time (the node's feed follower); the listener is opened
    // on first use and again after its connection was lost.
    std::lock_guard<std::mutex> lock(listener_mu_);
    if (!listener_) {
      auto opened = sql::ListenPostgres(postgres_url_, std::string(kChangeChannel));
      if (!opened.ok()) {
        std::this_thread::sleep_for(timeout);  // the database is away: don't spin
        return opened.status();
      }
      listener_ = std::move(*opened);
      return true;  // whatever was announced while no one listened: read the feed
    }
    auto woke = listener_->Wait(timeout);
    if (!woke.ok()) listener_.reset();
    return woke;
  }

  StatusOr<std::unique_ptr<Transaction>> Begin(TxMode mode) override {
    // A pooled connection the server dropped fails on BEGIN; replace it once.
    for (int attempt = 0;; ++attempt) {
      GH_ASSIGN_OR_RETURN(ConnectionPool::Lease lease, pool_->Acquire());
      Status st = lease->Begin(mode);
      if (st.ok())
        return std::unique_ptr<Transaction>(std::make_unique<SqlTransaction>(std::move(lease), mode, commit_listener()));
      bool broken = lease->Broken();
      if (broken) lease.Discard();
      if (!broken || attempt > 0) return st;
    }
  }

  std::string_view Backend() const override { return backend_; }
  int SchemaVersion() const override { return version_; }
  PoolUse CurrentPoolUse() const override {
    auto u = pool_->CurrentUse();
    return {u.size, u.open, u.in_use, u.waiting};
  }

  Status RefreshStatistics() override {
    if (backend_ != "postgres") return OkStatus();
    GH_ASSIGN_OR_RETURN(ConnectionPool::Lease lease, pool_->Acquire());
    // Only the looked-up columns: sampling them is a few ms even at 100k rows.
    for (std::string_view analyze : {"ANALYZE users (tenant_id, mail_lower, upn_lower)",
                                     "ANALYZE bulk_job_results (job_id, email_lower)"})
      GH_RETURN_IF_ERROR(lease->Run(analyze));
    return OkStatus();
  }

 private:
  std::shared_ptr<ConnectionPool> pool_;
  std::string_view backend_;
  int version_;
  const std::string postgres_url_;
  std::mutex listener_mu_;
  std::unique_ptr<sql::Listener> listener_;
};

}  // namespace

StatusOr<std::unique_ptr<Store>> OpenStore(const std::string& url, int pool_size) {
  bool postgres = url.starts_with("postgres://") || url.starts_with("postgresql://");
  ConnectionPool::Factory factory;
  if (postgres) {
    factory = [url] { return sql::OpenPostgres(url); };
  } else {
    // Each connection to ":memory:" would be its own database: keep one.
    if (url == ":memory:") {
      pool_size = 1;
      factory = [url] { return sql::OpenSqlite(url); };
    } else {
      GH_ASSIGN_OR_RETURN(auto checkpointer, sql::StartSqliteCheckpointer(url));
      factory = [url, checkpointer] { return sql::OpenSqlite(url, checkpointer); };
    }
  }
  auto pool = ConnectionPool::Create(std::move(factory), pool_size, kPoolWait);
  int version = 0;
  {
    GH_ASSIGN_OR_RETURN(ConnectionPool::Lease lease, pool->Acquire());
    GH_ASSIGN_OR_RETURN(version, Migrate(*lease));
  }
  return std::unique_ptr<Store>(std::make_unique<SqlStore>(std::move(pool), postgres ? "postgres" : "sqlite", version,
                                                            postgres ? url : std::string()));
}

}  // namespace gh::store
