#include "directory/policy_service.h"

namespace gh::directory {

namespace {
constexpr const char* kKind = "policies";
}

StatusOr<Policies> PolicyService::GetIn(store::Transaction& tx, const std::string& tenant_id) {
  auto doc = tx.GetDocument(tenant_id, kKind);
  if (!doc.ok()) {
    if (doc.status().code() != Code::kNotFound) return doc.status();
    GH_RETURN_IF_ERROR(tx.GetTenant(tenant_id).status());
    return Policies{};
  }
  return PoliciesFromStorage(*doc);
}

StatusOr<Policies> PolicyService::Get(const std::string& tenant_id) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  return GetIn(*tx, tenant_id);
}

StatusOr<Policies> PolicyService::Update(const Actor& actor, const std::string& tenant_id,
                                         const std::string& activity,
                                         const std::function<Status(Policies&)>& change) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  GH_ASSIGN_OR_RETURN(Policies p, GetIn(*tx, tenant_id));
  GH_RETURN_IF_ERROR(change(p));
  std::string body = PoliciesToStorage(p);
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
