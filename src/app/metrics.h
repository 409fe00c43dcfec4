#pragma once
// What the server reports at GET /metrics, and the small adapters that feed
// it from the parts that know nothing of metrics: the gate's loader and its
// client gate, the access check, the store's pool and outbox, the mail sender
// and the bulk runner each take a plain callback, and this file turns those
// into series. The router counts requests itself (http::Router::Instrument).
//
// Series (besides http_requests_total and http_request_duration_seconds):
//   gatehouse_gate_decisions_total{action,outcome}        outcome: allowed|refused
//   gatehouse_snapshot_rebuilds_total{result}             result: ok|error
//   gatehouse_snapshot_rebuild_duration_seconds           histogram
//   gatehouse_snapshot_oldest_rebuild_age_seconds         over tenants with a snapshot built
//   gatehouse_snapshot_newest_rebuild_age_seconds
//   gatehouse_outbox_pending                              COUNT at scrape
//   gatehouse_mail_sent_total, gatehouse_mail_send_failures_total{final}
//   gatehouse_bulk_rows_processed_total                   rate() gives rows/s
//   gatehouse_db_pool_connections{state}                  size|open|in_use|waiting
//   gatehouse_snapshot_patches_total, gatehouse_change_feed_lag_seconds{node}
//                                                         once the change feed is wired (hooks below)
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "core/clock.h"
#include "gate/decision.h"
#include "gate/loader/gate_views.h"
#include "http/router.h"
#include "identity/signin.h"
#include "mail/sender.h"
#include "metrics/registry.h"
#include "store/store.h"

namespace gh::app {

class ServerMetrics {
 public:
  explicit ServerMetrics(const Clock& clock);
  ServerMetrics(const ServerMetrics&) = delete;
  ServerMetrics& operator=(const ServerMetrics&) = delete;

  metrics::Registry& registry() { return registry_; }

  // ---- The gate. Decisions are counted where they are served, never in Decide.
  // For api::Services::on_decision (the access check).
  std::function<void(const gate::Decision&)> DecisionCounter();
  // `inner` (gate::MakeClientGate), counting the token endpoint's decisions.
  identity::SigninService::ClientGate CountingClientGate(identity::SigninService::ClientGate inner);
  // For gate::GateViews::SetBuildObserver: counts and times full builds.
  gate::GateViews::BuildObserver BuildObserver();

  // ---- The store: its pool's use and the outbox's depth, read at scrape time.
  // `store` must outlive every scrape (the server stops before it closes).
  void WatchStore(store::Store& store);

  // ---- Background work.
  std::function<void(const mail::RunStats&)> MailCounter();  // mail::SenderOptions::on_pass
  std::function<void(int64_t)> BulkRowCounter();             // invitations::RunnerOptions::on_rows

  // ---- The views kept from the change feed. Nothing registers these
  // series until the composition root gives each its reader: patches applied to snapshots so far (monotonic), and the
  // seconds between the newest committed change and the last one this node
  // applied. Call once each, before serving.
  void SetSnapshotPatchesSource(std::function<double()> total);
  void SetChangeFeedLagSource(std::string node, std::function<double()> seconds);
  // Directory lookups (user, group, a user's roles) answered from memory and
  // from the store (directory/directory_cache.h).
  void SetDirectoryCacheSource(std::function<double()> hits, std::function<double()> misses);

 private:
  const Clock& clock_;
  metrics::Registry registry_;
  // By action, in gate::AllActions() order: [allowed, refused].
  std::vector<std::array<metrics::Counter*, 2>> decisions_;
  metrics::Counter* rebuilds_ok_;
  metrics::Counter* rebuilds_failed_;
  metrics::Histogram* rebuild_seconds_;
  metrics::Counter* mail_sent_;
  metrics::Counter* mail_failed_retry_;
  metrics::Counter* mail_failed_final_;
  metrics::Counter* bulk_rows_;
  std::mutex built_mu_;
  std::map<std::string, int64_t> built_at_ms_;  // tenant → last successful rebuild

  void CountDecision(gate::Action action, bool allowed);
};

// GET /metrics: the registry's exposition, for a local scraper or one
// presenting `token` as a bearer token (metrics/scrape_access.h); otherwise
// 401 or 403 in Graph's error shape. `token` empty: local scrapers only.
http::Route MetricsRoute(const metrics::Registry& registry, std::string token);

}  // namespace gh::app
