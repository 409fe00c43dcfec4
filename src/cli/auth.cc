#include "cli/auth.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>
#include <thread>

#include "wire/first_party.h"

namespace gh::cli {
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::string FirstOf(std::initializer_list<std::string> values) {
  for (const auto& v : values)
    if (!v.empty()) return v;
  return "";
}

std::string TrimSlash(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

std::string Str(const json::object& o, std::string_view k) {
  const json::value* v = o.if_contains(k);
  return v && v->is_string() ? std::string(v->as_string()) : "";
}

int64_t Int(const json::object& o, std::string_view k, int64_t fallback) {
  const json::value* v = o.if_contains(k);
  if (v && v->is_int64()) return v->as_int64();
  if (v && v->is_uint64()) return static_cast<int64_t>(v->as_uint64());
  if (v && v->is_string()) {  // some servers send numbers as strings
    try {
      return std::stoll(std::string(v->as_string()));
    } catch (...) {
    }
  }
  return fallback;
}

// POSTs a form to the tenant's OAuth endpoint `what` ("token", "devicecode").
StatusOr<HttpResponse> OAuthPost(HttpClient& http, const std::string& server, const std::string& tenant,
                                 const std::string& what, const std::vector<std::pair<std::string, std::string>>& form) {
  HttpRequest req;
  req.method = "POST";
  req.url = server + "/" + Escape(tenant) + "/oauth2/v2.0/" + what;
  req.headers = {"Content-Type: application/x-www-form-urlencoded", "Accept: application/json"};
  req.body = FormEncode(form);
  return http.Send(req);
}

StatusOr<json::object> JsonObject(const HttpResponse& r) {
  boost::system::error_code ec;
  json::value v = json::parse(r.body, ec);
  if (ec || !v.is_object()) return Internal("error InvalidResponse: the token endpoint did not return JSON");
  return v.as_object();
}

Status Tokens(const HttpResponse& r, Profile& p) {
  if (r.status != 200) return ErrorFromResponse(r);
  GH_ASSIGN_OR_RETURN(auto o, JsonObject(r));
  p.access_token = Str(o, "access_token");
  if (p.access_token.empty()) return Internal("error InvalidResponse: no access_token in the token response");
  if (std::string rt = Str(o, "refresh_token"); !rt.empty()) p.refresh_token = rt;
  p.expires_at = NowSeconds() + Int(o, "expires_in", 3600);
  return OkStatus();
}

Status NotSignedIn() {
  return Unauthenticated(
      "not signed in: run `gatehouse login --server URL --tenant TENANT`, or pass --client-id and --client-secret",
      "not_signed_in");
}

}  // namespace

std::string ProfilePath() {
  std::string base = Env("XDG_CONFIG_HOME");
  if (base.empty()) base = Env("HOME").empty() ? "." : Env("HOME") + "/.config";
  return (fs::path(base) / "gatehouse" / "profile.json").string();
}

StatusOr<std::optional<Profile>> LoadProfile() {
  std::string path = ProfilePath();
  std::ifstream in(path);
  if (!in) return std::optional<Profile>();
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  json::value v = json::parse(text.str(), ec);
  if (ec || !v.is_object())
    return FailedPrecondition(path + " is not a Gatehouse profile; delete it and run `gatehouse login` again");
  const auto& o = v.as_object();
  Profile p{Str(o, "server"), Str(o, "tenant"), Str(o, "ca_cert"), Str(o, "access_token"), Str(o, "refresh_token"),
            Int(o, "expires_at", 0)};
  return std::optional<Profile>(std::move(p));
}

Status SaveProfile(const Profile& p) {
  fs::path path = ProfilePath();
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) return Internal("cannot create " + path.parent_path().string() + ": " + ec.message());
  ::chmod(path.parent_path().c_str(), 0700);
  json::object o{{"server", p.server},           {"tenant", p.tenant},
                 {"ca_cert", p.ca_cert},         {"access_token", p.access_token},
                 {"refresh_token", p.refresh_token}, {"expires_at", p.expires_at}};
  std::string text = json::serialize(o) + "\n";
  std::string tmp = path.string() + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Internal("cannot write " + tmp + ": " + std::strerror(errno));
  ::fchmod(fd, 0600);  // an older file may have had wider permissions
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ok = ::fsync(fd) == 0 && ok;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return Internal("cannot write " + path.string() + ": " + std::strerror(errno));
  }
  return OkStatus();
}

StatusOr<Connection> Connect(const ConnectionOptions& o) {
  GH_ASSIGN_OR_RETURN(auto saved, LoadProfile());
  Profile profile = saved.value_or(Profile{});
  Connection c;
  std::string client_id = FirstOf({o.client_id, Env("GATEHOUSE_CLIENT_ID")});
  std::string secret = FirstOf({o.client_secret, Env("GATEHOUSE_CLIENT_SECRET")});
  c.server = TrimSlash(FirstOf({o.server, Env("GATEHOUSE_SERVER"), profile.server}));
  c.tenant = FirstOf({o.tenant, Env("GATEHOUSE_TENANT"), profile.tenant});
  std::string ca = FirstOf({o.ca_cert, Env("GATEHOUSE_CA_CERT"), profile.ca_cert});
  if (!ca.empty() && !fs::exists(ca)) return UsageError("--ca-cert: " + ca + " does not exist");
  if (c.server.empty()) return client_id.empty() ? NotSignedIn() : UsageError("--server is required");
  c.http = std::make_unique<HttpClient>(HttpOptions{ca, 10, o.timeout_seconds});

  if (!client_id.empty()) {
    if (secret.empty()) return UsageError("--client-id needs --client-secret (or GATEHOUSE_CLIENT_SECRET)");
    if (c.tenant.empty()) return UsageError("--tenant is required with --client-id");
    GH_ASSIGN_OR_RETURN(auto resp, OAuthPost(*c.http, c.server, c.tenant, "token",
                                             {{"grant_type", "client_credentials"},
                                              {"client_id", client_id},
                                              {"client_secret", secret},
                                              {"scope", kGraphDefaultScope}}));
    Profile tokens;
    GH_RETURN_IF_ERROR(Tokens(resp, tokens));
    c.access_token = tokens.access_token;
    c.app_only = true;
  } else {
    if (!saved || profile.access_token.empty() || TrimSlash(profile.server) != c.server) return NotSignedIn();
    if (profile.expires_at - 60 <= NowSeconds()) {
      if (profile.refresh_token.empty())
        return Unauthenticated("the saved sign-in expired: run `gatehouse login` again", "expired");
      GH_ASSIGN_OR_RETURN(auto resp, OAuthPost(*c.http, c.server, profile.tenant, "token",
                                               {{"grant_type", "refresh_token"},
                                                {"client_id", std::string(wire::kCliClientId)},
                                                {"refresh_token", profile.refresh_token},
                                                {"scope", kCliScope}}));
      if (resp.status == 400 || resp.status == 401) {
        Status s = ErrorFromResponse(resp);
        return Unauthenticated(s.message() + " (run `gatehouse login` again)", s.reason());
      }
      GH_RETURN_IF_ERROR(Tokens(resp, profile));
      GH_RETURN_IF_ERROR(SaveProfile(profile));  // the refresh token rotated: keep the new one
    }
    c.access_token = profile.access_token;
  }
  c.api = std::make_unique<ApiClient>(*c.http, c.server, c.access_token);
  return c;
}

Status DeviceLogin(const ConnectionOptions& o, std::ostream& err, const std::function<void(int64_t)>& sleep_seconds) {
  auto sleep = sleep_seconds ? sleep_seconds : [](int64_t s) { std::this_thread::sleep_for(std::chrono::seconds(s)); };
  GH_ASSIGN_OR_RETURN(auto saved, LoadProfile());
  Profile p = saved.value_or(Profile{});
  p.server = TrimSlash(FirstOf({o.server, Env("GATEHOUSE_SERVER"), p.server}));
  p.tenant = FirstOf({o.tenant, Env("GATEHOUSE_TENANT"), p.tenant});
  p.ca_cert = FirstOf({o.ca_cert, Env("GATEHOUSE_CA_CERT"), p.ca_cert});
  if (p.server.empty()) return UsageError("--server is required");
  if (p.tenant.empty()) return UsageError("--tenant is required");
  if (!p.ca_cert.empty()) {
    if (!fs::exists(p.ca_cert)) return UsageError("--ca-cert: " + p.ca_cert + " does not exist");
    p.ca_cert = fs::absolute(p.ca_cert).string();  // later commands may run elsewhere
  }
  HttpClient http(HttpOptions{p.ca_cert, 10, o.timeout_seconds});
  const std::string client_id(wire::kCliClientId);
  GH_ASSIGN_OR_RETURN(auto start, OAuthPost(http, p.server, p.tenant, "devicecode",
                                            {{"client_id", client_id}, {"scope", kCliScope}}));
  if (start.status != 200) return ErrorFromResponse(start);
  GH_ASSIGN_OR_RETURN(auto d, JsonObject(start));
  std::string device_code = Str(d, "device_code");
  if (device_code.empty()) return Internal("error InvalidResponse: no device_code from the devicecode endpoint");
  std::string message = Str(d, "message");
  if (message.empty())
    message = "To sign in, open " + Str(d, "verification_uri") + " and enter the code " + Str(d, "user_code");
  err << message << std::endl;
  int64_t interval = std::max<int64_t>(1, Int(d, "interval", 5));
  int64_t deadline = NowSeconds() + Int(d, "expires_in", 900);
  while (NowSeconds() < deadline) {
    sleep(interval);
    GH_ASSIGN_OR_RETURN(auto resp, OAuthPost(http, p.server, p.tenant, "token",
                                             {{"grant_type", "urn:ietf:params:oauth:grant-type:device_code"},
                                              {"client_id", client_id},
                                              {"device_code", device_code}}));
    if (resp.status == 200) {
      p.refresh_token.clear();
      GH_RETURN_IF_ERROR(Tokens(resp, p));
      return SaveProfile(p);
    }
    auto body = JsonObject(resp);
    std::string error = body.ok() ? Str(*body, "error") : "";
    if (error == "authorization_pending") continue;
    if (error == "slow_down") {
      interval += 5;  // RFC 8628 §3.5
      continue;
    }
    if (error == "expired_token")
      return Unauthenticated("the code expired before it was approved: run `gatehouse login` again", error);
    if (error == "access_denied") return PermissionDenied("sign-in was declined in the browser", error);
    return ErrorFromResponse(resp);
  }
  return Unauthenticated("the code expired before it was approved: run `gatehouse login` again", "expired_token");
}

Status Logout() {
  GH_ASSIGN_OR_RETURN(auto saved, LoadProfile());
  if (!saved) return OkStatus();
  saved->access_token.clear();
  saved->refresh_token.clear();
  saved->expires_at = 0;
  return SaveProfile(*saved);
}

}  // namespace gh::cli
