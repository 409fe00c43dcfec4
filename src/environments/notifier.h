#pragma once
// "Notify your invited users" (the seed): emails chosen users the URL of an
// environment, in each user's preferred language, through the outbox — the
// emails and the audit entry commit together.
#include <functional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/random.h"
#include "directory/directory_service.h"
#include "environments/environment_service.h"
#include "store/store.h"

namespace gh::environments {

struct EnvironmentNotice {
  std::string tenant_id, tenant_name, to, language, environment_name, environment_url, dedupe_key;
};
// Renders and queues one notice inside the caller's transaction.
using NoticeMailer = std::function<Status(store::Transaction& tx, const EnvironmentNotice& notice)>;

struct NotifyResult {
  std::string user_id;
  std::string outcome;  // "queued", "noEmailAddress", "notFound"
  std::string email;
};

class Notifier {
 public:
  Notifier(store::Store& store, EnvironmentService& environments, const Clock& clock, Random& random)
      : store_(store), environments_(environments), clock_(clock), random_(random) {}
  void SetMailer(NoticeMailer mailer) { mailer_ = std::move(mailer); }

  // `user_ids` (1–100) are users of the tenant; each gets one email.
  StatusOr<std::vector<NotifyResult>> Notify(const directory::Actor& actor, const std::string& tenant_id,
                                             const std::string& environment_id,
                                             const std::vector<std::string>& user_ids);

 private:
  store::Store& store_;
  EnvironmentService& environments_;
  const Clock& clock_;
  Random& random_;
  NoticeMailer mailer_;
};

}  // namespace gh::environments
