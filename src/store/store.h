#pragma once
// Storage behind an interface. A Store hands out transactions; every read and
// write happens inside one, and nothing is visible to others until Commit().
// A transaction destroyed without Commit() rolls back. The store knows no
// business rules: it persists and finds; validation and permission checks live
// in the domain modules.
//
// Errors: a uniqueness violation is AlreadyExists; a missing row on a get,
// update or delete is NotFound; a lost connection or busy database is
// Unavailable; anything else is Internal. Implementations: SQLite (embedded
// default) and PostgreSQL, sharing one schema and one set of SQL statements.
//
// A call that fails in the database (any error other than NotFound or a filter
// it can't translate) fails its transaction, on both backends alike: later calls
// return that error and Commit() rolls back and returns it, so a multi-row
// write never commits half-done. A write in a kRead transaction is
// FailedPrecondition. A Transaction is used by one thread at a time and holds
// one pooled connection until Commit() or destruction.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/filter.h"
#include "directory/model/types.h"

namespace gh::store {

class OutboxRepository;  // store/outbox_repository.h
class LicensingRepository;     // store/licensing_repository.h
class EnvironmentsRepository;  // store/environments_repository.h
class SigninRepository;        // store/signin_repository.h
class InvitationsRepository;   // store/invitations_repository.h
class AppsRepository;          // store/apps_repository.h
class BulkRepository;          // store/bulk_repository.h
class ConsentRepository;       // store/consent_repository.h

// Keyset paging: rows come ordered by id; `after` is the last id of the
// previous page, so concurrent inserts neither repeat nor skip earlier rows.
struct ListQuery {
  std::string tenant_id;
  FilterPtr filter;  // may be null
  int top = 100;
  std::string after;            // empty = from the start
  bool count = false;           // also count all rows matching the filter
};

template <typename T>
struct Page {
  std::vector<T> items;
  bool more = false;                 // another page exists after items.back()
  std::optional<int64_t> count;      // when ListQuery::count
};

struct AuditQuery {
  std::string tenant_id;
  std::optional<std::string> category;
  std::optional<std::string> activity;
  std::optional<std::string> actor_id;
  std::optional<std::string> target_id;
  std::optional<int64_t> since;  // inclusive, ms
  std::optional<int64_t> until;  // exclusive, ms
  int top = 100;
  std::string after;  // id cursor; entries come newest first
};

// ---- The change feed
//
// What committed writes changed, for the views nodes keep in memory (the
// gate's snapshots, directory read caches) — this node's and every other
// node's on the same database. The store records it itself, in the writing
// transaction, for every write that can change an access decision or a
// cached read; sign-in state, consent, clients' secrets, the outbox and bulk
// bookkeeping record nothing. Sequence numbers increase in commit order
// across every node (the recording transaction holds the feed's counter row
// until it commits), so a reader that has seen up to N and reads `seq > N`
// misses nothing.
enum class ChangeKind : uint8_t {
  kTenant,             // the tenant row (domains, default usage location); ids empty
  kUser,               // users inserted or updated: user ids
  kPrincipalDeleted,   // users, groups or clients deleted, with their links: their ids
  kGroup,              // groups inserted or updated: group ids
  kMembership,         // members whose direct groups changed: member (user or group) ids
  kDirectoryRole,      // directory role assignments: principal ids
  kLicence,            // licence assignments: principal ids
  kSku,                // subscriptions (seats, plans): sku ids
  kDocument,           // tenant documents: their kinds ("policies", "tenantSettings", …)
  kEnvironment,        // environments inserted, updated or deleted: ids
  kEnvironmentRoles,   // security roles and their assignments: environment ids
  kApp,                // apps and their sharing: app ids
  kSigningKey,         // signing keys: kids
};
std::string_view NameOf(ChangeKind kind);
std::optional<ChangeKind> ChangeKindNamed(std::string_view name);

struct Change {
  int64_t seq = 0;
  std::string tenant_id;
  ChangeKind kind = ChangeKind::kTenant;
  // Ids of what changed (see ChangeKind), each once; `all` instead when a
  // transaction changed more than kMaxChangeIds of one kind (a bulk load).
  std::vector<std::string> ids;
  bool all = false;
  int64_t at = 0;  // commit time, ms since the epoch
};
inline constexpr size_t kMaxChangeIds = 4096;

// The batch calls (FindUsersByMails, InsertUsers, …) have default
// implementations in terms of the one-row calls, so decorators and fakes
// (tests/support/failing_store.h) need not implement them; the SQL store
// overrides them with multi-row statements.
class Transaction {
 public:
  virtual ~Transaction() = default;
  [[nodiscard]] virtual Status Commit() = 0;

  // From BeginBatch to EndBatch the multi-row writes (InsertUsers, …) may
  // stay in flight (PostgreSQL's pipeline) while the caller prepares the
  // next: an error is then reported by EndBatch, or by the next call, rather
  // than by the write itself. Either way it fails the transaction.
  virtual void BeginBatch() {}
  virtual Status EndBatch() { return OkStatus(); }

  // Tenants (global, not confined to one tenant).
  virtual Status InsertTenant(const directory::Tenant& t) = 0;
  virtual Status UpdateTenant(const directory::Tenant& t) = 0;
  virtual StatusOr<directory::Tenant> GetTenant(const std::string& id) = 0;
  virtual StatusOr<directory::Tenant> FindTenantByDomain(const std::string& domain) = 0;
  // The tenants owning any of `domains`, by lower-case domain; domains no
  // tenant owns are absent.
  virtual StatusOr<std::map<std::string, directory::Tenant>> FindTenantsByDomains(
      const std::vector<std::string>& domains);
  virtual StatusOr<std::vector<directory::Tenant>> ListTenants() = 0;

  // Users. UPNs are unique per tenant, compared case-insensitively.
  virtual Status InsertUser(const directory::User& u) = 0;
  virtual Status UpdateUser(const directory::User& u) = 0;
  virtual Status DeleteUser(const std::string& tenant_id, const std::string& id) = 0;
  virtual StatusOr<directory::User> GetUser(const std::string& tenant_id, const std::string& id) = 0;
  virtual StatusOr<directory::User> FindUserByUpn(const std::string& tenant_id, const std::string& upn) = 0;
  virtual StatusOr<std::vector<directory::User>> FindUsersByMail(const std::string& tenant_id, const std::string& mail) = 0;
  // Batch forms for bulk work (one statement per block of rows on SQL
  // backends): the users whose mail, or whose UPN, is any of the given
  // values (compared case-insensitively), ordered by id.
  virtual StatusOr<std::vector<directory::User>> FindUsersByMails(const std::string& tenant_id,
                                                                  const std::vector<std::string>& mails);
  virtual StatusOr<std::vector<directory::User>> FindUsersByUpns(const std::string& tenant_id,
                                                                 const std::vector<std::string>& upns);
  // Inserts every user, or (on any error, e.g. AlreadyExists) fails the transaction.
  virtual Status InsertUsers(const std::vector<directory::User>& users);
  // Filter properties: id, displayName, mail, userPrincipalName, userType,
  // externalUserState, accountEnabled, givenName, surname, usageLocation,
  // companyName, creationType. Others are InvalidArgument.
  virtual StatusOr<Page<directory::User>> ListUsers(const ListQuery& q) = 0;

  // Groups. Filter properties: id, displayName, mail, mailNickname,
  // securityEnabled, mailEnabled.
  virtual Status InsertGroup(const directory::Group& g) = 0;
  virtual Status UpdateGroup(const directory::Group& g) = 0;
  virtual Status DeleteGroup(const std::string& tenant_id, const std::string& id) = 0;  // also its memberships
  virtual StatusOr<directory::Group> GetGroup(const std::string& tenant_id, const std::string& id) = 0;
  virtual StatusOr<Page<directory::Group>> ListGroups(const ListQuery& q) = 0;

  // Memberships. Adding an existing one is AlreadyExists.
  virtual Status AddMember(const std::string& tenant_id, const directory::Membership& m) = 0;
  virtual Status RemoveMember(const std::string& tenant_id, const std::string& group_id, const std::string& member_id) = 0;
  virtual StatusOr<std::vector<directory::Membership>> ListMembers(const std::string& tenant_id, const std::string& group_id) = 0;
  // Groups that contain member_id directly.
  virtual StatusOr<std::vector<std::string>> ListGroupsOf(const std::string& tenant_id, const std::string& member_id) = 0;
  // Groups that contain member_id directly or through nested groups.
  virtual StatusOr<std::vector<std::string>> ListTransitiveGroupsOf(const std::string& tenant_id, const std::string& member_id) = 0;
  // Every membership of the tenant (for in-memory snapshots).
  virtual StatusOr<std::vector<directory::Membership>> ListAllMemberships(const std::string& tenant_id) = 0;

  // Directory role assignments.
  virtual Status InsertRoleAssignment(const directory::RoleAssignment& a) = 0;
  virtual Status DeleteRoleAssignment(const std::string& tenant_id, const std::string& id) = 0;
  virtual StatusOr<directory::RoleAssignment> GetRoleAssignment(const std::string& tenant_id, const std::string& id) = 0;
  // Empty principal_id / role_id = any.
  virtual StatusOr<std::vector<directory::RoleAssignment>> ListRoleAssignments(
      const std::string& tenant_id, const std::string& principal_id = {}, const std::string& role_id = {}) = 0;

  // Clients and their secrets.
  virtual Status InsertClient(const directory::Client& c) = 0;
  virtual StatusOr<directory::Client> FindClientByAppId(const std::string& tenant_id, const std::string& app_id) = 0;
  virtual StatusOr<std::vector<directory::Client>> ListClients(const std::string& tenant_id) = 0;
  virtual Status DeleteClient(const std::string& tenant_id, const std::string& id) = 0;  // also its secrets
  virtual Status UpdateClient(const directory::Client& c) = 0;
  virtual Status DeleteClientSecret(const std::string& client_id, const std::string& secret_id) = 0;
  virtual Status InsertClientSecret(const directory::ClientSecret& s) = 0;
  virtual StatusOr<std::vector<directory::ClientSecret>> ListClientSecrets(const std::string& client_id) = 0;

  // Signing keys, newest first.
  virtual Status InsertSigningKey(const directory::SigningKey& k) = 0;
  virtual Status UpdateSigningKey(const directory::SigningKey& k) = 0;
  virtual StatusOr<std::vector<directory::SigningKey>> ListSigningKeys(const std::string& tenant_id) = 0;

  // Tenant-level JSON documents (policies, tenant settings), one per kind.
  // GetDocument is NotFound until the first PutDocument.
  virtual StatusOr<std::string> GetDocument(const std::string& tenant_id, const std::string& kind) = 0;
  virtual Status PutDocument(const std::string& tenant_id, const std::string& kind, const std::string& body,
                             int64_t updated_at) = 0;

  // The change feed (see Change): entries after `after`, oldest first, at
  // most `limit`; the newest sequence number this transaction sees (0 when
  // the feed is empty) — a view read in the same transaction reflects every
  // change up to it; the oldest one still kept (0 when empty); and dropping
  // entries committed before `before` (ms), keeping the newest.
  virtual StatusOr<std::vector<Change>> ReadChanges(int64_t after, int limit) = 0;
  virtual StatusOr<int64_t> LastChangeSeq() = 0;
  virtual StatusOr<int64_t> FirstChangeSeq() = 0;
  virtual StatusOr<int64_t> PurgeChanges(int64_t before) = 0;

  // Audit log, newest first.
  virtual Status InsertAudit(const directory::AuditEntry& e) = 0;
  virtual Status InsertAudits(const std::vector<directory::AuditEntry>& entries);
  virtual StatusOr<Page<directory::AuditEntry>> ListAudit(const AuditQuery& q) = 0;

  // The mail outbox (store/outbox_repository.h); its writes share this
  // transaction, so a mail commits or rolls back with the change causing it.
  virtual OutboxRepository& Outbox() = 0;

  // Licensing (SKUs, licence assignments) and environments (environments,
  // security roles, role assignments, environment users); their writes share
  // this transaction, so each commits with its audit entry.
  virtual LicensingRepository& Licensing() = 0;
  virtual EnvironmentsRepository& Environments() = 0;
  // Sign-in state: sessions, codes, refresh tokens, device codes, throttles.
  virtual SigninRepository& Signin() = 0;
  virtual InvitationsRepository& Invitations() = 0;
  // Apps in environments and their sharing.
  virtual AppsRepository& Apps() = 0;
  // Bulk invitation jobs, their input chunks and per-row results.
  virtual BulkRepository& Bulk() = 0;
  // Delegated permission grants (consent) to clients.
  virtual ConsentRepository& Consent() = 0;
};

enum class TxMode { kRead, kWrite };

// Told on the committing thread after a write transaction that recorded
// changes commits: the feed now holds them, up to `seq`.
using CommitListener = std::function<void(int64_t seq)>;

class Store {
 public:
  virtual ~Store() = default;
  // Told on the committing thread after each write transaction that wrote
  // audit entries commits (each tenant and category once). Set before the
  // store is shared between threads.
  void SetCommitListener(CommitListener listener) { commit_listener_ = std::move(listener); }
  const CommitListener& commit_listener() const { return commit_listener_; }
  // Blocks until another node may have committed changes (PostgreSQL: a
  // NOTIFY from a committing transaction) → true, or `timeout` passed →
  // false. Never the only way to learn of changes: a notification can be
  // lost (a dropped connection), so callers also read the feed now and then.
  // SQLite has no notifications (one process owns the file; its commits
  // reach the CommitListener): returns false at once.
  virtual StatusOr<bool> WaitForChanges(std::chrono::milliseconds timeout) = 0;
  // Write transactions are serialised where the backend needs it (SQLite:
  // BEGIN IMMEDIATE); reads see a consistent snapshot.
  virtual StatusOr<std::unique_ptr<Transaction>> Begin(TxMode mode) = 0;
  virtual std::string_view Backend() const = 0;  // "sqlite" / "postgres"
  virtual int SchemaVersion() const = 0;
  // After a bulk load: refreshes the planner's statistics of the tables that
  // grew and are looked up while they grow (users by mail and UPN, a job's
  // results by address). PostgreSQL's autovacuum analyses a table a minute or
  // more after it changed; until then the planner takes a new table for a
  // small one and answers a look-up by scanning the whole tenant. A no-op
  // where the planner needs no statistics (SQLite).
  virtual Status RefreshStatistics() { return OkStatus(); }
  // The connection pool's use now, for metrics: its bound, connections open,
  // leased, and callers waiting for one. Zeros for a store without a pool.
  struct PoolUse {
    int size = 0, open = 0, in_use = 0, waiting = 0;
  };
  virtual PoolUse CurrentPoolUse() const { return {}; }

 private:
  CommitListener commit_listener_;
};

// Opens (and migrates to the newest schema) the store named by `url`:
// "postgres://…" / "postgresql://…" for PostgreSQL, otherwise a SQLite file path
// (":memory:" for a private in-memory database). `pool_size` bounds the
// connections kept open.
StatusOr<std::unique_ptr<Store>> OpenStore(const std::string& url, int pool_size = 4);

}  // namespace gh::store
