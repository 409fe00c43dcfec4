#pragma once
// Per-tenant token-signing keys: creation on first use, rotation, the JWKS
// document, and lookup of verification keys by kid.
//
// Key lifecycle, kept in the store's SigningKey rows (model.h has only an
// `active` flag, so "retired" is encoded by wiping the private key):
//   active    active=true                      signs new tokens; published
//   previous  active=false, private_pem set    no longer signs; still published
//                                              so tokens it signed keep verifying
//   retired   active=false, private_pem empty  not published, not accepted
// Rotate() moves active→previous, previous→retired and adds a new active key,
// in one write transaction. Access tokens live one hour, so rotating no more
// than once an hour never rejects a token that was valid when issued.
//
// Thread-safe. Keys are cached in memory per tenant; a cache miss on a kid
// reloads the tenant's keys from the store (another instance may have rotated),
// at most once per kReloadInterval per tenant so that tokens with made-up kids
// cannot turn into a store query per request. Likewise a token naming a tenant
// the manager has no keys cached for is checked against the list of tenants,
// read at most once per kUnknownTenantCacheMs: tokens with made-up "tid"s
// (random UUIDs, one per request) cost one query per period in all, not one
// each. The price: a tenant created on another instance in the last
// kUnknownTenantCacheMs is not yet recognised here.
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "core/clock.h"
#include "core/random.h"
#include "core/status.h"
#include "identity/jwt.h"
#include "store/store.h"

namespace gh::identity {

// The key that signs new tokens for a tenant.
using ActiveKey = SigningKeyMaterial;

class KeyManager {
 public:
  static constexpr int64_t kReloadIntervalMs = 5'000;
  static constexpr int64_t kUnknownTenantCacheMs = 5'000;

  // `store`, `clock` and `random` must outlive the KeyManager. Key material
  // comes from OpenSSL's CSPRNG, never from `random` (which may be seeded in
  // tests); kids are derived from the public key, so `random` is currently unused
  // and kept for the interface's stability.
  KeyManager(store::Store& store, const Clock& clock, Random& random);

  KeyManager(const KeyManager&) = delete;
  KeyManager& operator=(const KeyManager&) = delete;

  // The tenant's active key, creating and storing an RSA-2048 key on first use.
  // Store errors pass through (Unavailable, Internal).
  StatusOr<ActiveKey> SigningKey(const std::string& tenant_id);

  // Makes a new active key; the current one becomes "previous" (published,
  // not signing) and any older published key is retired. On error nothing changes.
  Status Rotate(const std::string& tenant_id);

  // {"keys":[<active JWK>, <previous JWK if any>]}. Creates the first key if
  // the tenant has none, so a new tenant's discovery document is never empty.
  StatusOr<boost::json::object> Jwks(const std::string& tenant_id);

  // The published (active or previous) key with this kid. NotFound if the kid
  // is unknown or retired, or the tenant doesn't exist; store errors pass through.
  StatusOr<PublicKey> FindVerificationKey(const std::string& tenant_id, std::string_view kid);

 private:
  struct LoadedKey {
    std::string kid;
    PkeyPtr pkey;
    bool active = false;
    int64_t created_at = 0;
  };
  struct TenantKeys {
    std::vector<LoadedKey> published;  // active first, then previous
    int64_t loaded_at = 0;
  };

  // Reads the tenant's published keys from the store into cache_. Requires mu_.
  Status LoadLocked(const std::string& tenant_id);
  // Inserts a new active key (demoting/retiring older ones) in one transaction.
  // With `only_if_none_active`, does nothing if an active key already exists
  // (another instance may have created one). Requires mu_.
  Status CreateKeyLocked(const std::string& tenant_id, bool only_if_none_active);
  Status WriteNewKey(const std::string& tenant_id, const std::string& kid, std::string pem, bool only_if_none_active);
  const LoadedKey* ActiveLocked(const std::string& tenant_id) const;
  // Re-reads the tenant list if it is older than kUnknownTenantCacheMs. Requires mu_.
  Status RefreshTenantListLocked();

  store::Store& store_;
  const Clock& clock_;
  Random& random_;
  // One lock for all tenants: the slow paths (first key, rotation) are rare,
  // and holding it across them keeps two threads from creating two keys.
  std::mutex mu_;
  std::map<std::string, TenantKeys> cache_;
  // Ids of the tenants that exist, as read at tenants_loaded_at_ (the negative cache).
  std::set<std::string> tenants_;
  int64_t tenants_loaded_at_ = 0;
  bool tenants_loaded_ = false;
};

}  // namespace gh::identity
