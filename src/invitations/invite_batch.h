#pragma once
// Internal to invitations: the reads and writes of a batch of invitations in
// one transaction, as one unit of work (InvitationService::InviteAllIn).
//
// Why: a bulk job's chunk of 1,000 rows used to cost ~12,000 statements (a
// few look-ups and six inserts per row) — on PostgreSQL each one a round trip.
// Here the resource tenant's users are looked up for the whole batch at once
// (Prefetch: one query per block of addresses) and the writes are held and
// applied by Flush() with one multi-row statement per table and block.
//
// What the batch reads always equals what the database would say had every
// write been applied at once: the looked-up users are kept current by the
// batch's own writes, and a read they cannot answer flushes the held writes
// before it queries. Only the resource tenant's guests, their memberships and
// invitations are written; reads of anything else (tenants, policies, other
// tenants' users) may go straight to the transaction.
//
// Planned ahead (Mode::kPlanAhead, for a bulk job's next chunk): the batch
// is filled in a read transaction while another transaction writes, and may
// read nothing but what Prefetch fetched (any other read fails with
// Unavailable "stale_plan", and the caller plans again the ordinary way).
// Rebase() then moves it into the writing transaction, after checking that
// the prefetched users are still exactly as they were read.
//
// Not thread-safe; used by one thread at a time.
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/status.h"
#include "directory/model/types.h"
#include "invitations/invitation_service.h"
#include "store/invitations_repository.h"
#include "store/store.h"

namespace gh::invitations {

class InviteBatch {
 public:
  enum class Mode { kReadThrough, kPlanAhead };

  // `mailer` (may be empty when no invitation asks for an email) and `tx`
  // must outlive the batch (or its use in `tx`, until Rebase).
  InviteBatch(store::Transaction& tx, std::string tenant_id, const InvitationBatchMailer& mailer,
              Mode mode = Mode::kReadThrough);

  store::Transaction& tx() { return *tx_; }

  // A planned-ahead batch continues in `tx` (read-through from now on):
  // Unavailable "stale_plan" if the users Prefetch read have changed since,
  // with nothing written.
  Status Rebase(store::Transaction& tx);

  // Looks up at once the tenant's users with these lower-case mail addresses
  // and UPNs, so the reads below need no query for them.
  Status Prefetch(const std::vector<std::string>& mails, const std::vector<std::string>& upns);

  // Reads, as the transaction would answer them after Flush().
  StatusOr<std::vector<directory::User>> UsersWithMail(const std::string& mail_lower);  // ordered by id
  StatusOr<std::optional<directory::User>> UserWithUpn(const std::string& upn_lower);
  StatusOr<directory::User> GetUser(const std::string& id);  // NotFound as the store says it
  StatusOr<std::vector<std::string>> GroupsOf(const std::string& user_id);
  StatusOr<std::vector<store::InvitationRow>> InvitationsOf(const std::string& user_id);

  // Writes, held until Flush().
  void InsertUser(const directory::User& u);
  void UpdateUser(const directory::User& u);
  void SupersedePending(const std::string& user_id);
  void AddMember(const std::string& group_id, const std::string& user_id);
  void InsertInvitation(const store::InvitationRow& row);
  void SendEmail(InvitationEmail email);
  void Audit(directory::AuditEntry entry);

  // Readies the held writes for Flush while nothing else waits: has the
  // mailer prepare the emails and copies out the users to insert. A batch
  // planned ahead is staged by its planning thread, so the writing thread
  // only writes. Writes held after it are staged again by Flush.
  Status Stage();

  // Applies the held writes: updated users, superseded invitations, new
  // users, memberships, invitations, emails, audit entries. A failure fails
  // the transaction (store.h), so nothing of the batch commits.
  Status Flush();

 private:
  // Records `u` as the latest version of its user, re-indexed by mail and UPN.
  void Remember(const directory::User& u);
  void Index(const directory::User& u);
  void Unindex(const directory::User& u);
  // Before a read the cached users cannot answer: the held writes go first
  // (or, planned ahead, the read is refused).
  Status BeforeRead();
  // The tenant's users with these mail addresses or UPNs, each once, by id.
  StatusOr<std::vector<directory::User>> Find(const std::vector<std::string>& mails,
                                              const std::vector<std::string>& upns);

  store::Transaction* tx_;
  const std::string tenant_id_;
  const InvitationBatchMailer& mailer_;
  Mode mode_;

  // Planned ahead: what Prefetch asked for and found, to check at Rebase.
  std::vector<std::string> prefetched_mails_, prefetched_upns_;
  std::vector<directory::User> prefetched_;

  // The latest version of every user the batch has read or written, and
  // indexes that are complete for each key they hold ("" = no such user).
  std::unordered_map<std::string, directory::User> users_;
  std::unordered_map<std::string, std::vector<std::string>> ids_by_mail_;  // ids sorted
  std::unordered_map<std::string, std::string> id_by_upn_;
  std::unordered_map<std::string, std::vector<std::string>> groups_of_;

  // Held writes. Users are written from users_ as they are at Stage().
  std::vector<std::string> created_, updated_, superseded_;
  std::unordered_set<std::string> created_set_, updated_set_;
  std::vector<directory::Membership> members_;
  std::vector<store::InvitationRow> invitations_;
  std::vector<InvitationEmail> emails_;  // not prepared yet
  std::vector<MailWrite> prepared_mail_;
  std::vector<directory::AuditEntry> audits_;
  // Staged: the users to insert, current while `staged_`.
  std::vector<directory::User> staged_users_;
  bool staged_ = false;

  // What Flush wrote, freed with the batch rather than by the writing
  // thread: a batch planned ahead is freed by the next planning task, and
  // freeing a chunk's thousands of objects took ~4% of the writer.
  struct Written {
    std::vector<directory::User> users;
    std::vector<store::InvitationRow> invitations;
    std::vector<MailWrite> mail;
    std::vector<directory::AuditEntry> audits;
  };
  std::vector<Written> written_;
};

}  // namespace gh::invitations
