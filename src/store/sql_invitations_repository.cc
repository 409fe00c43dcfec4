#include "store/invitations_repository.h"
#include "store/sql_repositories.h"

namespace gh::store {
namespace {

const Table kInvitations{"invitations",
                         {"id", "tenant_id", "user_id", "email", "redirect_url", "ticket_hash", "status", "inviter_id",
                          "message_json", "send_message", "created_at", "expires_at", "redeemed_at"},
                         1};

sql::Params InvitationParams(const InvitationRow& i) {
  return sql::MakeParams(i.id, i.tenant_id, i.user_id, i.email, i.redirect_url, i.ticket_hash, i.status,
                         i.inviter_id, i.message_json, sql::Bool(i.send_message), sql::Int(i.created_at),
                         sql::Int(i.expires_at), sql::OptInt(i.redeemed_at));
}

InvitationRow From(const sql::Row& r) {
  return {r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4),  r.Text(5),  r.Text(6),
          r.Text(7), r.Text(8), r.Bool(9), r.Int(10), r.Int(11), r.OptInt(12)};
}

class SqlInvitationsRepository final : public InvitationsRepository {
 public:
  explicit SqlInvitationsRepository(SqlTx& tx) : tx_(tx) {}

  Status InsertAll(const std::vector<InvitationRow>& rows) override {
    return Explain(tx_.InsertAll(kInvitations, rows, InvitationParams), Code::kFailedPrecondition,
                   "The invited user or tenant does not exist.", Code::kNotFound);
  }
  StatusOr<InvitationRow> Get(const std::string& tenant_id, const std::string& id) override {
    return tx_.One(kInvitations.Select("WHERE tenant_id = $1 AND id = $2"), {tenant_id, id}, From, "Invitation");
  }
  Status SupersedePending(const std::string& tenant_id, const std::string& user_id) override {
    return tx_
        .Exec("UPDATE invitations SET status = 'Superseded' WHERE tenant_id = $1 AND user_id = $2 "
              "AND status = 'PendingAcceptance'",
              {tenant_id, user_id})
        .status();
  }
  Status MarkRedeemed(const std::string& tenant_id, const std::string& id, int64_t now) override {
    GH_ASSIGN_OR_RETURN(int64_t n, tx_.Exec("UPDATE invitations SET status = 'Completed', redeemed_at = $3 "
                                            "WHERE tenant_id = $1 AND id = $2 AND status = 'PendingAcceptance'",
                                            {tenant_id, id, sql::Int(now)}));
    return n == 1 ? OkStatus() : NotFound("The invitation is no longer pending.");
  }
  StatusOr<std::vector<InvitationRow>> ListForUser(const std::string& tenant_id, const std::string& user_id) override {
    return tx_.Many(kInvitations.Select("WHERE tenant_id = $1 AND user_id = $2 ORDER BY created_at DESC"),
                    {tenant_id, user_id}, From);
  }

 private:
  SqlTx& tx_;
};

}  // namespace

std::unique_ptr<InvitationsRepository> NewSqlInvitationsRepository(SqlTx& tx) {
  return std::make_unique<SqlInvitationsRepository>(tx);
}

}  // namespace gh::store
