#pragma once
// Licensing: the SKUs a tenant subscribes to (seats, service plans) and licence
// assignments to users (direct) and groups (inherited by the group's
// transitive members, guests included). Each write is audited (category
// "LicenseManagement") in its own transaction. Callers are authenticated and
// authorised already; this module checks the data.
//
// Seats are never stored: consumedUnits and every user's
// licenseAssignmentStates are derived from the assignments, the group
// memberships and the usage locations each time (Resolve), so a membership
// change in the directory is reflected at once. Rules:
//   - a direct assignment needs the user's own usageLocation and a free seat,
//     and fails at once with Graph's error otherwise;
//   - a group assignment never fails for a member: a member without a
//     usageLocation inherits the tenant's default one; with neither, the
//     member's state is Error/ProhibitedInUsageLocationViolation; when seats run
//     out, Error/CountViolation. Members are served in a stable order: group
//     assignments oldest first, then members by creation time and id;
//   - one user consumes at most one seat per SKU, however many groups (and a
//     direct assignment) give it.
// Known limit of deriving instead of storing: when a member earlier in that
// order becomes eligible (e.g. the tenant default location is set), it can
// take a seat from a later member, which real Entra would leave in place.
// Not modelled: MutuallyExclusive/Dependency violations, all-or-nothing per
// group, licence-assignment replication delay.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/random.h"
#include "core/status.h"
#include "directory/directory_service.h"
#include "licensing/model.h"
#include "store/store.h"

namespace gh::licensing {

// Graph's assignLicense body.
struct LicenseChange {
  std::vector<AssignedLicense> add;
  std::vector<std::string> remove;  // skuIds
};

// A tenant's licensing state, derived in one pass.
struct Resolution {
  std::vector<Sku> skus;                        // with consumed_units
  std::map<std::string, UserLicenses> by_user;  // user id → licences (users holding none are absent)

  const UserLicenses& Of(const std::string& user_id) const;
  // True when the user holds an active plan granting environment access.
  bool GrantsEnvironmentAccess(const std::string& user_id) const;
};

// Derives the tenant's licensing state inside `tx` (reads only).
StatusOr<Resolution> ResolveIn(store::Transaction& tx, const std::string& tenant_id);

// Graph's licenseDetails entry.
struct LicenseDetail {
  std::string id;
  std::string sku_id;
  std::string sku_part_number;
  std::vector<std::pair<ServicePlan, std::string>> plans;  // plan, provisioningStatus ("Success"/"Disabled")
};

class LicensingService {
 public:
  LicensingService(store::Store& store, const Clock& clock, Random& random);

  // Subscriptions. AddSku takes a catalogue product (by skuId or
  // skuPartNumber); a second subscription to it is AlreadyExists.
  StatusOr<std::vector<Sku>> ListSkus(const std::string& tenant_id);
  StatusOr<Sku> GetSku(const std::string& tenant_id, const std::string& sku_id);
  StatusOr<Sku> AddSku(const directory::Actor& actor, const std::string& tenant_id, const std::string& product,
                       int64_t prepaid_units);
  // Seats may be set below consumedUnits (as a lapsed subscription would):
  // existing licences stay, new ones are refused.
  StatusOr<Sku> SetPrepaidUnits(const directory::Actor& actor, const std::string& tenant_id,
                                const std::string& sku_id, int64_t prepaid_units);

  // Graph's user assignLicense: all-or-nothing; returns the user.
  StatusOr<directory::User> AssignUserLicenses(const directory::Actor& actor, const std::string& tenant_id,
                                               const std::string& user_id_or_upn, const LicenseChange& change);
  // Graph's group assignLicense: returns the group; per-member problems show
  // in the members' licenseAssignmentStates, not here.
  StatusOr<directory::Group> AssignGroupLicenses(const directory::Actor& actor, const std::string& tenant_id,
                                                 const std::string& group_id, const LicenseChange& change);
  // Licences assigned to a group directly.
  StatusOr<std::vector<AssignedLicense>> GroupLicenses(const std::string& tenant_id, const std::string& group_id);

  StatusOr<UserLicenses> UserLicensesOf(const std::string& tenant_id, const std::string& user_id);
  StatusOr<std::vector<LicenseDetail>> LicenseDetails(const std::string& tenant_id, const std::string& user_id_or_upn);
  StatusOr<Resolution> Resolve(const std::string& tenant_id);

  // The usage location group-licensed members without one inherit (ISO 3166
  // alpha-2, or empty to clear).
  StatusOr<directory::Tenant> SetDefaultUsageLocation(const directory::Actor& actor, const std::string& tenant_id,
                                                      const std::string& location);

 private:
  template <typename Fn>
  Status Write(Fn&& body);
  directory::AuditEntry Audit(const directory::Actor& actor, const std::string& tenant_id, std::string activity,
                              std::string target_type, const std::string& target_id, const std::string& target_name,
                              std::string details_json = "{}");

  store::Store& store_;
  const Clock& clock_;
  Random& random_;
};

// Seeds the demo subscriptions (idempotent: existing ones keep their seats):
// Sales 25, Customer Service 10, Field Service 5, Power Apps per user 5,
// Microsoft 365 E3 50.
Status SeedDemoSkus(LicensingService& licensing, const directory::Actor& actor, const std::string& tenant_id);

}  // namespace gh::licensing
