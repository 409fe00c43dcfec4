// Graph's /applications: app registrations that users sign in to (redirect
// URIs for web and public clients), the permissions they may ask for
// (requiredResourceAccess) and their secrets.
#include "api/graph/collection.h"
#include "api/graph/routes.h"
#include "api/handler_util.h"
#include "wire/json_reader.h"
#include "api/permissions.h"
#include "core/clock.h"

namespace gh::api::graph {
namespace {
namespace json = boost::json;

json::array Strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

json::object SecretToJson(const directory::ClientSecret& s) {
  return {{"keyId", s.id},
          {"displayName", s.display_name},
          {"hint", s.hint},
          {"startDateTime", FormatIso8601(s.created_at)},
          {"endDateTime", FormatIso8601(s.expires_at)},
          {"secretText", nullptr}};
}

json::array ResourceAccessToJson(const std::vector<directory::RequiredResourceAccess>& all) {
  json::array out;
  for (const auto& r : all) {
    json::array access;
    for (const auto& a : r.resource_access) access.push_back(json::object{{"id", a.id}, {"type", a.type}});
    out.push_back(json::object{{"resourceAppId", r.resource_app_id}, {"resourceAccess", std::move(access)}});
  }
  return out;
}

// Graph's shape: [{"resourceAppId": "…", "resourceAccess": [{"id": "…", "type": "Scope"|"Role"}]}].
// Which ids are known is the registry's check (ClientRegistry::ApplicationChange).
StatusOr<std::vector<directory::RequiredResourceAccess>> ParseResourceAccess(const json::value& v) {
  auto bad = [](const std::string& m) { return InvalidArgument(m, "Request_BadRequest"); };
  if (!v.is_array()) return bad("Property 'requiredResourceAccess' must be an array of requiredResourceAccess.");
  std::vector<directory::RequiredResourceAccess> out;
  for (const auto& e : v.as_array()) {
    if (!e.is_object()) return bad("Each requiredResourceAccess must be an object.");
    wire::FieldReader r(e.as_object(), "microsoft.graph.requiredResourceAccess");
    directory::RequiredResourceAccess rra;
    rra.resource_app_id = r.String("resourceAppId").value_or("");
    const json::value* access = e.as_object().if_contains("resourceAccess");
    r.Ignore({"resourceAccess"});
    GH_RETURN_IF_ERROR(r.Finish());
    if (rra.resource_app_id.empty()) return bad("Property 'resourceAppId' is required in requiredResourceAccess.");
    if (access == nullptr || !access->is_array())
      return bad("Property 'resourceAccess' of requiredResourceAccess must be an array of resourceAccess.");
    for (const auto& a : access->as_array()) {
      if (!a.is_object()) return bad("Each resourceAccess must be an object with 'id' and 'type'.");
      wire::FieldReader ar(a.as_object(), "microsoft.graph.resourceAccess");
      auto id = ar.String("id");
      auto type = ar.String("type");
      GH_RETURN_IF_ERROR(ar.Finish());
      if (!id || !type) return bad("Each resourceAccess needs 'id' and 'type'.");
      rra.resource_access.push_back({*id, *type});
    }
    out.push_back(std::move(rra));
  }
  return out;
}

json::object AppToJson(const directory::Client& c, const std::vector<directory::ClientSecret>& secrets) {
  json::array creds;
  for (const auto& s : secrets) creds.push_back(SecretToJson(s));
  return {{"id", c.id},
          {"appId", c.app_id},
          {"displayName", c.display_name},
          {"createdDateTime", FormatIso8601(c.created_at)},
          {"signInAudience", "AzureADMyOrg"},
          {"isFallbackPublicClient", !c.public_redirect_uris.empty()},
          {"web", json::object{{"redirectUris", Strings(c.redirect_uris)}}},
          {"publicClient", json::object{{"redirectUris", Strings(c.public_redirect_uris)}}},
          {"requiredResourceAccess", ResourceAccessToJson(c.required_resource_access)},
          {"passwordCredentials", creds}};
}

StatusOr<identity::ClientRegistry::ApplicationChange> ParseApplication(const json::object& body, bool create) {
  wire::FieldReader r(body, "microsoft.graph.application");
  r.ReadOnly({"id", "appId", "createdDateTime", "passwordCredentials"});
  r.Ignore({"@odata.type", "signInAudience", "isFallbackPublicClient"});
  identity::ClientRegistry::ApplicationChange c;
  c.display_name = r.String("displayName");
  r.Ignore({"requiredResourceAccess"});  // read below: an array of objects
  if (const json::value* rra = body.if_contains("requiredResourceAccess"); rra != nullptr && !rra->is_null()) {
    GH_ASSIGN_OR_RETURN(c.required_resource_access, ParseResourceAccess(*rra));
  }
  for (auto [key, target] : {std::pair{"web", &c.web_redirect_uris}, {"publicClient", &c.public_redirect_uris}}) {
    if (const json::object* o = r.Object(key)) {
      wire::FieldReader sub(*o, std::string("microsoft.graph.") + (std::string_view(key) == "web" ? "webApplication"
                                                                                           : "publicClientApplication"));
      sub.Ignore({"implicitGrantSettings", "logoutUrl", "homePageUrl"});
      *target = sub.StringArray("redirectUris");
      GH_RETURN_IF_ERROR(sub.Finish());
    }
  }
  GH_RETURN_IF_ERROR(r.Finish());
  if (create && !c.display_name)
    return InvalidArgument("Property 'displayName' is required when creating the entity.", "Request_BadRequest");
  return c;
}

http::Response List(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_RETURN_IF_ERROR(http::CheckQueryOptions(ctx.request, {}));
    GH_ASSIGN_OR_RETURN(auto apps, s.clients.ListApplications(TenantOf(ctx)));
    json::array value;
    for (const auto& a : apps) {
      GH_ASSIGN_OR_RETURN(auto secrets, s.clients.ListPasswords(TenantOf(ctx), a.id));
      value.push_back(AppToJson(a, secrets));
    }
    return JsonResponse(200, CollectionBody(ctx.request, s.public_base, "applications", std::move(value), false, "",
                                            std::nullopt));
  });
}

http::Response Get(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto app, s.clients.GetApplication(TenantOf(ctx), ctx.params["id"]));
    GH_ASSIGN_OR_RETURN(auto secrets, s.clients.ListPasswords(TenantOf(ctx), app.id));
    return JsonResponse(200, AppToJson(app, secrets));
  });
}

http::Response Create(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto body, wire::ParseJsonObject(ctx.request.body));
    GH_ASSIGN_OR_RETURN(auto in, ParseApplication(body, true));
    GH_ASSIGN_OR_RETURN(auto app, s.clients.CreateApplication(ActorOf(ctx), TenantOf(ctx), in));
    auto out = AppToJson(app, {});
    out.emplace("@odata.context", ContextUrl(s.public_base, "applications/$entity"));
    auto resp = JsonResponse(201, out);
    resp.SetHeader("Location", s.public_base + "/v1.0/applications/" + app.id);
    return resp;
  });
}

http::Response Patch(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto body, wire::ParseJsonObject(ctx.request.body));
    GH_ASSIGN_OR_RETURN(auto change, ParseApplication(body, false));
    GH_RETURN_IF_ERROR(s.clients.UpdateApplication(ActorOf(ctx), TenantOf(ctx), ctx.params["id"], change).status());
    return http::Response::NoContent();
  });
}

http::Response Delete(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_RETURN_IF_ERROR(s.clients.DeleteApplication(ActorOf(ctx), TenantOf(ctx), ctx.params["id"]));
    return http::Response::NoContent();
  });
}

http::Response AddPassword(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    std::string display_name;
    int64_t end_ms = 0;
    if (!ctx.request.body.empty()) {
      GH_ASSIGN_OR_RETURN(auto body, wire::ParseJsonObject(ctx.request.body));
      wire::FieldReader r(body, "microsoft.graph.addPassword");
      if (const json::object* cred = r.Object("passwordCredential")) {
        wire::FieldReader c(*cred, "microsoft.graph.passwordCredential");
        display_name = c.String("displayName").value_or("");
        if (auto end = c.String("endDateTime")) {
          auto parsed = ParseIso8601(*end);
          if (!parsed.ok()) return InvalidArgument("Invalid value for 'endDateTime'.", "Request_BadRequest");
          end_ms = *parsed;
        }
        c.Ignore({"startDateTime"});
        GH_RETURN_IF_ERROR(c.Finish());
      }
      GH_RETURN_IF_ERROR(r.Finish());
    }
    GH_ASSIGN_OR_RETURN(auto added, s.clients.AddPassword(ActorOf(ctx), TenantOf(ctx), ctx.params["id"],
                                                          display_name, end_ms));
    auto out = SecretToJson(added.first);
    out["secretText"] = added.second;
    return JsonResponse(200, out);
  });
}

http::Response RemovePassword(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto body, wire::ParseJsonObject(ctx.request.body));
    wire::FieldReader r(body, "microsoft.graph.removePassword");
    auto key = r.String("keyId");
    GH_RETURN_IF_ERROR(r.Finish());
    if (!key) return InvalidArgument("Property 'keyId' is required.", "Request_BadRequest");
    GH_RETURN_IF_ERROR(s.clients.RemovePassword(ActorOf(ctx), TenantOf(ctx), ctx.params["id"], *key));
    return http::Response::NoContent();
  });
}

}  // namespace

std::vector<http::Route> ApplicationRoutes(Services& s) {
  using http::Route;
  auto h = [&s](auto fn) { return [&s, fn](http::RouteContext& c) { return fn(s, c); }; };
  return {
      Route{"GET", "/v1.0/applications", h(List), perm::ApplicationsRead(), "List app registrations"},
      Route{"POST", "/v1.0/applications", h(Create), perm::ApplicationsWrite(), "Register an application"},
      Route{"GET", "/v1.0/applications/{id}", h(Get), perm::ApplicationsRead(), "Get an application (id or appId)"},
      Route{"PATCH", "/v1.0/applications/{id}", h(Patch), perm::ApplicationsWrite(), "Update an application"},
      Route{"DELETE", "/v1.0/applications/{id}", h(Delete), perm::ApplicationsWrite(), "Delete an application"},
      Route{"POST", "/v1.0/applications/{id}/addPassword", h(AddPassword), perm::ApplicationsWrite(),
            "Add a client secret (returned once)"},
      Route{"POST", "/v1.0/applications/{id}/removePassword", h(RemovePassword), perm::ApplicationsWrite(),
            "Remove a client secret"},
  };
}

}  // namespace gh::api::graph
