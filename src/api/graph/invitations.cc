// POST /v1.0/invitations, as Graph has it (plus Gatehouse's "groupIds").
#include "api/graph/collection.h"
#include "api/graph/routes.h"
#include "api/handler_util.h"
#include "api/inviter.h"
#include "wire/json_reader.h"
#include "api/permissions.h"

namespace gh::api::graph {
namespace {
namespace json = boost::json;

StatusOr<invitations::InvitationRequest> ParseInvitation(const json::object& body) {
  wire::FieldReader r(body, "microsoft.graph.invitation");
  r.ReadOnly({"id", "inviteRedeemUrl", "status"});
  r.Ignore({"@odata.type", "invitedUserSponsors"});
  invitations::InvitationRequest req;
  auto email = r.String("invitedUserEmailAddress");
  auto redirect = r.String("inviteRedirectUrl");
  req.display_name = r.String("invitedUserDisplayName");
  auto type = r.String("invitedUserType");
  req.send_message = r.Bool("sendInvitationMessage").value_or(false);
  req.reset_redemption = r.Bool("resetRedemption").value_or(false);
  if (auto groups = r.StringArray("groupIds")) req.group_ids = *groups;
  if (const json::object* info = r.Object("invitedUserMessageInfo")) {
    wire::FieldReader m(*info, "microsoft.graph.invitedUserMessageInfo");
    if (auto body_text = m.NullableString("customizedMessageBody"); body_text && *body_text) req.custom_message = **body_text;
    if (auto lang = m.NullableString("messageLanguage"); lang && *lang) req.language = **lang;
    if (const auto* cc = info->if_contains("ccRecipients")) {
      m.Ignore({"ccRecipients"});
      if (!cc->is_array()) return InvalidArgument("'ccRecipients' must be an array of recipients.", "Request_BadRequest");
      for (const auto& rcpt : cc->as_array()) {
        const auto* addr = rcpt.is_object() && rcpt.as_object().contains("emailAddress") &&
                                   rcpt.at("emailAddress").is_object()
                               ? rcpt.at("emailAddress").as_object().if_contains("address")
                               : nullptr;
        if (!addr || addr->is_null()) continue;  // Graph echoes empty recipients
        if (!addr->is_string()) return InvalidArgument("Each cc recipient needs emailAddress.address.", "Request_BadRequest");
        req.cc.emplace_back(addr->as_string());
      }
    }
    GH_RETURN_IF_ERROR(m.Finish());
  }
  if (const json::object* invited = r.Object("invitedUser")) {
    wire::FieldReader u(*invited, "microsoft.graph.user");
    req.invited_user_id = u.String("id").value_or("");
    u.Ignore({"@odata.type"});
    GH_RETURN_IF_ERROR(u.Finish());
  }
  GH_RETURN_IF_ERROR(r.Finish());
  if (!email) return InvalidArgument("Property 'invitedUserEmailAddress' is required.", "Request_BadRequest");
  if (!redirect) return InvalidArgument("Property 'inviteRedirectUrl' is required.", "Request_BadRequest");
  req.email = *email;
  req.redirect_url = *redirect;
  if (type && *type != "Guest" && *type != "Member")
    return InvalidArgument("Property 'invitedUserType' must be 'Guest' or 'Member'.", "Request_BadRequest");
  req.user_type = type && *type == "Member" ? directory::UserType::kMember : directory::UserType::kGuest;
  return req;
}

http::Response Create(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto body, wire::ParseJsonObject(ctx.request.body));
    GH_ASSIGN_OR_RETURN(auto req, ParseInvitation(body));
    GH_ASSIGN_OR_RETURN(auto inviter, InviterOf(s, ctx));
    GH_ASSIGN_OR_RETURN(auto res, s.invitations.Invite(inviter, TenantOf(ctx), req));
    json::array cc;
    for (const auto& c : req.cc) cc.push_back(json::object{{"emailAddress", json::object{{"name", nullptr}, {"address", c}}}});
    json::object out{
        {"@odata.context", ContextUrl(s.public_base, "invitations/$entity")},
        {"id", res.invitation.id},
        // Withheld (null) when a redemption reset's link went only to the user.
        {"inviteRedeemUrl", res.redeem_url.empty() ? json::value(nullptr) : json::value(res.redeem_url)},
        {"invitedUserDisplayName", req.display_name ? json::value(*req.display_name) : json::value(nullptr)},
        {"invitedUserType", std::string(directory::UserTypeName(res.user.user_type))},
        {"invitedUserEmailAddress", req.email},
        {"sendInvitationMessage", req.send_message},
        {"resetRedemption", req.reset_redemption},
        {"inviteRedirectUrl", req.redirect_url},
        {"status", invitations::InvitationStatusName(res.status)},
        {"invitedUserMessageInfo",
         json::object{{"messageLanguage", req.language.empty() ? json::value(nullptr) : json::value(req.language)},
                      {"customizedMessageBody",
                       req.custom_message.empty() ? json::value(nullptr) : json::value(req.custom_message)},
                      {"ccRecipients", cc}}},
        {"invitedUser", json::object{{"id", res.user.id}}}};
    return JsonResponse(201, out);
  });
}

}  // namespace

std::vector<http::Route> InvitationRoutes(Services& s) {
  http::Permission invite = InvitePermission();
  return {http::Route{"POST", "/v1.0/invitations", [&s](http::RouteContext& c) { return Create(s, c); }, invite,
                      "Invite an external user (Graph invitation)"}};
}

}  // namespace gh::api::graph
