#include "app/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "api/graph/errors.h"
#include "gate/loader/snapshot_loader.h"
#include "metrics/scrape_access.h"
#include "store/outbox_repository.h"

namespace gh::app {
namespace {

size_t ActionIndex(gate::Action a) {
  const auto& all = gate::AllActions();
  return static_cast<size_t>(std::find(all.begin(), all.end(), a) - all.begin());
}

double Seconds(std::chrono::steady_clock::duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

ServerMetrics::ServerMetrics(const Clock& clock) : clock_(clock) {
  auto& decisions = registry_.CounterFamily("gatehouse_gate_decisions_total",
                                            "Access decisions served (access check, token endpoint), by action "
                                            "and outcome");
  for (gate::Action a : gate::AllActions()) {
    const std::string name(gate::ActionName(a));
    decisions_.push_back({&decisions.Add({{"action", name}, {"outcome", "allowed"}}),
                          &decisions.Add({{"action", name}, {"outcome", "refused"}})});
  }
  auto& rebuilds = registry_.CounterFamily("gatehouse_snapshot_rebuilds_total",
                                           "Full rebuilds of a tenant's gate snapshot from the store, by result");
  rebuilds_ok_ = &rebuilds.Add({{"result", "ok"}});
  rebuilds_failed_ = &rebuilds.Add({{"result", "error"}});
  rebuild_seconds_ = &registry_
                          .HistogramFamily("gatehouse_snapshot_rebuild_duration_seconds",
                                           "Time to rebuild a tenant's gate snapshot from the store")
                          .Add({}, metrics::LatencyBuckets());
  // Ages over the tenants rebuilt at least once (per-tenant series would be
  // one per tenant: too many). Absent until the first rebuild.
  auto age = [this](bool oldest) {
    return [this, oldest]() {
      std::lock_guard lock(built_mu_);
      if (built_at_ms_.empty()) return std::optional<double>();
      int64_t pick = oldest ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
      for (const auto& [tenant, at] : built_at_ms_) pick = oldest ? std::min(pick, at) : std::max(pick, at);
      return std::optional<double>(static_cast<double>(clock_.NowMillis() - pick) / 1000.0);
    };
  };
  registry_.CallbackGauge("gatehouse_snapshot_oldest_rebuild_age_seconds",
                          "Seconds since the least recently rebuilt tenant snapshot was built", {}, age(true));
  registry_.CallbackGauge("gatehouse_snapshot_newest_rebuild_age_seconds",
                          "Seconds since the most recent tenant snapshot rebuild", {}, age(false));

  mail_sent_ = &registry_.CounterFamily("gatehouse_mail_sent_total", "Mails delivered from the outbox").Add({});
  auto& failures = registry_.CounterFamily("gatehouse_mail_send_failures_total",
                                           "Failed deliveries; final=\"true\" when the mail was given up");
  mail_failed_retry_ = &failures.Add({{"final", "false"}});
  mail_failed_final_ = &failures.Add({{"final", "true"}});
  bulk_rows_ = &registry_
                    .CounterFamily("gatehouse_bulk_rows_processed_total",
                                   "Bulk invitation rows processed (committed chunks); rate() gives rows/s")
                    .Add({});
}

void ServerMetrics::CountDecision(gate::Action action, bool allowed) {
  size_t i = ActionIndex(action);
  if (i < decisions_.size()) decisions_[i][allowed ? 0 : 1]->Increment();
}

std::function<void(const gate::Decision&)> ServerMetrics::DecisionCounter() {
  return [this](const gate::Decision& d) { CountDecision(d.action, d.allowed); };
}

identity::SigninService::ClientGate ServerMetrics::CountingClientGate(identity::SigninService::ClientGate inner) {
  return [this, inner = std::move(inner)](const std::string& tenant_id, const directory::User& user,
                                          const std::string& client_id) -> Status {
    Status s = inner(tenant_id, user, client_id);
    // Only clients the gate governs are decided; a refusal is access_denied,
    // anything else (the snapshot could not be read) is no decision.
    if (auto action = gate::ActionForClient(client_id)) {
      if (s.ok()) CountDecision(*action, true);
      else if (s.reason() == "access_denied") CountDecision(*action, false);
    }
    return s;
  };
}

gate::GateViews::BuildObserver ServerMetrics::BuildObserver() {
  return [this](const std::string& tenant_id, bool ok, std::chrono::steady_clock::duration took) {
    rebuild_seconds_->Observe(Seconds(took));
    if (ok) {
      rebuilds_ok_->Increment();
      std::lock_guard lock(built_mu_);
      built_at_ms_[tenant_id] = clock_.NowMillis();
    } else {
      rebuilds_failed_->Increment();
    }
  };
}

void ServerMetrics::WatchStore(store::Store& store) {
  const char* help = "Database connections: the pool's bound (size), open, in use, and callers waiting for one";
  registry_.CallbackGauge("gatehouse_db_pool_connections", help, {{"state", "size"}},
                          [&store] { return static_cast<double>(store.CurrentPoolUse().size); });
  registry_.CallbackGauge("gatehouse_db_pool_connections", help, {{"state", "open"}},
                          [&store] { return static_cast<double>(store.CurrentPoolUse().open); });
  registry_.CallbackGauge("gatehouse_db_pool_connections", help, {{"state", "in_use"}},
                          [&store] { return static_cast<double>(store.CurrentPoolUse().in_use); });
  registry_.CallbackGauge("gatehouse_db_pool_connections", help, {{"state", "waiting"}},
                          [&store] { return static_cast<double>(store.CurrentPoolUse().waiting); });
  // One COUNT per scrape (the partial index mail_outbox_due holds exactly
  // these rows); absent from a scrape the store cannot answer.
  registry_.CallbackGauge("gatehouse_outbox_pending", "Mails in the outbox not yet delivered or given up", {},
                          [&store]() -> std::optional<double> {
                            auto tx = store.Begin(store::TxMode::kRead);
                            if (!tx.ok()) return std::nullopt;
                            auto n = (*tx)->Outbox().CountPending();
                            if (!n.ok()) return std::nullopt;
                            return static_cast<double>(*n);
                          });
}

std::function<void(const mail::RunStats&)> ServerMetrics::MailCounter() {
  return [this](const mail::RunStats& s) {
    if (s.sent > 0) mail_sent_->Increment(s.sent);
    if (s.failed > 0) mail_failed_retry_->Increment(s.failed);
    if (s.gave_up > 0) mail_failed_final_->Increment(s.gave_up);
  };
}

std::function<void(int64_t)> ServerMetrics::BulkRowCounter() {
  return [this](int64_t rows) { bulk_rows_->Increment(static_cast<double>(rows)); };
}

void ServerMetrics::SetSnapshotPatchesSource(std::function<double()> total) {
  registry_.CallbackCounter("gatehouse_snapshot_patches_total",
                            "Changes applied to gate snapshots in place (no rebuild)", {}, std::move(total));
}

void ServerMetrics::SetChangeFeedLagSource(std::string node, std::function<double()> seconds) {
  registry_.CallbackGauge("gatehouse_change_feed_lag_seconds",
                          "Seconds between the newest committed change and the newest this node applied",
                          {{"node", std::move(node)}}, std::move(seconds));
}

void ServerMetrics::SetDirectoryCacheSource(std::function<double()> hits, std::function<double()> misses) {
  constexpr const char* kName = "gatehouse_directory_cache_lookups_total";
  constexpr const char* kHelp = "Directory lookups (user, group, a user's roles) answered from memory or the store";
  registry_.CallbackCounter(kName, kHelp, {{"result", "hit"}}, std::move(hits));
  registry_.CallbackCounter(kName, kHelp, {{"result", "miss"}}, std::move(misses));
}

http::Route MetricsRoute(const metrics::Registry& registry, std::string token) {
  http::Route r;
  r.method = "GET";
  r.pattern = "/metrics";
  r.permission = http::Permission::Public();  // the handler admits by address or scrape token
  r.description = "Metrics in the Prometheus text format (loopback, or the scrape token)";
  r.handler = [&registry, token = std::move(token)](http::RouteContext& ctx) {
    const http::Request& req = ctx.request;
    metrics::ScrapeRequest scrape{req.remote_address, req.Header("Authorization"),
                                  !req.Header("X-Forwarded-For").empty() || !req.Header("Forwarded").empty() ||
                                      !req.Header("X-Real-IP").empty()};
    switch (metrics::MayScrape(scrape, token)) {
      case metrics::ScrapeAccess::kAllowed: {
        http::Response res = http::Response::Text(200, registry.Expose(), metrics::kContentType);
        res.SetHeader("Cache-Control", "no-store");
        return res;
      }
      case metrics::ScrapeAccess::kUnauthenticated: {
        http::Response res = api::GraphError(
            req, Unauthenticated("Metrics need the scrape token as a bearer token.", "InvalidAuthenticationToken"));
        res.SetHeader("WWW-Authenticate", "Bearer realm=\"gatehouse-metrics\"");
        return res;
      }
      case metrics::ScrapeAccess::kForbidden:
        break;
    }
    return api::GraphError(req, PermissionDenied("Metrics are served to this machine only (no scrape token is "
                                                 "configured).",
                                                 "Authorization_RequestDenied"));
  };
  return r;
}

}  // namespace gh::app
