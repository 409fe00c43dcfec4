#pragma once
// A whole Gatehouse in-process for the harnesses that go through the router
// (tests/support/test_env.h), over a store that refuses every write once the
// fixtures are in: a fuzzed request can read everything but change nothing,
// so every input runs against the same state and a run can go on for hours.
//
// Fixture ids are named: an input writes "{user}" and the harness puts the
// id in, so seed files stay readable and stay valid when ids change.
#include <map>
#include <memory>
#include <string>

#include "fuzz_util.h"
#include "support/failing_store.h"
#include "support/test_env.h"

namespace gh::fuzz {

class World {
 public:
  World()
      : env_(std::make_unique<gh::testing::TestEnv>(
            std::string(),
            [this](store::Store& inner) {
              auto failing = std::make_unique<store::testing::FailingStore>(inner, /*fail_from=*/0);
              failing_ = failing.get();
              return failing;
            },
            // Argon2id for the fixtures, who sign in; a cheap stand-in once
            // frozen, where a fuzzed user creation hashes a password that is
            // never verified (Argon2id would slow the run 100-fold).
            [this](std::string_view pw) {
              return frozen_ ? gh::testing::FakeHash(pw) : identity::HashPassword(pw, env_->random);
            })) {}

  gh::testing::TestEnv& env() { return *env_; }

  // From here on every write fails (Unavailable), and the count restarts.
  void Freeze() {
    frozen_ = true;
    failing_->Reset(1);
  }
  // True when the request since the last Freeze() tried to write.
  bool Wrote() const { return failing_->calls() > 0; }

  void Set(const std::string& name, std::string value) { vars_["{" + name + "}"] = std::move(value); }
  const std::string& Get(const std::string& name) const { return vars_.at("{" + name + "}"); }

  // `text` with each {name} replaced by its fixture value.
  std::string Fill(std::string_view text) const {
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size();) {
      if (text[i] == '{') {
        size_t close = text.find('}', i);
        if (close != std::string_view::npos && close - i <= 16) {
          auto it = vars_.find(std::string(text.substr(i, close - i + 1)));
          if (it != vars_.end()) {
            out += it->second;
            i = close + 1;
            continue;
          }
        }
      }
      out += text[i++];
    }
    return out;
  }

  // A request as a client sends it: `target` is still encoded.
  http::Request MakeRequest(std::string method, std::string target, http::HeaderList headers, std::string body) const {
    http::Request req;
    req.method = std::move(method);
    req.target = std::move(target);
    req.headers = std::move(headers);
    req.body = std::move(body);
    req.secure = true;
    req.remote_address = "192.0.2.10";
    req.request_id = "00000000-0000-4000-8000-00000000f022";
    return req;
  }

  // A fixture request during setup; aborts when it doesn't get `want`.
  boost::json::value MustCall(const std::string& method, const std::string& target, const std::string& token,
                              const std::string& body, int want, http::HeaderList headers = {}) {
    http::Response r = env_->Call(method, Fill(target), token, Fill(body), std::move(headers));
    if (r.status != want)
      Fail("fixture request failed (the harness's setup no longer matches the server)",
           method + " " + target + " → " + std::to_string(r.status) + " " + r.body);
    if (r.body.empty()) return nullptr;
    boost::system::error_code ec;
    auto v = boost::json::parse(r.body, ec);
    return ec ? boost::json::value(r.body) : v;
  }

 private:
  store::testing::FailingStore* failing_ = nullptr;
  bool frozen_ = false;
  std::unique_ptr<gh::testing::TestEnv> env_;
  std::map<std::string, std::string> vars_;
};

inline std::string Str(const boost::json::value& v, std::string_view key) {
  return std::string(v.as_object().at(key).as_string());
}

}  // namespace gh::fuzz
