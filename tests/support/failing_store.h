#pragma once
// Fault injection for store users' tests: a Store decorator whose transactions
// fail with Unavailable from the n-th mutating call on (counted across all
// transactions of this store, 1-based), as a database that went away mid-write
// would. The failing call writes nothing; the transaction is then failed:
// Commit() returns Unavailable and the inner transaction rolls back. Reads
// pass through. Header-only (tests/support is not a CMake target).
// FailWith(code) injects another code instead (e.g. AlreadyExists, as a
// unique constraint would), to see how a caller answers it.
// HideTenantOnce(id) makes the next GetTenant(id) answer NotFound although
// the tenant is stored: a read taken just before another node committed it,
// so the caller's insert then meets the unique constraint.
//
//   FailingStore store(inner, /*fail_from=*/3);  // 1st and 2nd writes succeed
//   for (int n = 1;; ++n) { store.Reset(n); ... }  // the fail-count loop
#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "store/environments_repository.h"
#include "store/licensing_repository.h"
#include "store/outbox_repository.h"
#include "store/store.h"

namespace gh::store::testing {

class FailingStore final : public Store {
 public:
  // `inner` must outlive this object. fail_from <= 0 never fails.
  FailingStore(Store& inner, int fail_from) : inner_(inner), fail_from_(fail_from) {}

  // Restarts the count with a new failure point.
  void Reset(int fail_from) {
    fail_from_ = fail_from;
    calls_ = 0;
  }
  // The code of the injected failures (Unavailable unless told).
  void FailWith(Code code) { code_ = code; }
  // The next GetTenant(id) answers NotFound (once).
  void HideTenantOnce(const std::string& id) {
    std::lock_guard<std::mutex> lock(hidden_mu_);
    hidden_tenant_ = id;
  }
  // Mutating calls seen so far (including failed ones).
  int calls() const { return calls_; }
  // True once a call has been failed on purpose.
  bool tripped() const { return fail_from_ > 0 && calls_ >= fail_from_; }

  StatusOr<std::unique_ptr<Transaction>> Begin(TxMode mode) override {
    auto tx = inner_.Begin(mode);
    if (!tx.ok()) return tx.status();
    return std::unique_ptr<Transaction>(std::make_unique<Tx>(*this, std::move(tx).value()));
  }
  std::string_view Backend() const override { return inner_.Backend(); }
  int SchemaVersion() const override { return inner_.SchemaVersion(); }
  StatusOr<bool> WaitForChanges(std::chrono::milliseconds timeout) override { return inner_.WaitForChanges(timeout); }

 private:
  class Tx final : public Transaction {
   public:
    Tx(FailingStore& store, std::unique_ptr<Transaction> inner) : store_(store), inner_(std::move(inner)) {}

    Status Commit() override {
      if (failed_) {
        inner_.reset();  // rolls back
        return Status(store_.code_, "injected failure: connection lost before commit");
      }
      return inner_->Commit();
    }

#define GH_FAILING_WRITE(call) \
  if (Status st = Count(); !st.ok()) return st; \
  return inner_->call
#define GH_FAILING_READ(call) return inner_->call

    Status InsertTenant(const directory::Tenant& t) override { GH_FAILING_WRITE(InsertTenant(t)); }
    Status UpdateTenant(const directory::Tenant& t) override { GH_FAILING_WRITE(UpdateTenant(t)); }
    StatusOr<directory::Tenant> GetTenant(const std::string& id) override {
      if (store_.TakeHidden(id)) return NotFound("Tenant '" + id + "' not found.");
      GH_FAILING_READ(GetTenant(id));
    }
    StatusOr<directory::Tenant> FindTenantByDomain(const std::string& d) override {
      GH_FAILING_READ(FindTenantByDomain(d));
    }
    StatusOr<std::vector<directory::Tenant>> ListTenants() override { GH_FAILING_READ(ListTenants()); }

    Status InsertUser(const directory::User& u) override { GH_FAILING_WRITE(InsertUser(u)); }
    Status UpdateUser(const directory::User& u) override { GH_FAILING_WRITE(UpdateUser(u)); }
    Status DeleteUser(const std::string& t, const std::string& id) override { GH_FAILING_WRITE(DeleteUser(t, id)); }
    StatusOr<directory::User> GetUser(const std::string& t, const std::string& id) override {
      GH_FAILING_READ(GetUser(t, id));
    }
    StatusOr<directory::User> FindUserByUpn(const std::string& t, const std::string& upn) override {
      GH_FAILING_READ(FindUserByUpn(t, upn));
    }
    StatusOr<std::vector<directory::User>> FindUsersByMail(const std::string& t, const std::string& m) override {
      GH_FAILING_READ(FindUsersByMail(t, m));
    }
    StatusOr<Page<directory::User>> ListUsers(const ListQuery& q) override { GH_FAILING_READ(ListUsers(q)); }

    Status InsertGroup(const directory::Group& g) override { GH_FAILING_WRITE(InsertGroup(g)); }
    Status UpdateGroup(const directory::Group& g) override { GH_FAILING_WRITE(UpdateGroup(g)); }
    Status DeleteGroup(const std::string& t, const std::string& id) override { GH_FAILING_WRITE(DeleteGroup(t, id)); }
    StatusOr<directory::Group> GetGroup(const std::string& t, const std::string& id) override {
      GH_FAILING_READ(GetGroup(t, id));
    }
    StatusOr<Page<directory::Group>> ListGroups(const ListQuery& q) override { GH_FAILING_READ(ListGroups(q)); }

    Status AddMember(const std::string& t, const directory::Membership& m) override {
      GH_FAILING_WRITE(AddMember(t, m));
    }
    Status RemoveMember(const std::string& t, const std::string& g, const std::string& m) override {
      GH_FAILING_WRITE(RemoveMember(t, g, m));
    }
    StatusOr<std::vector<directory::Membership>> ListMembers(const std::string& t, const std::string& g) override {
      GH_FAILING_READ(ListMembers(t, g));
    }
    StatusOr<std::vector<std::string>> ListGroupsOf(const std::string& t, const std::string& m) override {
      GH_FAILING_READ(ListGroupsOf(t, m));
    }
    StatusOr<std::vector<std::string>> ListTransitiveGroupsOf(const std::string& t, const std::string& m) override {
      GH_FAILING_READ(ListTransitiveGroupsOf(t, m));
    }
    StatusOr<std::vector<directory::Membership>> ListAllMemberships(const std::string& t) override {
      GH_FAILING_READ(ListAllMemberships(t));
    }

    Status InsertRoleAssignment(const directory::RoleAssignment& a) override {
      GH_FAILING_WRITE(InsertRoleAssignment(a));
    }
    Status DeleteRoleAssignment(const std::string& t, const std::string& id) override {
      GH_FAILING_WRITE(DeleteRoleAssignment(t, id));
    }
    StatusOr<directory::RoleAssignment> GetRoleAssignment(const std::string& t, const std::string& id) override {
      GH_FAILING_READ(GetRoleAssignment(t, id));
    }
    StatusOr<std::vector<directory::RoleAssignment>> ListRoleAssignments(const std::string& t, const std::string& p,
                                                                         const std::string& r) override {
      GH_FAILING_READ(ListRoleAssignments(t, p, r));
    }

    Status InsertClient(const directory::Client& c) override { GH_FAILING_WRITE(InsertClient(c)); }
    StatusOr<directory::Client> FindClientByAppId(const std::string& t, const std::string& a) override {
      GH_FAILING_READ(FindClientByAppId(t, a));
    }
    StatusOr<std::vector<directory::Client>> ListClients(const std::string& t) override {
      GH_FAILING_READ(ListClients(t));
    }
    Status DeleteClient(const std::string& t, const std::string& id) override { GH_FAILING_WRITE(DeleteClient(t, id)); }
    Status UpdateClient(const directory::Client& c) override { GH_FAILING_WRITE(UpdateClient(c)); }
    StatusOr<std::string> GetDocument(const std::string& t, const std::string& k) override {
      GH_FAILING_READ(GetDocument(t, k));
    }
    Status PutDocument(const std::string& t, const std::string& k, const std::string& b, int64_t at) override {
      GH_FAILING_WRITE(PutDocument(t, k, b, at));
    }
    Status DeleteClientSecret(const std::string& c, const std::string& s) override {
      GH_FAILING_WRITE(DeleteClientSecret(c, s));
    }
    Status InsertClientSecret(const directory::ClientSecret& s) override { GH_FAILING_WRITE(InsertClientSecret(s)); }
    StatusOr<std::vector<directory::ClientSecret>> ListClientSecrets(const std::string& c) override {
      GH_FAILING_READ(ListClientSecrets(c));
    }

    Status InsertSigningKey(const directory::SigningKey& k) override { GH_FAILING_WRITE(InsertSigningKey(k)); }
    Status UpdateSigningKey(const directory::SigningKey& k) override { GH_FAILING_WRITE(UpdateSigningKey(k)); }
    StatusOr<std::vector<directory::SigningKey>> ListSigningKeys(const std::string& t) override {
      GH_FAILING_READ(ListSigningKeys(t));
    }

    Status InsertAudit(const directory::AuditEntry& e) override { GH_FAILING_WRITE(InsertAudit(e)); }
    StatusOr<Page<directory::AuditEntry>> ListAudit(const AuditQuery& q) override { GH_FAILING_READ(ListAudit(q)); }

    StatusOr<std::vector<Change>> ReadChanges(int64_t after, int limit) override {
      GH_FAILING_READ(ReadChanges(after, limit));
    }
    StatusOr<int64_t> LastChangeSeq() override { GH_FAILING_READ(LastChangeSeq()); }
    StatusOr<int64_t> FirstChangeSeq() override { GH_FAILING_READ(FirstChangeSeq()); }
    StatusOr<int64_t> PurgeChanges(int64_t before) override { GH_FAILING_WRITE(PurgeChanges(before)); }

    // Forwarded unwrapped: outbox writes are not counted as injected failures.
    OutboxRepository& Outbox() override { return inner_->Outbox(); }
    SigninRepository& Signin() override { return inner_->Signin(); }
    InvitationsRepository& Invitations() override { return inner_->Invitations(); }
    AppsRepository& Apps() override { return inner_->Apps(); }
    BulkRepository& Bulk() override { return inner_->Bulk(); }
    ConsentRepository& Consent() override { return inner_->Consent(); }
    // Likewise unwrapped: licensing and environments writes are not counted.
    LicensingRepository& Licensing() override { return inner_->Licensing(); }
    EnvironmentsRepository& Environments() override { return inner_->Environments(); }

#undef GH_FAILING_WRITE
#undef GH_FAILING_READ

   private:
    Status Count() {
      int n = ++store_.calls_;
      if (failed_ || (store_.fail_from_ > 0 && n >= store_.fail_from_)) {
        failed_ = true;
        return Status(store_.code_, "injected failure at mutating call " + std::to_string(n));
      }
      return OkStatus();
    }

    FailingStore& store_;
    std::unique_ptr<Transaction> inner_;
    bool failed_ = false;
  };

  bool TakeHidden(const std::string& id) {
    std::lock_guard<std::mutex> lock(hidden_mu_);
    if (hidden_tenant_.empty() || hidden_tenant_ != id) return false;
    hidden_tenant_.clear();
    return true;
  }

  Store& inner_;
  std::mutex hidden_mu_;
  std::string hidden_tenant_;
  std::atomic<int> fail_from_;
  std::atomic<int> calls_{0};
  std::atomic<Code> code_{Code::kUnavailable};
};

}  // namespace gh::store::testing
