#pragma once
// B2B invitations: who may invite whom (authorization policy, collaboration
// domain restrictions, cross-tenant access in both tenants, cloud boundary),
// creating or reusing the guest object, the redemption ticket, and the
// invitation email — all in one transaction — and redemption: checking the
// ticket, the redeemer's identity and the policies again, then binding the
// home identity to the guest and marking it Accepted.
//
// Tickets are 256-bit random values, stored only as SHA-256 digests, single
// use, and expire (90 days by default). A new invitation to the same guest
// supersedes the earlier ticket.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "core/random.h"
#include "core/status.h"
#include "directory/directory_service.h"
#include "directory/model/policies.h"
#include "identity/signin.h"
#include "invitations/invitation.h"
#include "store/invitations_repository.h"
#include "store/store.h"

namespace gh::invitations {

class InviteBatch;  // invite_batch.h

// Who sends the invitation.
struct Inviter {
  std::string id;
  std::string name;
  std::string email;  // reply-to, when known
  bool is_app = false;
  std::vector<std::string> app_permissions;  // apps
  std::vector<std::string> directory_roles;  // users
  std::vector<std::string> scopes;           // users: the delegated scopes they invite through
  directory::UserType user_type = directory::UserType::kMember;
  // The inviter as the directory's rules see it (name and authority).
  directory::Actor Actor() const {
    directory::Actor a{id, is_app ? "app" : "user", name};
    a.app_permissions = app_permissions;
    a.directory_roles = directory_roles;
    a.scopes = scopes;
    return a;
  }
};

struct InvitationRequest {
  std::string email;
  std::string redirect_url;
  std::optional<std::string> display_name;
  directory::UserType user_type = directory::UserType::kGuest;
  bool send_message = false;
  std::string custom_message;
  std::string language;  // messageLanguage; empty = English
  std::vector<std::string> cc;
  bool reset_redemption = false;
  std::string invited_user_id;  // required with reset_redemption
  std::vector<std::string> group_ids;  // Gatehouse extension: add the guest to these groups
};

struct InvitationResult {
  Invitation invitation;
  directory::User user;
  std::string redeem_url;
  InvitationStatus status = InvitationStatus::kPendingAcceptance;  // or kCompleted: already a guest here
  bool created_user = false;
  bool email_queued = false;
};

// Renders and queues the invitation email inside the caller's transaction.
struct InvitationEmail {
  std::string tenant_id, tenant_name, inviter_name, reply_to, to, language, custom_message, redeem_url, dedupe_key;
  std::vector<std::string> cc;
};
using InvitationMailer = std::function<Status(store::Transaction& tx, const InvitationEmail& mail)>;
// The same for the emails of a batch of invitations at once, in two steps:
// the mailer prepares them (rendering: everything that needs no database, so
// a batch planned ahead does it on the planning thread) and returns how to
// write them (one multi-row write). A mailer of single emails is called once
// per email instead, at the write.
using MailWrite = std::function<Status(store::Transaction& tx)>;
using InvitationBatchMailer = std::function<StatusOr<MailWrite>(const std::vector<InvitationEmail>& mails)>;

// What the redemption pages need to show and check.
struct PendingRedemption {
  Invitation invitation;
  directory::User guest;
  directory::Tenant tenant;
};

// A home tenant found by domain (or its absence), its policies, and the ids
// of its users looked up so far by UPN (the invited address; "" = none).
struct HomeTenant {
  std::optional<directory::Tenant> tenant;
  std::optional<directory::Policies> policies;
  std::unordered_map<std::string, std::string> user_ids;
};
using HomeTenants = std::unordered_map<std::string, HomeTenant>;  // by email domain

// What stays the same across the invitations made in one transaction: the
// resource tenant, its policies, and the home tenants looked up so far (a bulk
// job reuses one scope for a whole batch of rows).
struct InviteScope {
  directory::Tenant tenant;
  directory::Policies policies;
  HomeTenants homes;
};

// Invitations planned in a read transaction, to be written later in another
// (InvitationService::PlanAllIn / ApplyPlanned).
struct PlannedInvitations {
  PlannedInvitations();
  PlannedInvitations(PlannedInvitations&&) noexcept;
  PlannedInvitations& operator=(PlannedInvitations&&) noexcept;
  ~PlannedInvitations();

  std::vector<StatusOr<InvitationResult>> results;  // as InviteAllIn's
  std::unique_ptr<InviteBatch> batch;               // the held writes
};

class InvitationService {
 public:
  InvitationService(store::Store& store, directory::DirectoryService& directory, identity::SigninService& signin,
                    const Clock& clock, Random& random, std::string public_base,
                    int64_t ticket_ttl_ms = 90LL * 24 * 3600 * 1000);

  void SetMailer(InvitationMailer mailer);
  void SetMailer(InvitationBatchMailer mailer) { mailer_ = std::move(mailer); }

  // One invitation in its own transaction.
  StatusOr<InvitationResult> Invite(const Inviter& inviter, const std::string& tenant_id,
                                    const InvitationRequest& req);
  // The same, inside the caller's transaction: every check runs before the
  // first write, so a refusal leaves `tx` usable for the next invitation.
  static StatusOr<InviteScope> OpenScope(store::Transaction& tx, const std::string& tenant_id);
  // Whether `inviter` may invite guests at all (authorizationPolicy.allowInvitesFrom, app permissions).
  static Status MayInvite(const InviteScope& scope, const Inviter& inviter);
  StatusOr<InvitationResult> InviteIn(store::Transaction& tx, InviteScope& scope, const Inviter& inviter,
                                      const InvitationRequest& req);
  // Many invitations in the caller's transaction, each through the same
  // rules as InviteIn and with the same outcome as calling it for each in
  // order, but with the reads for the whole batch made up front and the
  // writes applied together (invite_batch.h): a bulk job's chunk of 1,000
  // rows costs ~170 statements instead of ~12,000. The outer error is a database failure (the
  // transaction is then failed); each request's own refusal is in its slot.
  StatusOr<std::vector<StatusOr<InvitationResult>>> InviteAllIn(store::Transaction& tx, InviteScope& scope,
                                                                const Inviter& inviter,
                                                                const std::vector<InvitationRequest>& reqs);
  // InviteAllIn in two steps, so a bulk job can plan its next chunk while the
  // current one is written: the rules run in `read_tx` with the writes held,
  // reading nothing about the guests but their prefetch (any other such read
  // is Unavailable "stale_plan": plan in the writing transaction instead).
  // ApplyPlanned writes the plan in `tx` after re-reading the prefetched
  // guests there — Unavailable "stale_plan", with nothing written, if any of
  // them changed in between. Reads of the tenant, its policies and groups are
  // taken as of the plan.
  StatusOr<PlannedInvitations> PlanAllIn(store::Transaction& read_tx, InviteScope& scope, const Inviter& inviter,
                                         const std::vector<InvitationRequest>& reqs);
  static Status ApplyPlanned(store::Transaction& tx, PlannedInvitations& plan);

  // Checks a redeem link. Errors are for people: FailedPrecondition with a
  // sentence saying what happened (used, expired, replaced, deleted).
  StatusOr<PendingRedemption> Check(const std::string& tenant_id, const std::string& invitation_id,
                                    const std::string& ticket);
  // The signed-in identity accepts: its email must match the invited address,
  // and the policies must still allow it. Returns where to send the browser.
  StatusOr<std::string> Redeem(const std::string& tenant_id, const std::string& invitation_id,
                               const std::string& ticket, const identity::Session& session);
  // The address the session's identity signs in with (for matching and display).
  StatusOr<std::string> SessionEmail(const identity::Session& session);

  // The cross-tenant, domain and cloud rules for an external address (pure
  // inputs gathered in `tx`); `rule` names the first refusal.
  StatusOr<directory::RuleResult> ExternalRules(store::Transaction& tx, const directory::Tenant& resource,
                                                const directory::Policies& policies, const std::string& email);
  StatusOr<directory::RuleResult> ExternalRules(store::Transaction& tx, const directory::Tenant& resource,
                                                const directory::Policies& policies, const std::string& email,
                                                HomeTenants& homes);

 private:
  // The look-ups the rules will make for `reqs`, one query per kind and
  // block of addresses.
  Status Prefetch(InviteBatch& batch, InviteScope& scope, const std::vector<InvitationRequest>& reqs);
  // Prefetch, then every request's rules in order, writes held in `batch`.
  StatusOr<std::vector<StatusOr<InvitationResult>>> PlanAll(InviteBatch& batch, InviteScope& scope,
                                                            const Inviter& inviter,
                                                            const std::vector<InvitationRequest>& reqs);
  // One invitation's rules, reading through and writing to `batch`: every
  // check runs before the first write, so a refusal writes nothing.
  StatusOr<InvitationResult> Plan(InviteBatch& batch, InviteScope& scope, const Inviter& inviter,
                                  const InvitationRequest& req);
  StatusOr<std::optional<directory::User>> FindGuest(InviteBatch& batch, const std::string& tenant_id,
                                                     const InvitationRequest& req, const std::string& email_lower);
  directory::User NewGuest(const directory::Tenant& tenant, const InvitationRequest& req,
                           const std::string& email_lower, int64_t now);
  store::InvitationRow NewInvitation(const std::string& tenant_id, const std::string& user_id,
                                     const Inviter& inviter, const InvitationRequest& req,
                                     const std::string& ticket, int64_t now);
  std::string RedeemUrl(const std::string& tenant_id, const std::string& invitation_id,
                        const std::string& ticket) const;

  store::Store& store_;
  directory::DirectoryService& directory_;
  identity::SigninService& signin_;
  const Clock& clock_;
  Random& random_;
  std::string public_base_;
  int64_t ticket_ttl_ms_;
  InvitationBatchMailer mailer_;
};

// A redirect URL an invitation may send the guest to: absolute http(s), no
// credentials, no control characters; http only for loopback hosts.
Status ValidateRedirectUrl(const std::string& url);

// True for the codes the invitation rules refuse with (InvalidArgument,
// NotFound, PermissionDenied, AlreadyExists, FailedPrecondition): the request
// was wrong or not allowed. Any other error is the database's.
bool IsRefusal(const Status& s);

}  // namespace gh::invitations
