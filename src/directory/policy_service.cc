#include "directory/policy_service.h"

#include "core/strings.h"
#include "wire/policies.h"
#include <algorithm>

namespace gh::directory {

namespace {
constexpr const char* kKind = "policies";

Status PartnerNotFound(const std::string& id) {
  return NotFound("No configuration for partner '" + id + "'.", "Request_ResourceNotFound");
}

PartnerConfiguration* FindPartner(CrossTenantAccessPolicy& p, const std::string& id) {
  auto it = std::find_if(p.partners.begin(), p.partners.end(), [&](const auto& x) { return x.tenant_id == id; });
  return it == p.partners.end() ? nullptr : &*it;
}
}  // namespace

StatusOr<Policies> PolicyService::GetIn(store::Transaction& tx, const std::string& tenant_id) {
  auto doc = tx.GetDocument(tenant_id, kKind);
  if (!doc.ok()) {
    if (doc.status().code() != Code::kNotFound) return doc.status();
    GH_RETURN_IF_ERROR(tx.GetTenant(tenant_id).status());
    return Policies{};
  }
  return wire::PoliciesFromStorage(*doc);
}

StatusOr<Policies> PolicyService::Get(const std::string& tenant_id) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  return GetIn(*tx, tenant_id);
}

StatusOr<AuthorizationPolicy> PolicyService::UpdateAuthorizationPolicy(const Actor& actor, const std::string& tenant_id,
                                                                       const Edit<AuthorizationPolicy>& edit) {
  GH_ASSIGN_OR_RETURN(auto p, Update(actor, tenant_id, "Update authorization policy",
                                     [&](Policies& p) { return edit(p.authorization); }));
  return p.authorization;
}

StatusOr<DomainRestrictions> PolicyService::UpdateDomainRestrictions(const Actor& actor, const std::string& tenant_id,
                                                                     const Edit<DomainRestrictions>& edit) {
  GH_ASSIGN_OR_RETURN(auto p, Update(actor, tenant_id, "Update collaboration restrictions",
                                     [&](Policies& p) { return edit(p.domains); }));
  return p.domains;
}

StatusOr<Policies> PolicyService::UpdateCollaborationSettings(const Actor& actor, const std::string& tenant_id,
                                                              const Edit<AuthorizationPolicy>& authorization,
                                                              const Edit<DomainRestrictions>& domains) {
  return Update(actor, tenant_id, "Update external collaboration settings", [&](Policies& p) -> Status {
    // Both run so the caller learns every refused field at once.
    Status a = authorization(p.authorization);
    Status d = domains(p.domains);
    return a.ok() ? d : a;
  });
}

StatusOr<CrossTenantAccessPolicy> PolicyService::UpdateCrossTenantPolicy(const Actor& actor,
                                                                         const std::string& tenant_id,
                                                                         const Edit<CrossTenantAccessPolicy>& edit) {
  GH_ASSIGN_OR_RETURN(auto p, Update(actor, tenant_id, "Update cross-tenant access policy",
                                     [&](Policies& p) { return edit(p.cross_tenant); }));
  return p.cross_tenant;
}

StatusOr<CrossTenantAccessPolicy> PolicyService::UpdateCrossTenantDefault(const Actor& actor,
                                                                          const std::string& tenant_id,
                                                                          const Edit<CrossTenantAccessPolicy>& edit) {
  GH_ASSIGN_OR_RETURN(auto p, Update(actor, tenant_id, "Update cross-tenant access default",
                                     [&](Policies& p) { return edit(p.cross_tenant); }));
  return p.cross_tenant;
}

StatusOr<std::string> PolicyService::PartnerIdFrom(const std::string& typed) {
  std::string id = ToLower(typed);
  if (!IsUuid(id)) return InvalidArgument("Invalid tenant id '" + typed + "': expected a GUID.", "Request_BadRequest");
  return id;
}

StatusOr<PartnerConfiguration> PolicyService::AddPartner(const Actor& actor, const std::string& tenant_id,
                                                         const std::string& partner_tenant_id,
                                                         const Edit<PartnerConfiguration>& edit) {
  GH_ASSIGN_OR_RETURN(const std::string id, PartnerIdFrom(partner_tenant_id));
  // The tenant's own settings are the default: it is never its own partner.
  if (id == tenant_id)
    return InvalidArgument("A tenant can't be its own partner: its own settings are the default settings.",
                           "Request_BadRequest");
  PartnerConfiguration added{id, std::nullopt, std::nullopt};
  GH_RETURN_IF_ERROR(Update(actor, tenant_id, "Add cross-tenant access partner", [&](Policies& p) -> Status {
                       if (p.cross_tenant.Partner(id))
                         return AlreadyExists("A configuration for partner '" + id + "' already exists.",
                                              "Request_Conflict");
                       if (edit) GH_RETURN_IF_ERROR(edit(added));
                       p.cross_tenant.partners.push_back(added);
                       return OkStatus();
                     }).status());
  return added;
}

StatusOr<PartnerConfiguration> PolicyService::UpdatePartner(const Actor& actor, const std::string& tenant_id,
                                                            const std::string& partner_tenant_id,
                                                            const Edit<PartnerConfiguration>& edit) {
  const std::string id = ToLower(partner_tenant_id);
  PartnerConfiguration updated;
  GH_RETURN_IF_ERROR(Update(actor, tenant_id, "Update cross-tenant access partner", [&](Policies& p) -> Status {
                       PartnerConfiguration* partner = FindPartner(p.cross_tenant, id);
                       if (!partner) return PartnerNotFound(id);
                       GH_RETURN_IF_ERROR(edit(*partner));
                       updated = *partner;
                       return OkStatus();
                     }).status());
  return updated;
}

Status PolicyService::RemovePartner(const Actor& actor, const std::string& tenant_id,
                                    const std::string& partner_tenant_id) {
  const std::string id = ToLower(partner_tenant_id);
  return Update(actor, tenant_id, "Delete cross-tenant access partner", [&](Policies& p) -> Status {
           return std::erase_if(p.cross_tenant.partners, [&](const auto& x) { return x.tenant_id == id; })
                      ? OkStatus()
                      : PartnerNotFound(id);
         })
      .status();
}

StatusOr<Policies> PolicyService::Update(const Actor& actor, const std::string& tenant_id,
                                         const std::string& activity,
                                         const std::function<Status(Policies&)>& change) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  GH_ASSIGN_OR_RETURN(Policies p, GetIn(*tx, tenant_id));
  GH_RETURN_IF_ERROR(change(p));
  std::string body = wire::PoliciesToStorage(p);
  if (body.size() > 25'000)
    return InvalidArgument("Failure to update policy due to object limit: policies are limited to 25 KB.",
                           "Request_BadRequest");
  const int64_t now = clock_.NowMillis();
  GH_RETURN_IF_ERROR(tx->PutDocument(tenant_id, kKind, body, now));
  GH_RETURN_IF_ERROR(
      tx->InsertAudit(MakeAuditEntry(random_, clock_, actor, tenant_id, "Policy", activity, "Policy", "", activity)));
  GH_RETURN_IF_ERROR(tx->Commit());
  return p;
}

}  // namespace gh::directory
