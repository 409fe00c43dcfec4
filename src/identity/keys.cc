#include "identity/keys.h"

#include <algorithm>

#include <boost/json/array.hpp>

namespace gh::identity {

KeyManager::KeyManager(store::Store& store, const Clock& clock, Random& random)
    : store_(store), clock_(clock), random_(random) {}

const KeyManager::LoadedKey* KeyManager::ActiveLocked(const std::string& tenant_id) const {
  auto it = cache_.find(tenant_id);
  if (it == cache_.end() || it->second.published.empty() || !it->second.published.front().active) return nullptr;
  return &it->second.published.front();
}

Status KeyManager::LoadLocked(const std::string& tenant_id) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  GH_ASSIGN_OR_RETURN(std::vector<directory::SigningKey> rows, tx->ListSigningKeys(tenant_id));
  TenantKeys keys;
  for (const auto& row : rows) {
    if (!row.active && row.private_pem.empty()) continue;  // retired
    StatusOr<PkeyPtr> pkey = LoadPrivateKeyPem(row.private_pem);
    if (!pkey.ok()) return Internal("signing key '" + row.kid + "' of tenant " + tenant_id + " is unreadable");
    keys.published.push_back({row.kid, std::move(pkey).value(), row.active, row.created_at});
  }
  // Active first, newest first within each group. Normally there is exactly one
  // active key; if two instances raced to create one, both stay published and
  // the newest signs.
  std::stable_sort(keys.published.begin(), keys.published.end(), [](const LoadedKey& a, const LoadedKey& b) {
    if (a.active != b.active) return a.active;
    return a.created_at > b.created_at;
  });
  keys.loaded_at = clock_.NowMillis();
  // Cached even when empty (a tenant that hasn't signed anything yet), so its
  // misses too are re-read once per kReloadIntervalMs. This can't grow without
  // bound: unverified "tid"s reach here only for tenants that exist
  // (FindVerificationKey checks the tenant list first).
  cache_[tenant_id] = std::move(keys);
  return OkStatus();
}

Status KeyManager::RefreshTenantListLocked() {
  const int64_t now = clock_.NowMillis();
  if (tenants_loaded_ && now - tenants_loaded_at_ < kUnknownTenantCacheMs) return OkStatus();
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  GH_ASSIGN_OR_RETURN(std::vector<directory::Tenant> tenants, tx->ListTenants());
  tenants_.clear();
  for (const auto& t : tenants) tenants_.insert(t.id);
  tenants_loaded_at_ = now;
  tenants_loaded_ = true;
  return OkStatus();
}

Status KeyManager::CreateKeyLocked(const std::string& tenant_id, bool only_if_none_active) {
  // Generate outside the write transaction: RSA keygen takes ~100 ms and SQLite
  // holds its write lock for the whole transaction.
  GH_ASSIGN_OR_RETURN(PkeyPtr pkey, GenerateRsaKey(2048));
  GH_ASSIGN_OR_RETURN(std::string pem, PrivateKeyToPem(pkey.get()));
  GH_ASSIGN_OR_RETURN(std::string kid, ComputeKid(pkey.get()));

  GH_RETURN_IF_ERROR(WriteNewKey(tenant_id, kid, std::move(pem), only_if_none_active));
  return LoadLocked(tenant_id);
}

// Does the write half of CreateKeyLocked in its own scope, so the write
// transaction has ended before LoadLocked opens a read one.
Status KeyManager::WriteNewKey(const std::string& tenant_id, const std::string& kid, std::string pem,
                               bool only_if_none_active) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  GH_ASSIGN_OR_RETURN(std::vector<directory::SigningKey> rows, tx->ListSigningKeys(tenant_id));
  bool has_active = std::any_of(rows.begin(), rows.end(), [](const auto& r) { return r.active; });
  if (only_if_none_active && has_active) return OkStatus();  // another instance made one; tx rolls back

  for (auto row : rows) {
    if (row.active) {
      row.active = false;  // active -> previous
    } else if (!row.private_pem.empty()) {
      row.private_pem.clear();  // previous -> retired; the private key is destroyed
    } else {
      continue;
    }
    GH_RETURN_IF_ERROR(tx->UpdateSigningKey(row));
  }
  directory::SigningKey key;
  key.kid = kid;
  key.tenant_id = tenant_id;
  key.private_pem = std::move(pem);
  key.created_at = clock_.NowMillis();
  key.active = true;
  GH_RETURN_IF_ERROR(tx->InsertSigningKey(key));
  return tx->Commit();
}

StatusOr<ActiveKey> KeyManager::SigningKey(const std::string& tenant_id) {
  std::lock_guard lock(mu_);
  if (const LoadedKey* k = ActiveLocked(tenant_id)) return ActiveKey{k->kid, k->pkey};
  GH_RETURN_IF_ERROR(LoadLocked(tenant_id));
  if (const LoadedKey* k = ActiveLocked(tenant_id)) return ActiveKey{k->kid, k->pkey};
  GH_RETURN_IF_ERROR(CreateKeyLocked(tenant_id, /*only_if_none_active=*/true));
  if (const LoadedKey* k = ActiveLocked(tenant_id)) return ActiveKey{k->kid, k->pkey};
  return Internal("tenant " + tenant_id + " has no active signing key after creating one");
}

Status KeyManager::Rotate(const std::string& tenant_id) {
  std::lock_guard lock(mu_);
  Status s = CreateKeyLocked(tenant_id, /*only_if_none_active=*/false);
  // After a failed write the cache may be stale in either direction; drop it.
  if (!s.ok()) cache_.erase(tenant_id);
  return s;
}

StatusOr<boost::json::object> KeyManager::Jwks(const std::string& tenant_id) {
  GH_ASSIGN_OR_RETURN(ActiveKey active, SigningKey(tenant_id));
  (void)active;
  std::lock_guard lock(mu_);
  boost::json::array keys;
  auto it = cache_.find(tenant_id);
  if (it != cache_.end()) {
    for (const auto& k : it->second.published) {
      GH_ASSIGN_OR_RETURN(boost::json::object jwk, PublicJwk(PublicKey{k.kid, k.pkey}));
      keys.push_back(std::move(jwk));
    }
  }
  return boost::json::object{{"keys", std::move(keys)}};
}

StatusOr<PublicKey> KeyManager::FindVerificationKey(const std::string& tenant_id, std::string_view kid) {
  std::lock_guard lock(mu_);
  auto find = [&]() -> const LoadedKey* {
    auto it = cache_.find(tenant_id);
    if (it == cache_.end()) return nullptr;
    for (const auto& k : it->second.published)
      if (k.kid == kid) return &k;
    return nullptr;
  };
  auto it = cache_.find(tenant_id);
  if (it == cache_.end()) {
    // Not cached: a tenant we haven't seen, or one that doesn't exist. Only
    // the former is worth a query for its keys.
    GH_RETURN_IF_ERROR(RefreshTenantListLocked());
    if (!tenants_.contains(tenant_id)) return NotFound("no tenant '" + tenant_id + "'");
  }
  bool may_reload = it == cache_.end() || clock_.NowMillis() - it->second.loaded_at >= kReloadIntervalMs;
  const LoadedKey* k = it == cache_.end() ? nullptr : find();
  if (k == nullptr && may_reload) {
    GH_RETURN_IF_ERROR(LoadLocked(tenant_id));
    k = find();
  }
  if (k == nullptr) return NotFound("no published signing key with kid '" + std::string(kid) + "'");
  return PublicKey{k->kid, k->pkey};
}

}  // namespace gh::identity
