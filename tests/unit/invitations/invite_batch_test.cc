// InviteAllIn — the batched path bulk jobs take — against the one-at-a-time
// path: the same outcomes, the same directory afterwards, one failure fails
// the whole batch; and the invitation email stored on a shared rendering is
// delivered exactly as one rendered whole.
#include <gtest/gtest.h>

#include "invitations/invitation_mail.h"
#include "mail/outbox.h"
#include "mail/templates.h"
#include "store/invitations_repository.h"
#include "store/outbox_repository.h"
#include "support/failing_store.h"
#include "support/test_env.h"

namespace gh::invitations {
namespace {

using gh::testing::TestEnv;

Status StatusOf(const Status& s) { return s; }
template <typename T>
Status StatusOf(const StatusOr<T>& s) { return s.status(); }
#define GH_ASSERT_OK(expr)                                           \
  do {                                                               \
    Status gh_st_ = StatusOf(expr);                                  \
    ASSERT_TRUE(gh_st_.ok()) << gh_st_.ToString();                   \
  } while (0)

class InviteBatchTest : public ::testing::Test {
 protected:
  TestEnv env;
  TestEnv::TenantHandle contoso = env.Tenant("Contoso", "contoso.test");
  TestEnv::TenantHandle northwind = env.Tenant("Northwind", "northwind.test");

  Inviter Admin(const TestEnv::TenantHandle& t) {
    Inviter who;
    who.id = t.res.admin.id;
    who.name = "Admin";
    who.directory_roles = {std::string(directory::kGlobalAdministratorRole)};
    return who;
  }

  static InvitationRequest Request(const std::string& email) {
    InvitationRequest req;
    req.email = email;
    req.redirect_url = "https://apps.example/";
    req.send_message = true;
    return req;
  }

  // Requests that meet every path of the rules, including two that touch the
  // same guest and one whose guest UPN another user holds (TakeGuestUpn).
  std::vector<InvitationRequest> Mixed(const std::string& own_domain) {
    return {Request("ann@partner.example"), Request("ANN@partner.example"),   Request("a_b@c.example"),
            Request("dup@partner.example"), Request("not-an-address"),         Request("admin@" + own_domain),
            Request("cy@partner.example"),  Request("cy+tag@partner.example")};
  }

  // A member holding the UPN the guest dup@partner.example would get.
  void TakeGuestUpn(const TestEnv::TenantHandle& t, const std::string& domain) {
    directory::User u;
    u.id = env.random.NewUuid();
    u.tenant_id = t.res.tenant.id;
    u.user_principal_name = "dup_partner.example#EXT#@" + domain;
    u.display_name = "Squatter";
    u.mail = "squatter@" + domain;
    auto tx = env.store->Begin(store::TxMode::kWrite);
    ASSERT_TRUE((*tx)->InsertUser(u).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }

  int64_t Pending(const std::string& tenant_id, const std::string& mail) {
    auto tx = env.store->Begin(store::TxMode::kRead);
    int64_t n = 0;
    auto users = (*tx)->FindUsersByMail(tenant_id, mail);
    for (const auto& u : *users) {
      auto invitations = (*tx)->Invitations().ListForUser(tenant_id, u.id);
      for (const auto& i : *invitations) n += i.status == "PendingAcceptance";
    }
    return n;
  }
  size_t Users(const std::string& tenant_id, const std::string& mail) {
    auto tx = env.store->Begin(store::TxMode::kRead);
    return (*tx)->FindUsersByMail(tenant_id, mail)->size();
  }
};

TEST_F(InviteBatchTest, ABatchHasTheOutcomesOfOneInvitationAfterAnother) {
  TakeGuestUpn(northwind, northwind.res.tenant.initial_domain);
  TakeGuestUpn(contoso, contoso.res.tenant.initial_domain);
  // One at a time, in Northwind.
  std::vector<StatusOr<InvitationResult>> one_by_one;
  for (const InvitationRequest& req : Mixed("northwind.test")) {
    auto tx = env.store->Begin(store::TxMode::kWrite);
    auto scope = InvitationService::OpenScope(**tx, northwind.res.tenant.id);
    one_by_one.push_back(env.invitations->InviteIn(**tx, *scope, Admin(northwind), req));
    GH_ASSERT_OK((*tx)->Commit());
  }
  const size_t emails_one_by_one = env.sent_invitations.size();
  // All at once, in Contoso.
  auto tx = env.store->Begin(store::TxMode::kWrite);
  auto scope = InvitationService::OpenScope(**tx, contoso.res.tenant.id);
  auto batch = env.invitations->InviteAllIn(**tx, *scope, Admin(contoso), Mixed("contoso.test"));
  GH_ASSERT_OK(batch);
  GH_ASSERT_OK((*tx)->Commit());

  ASSERT_EQ(batch->size(), one_by_one.size());
  for (size_t i = 0; i < one_by_one.size(); ++i) {
    SCOPED_TRACE("request " + std::to_string(i));
    ASSERT_EQ((*batch)[i].ok(), one_by_one[i].ok());
    if (!one_by_one[i].ok()) {
      EXPECT_EQ((*batch)[i].status().code(), one_by_one[i].status().code());
      continue;
    }
    EXPECT_EQ((*batch)[i]->created_user, one_by_one[i]->created_user);
    EXPECT_EQ((*batch)[i]->status, one_by_one[i]->status);
    EXPECT_EQ((*batch)[i]->email_queued, one_by_one[i]->email_queued);
  }
  EXPECT_TRUE((*batch)[0]->created_user);
  EXPECT_FALSE((*batch)[1]->created_user);  // the same guest, invited again
  EXPECT_EQ((*batch)[1]->user.id, (*batch)[0]->user.id);
  EXPECT_EQ((*batch)[3].status().code(), Code::kAlreadyExists);  // the guest UPN is taken
  EXPECT_EQ(env.sent_invitations.size(), 2 * emails_one_by_one);
  for (const auto& [tenant, handle] : {std::pair{contoso.res.tenant.id, "contoso"}, {northwind.res.tenant.id, "northwind"}}) {
    SCOPED_TRACE(handle);
    EXPECT_EQ(Users(tenant, "ann@partner.example"), 1u);
    EXPECT_EQ(Pending(tenant, "ann@partner.example"), 1);  // the second invitation replaced the first
    EXPECT_EQ(Pending(tenant, "a_b@c.example"), 1);
    EXPECT_EQ(Users(tenant, "dup@partner.example"), 0u);
    EXPECT_EQ(Pending(tenant, "cy@partner.example"), 1);
  }
}

TEST_F(InviteBatchTest, AnAcceptedGuestInABatchIsCompletedWithoutAnEmail) {
  InvitationRequest req = Request("dora@partner.example");
  auto first = env.invitations->Invite(Admin(contoso), contoso.res.tenant.id, req);
  GH_ASSERT_OK(first);
  {
    auto tx = env.store->Begin(store::TxMode::kWrite);
    directory::User guest = first->user;
    guest.external_user_state = "Accepted";
    GH_ASSERT_OK((*tx)->UpdateUser(guest));
    GH_ASSERT_OK((*tx)->Commit());
  }
  env.sent_invitations.clear();
  auto tx = env.store->Begin(store::TxMode::kWrite);
  auto scope = InvitationService::OpenScope(**tx, contoso.res.tenant.id);
  auto batch = env.invitations->InviteAllIn(**tx, *scope, Admin(contoso), {Request("eve@partner.example"), req});
  GH_ASSERT_OK(batch);
  GH_ASSERT_OK((*tx)->Commit());
  EXPECT_EQ((*batch)[1]->status, InvitationStatus::kCompleted);
  EXPECT_EQ((*batch)[1]->invitation.id, first->invitation.id);
  ASSERT_EQ(env.sent_invitations.size(), 1u);
  EXPECT_EQ(env.sent_invitations[0].to, "eve@partner.example");
}

TEST_F(InviteBatchTest, ADatabaseFailureFailsTheWholeBatch) {
  store::testing::FailingStore failing(*env.store, /*fail_from=*/2);  // the second guest's insert fails
  auto tx = failing.Begin(store::TxMode::kWrite);
  auto scope = InvitationService::OpenScope(**tx, contoso.res.tenant.id);
  auto batch = env.invitations->InviteAllIn(**tx, *scope, Admin(contoso),
                                            {Request("fay@partner.example"), Request("gil@partner.example")});
  EXPECT_EQ(batch.status().code(), Code::kUnavailable);
  EXPECT_FALSE((*tx)->Commit().ok());
  EXPECT_EQ(Users(contoso.res.tenant.id, "fay@partner.example"), 0u);
  EXPECT_EQ(Users(contoso.res.tenant.id, "gil@partner.example"), 0u);
}

// Reads back every invitation mail of the tenant, by recipient.
std::map<std::string, store::OutboxMessage> Outbox(store::Store& store, const std::string& tenant_id) {
  auto tx = store.Begin(store::TxMode::kRead);
  std::map<std::string, store::OutboxMessage> out;
  auto listed = (*tx)->Outbox().List(tenant_id, 100);
  for (auto& m : *listed) out[m.to.at(0)] = m;
  return out;
}

TEST_F(InviteBatchTest, SharedInvitationMailIsTheMailRenderedWhole) {
  mail::Outbox outbox(env.clock, env.random);
  InvitationBatchMailer mailer = OutboxMailer(outbox);
  const std::string tenant = contoso.res.tenant.id;
  auto email = [&](std::string to, std::string language, std::string message) {
    return InvitationEmail{tenant, "Contoso <Sales & Co>", "Ann \"A\" O'Neil", "admin@contoso.test", to, language,
                           message, "https://gh.example/redeem?tenant=t&user=" + to + "&ticket=a<b>&ver=2.0",
                           "invitation:" + to, {}};
  };
  std::vector<InvitationEmail> emails = {
      email("one@partner.example", "", "Hi <b>there</b> & welcome\nto 'us'"),
      email("two@partner.example", "", "Hi <b>there</b> & welcome\nto 'us'"),
      email("three@partner.example", "fr-FR", ""),
      email("four@partner.example", "", std::string("odd \x1e marker")),  // cannot be slotted: rendered whole
  };
  {
    auto tx = env.store->Begin(store::TxMode::kWrite);
    auto write = mailer(emails);
    GH_ASSERT_OK(write);
    GH_ASSERT_OK((*write)(**tx));
    GH_ASSERT_OK((*tx)->Commit());
  }
  auto stored = Outbox(*env.store, tenant);
  ASSERT_EQ(stored.size(), emails.size());
  for (const InvitationEmail& e : emails) {
    SCOPED_TRACE(e.to);
    auto whole = mail::RenderInvitation({e.language.empty() ? "en-US" : e.language, e.tenant_name, e.inviter_name,
                                         e.to, e.custom_message, e.redeem_url, ""});
    GH_ASSERT_OK(whole);
    const store::OutboxMessage& m = stored.at(e.to);
    const mail::RenderedMail content = mail::ContentOf(m);  // as the sender builds it
    EXPECT_EQ(content.subject, whole->subject);
    EXPECT_EQ(content.text, whole->text);
    EXPECT_EQ(content.html, whole->html);
    EXPECT_EQ(m.reply_to, "admin@contoso.test");
    EXPECT_EQ(m.dedupe_key, "invitation:" + e.to);
  }
}

}  // namespace
}  // namespace gh::invitations
