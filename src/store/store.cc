// Transaction's batch calls in terms of its one-row calls: correct for any
// implementation, one statement per row. The SQL store overrides them.
#include "store/store.h"

#include <algorithm>
#include <set>

#include "core/strings.h"

namespace gh::store {
namespace {

std::set<std::string> Distinct(const std::vector<std::string>& values) {
  std::set<std::string> out;
  for (const std::string& v : values) out.insert(ToLower(v));
  return out;
}

void SortById(std::vector<directory::User>& users) {
  std::sort(users.begin(), users.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
}

}  // namespace

StatusOr<std::map<std::string, directory::Tenant>> Transaction::FindTenantsByDomains(
    const std::vector<std::string>& domains) {
  std::map<std::string, directory::Tenant> out;
  for (const std::string& domain : Distinct(domains)) {
    auto tenant = FindTenantByDomain(domain);
    if (tenant.ok()) out.emplace(domain, std::move(tenant).value());
    else if (tenant.status().code() != Code::kNotFound) return tenant.status();
  }
  return out;
}

StatusOr<std::vector<directory::User>> Transaction::FindUsersByMails(const std::string& tenant_id,
                                                                     const std::vector<std::string>& mails) {
  std::vector<directory::User> out;
  for (const std::string& mail : Distinct(mails)) {
    GH_ASSIGN_OR_RETURN(auto users, FindUsersByMail(tenant_id, mail));
    out.insert(out.end(), users.begin(), users.end());
  }
  SortById(out);
  return out;
}

StatusOr<std::vector<directory::User>> Transaction::FindUsersByUpns(const std::string& tenant_id,
                                                                    const std::vector<std::string>& upns) {
  std::vector<directory::User> out;
  for (const std::string& upn : Distinct(upns)) {
    auto user = FindUserByUpn(tenant_id, upn);
    if (user.ok()) out.push_back(std::move(user).value());
    else if (user.status().code() != Code::kNotFound) return user.status();
  }
  SortById(out);
  return out;
}

Status Transaction::InsertUsers(const std::vector<directory::User>& users) {
  for (const directory::User& u : users) GH_RETURN_IF_ERROR(InsertUser(u));
  return OkStatus();
}

Status Transaction::InsertAudits(const std::vector<directory::AuditEntry>& entries) {
  for (const directory::AuditEntry& e : entries) GH_RETURN_IF_ERROR(InsertAudit(e));
  return OkStatus();
}

}  // namespace gh::store
