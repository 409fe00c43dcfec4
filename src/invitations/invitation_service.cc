#include "invitations/invitation_service.h"

#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>
#include <map>

#include "core/encoding.h"
#include "core/strings.h"
#include "directory/policy_service.h"
#include "directory/model/privileges.h"
#include "directory/model/validation.h"
#include "invitations/invite_batch.h"

namespace gh::invitations {
namespace json = boost::json;
using directory::RuleResult;
using directory::User;
using directory::UserType;

namespace {

// The store's invitation row as the domain shows it (no ticket hash, no
// stored message). Only this service writes the status column.
Invitation InvitationFrom(const store::InvitationRow& row) {
  return {row.id,
          row.tenant_id,
          row.user_id,
          row.email,
          row.redirect_url,
          ParseInvitationStatus(row.status).value_or(InvitationStatus::kSuperseded),
          row.inviter_id,
          row.send_message,
          row.created_at,
          row.expires_at,
          row.redeemed_at};
}

bool Has(const std::vector<std::string>& v, std::string_view x) { return std::find(v.begin(), v.end(), x) != v.end(); }

Status Refused(const RuleResult& r) {
  // Graph reports who may invite as 403 Authorization_RequestDenied and the
  // other policies (domains, cross-tenant) as 400 Request_BadRequest (the API's
  // errors.cc pairs the reason with the status); the message names the rule
  // so an admin knows which setting to change.
  std::string msg = r.message + " (rule: " + r.rule + ")";
  if (r.rule.starts_with("crossTenant"))
    msg = "This invitation is blocked by cross-tenant access settings. Admins in both your organization and the "
          "invited user's organization must configure cross-tenant access settings to allow the invitation. " +
          msg;
  return PermissionDenied(msg, r.rule.starts_with("authorizationPolicy") || r.rule.starts_with("permission")
                                   ? "Authorization_RequestDenied"
                                   : "Request_BadRequest");
}

std::string GuestUpn(const std::string& email, const std::string& initial_domain) {
  std::string local = ToLower(email);
  std::replace(local.begin(), local.end(), '@', '_');
  return local + "#EXT#@" + initial_domain;
}

std::string Nickname(const std::string& email) {
  std::string nick;
  for (char c : email.substr(0, email.find('@')))
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-') nick += c;
  return nick.empty() ? "guest" : nick.substr(0, 64);
}

}  // namespace

Status ValidateRedirectUrl(const std::string& url) {
  auto bad = [&](const std::string& why) {
    return InvalidArgument("Property 'inviteRedirectUrl' is not valid: " + why + ".", "Request_BadRequest");
  };
  if (url.empty()) return bad("it is required");
  if (url.size() > 2048) return bad("it is longer than 2048 characters");
  for (char c : url)
    if (static_cast<unsigned char>(c) < 0x21 || c == 0x7f || c == '\\') return bad("it contains a space, a backslash or a control character");
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) return bad("it must be an absolute URL such as https://myapps.microsoft.com");
  std::string scheme = ToLower(std::string(parsed->scheme()));
  std::string host = ToLower(std::string(parsed->encoded_host()));
  if (parsed->has_userinfo()) return bad("it may not contain a user name or password");
  if (host.empty()) return bad("it must name a host");
  bool loopback = host == "localhost" || host == "127.0.0.1" || host == "[::1]";
  if (scheme != "https" && !(scheme == "http" && loopback)) return bad("it must use https");
  return OkStatus();
}

InvitationService::InvitationService(store::Store& store, directory::DirectoryService& directory,
                                     identity::SigninService& signin, const Clock& clock, Random& random,
                                     std::string public_base, int64_t ticket_ttl_ms)
    : store_(store),
      directory_(directory),
      signin_(signin),
      clock_(clock),
      random_(random),
      public_base_(std::move(public_base)),
      ticket_ttl_ms_(ticket_ttl_ms) {}

std::string InvitationService::RedeemUrl(const std::string& tenant_id, const std::string& invitation_id,
                                         const std::string& ticket) const {
  return public_base_ + "/redeem?tenant=" + tenant_id + "&user=" + invitation_id + "&ticket=" + ticket + "&ver=2.0";
}

void InvitationService::SetMailer(InvitationMailer mailer) {
  if (!mailer) {
    mailer_ = nullptr;
    return;
  }
  mailer_ = [one = std::move(mailer)](const std::vector<InvitationEmail>& mails) -> StatusOr<MailWrite> {
    return MailWrite([one, mails](store::Transaction& tx) -> Status {
      for (const InvitationEmail& m : mails) GH_RETURN_IF_ERROR(one(tx, m));
      return OkStatus();
    });
  };
}

StatusOr<RuleResult> InvitationService::ExternalRules(store::Transaction& tx, const directory::Tenant& resource,
                                                      const directory::Policies& policies, const std::string& email) {
  HomeTenants homes;
  return ExternalRules(tx, resource, policies, email, homes);
}

namespace {

// The tenant (if any) a domain belongs to, with its policies.
StatusOr<HomeTenant> LoadHome(store::Transaction& tx, std::optional<directory::Tenant> tenant) {
  HomeTenant h;
  if (tenant) {
    GH_ASSIGN_OR_RETURN(h.policies, directory::PolicyService::GetIn(tx, tenant->id));
    h.tenant = std::move(tenant);
  }
  return h;
}

StatusOr<HomeTenant> LoadHome(store::Transaction& tx, const std::string& domain) {
  auto t = tx.FindTenantByDomain(domain);
  if (!t.ok() && t.status().code() != Code::kNotFound) return t.status();
  return LoadHome(tx, t.ok() ? std::optional<directory::Tenant>(*t) : std::nullopt);
}

// The id of the home tenant's user signing in as `email` ("" = none).
StatusOr<std::string> HomeUserId(store::Transaction& tx, HomeTenant& home, const std::string& email) {
  if (auto known = home.user_ids.find(email); known != home.user_ids.end()) return known->second;
  auto u = tx.FindUserByUpn(home.tenant->id, email);
  if (!u.ok() && u.status().code() != Code::kNotFound) return u.status();
  return home.user_ids[email] = u.ok() ? u->id : "";
}

}  // namespace

// Reads only tenants, policies and home tenants' members, which a batch of
// invitations never writes, so it may query `tx` while a batch holds writes.
StatusOr<RuleResult> InvitationService::ExternalRules(store::Transaction& tx, const directory::Tenant& resource,
                                                      const directory::Policies& policies, const std::string& email,
                                                      HomeTenants& homes) {
  std::string domain = directory::DomainOf(email);
  RuleResult r = directory::DomainAllowed(policies.domains, domain);
  if (!r.allowed) return r;
  auto known = homes.find(domain);
  if (known == homes.end()) {
    GH_ASSIGN_OR_RETURN(HomeTenant h, LoadHome(tx, domain));
    known = homes.emplace(domain, std::move(h)).first;
  }
  const std::optional<directory::Tenant>& home = known->second.tenant;
  const std::optional<directory::Policies>& home_policies = known->second.policies;
  std::string home_id, home_user;
  std::vector<std::string> home_groups;
  if (home) {
    home_id = home->id;
    GH_ASSIGN_OR_RETURN(home_user, HomeUserId(tx, known->second, email));
    if (!home_user.empty()) {
      GH_ASSIGN_OR_RETURN(home_groups, tx.ListTransitiveGroupsOf(home->id, home_user));
    }
  }
  r = directory::B2BAllows(policies.cross_tenant.Inbound(home_id), "inbound", home_user, home_groups, "");
  if (!r.allowed) return r;
  if (home && home->id != wire::kConsumersTenantId) {
    r = directory::B2BAllows(home_policies->cross_tenant.Outbound(resource.id), "outbound", home_user, home_groups, "");
    if (!r.allowed) return r;
    r = directory::CrossCloudAllowed(resource, policies.cross_tenant, *home, &home_policies->cross_tenant);
    if (!r.allowed) return r;
  }
  return RuleResult{};
}

StatusOr<InviteScope> InvitationService::OpenScope(store::Transaction& tx, const std::string& tenant_id) {
  InviteScope scope;
  GH_ASSIGN_OR_RETURN(scope.tenant, tx.GetTenant(tenant_id));
  GH_ASSIGN_OR_RETURN(scope.policies, directory::PolicyService::GetIn(tx, tenant_id));
  return scope;
}

Status InvitationService::MayInvite(const InviteScope& scope, const Inviter& inviter) {
  // Entra: "App-only permission does not work if invitations are restricted
  // to admins": an app invites only when members (or everyone) may.
  const auto from = scope.policies.authorization.allow_invites_from;
  if (inviter.is_app && from != directory::AllowInvitesFrom::kEveryone &&
      from != directory::AllowInvitesFrom::kAdminsGuestInvitersAndAllMembers &&
      from != directory::AllowInvitesFrom::kNone)  // kNone: the policy's own refusal below says so
    return Refused({false, "authorizationPolicy.allowInvitesFrom",
                    "Applications can't invite guests while invitations are limited to administrators and Guest "
                    "Inviters (authorizationPolicy.allowInvitesFrom is '" +
                        std::string(directory::AllowInvitesFromName(from)) +
                        "'). Sign in as an administrator to invite, or allow members to invite "
                        "(adminsGuestInvitersAndAllMembers)."});
  RuleResult may = directory::MayInvite(scope.policies.authorization,
                                        {inviter.is_app,
                                         Has(inviter.app_permissions, "User.Invite.All") ||
                                             Has(inviter.app_permissions, "User.ReadWrite.All") ||
                                             Has(inviter.app_permissions, "Directory.ReadWrite.All"),
                                         inviter.directory_roles, inviter.user_type});
  return may.allowed ? OkStatus() : Refused(may);
}

StatusOr<InvitationResult> InvitationService::Invite(const Inviter& inviter, const std::string& tenant_id,
                                                     const InvitationRequest& req) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  GH_ASSIGN_OR_RETURN(auto scope, OpenScope(*tx, tenant_id));
  GH_ASSIGN_OR_RETURN(auto out, InviteIn(*tx, scope, inviter, req));
  GH_RETURN_IF_ERROR(tx->Commit());
  return out;
}

StatusOr<InvitationResult> InvitationService::InviteIn(store::Transaction& tx, InviteScope& scope,
                                                       const Inviter& inviter, const InvitationRequest& req) {
  GH_ASSIGN_OR_RETURN(auto results, InviteAllIn(tx, scope, inviter, {req}));
  return std::move(results.front());
}

StatusOr<std::vector<StatusOr<InvitationResult>>> InvitationService::InviteAllIn(
    store::Transaction& tx, InviteScope& scope, const Inviter& inviter, const std::vector<InvitationRequest>& reqs) {
  InviteBatch batch(tx, scope.tenant.id, mailer_);
  GH_ASSIGN_OR_RETURN(auto results, PlanAll(batch, scope, inviter, reqs));
  GH_RETURN_IF_ERROR(batch.Flush());
  return results;
}

PlannedInvitations::PlannedInvitations() = default;
PlannedInvitations::PlannedInvitations(PlannedInvitations&&) noexcept = default;
PlannedInvitations& PlannedInvitations::operator=(PlannedInvitations&&) noexcept = default;
PlannedInvitations::~PlannedInvitations() = default;

StatusOr<PlannedInvitations> InvitationService::PlanAllIn(store::Transaction& read_tx, InviteScope& scope,
                                                          const Inviter& inviter,
                                                          const std::vector<InvitationRequest>& reqs) {
  PlannedInvitations plan;
  plan.batch = std::make_unique<InviteBatch>(read_tx, scope.tenant.id, mailer_, InviteBatch::Mode::kPlanAhead);
  GH_ASSIGN_OR_RETURN(plan.results, PlanAll(*plan.batch, scope, inviter, reqs));
  GH_RETURN_IF_ERROR(plan.batch->Stage());
  return plan;
}

Status InvitationService::ApplyPlanned(store::Transaction& tx, PlannedInvitations& plan) {
  GH_RETURN_IF_ERROR(plan.batch->Rebase(tx));
  return plan.batch->Flush();
}

StatusOr<std::vector<StatusOr<InvitationResult>>> InvitationService::PlanAll(
    InviteBatch& batch, InviteScope& scope, const Inviter& inviter, const std::vector<InvitationRequest>& reqs) {
  GH_RETURN_IF_ERROR(Prefetch(batch, scope, reqs));
  std::vector<StatusOr<InvitationResult>> results;
  results.reserve(reqs.size());
  for (const InvitationRequest& req : reqs) {
    auto result = Plan(batch, scope, inviter, req);
    // The rules refuse with these codes; anything else is the database (or a
    // plan ahead that must be made again).
    if (!result.ok() && !IsRefusal(result.status())) return result.status();
    results.push_back(std::move(result));
  }
  return results;
}

Status InvitationService::Prefetch(InviteBatch& batch, InviteScope& scope, const std::vector<InvitationRequest>& reqs) {
  std::vector<std::string> mails, upns;
  std::map<std::string, std::vector<std::string>> mails_by_domain;
  for (const InvitationRequest& req : reqs) {
    const std::string email = ToLower(req.email);
    mails.push_back(email);
    upns.push_back(ToLower(GuestUpn(email, scope.tenant.initial_domain)));
    mails_by_domain[directory::DomainOf(email)].push_back(email);
  }
  GH_RETURN_IF_ERROR(batch.Prefetch(mails, upns));

  // Home tenants: one query for the domains not seen yet, then, per home
  // tenant, one for its users signing in with the invited addresses.
  std::vector<std::string> new_domains;
  for (const auto& [domain, _] : mails_by_domain)
    if (!scope.homes.contains(domain)) new_domains.push_back(domain);
  GH_ASSIGN_OR_RETURN(auto tenants, batch.tx().FindTenantsByDomains(new_domains));
  for (const std::string& domain : new_domains) {
    auto t = tenants.find(domain);
    GH_ASSIGN_OR_RETURN(HomeTenant h, LoadHome(batch.tx(), t == tenants.end() ? std::nullopt
                                                                              : std::optional(t->second)));
    scope.homes.emplace(domain, std::move(h));
  }
  for (const auto& [domain, emails] : mails_by_domain) {
    HomeTenant& home = scope.homes.at(domain);
    if (!home.tenant) continue;
    GH_ASSIGN_OR_RETURN(auto users, batch.tx().FindUsersByUpns(home.tenant->id, emails));
    for (const std::string& e : emails) home.user_ids.try_emplace(e, "");
    for (const directory::User& u : users) home.user_ids[ToLower(u.user_principal_name)] = u.id;
  }
  return OkStatus();
}

namespace {

// The checks that need nothing but the request and who sends it.
Status ValidateRequest(const Inviter& inviter, const InvitationRequest& req) {
  GH_RETURN_IF_ERROR(directory::ValidateEmail("invitedUserEmailAddress", req.email));
  GH_RETURN_IF_ERROR(ValidateRedirectUrl(req.redirect_url));
  if (req.email.find('+') != std::string::npos)
    return InvalidArgument("Property 'invitedUserEmailAddress' is not valid: plus addressing is not supported.",
                           "Request_BadRequest");
  if (req.display_name) GH_RETURN_IF_ERROR(directory::ValidateLength("invitedUserDisplayName", *req.display_name, 256, false));
  if (req.cc.size() > 1)
    return InvalidArgument("Only one additional recipient is supported in ccRecipients.", "Request_BadRequest");
  for (const auto& c : req.cc) GH_RETURN_IF_ERROR(directory::ValidateEmail("ccRecipients", c));
  if (req.custom_message.size() > 10'000)
    return InvalidArgument("The customized message body is longer than 10,000 characters.", "Request_BadRequest");
  if (req.reset_redemption && req.invited_user_id.empty())
    return InvalidArgument("invitedUser.id is required when resetRedemption is true.", "Request_BadRequest");
  if (req.user_type == UserType::kMember && !inviter.is_app &&
      !Has(inviter.directory_roles, directory::kGlobalAdministratorRole))
    return PermissionDenied("Only a Global Administrator can invite users as members.", "Authorization_RequestDenied");
  return OkStatus();
}

// The ids of the groups the guest is to join: each must exist, and the
// inviter must have the right to write its members (an invitation is no back
// door into a group, least of all one that holds directory roles).
StatusOr<std::vector<std::string>> ResolveGroups(store::Transaction& tx, const std::string& tenant_id,
                                                 const Inviter& inviter, const std::vector<std::string>& names) {
  std::vector<std::string> ids;
  if (names.empty()) return ids;
  const directory::Actor actor = inviter.Actor();
  for (const auto& g : names) {
    auto group = tx.GetGroup(tenant_id, ToLower(g));
    if (!group.ok()) return NotFound("The group '" + g + "' does not exist in this directory.", "Request_ResourceNotFound");
    GH_RETURN_IF_ERROR(directory::MayWriteMembers(actor, *group));
    ids.push_back(group->id);
  }
  return ids;
}

// An existing guest invited again: pending once more (and, for a reset, bound
// to the new address and no longer to the old home identity).
void Reinvite(User& user, const InvitationRequest& req, const std::string& email_lower, int64_t now) {
  if (req.reset_redemption) {
    // Keeps the object, its groups and assignments; the next redemption binds
    // anew, and every sign-in of the old identity ends.
    user.sessions_valid_from = now;
    if (user.mail && ToLower(*user.mail) != email_lower && !Has(user.other_mails, *user.mail))
      user.other_mails.push_back(*user.mail);
    user.mail = req.email;
    user.identities.erase(std::remove_if(user.identities.begin(), user.identities.end(),
                                         [](const directory::Identity& i) { return i.sign_in_type == "federated"; }),
                          user.identities.end());
  }
  user.external_user_state = "PendingAcceptance";
  user.external_user_state_changed_at = now;
  user.updated_at = now;
}

}  // namespace

bool IsRefusal(const Status& s) {
  switch (s.code()) {
    case Code::kInvalidArgument:
    case Code::kNotFound:
    case Code::kPermissionDenied:
    case Code::kAlreadyExists:
    case Code::kFailedPrecondition: return true;
    default: return false;
  }
}

// Find the guest: by id for a reset, else by the invited address.
StatusOr<std::optional<User>> InvitationService::FindGuest(InviteBatch& batch, const std::string& tenant_id,
                                                           const InvitationRequest& req,
                                                           const std::string& email_lower) {
  std::optional<User> existing;
  if (req.reset_redemption) {
    auto u = batch.GetUser(ToLower(req.invited_user_id));
    if (!u.ok() && u.status().code() != Code::kNotFound) return u.status();
    if (!u.ok()) return NotFound("The invited user '" + req.invited_user_id + "' does not exist.", "Request_ResourceNotFound");
    return std::optional<User>(*u);
  }
  GH_ASSIGN_OR_RETURN(auto same_mail, batch.UsersWithMail(email_lower));
  for (auto& u : same_mail) {
    if (u.user_type == UserType::kMember && u.creation_type.value_or("") != "Invitation")
      return AlreadyExists("The invited user already exists in the directory as objectID: " + u.id +
                               ". They can use that account to sign in to shared apps and resources.",
                           "Request_BadRequest");
    existing = u;
  }
  return existing;
}

User InvitationService::NewGuest(const directory::Tenant& tenant, const InvitationRequest& req,
                                 const std::string& email_lower, int64_t now) {
  User user;
  user.id = random_.NewOrderedUuid(now);
  user.tenant_id = tenant.id;
  user.user_principal_name = GuestUpn(email_lower, tenant.initial_domain);
  user.display_name = req.display_name.value_or(req.email.substr(0, req.email.find('@')));
  user.mail = req.email;
  user.mail_nickname = Nickname(email_lower);
  user.user_type = req.user_type;
  user.creation_type = "Invitation";
  user.external_user_state = "PendingAcceptance";
  user.external_user_state_changed_at = now;
  user.identities = {{"userPrincipalName", tenant.initial_domain, user.user_principal_name}};
  user.created_at = user.updated_at = now;
  return user;
}

store::InvitationRow InvitationService::NewInvitation(const std::string& tenant_id, const std::string& user_id,
                                                      const Inviter& inviter, const InvitationRequest& req,
                                                      const std::string& ticket, int64_t now) {
  store::InvitationRow row;
  row.id = random_.NewOrderedUuid(now);
  row.tenant_id = tenant_id;
  row.user_id = user_id;
  row.email = req.email;
  row.redirect_url = req.redirect_url;
  row.ticket_hash = Sha256Hex(ticket);
  row.status = std::string(InvitationStatusName(InvitationStatus::kPendingAcceptance));
  row.inviter_id = inviter.id;
  json::array cc;
  for (const auto& c : req.cc) cc.push_back(json::object{{"emailAddress", json::object{{"address", c}}}});
  row.message_json = json::serialize(json::object{{"customizedMessageBody", req.custom_message},
                                                  {"messageLanguage", req.language},
                                                  {"ccRecipients", cc}});
  row.send_message = req.send_message;
  row.created_at = now;
  row.expires_at = now + ticket_ttl_ms_;
  return row;
}

StatusOr<InvitationResult> InvitationService::Plan(InviteBatch& batch, InviteScope& scope, const Inviter& inviter,
                                                   const InvitationRequest& req) {
  GH_RETURN_IF_ERROR(ValidateRequest(inviter, req));
  const int64_t now = clock_.NowMillis();
  const std::string email_lower = ToLower(req.email);
  const directory::Tenant& tenant = scope.tenant;
  const std::string& tenant_id = tenant.id;
  InvitationResult out;
  // A user resetting a redemption is judged by the reset's own rule below
  // (Helpdesk Administrators may reset, though they may not invite).
  if (!req.reset_redemption || inviter.is_app) GH_RETURN_IF_ERROR(MayInvite(scope, inviter));
  if (Has(tenant.verified_domains, directory::DomainOf(email_lower)))
    return InvalidArgument("This user cannot be invited because the domain of the user's email address is a verified "
                           "domain of this directory.", "Request_BadRequest");
  GH_ASSIGN_OR_RETURN(RuleResult rules, ExternalRules(batch.tx(), tenant, scope.policies, email_lower, scope.homes));
  if (!rules.allowed) return Refused(rules);
  if (req.send_message && !mailer_) return FailedPrecondition("Email is not configured on this server.");
  GH_ASSIGN_OR_RETURN(std::vector<std::string> group_ids, ResolveGroups(batch.tx(), tenant_id, inviter, req.group_ids));
  GH_ASSIGN_OR_RETURN(std::optional<User> existing, FindGuest(batch, tenant_id, req, email_lower));
  // Only a reset's own link is withheld: it signs in as an existing user.
  bool hand_back_link = true;
  if (req.reset_redemption) {
    GH_ASSIGN_OR_RETURN(auto target_roles, directory::DirectoryService::RolesIn(batch.tx(), tenant_id, existing->id));
    const directory::Actor actor = inviter.Actor();
    GH_RETURN_IF_ERROR(directory::MayResetRedemption(actor, *existing, target_roles, req.email));
    hand_back_link = directory::MaySeeResetLink(actor);
    if (!hand_back_link && !req.send_message)
      return InvalidArgument("A redemption reset's link goes only to the user's own address: set "
                             "sendInvitationMessage to true (only a Global Administrator gets the link back).",
                             "Request_BadRequest");
  }

  User user;
  if (existing) {
    user = *existing;
    if (!req.reset_redemption && user.external_user_state.value_or("") == "Accepted") {
      // Already a guest here: nothing to redeem, no email.
      out.user = user;
      out.status = InvitationStatus::kCompleted;
      out.redeem_url = req.redirect_url;
      GH_ASSIGN_OR_RETURN(auto invs, batch.InvitationsOf(user.id));
      if (!invs.empty()) out.invitation = InvitationFrom(invs.front());
      return out;
    }
  } else {
    user = NewGuest(tenant, req, email_lower, now);
    GH_RETURN_IF_ERROR(directory::ValidateUserPrincipalName(user.user_principal_name));
    GH_ASSIGN_OR_RETURN(auto same_upn, batch.UserWithUpn(ToLower(user.user_principal_name)));
    if (same_upn)
      return AlreadyExists("Another user already has the guest user principal name '" + user.user_principal_name +
                               "'.", "Request_BadRequest");
  }
  std::vector<std::string> current_groups;
  if (existing && !group_ids.empty()) {
    GH_ASSIGN_OR_RETURN(current_groups, batch.GroupsOf(user.id));
  }

  // Every check has passed: from here on only writes, all held in `batch`.
  if (existing) {
    Reinvite(user, req, email_lower, now);
    batch.UpdateUser(user);
    batch.SupersedePending(user.id);
  } else {
    batch.InsertUser(user);
    out.created_user = true;
  }
  for (const auto& g : group_ids)
    if (!Has(current_groups, g)) batch.AddMember(g, user.id);

  const std::string ticket = random_.Token(32);
  store::InvitationRow row = NewInvitation(tenant_id, user.id, inviter, req, ticket, now);
  batch.InsertInvitation(row);
  const std::string redeem_url = RedeemUrl(tenant_id, row.id, ticket);
  if (hand_back_link) out.redeem_url = redeem_url;
  if (req.send_message) {
    batch.SendEmail({tenant_id, tenant.name, inviter.name, inviter.email, req.email, req.language,
                     req.custom_message, redeem_url, "invitation:" + row.id, req.cc});
    out.email_queued = true;
  }

  // One entry per invitation, whether it created the guest or not (the
  // details say which): its target is the guest, its actor the inviter.
  const std::string details = json::serialize(json::object{{"invitedUserEmailAddress", req.email},
                                                           {"guestCreated", out.created_user},
                                                           {"resetRedemption", req.reset_redemption},
                                                           {"sendInvitationMessage", req.send_message}});
  batch.Audit(directory::MakeAuditEntry(
      random_, clock_, inviter.Actor(), tenant_id, "UserManagement",
      req.reset_redemption ? "Reset redemption of external user" : "Invite external user", "User", user.id,
      user.user_principal_name, details));
  out.invitation = InvitationFrom(row);
  out.user = std::move(user);
  out.status = InvitationStatus::kPendingAcceptance;
  return out;
}

StatusOr<PendingRedemption> InvitationService::Check(const std::string& tenant_id, const std::string& invitation_id,
                                                     const std::string& ticket) {
  const Status unknown = FailedPrecondition(
      "This invitation link isn't valid. Check that you opened the whole link from the invitation email, or ask the "
      "person who invited you to send a new invitation.", "invalid_ticket");
  if (!IsUuid(tenant_id) || !IsUuid(invitation_id) || ticket.empty()) return unknown;
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  auto inv = tx->Invitations().Get(ToLower(tenant_id), ToLower(invitation_id));
  if (!inv.ok()) return inv.status().code() == Code::kNotFound ? unknown : inv.status();
  if (!ConstantTimeEquals(Sha256Hex(ticket), inv->ticket_hash)) return unknown;
  const auto status = ParseInvitationStatus(inv->status);
  if (!status) return Internal("Invitation " + inv->id + " has an unknown status '" + inv->status + "'.");
  if (*status == InvitationStatus::kCompleted)
    return FailedPrecondition("This invitation has already been accepted. Sign in to the organization's apps "
                              "directly with your account.", "already_redeemed");
  if (*status == InvitationStatus::kSuperseded)
    return FailedPrecondition("This invitation link was replaced by a newer invitation. Use the link in the most "
                              "recent invitation email.", "superseded");
  if (inv->expires_at <= clock_.NowMillis())
    return FailedPrecondition("This invitation has expired. Ask the person who invited you to send a new one.",
                              "expired");
  auto guest = tx->GetUser(inv->tenant_id, inv->user_id);
  if (!guest.ok())
    return FailedPrecondition("The account this invitation was for no longer exists in the organization.",
                              "user_deleted");
  GH_ASSIGN_OR_RETURN(auto tenant, tx->GetTenant(inv->tenant_id));
  return PendingRedemption{InvitationFrom(*inv), *guest, tenant};
}

StatusOr<std::string> InvitationService::SessionEmail(const identity::Session& session) {
  GH_ASSIGN_OR_RETURN(auto u, directory_.GetUser(session.home_tenant_id, session.user_id));
  if (session.auth_method == "otp") return ToLower(u.mail.value_or(""));
  return ToLower(u.user_principal_name);
}

StatusOr<std::string> InvitationService::Redeem(const std::string& tenant_id, const std::string& invitation_id,
                                                const std::string& ticket, const identity::Session& session) {
  GH_ASSIGN_OR_RETURN(PendingRedemption p, Check(tenant_id, invitation_id, ticket));
  GH_ASSIGN_OR_RETURN(std::string email, SessionEmail(session));
  GH_ASSIGN_OR_RETURN(auto home_user, directory_.GetUser(session.home_tenant_id, session.user_id));
  // The sign-in name proves the address (its domain is verified by the home
  // tenant); the home account's mail attribute is anyone's to edit there.
  bool matches = email == ToLower(p.invitation.email);
  if (!matches)
    return PermissionDenied("You're signed in as " + email + ", but this invitation was sent to " +
                                p.invitation.email + ". Sign out and sign in with the invited address.",
                            "email_mismatch");
  if (session.auth_method == "otp" && session.user_id != p.guest.id)
    return PermissionDenied("This one-time passcode sign-in belongs to another invitation.", "email_mismatch");
  const int64_t now = clock_.NowMillis();
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  GH_ASSIGN_OR_RETURN(auto policies, directory::PolicyService::GetIn(*tx, p.tenant.id));
  // Policies are checked again: they may have changed since the invitation.
  GH_ASSIGN_OR_RETURN(RuleResult rules, ExternalRules(*tx, p.tenant, policies, p.invitation.email));
  if (!rules.allowed) return Refused(rules);
  Status redeemed = tx->Invitations().MarkRedeemed(p.tenant.id, p.invitation.id, now);
  if (redeemed.code() == Code::kNotFound)
    return FailedPrecondition("This invitation has already been accepted.", "already_redeemed");
  GH_RETURN_IF_ERROR(redeemed);
  User guest = p.guest;
  guest.external_user_state = "Accepted";
  guest.external_user_state_changed_at = now;
  guest.updated_at = now;
  std::string idp = signin_.IdpOf(session);
  std::string assigned = session.auth_method == "otp" ? email : home_user.id;
  guest.identities.erase(std::remove_if(guest.identities.begin(), guest.identities.end(),
                                        [](const directory::Identity& i) { return i.sign_in_type == "federated"; }),
                         guest.identities.end());
  guest.identities.push_back({"federated", idp, assigned});
  GH_RETURN_IF_ERROR(tx->UpdateUser(guest));
  GH_RETURN_IF_ERROR(tx->InsertAudit(directory::MakeAuditEntry(
      random_, clock_, {guest.id, "user", email}, p.tenant.id, "UserManagement", "Redeem external user invite", "User",
      guest.id, guest.user_principal_name, json::serialize(json::object{{"identityProvider", idp}}))));
  GH_RETURN_IF_ERROR(tx->Commit());
  return p.invitation.redirect_url;
}

}  // namespace gh::invitations
