// Hostile requests to every route of the server (app::AllRoutes: Graph v1.0,
// the admin API, OAuth and the pages) through the in-process router with a
// real bearer token: above all the JSON bodies of the Graph and admin writes
// (their parsers in api/json_body.cc, api/graph/wire.cc and each handler),
// and the queries of the reads, against a tenant with one of everything.
//
// Input, like an HTTP request:
//   METHOD TARGET
//   Header: value          (optional lines, up to an empty line)
//
//   body
// {name} anywhere is replaced by a fixture id (see Setup: {user}, {group},
// {env}, …; {cookies} and {csrf} are the admin's portal session).
// Authorization defaults to the tenant's app token ({token}); {adminToken} is
// its Global Administrator's through the CLI (who invites: apps may not under
// the default policy). Content-Type defaults to application/json when there
// is a body.
// The store refuses every write (fuzz_world.h), so nothing any input does
// changes the state the next one sees.
// Invariants beyond "no crash, no UB, no leak":
//   - never a 500: user input gets a 4xx;
//   - a 503 only when the request wrote (the refused write), and a request
//     whose write was refused never reports success (2xx/3xx) — except an
//     environment page, whose just-in-time sync of its visitor is best effort;
//   - every error of /v1.0 and /api/v1 is Graph's JSON error shape
//     {"error":{"code","message","innerError"}}, and every JSON body parses.
#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "app/routes.h"
#include "fuzz_world.h"
#include "support/app_consent.h"
#include "support/browser.h"

namespace {

namespace json = boost::json;
using gh::fuzz::Str;
using gh::fuzz::World;

World* world = nullptr;
// GH_FUZZ_VERBOSE=1: one line per input (what the seeds reach).
const bool verbose = std::getenv("GH_FUZZ_VERBOSE") != nullptr;

void Setup(World& w) {
  auto& env = w.env();
  auto contoso = env.Tenant("Contoso", "contoso.test");
  auto fabrikam = env.Tenant("Fabrikam", "fabrikam.test");
  const std::string& t = contoso.token;
  w.Set("token", t);
  w.Set("tenant", contoso.res.tenant.id);
  w.Set("domain", "contoso.test");
  w.Set("admin", contoso.res.admin.id);
  w.Set("partner", fabrikam.res.tenant.id);
  w.Set("other", fabrikam.res.admin.id);
  w.Set("otherToken", fabrikam.token);
  const std::string admin_token = gh::testing::AdminUserToken(env, contoso);
  w.Set("adminToken", admin_token);

  auto user = w.MustCall("POST", "/v1.0/users", t,
                         R"({"accountEnabled":true,"displayName":"Alex","mailNickname":"alex",)"
                         R"("userPrincipalName":"alex@contoso.test","usageLocation":"NO",)"
                         R"("passwordProfile":{"password":"Str0ng-Passw0rd!"}})",
                         201);
  w.Set("user", Str(user, "id"));
  auto group = w.MustCall("POST", "/v1.0/groups", t,
                          R"({"displayName":"Sales","mailNickname":"sales","mailEnabled":false,"securityEnabled":true})",
                          201);
  w.Set("group", Str(group, "id"));
  w.MustCall("POST", "/v1.0/groups/{group}/members/$ref", t,
             R"({"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/{user}"})", 204);
  auto app = w.MustCall("POST", "/v1.0/applications", t, R"({"displayName":"Fuzz App"})", 201);
  w.Set("app", Str(app, "id"));
  w.Set("appId", Str(app, "appId"));
  auto sku = w.MustCall("POST", "/api/v1/skus", t, R"({"skuPartNumber":"DYN365_ENTERPRISE_SALES","prepaidUnits":5})",
                        201);
  w.Set("sku", Str(sku, "skuId"));
  auto environment = w.MustCall(
      "POST", "/api/v1/environments", t,
      R"({"displayName":"Sales","type":"Sandbox","dataverse":true,"securityGroupId":"{group}"})", 201);
  w.Set("env", Str(environment, "id"));
  auto role = w.MustCall("POST", "/api/v1/environments/{env}/securityRoles", t,
                         R"({"name":"App Sharer","privileges":["shareApps"]})", 201);
  w.Set("role", Str(role, "id"));
  auto invitation = w.MustCall(
      "POST", "/v1.0/invitations", admin_token,
      R"({"invitedUserEmailAddress":"bob@fabrikam.test","inviteRedirectUrl":"https://apps.contoso.test/"})", 201);
  w.Set("guest", Str(invitation.at("invitedUser"), "id"));
  auto assignment = w.MustCall(
      "POST", "/v1.0/roleManagement/directory/roleAssignments", t,
      R"({"principalId":"{user}","roleDefinitionId":"95e79109-95c0-4d8e-aee3-d01accf2d47b","directoryScopeId":"/"})",
      201);
  w.Set("assignment", Str(assignment, "id"));
  auto job = w.MustCall("POST", "/api/v1/bulkInvitations?redirectUrl=https://apps.contoso.test/", admin_token, "email\ncarol@example.org\n", 202,
                        {{"Content-Type", "text/csv"}});
  w.Set("job", Str(job, "id"));

  // The admin signed in to the portal: {cookies} (session and CSRF) and the
  // form token {csrf} that goes with them.
  gh::testing::Browser browser(*env.router, "192.0.2.10");
  auto portal = browser.SignInTo("/portal/contoso.test", "admin@contoso.test", "Adm1n-Passw0rd!");
  if (portal.status != 200) gh::fuzz::Fail("signing the admin in to the portal", std::to_string(portal.status) + portal.body);
  auto form = browser.Go("GET", "/portal/contoso.test/users/invite");
  w.Set("csrf", gh::testing::Field(form.body, "csrf"));
  w.Set("cookies", browser.cookies);
  if (w.Get("csrf").empty()) gh::fuzz::Fail("no CSRF token on the portal's invite page", form.body);

  // Every write from now on is refused. A read must not write: the checks
  // below assume it.
  w.Freeze();
  for (const char* target : {"/v1.0/users", "/v1.0/groups/{group}/members", "/api/v1/environments/{env}"}) {
    auto req = w.MakeRequest("GET", w.Fill(target), {{"Host", "localhost:8443"}, {"Authorization", "Bearer " + t}}, "");
    if (!req.ParseTarget()) gh::fuzz::Fail("fixture target", target);
    auto r = env.router->Handle(req);
    if (r.status != 200 || w.Wrote())
      gh::fuzz::Fail("a read through the frozen store failed or wrote", std::string(target) + " → " + r.body);
  }
}

// Where errors are Graph's JSON (app/routes.cc RenderError), pages elsewhere.
bool IsApiPath(std::string_view p) {
  return p == "/v1.0" || p.starts_with("/v1.0/") || p == "/api" || p.starts_with("/api/");
}

// What Beast lets through: a request target of visible characters only, and
// header values without control characters other than tab.
bool Deliverable(std::string_view target, bool header) {
  for (unsigned char c : target)
    if ((c < 0x20 && !(header && c == '\t')) || c == 0x7F || (!header && c == ' ')) return false;
  return true;
}

void CheckResponse(const gh::http::Request& req, const gh::http::Response& r, bool wrote) {
  const std::string where = req.method + " " + req.target + " → " + std::to_string(r.status) + " " + r.body;
  GH_FUZZ_CHECK(r.status != 500, where);
  if (r.status == 503) GH_FUZZ_CHECK(wrote, "503 without a refused write: " + where);
  // The one write allowed to fail quietly: an environment page's just-in-time
  // sync of its visitor (web/environment_pages.cc, best effort by design).
  const bool best_effort = req.method == "GET" && req.path.starts_with("/env/");
  // A JSON batch answers 200 with each request's own status: the refused
  // write is one of them, and none of them may be a 500.
  const bool batch = req.method == "POST" && req.path == "/v1.0/$batch" && r.status == 200;
  if (wrote && !best_effort && !batch) GH_FUZZ_CHECK(r.status >= 400, "a refused write reported as success: " + where);
  const bool is_json = r.Header("Content-Type").starts_with("application/json");
  json::value body;
  if (is_json && !r.body.empty()) {
    boost::system::error_code ec;
    body = json::parse(r.body, ec);
    GH_FUZZ_CHECK(!ec, "a JSON response that doesn't parse: " + where);
  }
  if (batch) {
    bool refused_inside = false;
    for (const json::value& answer : body.at("responses").as_array()) {
      const int64_t status = answer.at("status").to_number<int64_t>();
      GH_FUZZ_CHECK(status != 500, "a 500 inside a batch: " + where);
      refused_inside |= status == 503;
    }
    if (wrote) GH_FUZZ_CHECK(refused_inside, "a refused write reported as success inside a batch: " + where);
  }
  if (r.status >= 400 && IsApiPath(req.path)) {
    GH_FUZZ_CHECK(is_json, "an API error that isn't JSON: " + where);
    const json::object* o = body.if_object();
    const json::value* e = o ? o->if_contains("error") : nullptr;
    GH_FUZZ_CHECK(e && e->is_object(), "no error object: " + where);
    const json::object& err = e->as_object();
    GH_FUZZ_CHECK(err.contains("code") && err.at("code").is_string() && err.contains("message") &&
                      err.at("message").is_string() && err.contains("innerError") && err.at("innerError").is_object(),
                  "not Graph's error shape: " + where);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  world = new World();  // for the whole process; LeakSanitizer sees it through this pointer
  Setup(*world);
  if (std::getenv("GH_FUZZ_LIST_ROUTES")) {
    auto& s = *world->env().services;
    for (const auto& r : gh::app::AllRoutes(s)) std::cerr << r.method << " " << r.pattern << "\n";
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  World& w = *world;
  std::string_view text = gh::fuzz::AsText(data, size);
  auto [request_line, rest] = gh::fuzz::FirstLine(text);
  size_t space = request_line.find(' ');
  if (space == std::string_view::npos || space == 0) return 0;
  std::string method(request_line.substr(0, space));
  if (!Deliverable(method, false)) return 0;
  std::string target = w.Fill(request_line.substr(space + 1));
  if (!Deliverable(target, false)) return 0;

  gh::http::HeaderList headers{{"Host", "localhost:8443"}};
  bool has_auth = false, has_type = false;
  while (!rest.empty()) {
    auto [line, after] = gh::fuzz::FirstLine(rest);
    rest = after;
    if (line.empty()) break;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0 || !Deliverable(line, true)) return 0;
    std::string name(line.substr(0, colon));
    std::string_view value = line.substr(colon + 1);
    if (value.starts_with(' ')) value.remove_prefix(1);
    has_auth |= gh::http::EqualsIgnoreCase(name, "Authorization");
    has_type |= gh::http::EqualsIgnoreCase(name, "Content-Type");
    headers.emplace_back(std::move(name), w.Fill(value));
  }
  std::string body = w.Fill(rest);
  if (!has_auth) headers.emplace_back("Authorization", "Bearer " + w.Get("token"));
  if (!has_type && !body.empty()) headers.emplace_back("Content-Type", "application/json");

  gh::http::Request req = w.MakeRequest(std::move(method), std::move(target), std::move(headers), std::move(body));
  if (!req.ParseTarget()) return 0;  // the server answers 400 before routing
  w.Freeze();
  gh::http::Response r = w.env().router->Handle(req);
  CheckResponse(req, r, w.Wrote());
  if (verbose)
    std::fprintf(stderr, "%s %s → %d%s %s %.300s\n", req.method.c_str(), req.target.c_str(), r.status,
                 w.Wrote() ? " (wrote)" : "", std::string(r.Header("Location")).c_str(),
                 std::getenv("GH_FUZZ_VERBOSE")[0] == '2' ? r.body.c_str() : "");
  if (verbose && std::getenv("GH_FUZZ_VERBOSE")[0] == '3') std::fprintf(stderr, "%s\n", r.body.c_str());
  return 0;
}
