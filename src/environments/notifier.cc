#include "environments/notifier.h"

#include "core/strings.h"
#include <boost/json.hpp>

namespace gh::environments {

StatusOr<std::vector<NotifyResult>> Notifier::Notify(const directory::Actor& actor, const std::string& tenant_id,
                                                     const std::string& environment_id,
                                                     const std::vector<std::string>& user_ids) {
  if (user_ids.empty() || user_ids.size() > 100)
    return InvalidArgument("Give between 1 and 100 user ids to notify.", "Request_BadRequest");
  if (!mailer_) return FailedPrecondition("Email is not configured on this server.");
  GH_ASSIGN_OR_RETURN(Environment env, environments_.Get(tenant_id, environment_id));
  const int64_t now = clock_.NowMillis();
  std::vector<NotifyResult> results;
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  GH_ASSIGN_OR_RETURN(auto tenant, tx->GetTenant(tenant_id));
  boost::json::array notified;
  for (const auto& raw : user_ids) {
    std::string id = ToLower(raw);
    NotifyResult r{raw, "notFound", ""};
    if (IsUuid(id)) {
      if (auto u = tx->GetUser(tenant_id, id); u.ok()) {
        if (!u->mail || u->mail->empty()) {
          r.outcome = "noEmailAddress";
        } else {
          r.email = *u->mail;
          // One notice per user, environment and minute: a double-click sends one email.
          GH_RETURN_IF_ERROR(mailer_(*tx, {tenant_id, tenant.name, *u->mail, u->preferred_language.value_or("en-US"),
                                           env.display_name, env.url,
                                           "envnotice:" + env.id + ":" + id + ":" + std::to_string(now / 60'000)}));
          r.outcome = "queued";
          notified.emplace_back(id);
        }
      }
    }
    results.push_back(std::move(r));
  }
  GH_RETURN_IF_ERROR(tx->InsertAudit(directory::MakeAuditEntry(
      random_, clock_, actor, tenant_id, "EnvironmentManagement", "Notify users of environment", "Environment", env.id,
      env.display_name, boost::json::serialize(boost::json::object{{"notifiedUserIds", notified}}))));
  GH_RETURN_IF_ERROR(tx->Commit());
  return results;
}

}  // namespace gh::environments
