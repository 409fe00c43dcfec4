#pragma once
// Reading and changing a tenant's policies (authorization policy,
// collaboration domain restrictions, cross-tenant access). Each change is one
// named operation that holds its rules (a partner is another tenant, listed
// once; the one to change or remove exists), writes the whole document and
// audits it under a fixed activity name, all in one transaction.
//
// Operations that take an `Edit` apply it to the current value first: the
// edit decodes what the caller sent (a Graph PATCH body, a portal form) and
// validates the values (policies.h); an error from it, or from the
// operation's rules, leaves everything as it was.
//
// Failures: NotFound for an unknown tenant or partner; AlreadyExists for a
// partner that is already listed; InvalidArgument for a partner id that is
// not another tenant's GUID and for a document over the 25 KB limit; store
// errors pass through. Thread-safe (each call is its own transaction).
#include <functional>
#include <string>

#include "core/clock.h"
#include "core/random.h"
#include "directory/directory_service.h"
#include "directory/model/policies.h"
#include "store/store.h"

namespace gh::directory {

class PolicyService {
 public:
  template <class T>
  using Edit = std::function<Status(T&)>;

  PolicyService(store::Store& store, const Clock& clock, Random& random) : store_(store), clock_(clock), random_(random) {}

  StatusOr<Policies> Get(const std::string& tenant_id);
  // Reads within the caller's transaction (invitations check policies there).
  static StatusOr<Policies> GetIn(store::Transaction& tx, const std::string& tenant_id);

  StatusOr<AuthorizationPolicy> UpdateAuthorizationPolicy(const Actor& actor, const std::string& tenant_id,
                                                          const Edit<AuthorizationPolicy>& edit);
  StatusOr<DomainRestrictions> UpdateDomainRestrictions(const Actor& actor, const std::string& tenant_id,
                                                        const Edit<DomainRestrictions>& edit);
  // The external collaboration settings saved together (the portal's form):
  // both edits apply, or neither.
  StatusOr<Policies> UpdateCollaborationSettings(const Actor& actor, const std::string& tenant_id,
                                                 const Edit<AuthorizationPolicy>& authorization,
                                                 const Edit<DomainRestrictions>& domains);
  // The tenant-wide cross-tenant settings (allowedCloudEndpoints).
  StatusOr<CrossTenantAccessPolicy> UpdateCrossTenantPolicy(const Actor& actor, const std::string& tenant_id,
                                                            const Edit<CrossTenantAccessPolicy>& edit);
  // The default inbound and outbound settings every partner inherits.
  StatusOr<CrossTenantAccessPolicy> UpdateCrossTenantDefault(const Actor& actor, const std::string& tenant_id,
                                                             const Edit<CrossTenantAccessPolicy>& edit);

  // Adds `partner_tenant_id` (a GUID, any case; not the tenant itself) with
  // the settings `edit` gives it (none: it inherits the default).
  StatusOr<PartnerConfiguration> AddPartner(const Actor& actor, const std::string& tenant_id,
                                            const std::string& partner_tenant_id,
                                            const Edit<PartnerConfiguration>& edit = nullptr);
  StatusOr<PartnerConfiguration> UpdatePartner(const Actor& actor, const std::string& tenant_id,
                                               const std::string& partner_tenant_id,
                                               const Edit<PartnerConfiguration>& edit);
  Status RemovePartner(const Actor& actor, const std::string& tenant_id, const std::string& partner_tenant_id);

  // The partner id as stored (lower case), or InvalidArgument when it is no GUID.
  static StatusOr<std::string> PartnerIdFrom(const std::string& typed);

 private:
  // Applies `change` to the current policies and stores the result, audited as `activity`.
  StatusOr<Policies> Update(const Actor& actor, const std::string& tenant_id, const std::string& activity,
                            const std::function<Status(Policies&)>& change);

  store::Store& store_;
  const Clock& clock_;
  Random& random_;
};

}  // namespace gh::directory
