#include "invitations/invite_batch.h"

#include <algorithm>
#include <utility>

#include "core/strings.h"

namespace gh::invitations {
namespace {

std::string MailKey(const directory::User& u) { return ToLower(u.mail.value_or("")); }

// Sorted by id, each user once.
void SortUnique(std::vector<directory::User>& users) {
  std::sort(users.begin(), users.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  users.erase(std::unique(users.begin(), users.end(), [](const auto& a, const auto& b) { return a.id == b.id; }),
              users.end());
}

void InsertSorted(std::vector<std::string>& ids, const std::string& id) {
  auto at = std::lower_bound(ids.begin(), ids.end(), id);
  if (at == ids.end() || *at != id) ids.insert(at, id);
}

}  // namespace

InviteBatch::InviteBatch(store::Transaction& tx, std::string tenant_id, const InvitationBatchMailer& mailer,
                         Mode mode)
    : tx_(&tx), tenant_id_(std::move(tenant_id)), mailer_(mailer), mode_(mode) {}

Status InviteBatch::BeforeRead() {
  if (mode_ == Mode::kPlanAhead)
    return Unavailable("A batch planned ahead read past its prefetched users.", "stale_plan");
  return Flush();
}

StatusOr<std::vector<directory::User>> InviteBatch::Find(const std::vector<std::string>& mails,
                                                         const std::vector<std::string>& upns) {
  GH_ASSIGN_OR_RETURN(auto found, tx_->FindUsersByMails(tenant_id_, mails));
  GH_ASSIGN_OR_RETURN(auto by_upn, tx_->FindUsersByUpns(tenant_id_, upns));
  found.insert(found.end(), std::make_move_iterator(by_upn.begin()), std::make_move_iterator(by_upn.end()));
  SortUnique(found);
  return found;
}

Status InviteBatch::Prefetch(const std::vector<std::string>& mails, const std::vector<std::string>& upns) {
  GH_RETURN_IF_ERROR(Flush());
  GH_ASSIGN_OR_RETURN(auto found, Find(mails, upns));
  // Every key asked for is now known, found or not.
  for (const std::string& m : mails) ids_by_mail_[m].clear();
  for (const std::string& u : upns) id_by_upn_[u].clear();
  for (const directory::User& u : found) Remember(u);
  if (mode_ == Mode::kPlanAhead) {
    prefetched_mails_.insert(prefetched_mails_.end(), mails.begin(), mails.end());
    prefetched_upns_.insert(prefetched_upns_.end(), upns.begin(), upns.end());
    prefetched_.insert(prefetched_.end(), found.begin(), found.end());
    SortUnique(prefetched_);
  }
  return OkStatus();
}

Status InviteBatch::Rebase(store::Transaction& tx) {
  tx_ = &tx;
  mode_ = Mode::kReadThrough;
  GH_ASSIGN_OR_RETURN(auto now, Find(prefetched_mails_, prefetched_upns_));
  if (now != prefetched_)
    return Unavailable("The guests of a batch planned ahead changed before it was written.", "stale_plan");
  return OkStatus();
}

StatusOr<std::vector<directory::User>> InviteBatch::UsersWithMail(const std::string& mail_lower) {
  if (!ids_by_mail_.contains(mail_lower)) {
    GH_RETURN_IF_ERROR(BeforeRead());
    GH_ASSIGN_OR_RETURN(auto found, tx_->FindUsersByMail(tenant_id_, mail_lower));
    ids_by_mail_[mail_lower].clear();
    for (const directory::User& u : found) Remember(u);
  }
  std::vector<directory::User> out;
  for (const std::string& id : ids_by_mail_.at(mail_lower)) out.push_back(users_.at(id));
  return out;
}

StatusOr<std::optional<directory::User>> InviteBatch::UserWithUpn(const std::string& upn_lower) {
  if (!id_by_upn_.contains(upn_lower)) {
    GH_RETURN_IF_ERROR(BeforeRead());
    auto found = tx_->FindUserByUpn(tenant_id_, upn_lower);
    if (!found.ok() && found.status().code() != Code::kNotFound) return found.status();
    id_by_upn_[upn_lower].clear();
    if (found.ok()) Remember(*found);
  }
  const std::string& id = id_by_upn_.at(upn_lower);
  if (id.empty()) return std::optional<directory::User>();
  return std::optional<directory::User>(users_.at(id));
}

StatusOr<directory::User> InviteBatch::GetUser(const std::string& id) {
  if (auto known = users_.find(id); known != users_.end()) return known->second;
  GH_RETURN_IF_ERROR(BeforeRead());
  GH_ASSIGN_OR_RETURN(directory::User u, tx_->GetUser(tenant_id_, id));
  Remember(u);
  return u;
}

StatusOr<std::vector<std::string>> InviteBatch::GroupsOf(const std::string& user_id) {
  if (auto known = groups_of_.find(user_id); known != groups_of_.end()) return known->second;
  GH_RETURN_IF_ERROR(BeforeRead());
  GH_ASSIGN_OR_RETURN(auto groups, tx_->ListGroupsOf(tenant_id_, user_id));
  groups_of_[user_id] = groups;
  return groups;
}

StatusOr<std::vector<store::InvitationRow>> InviteBatch::InvitationsOf(const std::string& user_id) {
  // Rare (a guest who already accepted): not worth keeping.
  GH_RETURN_IF_ERROR(BeforeRead());
  return tx_->Invitations().ListForUser(tenant_id_, user_id);
}

void InviteBatch::InsertUser(const directory::User& u) {
  staged_ = false;
  Remember(u);
  if (created_set_.insert(u.id).second) created_.push_back(u.id);
}

void InviteBatch::UpdateUser(const directory::User& u) {
  staged_ = false;
  Remember(u);
  // A user created in this batch is simply inserted in its latest version.
  if (!created_set_.contains(u.id) && updated_set_.insert(u.id).second) updated_.push_back(u.id);
}

void InviteBatch::SupersedePending(const std::string& user_id) {
  for (store::InvitationRow& held : invitations_)
    if (held.user_id == user_id && held.status == InvitationStatusName(InvitationStatus::kPendingAcceptance))
      held.status = std::string(InvitationStatusName(InvitationStatus::kSuperseded));
  // Invitations in the database: only a user that existed before can have some.
  if (!created_set_.contains(user_id) &&
      std::find(superseded_.begin(), superseded_.end(), user_id) == superseded_.end())
    superseded_.push_back(user_id);
}

void InviteBatch::AddMember(const std::string& group_id, const std::string& user_id) {
  members_.push_back({group_id, user_id, directory::MemberKind::kUser});
  if (auto known = groups_of_.find(user_id); known != groups_of_.end()) known->second.push_back(group_id);
}

void InviteBatch::InsertInvitation(const store::InvitationRow& row) { invitations_.push_back(row); }

void InviteBatch::SendEmail(InvitationEmail email) { emails_.push_back(std::move(email)); }

void InviteBatch::Audit(directory::AuditEntry entry) { audits_.push_back(std::move(entry)); }

Status InviteBatch::Stage() {
  if (!emails_.empty()) {
    if (!mailer_) return FailedPrecondition("Email is not configured on this server.");
    GH_ASSIGN_OR_RETURN(MailWrite write, mailer_(emails_));
    prepared_mail_.push_back(std::move(write));
    emails_.clear();
  }
  if (!staged_) {
    staged_users_.clear();
    staged_users_.reserve(created_.size());
    for (const std::string& id : created_) staged_users_.push_back(users_.at(id));
    staged_ = true;
  }
  return OkStatus();
}

Status InviteBatch::Flush() {
  if (updated_.empty() && superseded_.empty() && created_.empty() && members_.empty() && invitations_.empty() &&
      emails_.empty() && prepared_mail_.empty() && audits_.empty())
    return OkStatus();
  if (mode_ == Mode::kPlanAhead) return BeforeRead();
  // Before the batch opens: past this point only the database fails.
  GH_RETURN_IF_ERROR(Stage());
  // The multi-row writes go out back to back; the database reports on them at EndBatch.
  tx_->BeginBatch();
  for (const std::string& id : updated_) GH_RETURN_IF_ERROR(tx_->UpdateUser(users_.at(id)));
  // Before the new invitations go in, so only older ones are superseded.
  for (const std::string& id : superseded_) GH_RETURN_IF_ERROR(tx_->Invitations().SupersedePending(tenant_id_, id));
  GH_RETURN_IF_ERROR(tx_->InsertUsers(staged_users_));
  for (const directory::Membership& m : members_) GH_RETURN_IF_ERROR(tx_->AddMember(tenant_id_, m));
  GH_RETURN_IF_ERROR(tx_->Invitations().InsertAll(invitations_));
  for (const MailWrite& write : prepared_mail_) GH_RETURN_IF_ERROR(write(*tx_));
  GH_RETURN_IF_ERROR(tx_->InsertAudits(audits_));
  GH_RETURN_IF_ERROR(tx_->EndBatch());
  written_.push_back({std::move(staged_users_), std::move(invitations_), std::move(prepared_mail_), std::move(audits_)});
  staged_users_.clear();
  staged_ = false;
  created_.clear();
  updated_.clear();
  superseded_.clear();
  created_set_.clear();
  updated_set_.clear();
  members_.clear();
  invitations_.clear();
  prepared_mail_.clear();
  audits_.clear();
  return OkStatus();
}

void InviteBatch::Remember(const directory::User& u) {
  if (auto old = users_.find(u.id); old != users_.end()) Unindex(old->second);
  Index(u);
  users_.insert_or_assign(u.id, u);
}

void InviteBatch::Index(const directory::User& u) {
  if (auto ids = ids_by_mail_.find(MailKey(u)); ids != ids_by_mail_.end()) InsertSorted(ids->second, u.id);
  if (auto id = id_by_upn_.find(ToLower(u.user_principal_name)); id != id_by_upn_.end()) id->second = u.id;
}

void InviteBatch::Unindex(const directory::User& u) {
  if (auto ids = ids_by_mail_.find(MailKey(u)); ids != ids_by_mail_.end())
    ids->second.erase(std::remove(ids->second.begin(), ids->second.end(), u.id), ids->second.end());
  if (auto id = id_by_upn_.find(ToLower(u.user_principal_name)); id != id_by_upn_.end() && id->second == u.id)
    id->second.clear();
}

}  // namespace gh::invitations
