#include "mail/sender.h"

#include <spdlog/spdlog.h>

#include "mail/message.h"
#include "mail/outbox.h"
#include "store/outbox_repository.h"

namespace gh::mail {

MailSender::MailSender(store::Store& store, Transport& transport, const Clock& clock, SenderOptions options)
    : store_(store), transport_(transport), clock_(clock), options_(std::move(options)) {}

MailSender::~MailSender() { Stop(); }

int64_t MailSender::BackoffAfter(int attempts_done) const {
  if (options_.backoff_ms.empty()) return 60'000;
  size_t i = static_cast<size_t>(std::max(attempts_done, 1) - 1);
  return options_.backoff_ms[std::min(i, options_.backoff_ms.size() - 1)];
}

StatusOr<RunStats> MailSender::RunOnce() {
  RunStats stats;
  std::vector<store::OutboxMessage> batch;
  {
    GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
    GH_ASSIGN_OR_RETURN(batch, tx->Outbox().Claim(clock_.NowMillis(), options_.batch_size, options_.lease_ms,
                                                  options_.claimer));
    GH_RETURN_IF_ERROR(tx->Commit());
  }
  stats.claimed = static_cast<int>(batch.size());

  for (const store::OutboxMessage& m : batch) {
    // A mail on a bulk job's shared rendering is filled in here, as it is sent.
    RenderedMail content = ContentOf(m);
    MessageParts parts{options_.from_address, m.from_name, m.to, m.cc, m.reply_to, content.subject,
                       content.text, content.html, m.created_at, m.id};
    Status result;
    auto data = BuildMessage(parts);
    if (!data.ok()) {
      result = FailedPrecondition("cannot build the message: " + data.status().message());
    } else {
      OutgoingMail out{m.id, m.created_at, options_.from_address, m.to, std::move(data).value()};
      out.recipients.insert(out.recipients.end(), m.cc.begin(), m.cc.end());
      result = transport_.Send(out);
    }

    int64_t now = clock_.NowMillis();
    int attempts = m.attempts + 1;
    bool give_up = false;
    auto tx = store_.Begin(store::TxMode::kWrite);
    Status st = tx.status();
    if (st.ok()) {
      if (result.ok()) {
        st = (*tx)->Outbox().MarkSent(m.id, now);
      } else {
        give_up = result.code() == Code::kFailedPrecondition || attempts >= options_.max_attempts;
        st = (*tx)->Outbox().MarkFailed(m.id, result.message(), now + BackoffAfter(attempts), give_up);
      }
      if (st.ok()) st = (*tx)->Commit();
    }
    if (!st.ok()) {
      // The lease runs out and the message is tried again (at-least-once).
      spdlog::warn("mail {}: recording the delivery outcome failed: {}", m.id, st.message());
      continue;
    }
    if (result.ok()) {
      ++stats.sent;
      spdlog::info("mail {} ({}) sent to {} recipient(s)", m.id, m.kind, m.to.size() + m.cc.size());
    } else if (give_up) {
      ++stats.gave_up;
      spdlog::error("mail {} ({}) given up after {} attempt(s): {}", m.id, m.kind, attempts, result.message());
    } else {
      ++stats.failed;
      spdlog::warn("mail {} ({}) attempt {} failed, retrying in {} s: {}", m.id, m.kind, attempts,
                   BackoffAfter(attempts) / 1000, result.message());
    }
  }
  if (options_.on_pass && stats.claimed > 0) options_.on_pass(stats);
  return stats;
}

void MailSender::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void MailSender::Notify() {
  {
    std::lock_guard lock(mu_);
    notified_ = true;
  }
  cv_.notify_one();
}

void MailSender::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void MailSender::Loop() {
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(options_.poll_ms), [this] { return stop_ || notified_; });
      if (stop_) return;
      notified_ = false;
    }
    // Drain: a full batch means more may be due right away.
    for (;;) {
      auto stats = RunOnce();
      if (!stats.ok()) {
        spdlog::warn("mail sender: {}", stats.status().message());
        break;
      }
      if (stats->claimed < options_.batch_size) break;
      std::lock_guard lock(mu_);
      if (stop_) return;
    }
  }
}

}  // namespace gh::mail
