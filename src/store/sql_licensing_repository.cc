// LicensingRepository over SqlTx: the same statements on SQLite and PostgreSQL.
#include "store/licensing_repository.h"
#include "store/sql_repositories.h"

namespace gh::store {
namespace {

using sql::Params;
using sql::Row;

const Table kSkus{"skus",
                  {"tenant_id", "sku_id", "sku_part_number", "capability_status", "prepaid_enabled",
                   "prepaid_suspended", "prepaid_warning", "prepaid_locked_out", "service_plans", "created_at",
                   "updated_at"},
                  2};
const Table kAssignments{"license_assignments",
                         {"tenant_id", "principal_id", "sku_id", "principal_kind", "disabled_plans", "created_at"},
                         3};

Params SkuParams(const SkuRow& s) {
  return {s.tenant_id,
          s.sku_id,
          s.sku_part_number,
          s.capability_status,
          sql::Int(s.prepaid_enabled),
          sql::Int(s.prepaid_suspended),
          sql::Int(s.prepaid_warning),
          sql::Int(s.prepaid_locked_out),
          s.service_plans_json,
          sql::Int(s.created_at),
          sql::Int(s.updated_at)};
}
SkuRow SkuFrom(const Row& r) {
  return {r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4), r.Int(5),
          r.Int(6),  r.Int(7),  r.Text(8), r.Int(9),  r.Int(10)};
}

Params AssignmentParams(const LicenseAssignmentRow& a) {
  return {a.tenant_id, a.principal_id, a.sku_id, a.principal_kind, StringsToJson(a.disabled_plans),
          sql::Int(a.created_at)};
}
LicenseAssignmentRow AssignmentFrom(const Row& r) {
  return {r.Text(0), r.Text(1), r.Text(3), r.Text(2), StringsFromJson(r.Text(4)), r.Int(5)};
}

class SqlLicensingRepository final : public LicensingRepository {
 public:
  explicit SqlLicensingRepository(SqlTx& tx) : tx_(tx) {}

  Status InsertSku(const SkuRow& s) override {
    tx_.changes().Add(s.tenant_id, ChangeKind::kSku, s.sku_id);
    return Explain(tx_.Exec(kSkus.Insert(), SkuParams(s)).status(), Code::kAlreadyExists,
                   "The tenant already subscribes to SKU '" + s.sku_id + "'.");
  }
  Status UpdateSku(const SkuRow& s) override {
    tx_.changes().Add(s.tenant_id, ChangeKind::kSku, s.sku_id);
    GH_ASSIGN_OR_RETURN(int64_t n, tx_.Exec(kSkus.Update(), SkuParams(s)));
    return n ? OkStatus() : NotFound("SKU '" + s.sku_id + "' not found.");
  }
  StatusOr<SkuRow> GetSku(const std::string& tenant_id, const std::string& sku_id) override {
    return tx_.One(kSkus.Select("WHERE tenant_id = $1 AND sku_id = $2"), {tenant_id, sku_id}, SkuFrom,
                   "SKU '" + sku_id + "'");
  }
  StatusOr<std::vector<SkuRow>> ListSkus(const std::string& tenant_id) override {
    return tx_.Many(kSkus.Select("WHERE tenant_id = $1 ORDER BY sku_part_number, sku_id"), {tenant_id}, SkuFrom);
  }

  Status UpsertAssignment(const LicenseAssignmentRow& a) override {
    tx_.changes().Add(a.tenant_id, ChangeKind::kLicence, a.principal_id);
    return tx_
        .Exec(kAssignments.Insert() +
                  " ON CONFLICT (tenant_id, principal_id, sku_id) DO UPDATE SET disabled_plans = excluded.disabled_plans",
              AssignmentParams(a))
        .status();
  }
  Status DeleteAssignment(const std::string& tenant_id, const std::string& principal_id,
                          const std::string& sku_id) override {
    tx_.changes().Add(tenant_id, ChangeKind::kLicence, principal_id);
    GH_ASSIGN_OR_RETURN(int64_t n, tx_.Exec("DELETE FROM license_assignments WHERE tenant_id = $1 AND "
                                            "principal_id = $2 AND sku_id = $3",
                                            {tenant_id, principal_id, sku_id}));
    return n ? OkStatus() : NotFound("'" + principal_id + "' has no licence for SKU '" + sku_id + "'.");
  }
  StatusOr<std::vector<LicenseAssignmentRow>> ListAssignments(const std::string& tenant_id,
                                                              const std::string& principal_id) override {
    Params params{tenant_id};
    std::string where = "WHERE tenant_id = $1";
    if (!principal_id.empty()) params.push_back(principal_id), where += " AND principal_id = " + P(params);
    return tx_.Many(kAssignments.Select(where + " ORDER BY created_at, principal_id, sku_id"), params,
                    AssignmentFrom);
  }
  Status DeleteAssignmentsOf(const std::string& tenant_id, const std::string& principal_id) override {
    tx_.changes().Add(tenant_id, ChangeKind::kLicence, principal_id);
    return tx_
        .Exec("DELETE FROM license_assignments WHERE tenant_id = $1 AND principal_id = $2", {tenant_id, principal_id})
        .status();
  }

 private:
  SqlTx& tx_;
};

}  // namespace

std::unique_ptr<LicensingRepository> NewSqlLicensingRepository(SqlTx& tx) {
  return std::make_unique<SqlLicensingRepository>(tx);
}

}  // namespace gh::store
