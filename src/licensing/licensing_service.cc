#include "licensing/licensing_service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <deque>
#include <set>

#include "core/strings.h"
#include "directory/model/validation.h"
#include "store/licensing_repository.h"

namespace gh::licensing {
namespace {
namespace json = boost::json;

constexpr std::string_view kCategory = "LicenseManagement";

std::string PlansToJson(const std::vector<ServicePlan>& plans) {
  json::array a;
  for (const auto& p : plans) {
    json::array families;
    for (const auto& f : p.app_families) families.emplace_back(f);
    a.push_back(json::object{{"id", p.id},
                             {"name", p.name},
                             {"appliesTo", p.applies_to},
                             {"grantsEnvironmentAccess", p.grants_environment_access},
                             {"grantsDataverse", p.grants_dataverse},
                             {"appFamilies", families}});
  }
  return json::serialize(a);
}

std::vector<ServicePlan> PlansFromJson(const std::string& text) {
  std::vector<ServicePlan> out;
  std::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  auto str = [](const json::object& o, std::string_view k) {
    auto* p = o.if_contains(k);
    return p && p->is_string() ? std::string(p->as_string()) : std::string();
  };
  auto flag = [](const json::object& o, std::string_view k) {
    auto* p = o.if_contains(k);
    return p && p->is_bool() && p->as_bool();
  };
  for (const auto& e : v.as_array()) {
    if (!e.is_object()) continue;
    const auto& o = e.as_object();
    ServicePlan p{str(o, "id"), str(o, "name"), str(o, "appliesTo"), flag(o, "grantsEnvironmentAccess"),
                  flag(o, "grantsDataverse"), {}};
    if (auto* f = o.if_contains("appFamilies"); f && f->is_array())
      for (const auto& x : f->as_array())
        if (x.is_string()) p.app_families.emplace_back(x.as_string());
    out.push_back(std::move(p));
  }
  return out;
}

Sku SkuFrom(const store::SkuRow& r) {
  Sku s;
  s.tenant_id = r.tenant_id;
  s.sku_id = r.sku_id;
  s.sku_part_number = r.sku_part_number;
  s.capability_status = r.capability_status;
  s.prepaid_enabled = r.prepaid_enabled;
  s.prepaid_suspended = r.prepaid_suspended;
  s.prepaid_warning = r.prepaid_warning;
  s.prepaid_locked_out = r.prepaid_locked_out;
  s.service_plans = PlansFromJson(r.service_plans_json);
  s.created_at = r.created_at;
  return s;
}

StatusOr<directory::User> FindUser(store::Transaction& tx, const std::string& tenant_id, const std::string& key) {
  if (IsUuid(key)) return tx.GetUser(tenant_id, ToLower(key));
  return tx.FindUserByUpn(tenant_id, key);
}

Status InvalidLicense(const std::string& sku_id) {
  return BadRequest("License " + sku_id + " does not correspond to a valid company License.");
}

// Checks the SKUs and disabled plans of a change against the subscriptions.
Status ValidateChange(const LicenseChange& change, const std::vector<Sku>& skus) {
  auto find = [&](const std::string& id) {
    auto it = std::find_if(skus.begin(), skus.end(), [&](const Sku& s) { return s.sku_id == ToLower(id); });
    return it == skus.end() ? nullptr : &*it;
  };
  std::set<std::string> seen;
  for (const auto& a : change.add) {
    const Sku* sku = find(a.sku_id);
    if (!sku) return InvalidLicense(a.sku_id);
    if (!seen.insert(sku->sku_id).second) return BadRequest("License " + a.sku_id + " is listed twice in addLicenses.");
    for (const auto& p : a.disabled_plans)
      if (!sku->FindPlan(p))
        return BadRequest("The service plan " + p + " in disabledPlans is not part of license " + a.sku_id + ".");
  }
  for (const auto& r : change.remove) {
    if (!find(r)) return InvalidLicense(r);
    if (seen.count(ToLower(r))) return BadRequest("License " + r + " is both added and removed.");
  }
  return OkStatus();
}

std::vector<std::string> Lower(std::vector<std::string> v) {
  for (auto& s : v) s = ToLower(s);
  return v;
}

}  // namespace

// ---- resolution --------------------------------------------------------------

const UserLicenses& Resolution::Of(const std::string& user_id) const {
  static const UserLicenses kNone;
  auto it = by_user.find(user_id);
  return it == by_user.end() ? kNone : it->second;
}

bool Resolution::GrantsEnvironmentAccess(const std::string& user_id) const {
  for (const auto& p : Of(user_id).EffectivePlans(skus))
    if (p.grants_environment_access) return true;
  return false;
}

StatusOr<Resolution> ResolveIn(store::Transaction& tx, const std::string& tenant_id) {
  GH_ASSIGN_OR_RETURN(directory::Tenant tenant, tx.GetTenant(tenant_id));
  GH_ASSIGN_OR_RETURN(auto sku_rows, tx.Licensing().ListSkus(tenant_id));
  GH_ASSIGN_OR_RETURN(auto rows, tx.Licensing().ListAssignments(tenant_id));
  Resolution res;
  std::map<std::string, size_t> sku_index;
  for (const auto& r : sku_rows) {
    sku_index[r.sku_id] = res.skus.size();
    res.skus.push_back(SkuFrom(r));
  }
  std::set<std::pair<std::string, std::string>> consuming;  // (user, sku) holding a seat
  auto consume = [&](const std::string& user, const std::string& sku) {
    if (consuming.insert({user, sku}).second) res.skus[sku_index[sku]].consumed_units++;
  };

  // Direct assignments always hold their seat (they were checked when made).
  for (const auto& a : rows) {
    if (a.principal_kind != "user" || !sku_index.count(a.sku_id)) continue;
    consume(a.principal_id, a.sku_id);
    res.by_user[a.principal_id].states.push_back({a.sku_id, std::nullopt, a.disabled_plans, "Active", "None",
                                                  a.created_at});
  }

  // Group assignments, oldest first; members in a stable order.
  std::map<std::string, std::vector<directory::Membership>> members_of;
  bool loaded_members = false;
  std::map<std::string, std::optional<directory::User>> users;
  auto user = [&](const std::string& id) -> StatusOr<const directory::User*> {
    auto it = users.find(id);
    if (it == users.end()) {
      auto u = tx.GetUser(tenant_id, id);
      if (!u.ok() && u.status().code() != Code::kNotFound) return u.status();
      it = users.emplace(id, u.ok() ? std::optional(*u) : std::nullopt).first;
    }
    return it->second ? &*it->second : nullptr;
  };
  for (const auto& a : rows) {
    if (a.principal_kind != "group" || !sku_index.count(a.sku_id)) continue;
    if (!loaded_members) {
      GH_ASSIGN_OR_RETURN(auto all, tx.ListAllMemberships(tenant_id));
      for (auto& m : all) members_of[m.group_id].push_back(std::move(m));
      loaded_members = true;
    }
    // Transitive user members (cycle-safe).
    std::set<std::string> seen_groups{a.principal_id}, user_ids;
    std::deque<std::string> queue{a.principal_id};
    while (!queue.empty()) {
      std::string g = queue.front();
      queue.pop_front();
      for (const auto& m : members_of[g]) {
        if (m.member_kind == directory::MemberKind::kGroup) {
          if (seen_groups.insert(m.member_id).second) queue.push_back(m.member_id);
        } else {
          user_ids.insert(m.member_id);
        }
      }
    }
    std::vector<const directory::User*> members;
    for (const auto& id : user_ids) {
      GH_ASSIGN_OR_RETURN(const directory::User* u, user(id));
      if (u) members.push_back(u);
    }
    std::sort(members.begin(), members.end(), [](const directory::User* x, const directory::User* y) {
      return std::tie(x->created_at, x->id) < std::tie(y->created_at, y->id);
    });
    const Sku& sku = res.skus[sku_index[a.sku_id]];
    for (const directory::User* u : members) {
      AssignmentState st{a.sku_id, a.principal_id, a.disabled_plans, "Active", "None", a.created_at};
      bool has_location = (u->usage_location && !u->usage_location->empty()) || !tenant.default_usage_location.empty();
      if (consuming.count({u->id, a.sku_id})) {
        // Already holds a seat for this SKU: no second one.
      } else if (!has_location) {
        st.state = "Error", st.error = "ProhibitedInUsageLocationViolation";
      } else if (sku.consumed_units >= sku.prepaid_enabled) {
        st.state = "Error", st.error = "CountViolation";
      } else {
        consume(u->id, a.sku_id);
      }
      res.by_user[u->id].states.push_back(std::move(st));
    }
  }

  // assignedLicenses: one entry per SKU in effect; a direct assignment's
  // disabled plans win, else the first active group's.
  for (auto& [id, ul] : res.by_user) {
    for (const auto& st : ul.states) {
      if (st.state != "Active") continue;
      if (std::none_of(ul.assigned.begin(), ul.assigned.end(),
                       [&](const AssignedLicense& l) { return l.sku_id == st.sku_id; }))
        ul.assigned.push_back({st.sku_id, st.disabled_plans});
    }
  }
  return res;
}

// ---- service -------------------------------------------------------------------

LicensingService::LicensingService(store::Store& store, const Clock& clock, Random& random)
    : store_(store), clock_(clock), random_(random) {}

template <typename Fn>
Status LicensingService::Write(Fn&& body) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  GH_RETURN_IF_ERROR(body(*tx));
  return tx->Commit();
}

directory::AuditEntry LicensingService::Audit(const directory::Actor& actor, const std::string& tenant_id,
                                              std::string activity, std::string target_type,
                                              const std::string& target_id, const std::string& target_name,
                                              std::string details_json) {
  return directory::MakeAuditEntry(random_, clock_, actor, tenant_id, std::string(kCategory), std::move(activity),
                                   std::move(target_type), target_id, target_name, std::move(details_json));
}

StatusOr<std::vector<Sku>> LicensingService::ListSkus(const std::string& tenant_id) {
  GH_ASSIGN_OR_RETURN(Resolution r, Resolve(tenant_id));
  return r.skus;
}

StatusOr<Sku> LicensingService::GetSku(const std::string& tenant_id, const std::string& sku_id) {
  GH_ASSIGN_OR_RETURN(auto skus, ListSkus(tenant_id));
  for (auto& s : skus)
    if (s.sku_id == ToLower(sku_id)) return s;
  return NotFound("SKU '" + sku_id + "' not found.");
}

StatusOr<Sku> LicensingService::AddSku(const directory::Actor& actor, const std::string& tenant_id,
                                       const std::string& product, int64_t prepaid_units) {
  const Product* p = FindProduct(product);
  if (!p) return BadRequest("'" + product + "' is not a known product (skuId or skuPartNumber).");
  if (prepaid_units < 0 || prepaid_units > 1000000) return BadRequest("prepaidUnits must be between 0 and 1000000.");
  store::SkuRow row;
  row.tenant_id = tenant_id;
  row.sku_id = p->sku_id;
  row.sku_part_number = p->sku_part_number;
  row.prepaid_enabled = prepaid_units;
  row.service_plans_json = PlansToJson(p->plans);
  row.created_at = row.updated_at = clock_.NowMillis();
  GH_RETURN_IF_ERROR(Write([&](store::Transaction& tx) -> Status {
    GH_RETURN_IF_ERROR(tx.Licensing().InsertSku(row));
    return tx.InsertAudit(Audit(actor, tenant_id, "Add subscription", "Sku", row.sku_id, row.sku_part_number,
                                json::serialize(json::object{{"prepaidUnits", prepaid_units}})));
  }));
  return GetSku(tenant_id, row.sku_id);
}

StatusOr<Sku> LicensingService::SetPrepaidUnits(const directory::Actor& actor, const std::string& tenant_id,
                                                const std::string& sku_id, int64_t prepaid_units) {
  if (prepaid_units < 0 || prepaid_units > 1000000) return BadRequest("prepaidUnits must be between 0 and 1000000.");
  GH_RETURN_IF_ERROR(Write([&](store::Transaction& tx) -> Status {
    GH_ASSIGN_OR_RETURN(store::SkuRow row, tx.Licensing().GetSku(tenant_id, ToLower(sku_id)));
    int64_t before = row.prepaid_enabled;
    row.prepaid_enabled = prepaid_units;
    row.updated_at = clock_.NowMillis();
    GH_RETURN_IF_ERROR(tx.Licensing().UpdateSku(row));
    return tx.InsertAudit(Audit(actor, tenant_id, "Update subscription", "Sku", row.sku_id, row.sku_part_number,
                                json::serialize(json::object{{"prepaidUnits", json::object{{"oldValue", before},
                                                                                            {"newValue", prepaid_units}}}})));
  }));
  return GetSku(tenant_id, sku_id);
}

StatusOr<directory::User> LicensingService::AssignUserLicenses(const directory::Actor& actor,
                                                               const std::string& tenant_id,
                                                               const std::string& user_id_or_upn,
                                                               const LicenseChange& change) {
  directory::User user;
  GH_RETURN_IF_ERROR(Write([&](store::Transaction& tx) -> Status {
    GH_ASSIGN_OR_RETURN(user, FindUser(tx, tenant_id, user_id_or_upn));
    GH_ASSIGN_OR_RETURN(Resolution res, ResolveIn(tx, tenant_id));
    GH_RETURN_IF_ERROR(ValidateChange(change, res.skus));
    std::vector<store::LicenseAssignmentRow> current;
    GH_ASSIGN_OR_RETURN(current, tx.Licensing().ListAssignments(tenant_id, user.id));
    for (const auto& r : change.remove) {
      std::string sku = ToLower(r);
      if (std::none_of(current.begin(), current.end(), [&](const auto& a) { return a.sku_id == sku; }))
        return BadRequest("User does not have a corresponding license " + r + ".");
    }
    if (!change.add.empty() && (!user.usage_location || user.usage_location->empty()))
      return BadRequest("License assignment cannot be done for user with invalid usage location.");
    const auto& held = res.Of(user.id).assigned;
    for (const auto& a : change.add) {
      std::string sku_id = ToLower(a.sku_id);
      bool has_seat = std::any_of(held.begin(), held.end(), [&](const auto& l) { return l.sku_id == sku_id; });
      auto sku = std::find_if(res.skus.begin(), res.skus.end(), [&](const Sku& s) { return s.sku_id == sku_id; });
      if (!has_seat && sku->consumed_units >= sku->prepaid_enabled)
        return BadRequest("Subscription with SKU " + sku_id + " does not have any available licenses.");
      if (!has_seat) sku->consumed_units++;
    }
    json::array added, removed;
    for (const auto& a : change.add) {
      store::LicenseAssignmentRow row{tenant_id,    user.id, "user", ToLower(a.sku_id), Lower(a.disabled_plans),
                                      clock_.NowMillis()};
      GH_RETURN_IF_ERROR(tx.Licensing().UpsertAssignment(row));
      added.emplace_back(row.sku_id);
    }
    for (const auto& r : change.remove) {
      GH_RETURN_IF_ERROR(tx.Licensing().DeleteAssignment(tenant_id, user.id, ToLower(r)));
      removed.emplace_back(ToLower(r));
    }
    return tx.InsertAudit(Audit(actor, tenant_id, "Change user license", "User", user.id, user.user_principal_name,
                                json::serialize(json::object{{"addLicenses", added}, {"removeLicenses", removed}})));
  }));
  return user;
}

StatusOr<directory::Group> LicensingService::AssignGroupLicenses(const directory::Actor& actor,
                                                                 const std::string& tenant_id,
                                                                 const std::string& group_id,
                                                                 const LicenseChange& change) {
  directory::Group group;
  GH_RETURN_IF_ERROR(Write([&](store::Transaction& tx) -> Status {
    GH_ASSIGN_OR_RETURN(group, tx.GetGroup(tenant_id, ToLower(group_id)));
    GH_ASSIGN_OR_RETURN(auto sku_rows, tx.Licensing().ListSkus(tenant_id));
    std::vector<Sku> skus;
    for (const auto& r : sku_rows) skus.push_back(SkuFrom(r));
    GH_RETURN_IF_ERROR(ValidateChange(change, skus));
    GH_ASSIGN_OR_RETURN(auto current, tx.Licensing().ListAssignments(tenant_id, group.id));
    for (const auto& r : change.remove) {
      std::string sku = ToLower(r);
      if (std::none_of(current.begin(), current.end(), [&](const auto& a) { return a.sku_id == sku; }))
        return BadRequest("Group does not have a corresponding license " + r + ".");
    }
    json::array added, removed;
    for (const auto& a : change.add) {
      // Keep the original assignment time, so members keep their place in line.
      auto existing = std::find_if(current.begin(), current.end(),
                                   [&](const auto& c) { return c.sku_id == ToLower(a.sku_id); });
      store::LicenseAssignmentRow row{tenant_id, group.id, "group", ToLower(a.sku_id), Lower(a.disabled_plans),
                                      existing == current.end() ? clock_.NowMillis() : existing->created_at};
      GH_RETURN_IF_ERROR(tx.Licensing().UpsertAssignment(row));
      added.emplace_back(row.sku_id);
    }
    for (const auto& r : change.remove) {
      GH_RETURN_IF_ERROR(tx.Licensing().DeleteAssignment(tenant_id, group.id, ToLower(r)));
      removed.emplace_back(ToLower(r));
    }
    return tx.InsertAudit(Audit(actor, tenant_id, "Change group license", "Group", group.id, group.display_name,
                                json::serialize(json::object{{"addLicenses", added}, {"removeLicenses", removed}})));
  }));
  return group;
}

StatusOr<std::vector<AssignedLicense>> LicensingService::GroupLicenses(const std::string& tenant_id,
                                                                       const std::string& group_id) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  GH_ASSIGN_OR_RETURN(auto group, tx->GetGroup(tenant_id, ToLower(group_id)));
  GH_ASSIGN_OR_RETURN(auto rows, tx->Licensing().ListAssignments(tenant_id, group.id));
  std::vector<AssignedLicense> out;
  for (const auto& r : rows) out.push_back({r.sku_id, r.disabled_plans});
  return out;
}

StatusOr<UserLicenses> LicensingService::UserLicensesOf(const std::string& tenant_id, const std::string& user_id) {
  GH_ASSIGN_OR_RETURN(Resolution r, Resolve(tenant_id));
  return r.Of(user_id);
}

StatusOr<std::vector<LicenseDetail>> LicensingService::LicenseDetails(const std::string& tenant_id,
                                                                      const std::string& user_id_or_upn) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  GH_ASSIGN_OR_RETURN(auto user, FindUser(*tx, tenant_id, user_id_or_upn));
  GH_ASSIGN_OR_RETURN(Resolution res, ResolveIn(*tx, tenant_id));
  std::vector<LicenseDetail> out;
  for (const auto& a : res.Of(user.id).assigned) {
    auto sku = std::find_if(res.skus.begin(), res.skus.end(), [&](const Sku& s) { return s.sku_id == a.sku_id; });
    if (sku == res.skus.end()) continue;
    LicenseDetail d{user.id + "_" + a.sku_id, a.sku_id, sku->sku_part_number, {}};
    for (const auto& p : sku->service_plans) {
      bool disabled = std::find(a.disabled_plans.begin(), a.disabled_plans.end(), p.id) != a.disabled_plans.end();
      d.plans.push_back({p, disabled ? "Disabled" : "Success"});
    }
    out.push_back(std::move(d));
  }
  return out;
}

StatusOr<Resolution> LicensingService::Resolve(const std::string& tenant_id) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  return ResolveIn(*tx, tenant_id);
}

StatusOr<directory::Tenant> LicensingService::SetDefaultUsageLocation(const directory::Actor& actor,
                                                                      const std::string& tenant_id,
                                                                      const std::string& location) {
  if (!location.empty()) GH_RETURN_IF_ERROR(directory::ValidateUsageLocation(location));
  directory::Tenant t;
  GH_RETURN_IF_ERROR(Write([&](store::Transaction& tx) -> Status {
    GH_ASSIGN_OR_RETURN(t, tx.GetTenant(tenant_id));
    std::string before = t.default_usage_location;
    t.default_usage_location = location;
    GH_RETURN_IF_ERROR(tx.UpdateTenant(t));
    return tx.InsertAudit(Audit(actor, tenant_id, "Set company default usage location", "Company", t.id, t.name,
                                json::serialize(json::object{{"defaultUsageLocation",
                                                              json::object{{"oldValue", before},
                                                                           {"newValue", location}}}})));
  }));
  return t;
}

Status SeedDemoSkus(LicensingService& licensing, const directory::Actor& actor, const std::string& tenant_id) {
  static const std::pair<std::string_view, int64_t> kSeats[] = {{"DYN365_ENTERPRISE_SALES", 25},
                                                                {"DYN365_ENTERPRISE_CUSTOMER_SERVICE", 10},
                                                                {"DYN365_ENTERPRISE_FIELD_SERVICE", 5},
                                                                {"POWERAPPS_PER_USER", 5},
                                                                {"SPE_E3", 50}};
  for (auto [product, seats] : kSeats) {
    auto s = licensing.AddSku(actor, tenant_id, std::string(product), seats);
    if (!s.ok() && s.status().code() != Code::kAlreadyExists) return s.status();
  }
  return OkStatus();
}

}  // namespace gh::licensing
