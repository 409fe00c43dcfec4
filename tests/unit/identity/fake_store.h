#pragma once
#include <cstdlib>
// An in-memory store::Store for the identity tests: tenants, clients, client
// secrets and signing keys only (everything else is Internal). A transaction
// works on a copy of the data and publishes it on Commit(), so rollback-on-
// destroy holds. `fail_begin_after` makes the n-th and later Begin() calls fail
// with Unavailable, to test error paths.
#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/strings.h"
#include "store/environments_repository.h"
#include "store/licensing_repository.h"
#include "store/outbox_repository.h"
#include "store/store.h"

namespace gh::identity::testing {

struct FakeData {
  std::map<std::string, directory::Tenant> tenants;
  std::map<std::string, directory::Client> clients;  // by object id
  std::vector<directory::ClientSecret> secrets;
  std::vector<directory::SigningKey> keys;  // insertion order
};

class FakeStore;

class FakeTransaction final : public store::Transaction {
 public:
  FakeTransaction(FakeStore& store, FakeData data, bool write) : store_(store), data_(std::move(data)), write_(write) {}
  Status Commit() override;
  static Status Unimplemented() { return Internal("not modelled by FakeStore"); }
  // Module repositories are not modelled: the identity tests never reach them.
  store::OutboxRepository& Outbox() override { std::abort(); }
  store::LicensingRepository& Licensing() override { std::abort(); }
  store::EnvironmentsRepository& Environments() override { std::abort(); }
  store::SigninRepository& Signin() override { std::abort(); }
  store::InvitationsRepository& Invitations() override { std::abort(); }
  store::AppsRepository& Apps() override { std::abort(); }
  store::BulkRepository& Bulk() override { std::abort(); }
  store::ConsentRepository& Consent() override { std::abort(); }
  Status UpdateClient(const directory::Client&) override { return Unimplemented(); }
  StatusOr<std::string> GetDocument(const std::string&, const std::string&) override { return Unimplemented(); }
  Status PutDocument(const std::string&, const std::string&, const std::string&, int64_t) override {
    return Unimplemented();
  }
  Status DeleteClientSecret(const std::string&, const std::string&) override { return Unimplemented(); }

  Status InsertTenant(const directory::Tenant& t) override {
    if (data_.tenants.count(t.id)) return AlreadyExists("tenant");
    data_.tenants[t.id] = t;
    return OkStatus();
  }
  Status UpdateTenant(const directory::Tenant& t) override {
    if (!data_.tenants.count(t.id)) return NotFound("tenant");
    data_.tenants[t.id] = t;
    return OkStatus();
  }
  StatusOr<directory::Tenant> GetTenant(const std::string& id) override {
    auto it = data_.tenants.find(id);
    if (it == data_.tenants.end()) return NotFound("tenant");
    return it->second;
  }
  StatusOr<directory::Tenant> FindTenantByDomain(const std::string& domain) override {
    for (const auto& [id, t] : data_.tenants)
      if (std::find(t.verified_domains.begin(), t.verified_domains.end(), ToLower(domain)) != t.verified_domains.end())
        return t;
    return NotFound("tenant");
  }
  StatusOr<std::vector<directory::Tenant>> ListTenants() override {
    std::vector<directory::Tenant> out;
    for (const auto& [id, t] : data_.tenants) out.push_back(t);
    return out;
  }

  Status InsertClient(const directory::Client& c) override {
    if (data_.clients.count(c.id)) return AlreadyExists("client");
    data_.clients[c.id] = c;
    return OkStatus();
  }
  StatusOr<directory::Client> FindClientByAppId(const std::string& tenant_id, const std::string& app_id) override {
    for (const auto& [id, c] : data_.clients)
      if (c.tenant_id == tenant_id && c.app_id == app_id) return c;
    return NotFound("client");
  }
  StatusOr<std::vector<directory::Client>> ListClients(const std::string& tenant_id) override {
    std::vector<directory::Client> out;
    for (const auto& [id, c] : data_.clients)
      if (c.tenant_id == tenant_id) out.push_back(c);
    return out;
  }
  Status DeleteClient(const std::string& tenant_id, const std::string& id) override {
    return data_.clients.erase(id) ? OkStatus() : NotFound("client");
  }
  Status InsertClientSecret(const directory::ClientSecret& s) override {
    data_.secrets.push_back(s);
    return OkStatus();
  }
  StatusOr<std::vector<directory::ClientSecret>> ListClientSecrets(const std::string& client_id) override {
    std::vector<directory::ClientSecret> out;
    for (const auto& s : data_.secrets)
      if (s.client_id == client_id) out.push_back(s);
    return out;
  }

  Status InsertSigningKey(const directory::SigningKey& k) override {
    for (const auto& e : data_.keys)
      if (e.kid == k.kid) return AlreadyExists("signing key");
    data_.keys.push_back(k);
    return OkStatus();
  }
  Status UpdateSigningKey(const directory::SigningKey& k) override {
    for (auto& e : data_.keys)
      if (e.kid == k.kid && e.tenant_id == k.tenant_id) {
        e = k;
        return OkStatus();
      }
    return NotFound("signing key");
  }
  StatusOr<std::vector<directory::SigningKey>> ListSigningKeys(const std::string& tenant_id) override {
    std::vector<directory::SigningKey> out;
    for (auto it = data_.keys.rbegin(); it != data_.keys.rend(); ++it)  // newest first
      if (it->tenant_id == tenant_id) out.push_back(*it);
    return out;
  }

  // Not used by the identity module.
  Status InsertUser(const directory::User&) override { return No(); }
  Status UpdateUser(const directory::User&) override { return No(); }
  Status DeleteUser(const std::string&, const std::string&) override { return No(); }
  StatusOr<directory::User> GetUser(const std::string&, const std::string&) override { return No(); }
  StatusOr<directory::User> FindUserByUpn(const std::string&, const std::string&) override { return No(); }
  StatusOr<std::vector<directory::User>> FindUsersByMail(const std::string&, const std::string&) override { return No(); }
  StatusOr<store::Page<directory::User>> ListUsers(const store::ListQuery&) override { return No(); }
  Status InsertGroup(const directory::Group&) override { return No(); }
  Status UpdateGroup(const directory::Group&) override { return No(); }
  Status DeleteGroup(const std::string&, const std::string&) override { return No(); }
  StatusOr<directory::Group> GetGroup(const std::string&, const std::string&) override { return No(); }
  StatusOr<store::Page<directory::Group>> ListGroups(const store::ListQuery&) override { return No(); }
  Status AddMember(const std::string&, const directory::Membership&) override { return No(); }
  Status RemoveMember(const std::string&, const std::string&, const std::string&) override { return No(); }
  StatusOr<std::vector<directory::Membership>> ListMembers(const std::string&, const std::string&) override { return No(); }
  StatusOr<std::vector<std::string>> ListGroupsOf(const std::string&, const std::string&) override { return No(); }
  StatusOr<std::vector<std::string>> ListTransitiveGroupsOf(const std::string&, const std::string&) override { return No(); }
  StatusOr<std::vector<directory::Membership>> ListAllMemberships(const std::string&) override { return No(); }
  Status InsertRoleAssignment(const directory::RoleAssignment&) override { return No(); }
  Status DeleteRoleAssignment(const std::string&, const std::string&) override { return No(); }
  StatusOr<directory::RoleAssignment> GetRoleAssignment(const std::string&, const std::string&) override { return No(); }
  StatusOr<std::vector<directory::RoleAssignment>> ListRoleAssignments(const std::string&, const std::string&,
                                                                       const std::string&) override {
    return No();
  }
  Status InsertAudit(const directory::AuditEntry&) override { return No(); }
  StatusOr<store::Page<directory::AuditEntry>> ListAudit(const store::AuditQuery&) override { return No(); }
  StatusOr<std::vector<store::Change>> ReadChanges(int64_t, int) override { return No(); }
  StatusOr<int64_t> LastChangeSeq() override { return No(); }
  StatusOr<int64_t> FirstChangeSeq() override { return No(); }
  StatusOr<int64_t> PurgeChanges(int64_t) override { return No(); }

 private:
  static Status No() { return Internal("not implemented by the identity tests' fake store"); }

  FakeStore& store_;
  FakeData data_;
  bool write_;
};

class FakeStore final : public store::Store {
 public:
  StatusOr<std::unique_ptr<store::Transaction>> Begin(store::TxMode mode) override {
    std::lock_guard lock(mu_);
    if (fail_begin_after >= 0 && begins_++ >= fail_begin_after) return Unavailable("fake store is down");
    return std::unique_ptr<store::Transaction>(new FakeTransaction(*this, data_, mode == store::TxMode::kWrite));
  }
  std::string_view Backend() const override { return "fake"; }
  int SchemaVersion() const override { return 0; }
  StatusOr<bool> WaitForChanges(std::chrono::milliseconds) override { return false; }

  FakeData Snapshot() {
    std::lock_guard lock(mu_);
    return data_;
  }

  int fail_begin_after = -1;  // -1: never fail

 private:
  friend class FakeTransaction;
  std::mutex mu_;
  FakeData data_;
  int begins_ = 0;
};

inline Status FakeTransaction::Commit() {
  if (!write_) return OkStatus();
  std::lock_guard lock(store_.mu_);
  store_.data_ = data_;  // last writer wins; tests don't run concurrent writers
  return OkStatus();
}

}  // namespace gh::identity::testing
