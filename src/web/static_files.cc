#include "web/static_files.h"

namespace gh::web {
namespace {

// One small stylesheet for every page: readable at 1280×800 and on a phone
// (tables scroll sideways, the card fills the screen), visible focus for
// keyboard users, errors in red next to their fields.
constexpr const char* kStylesheet = R"CSS(
:root { --fg:#1b1b1f; --muted:#5b5b66; --accent:#0f6cbd; --err:#b3261e; --ok:#0e7a0d; --bg:#f5f5f7; }
* { box-sizing: border-box; }
body { margin:0; font:16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color:var(--fg); background:var(--bg); }
.top { padding:.75rem 1.25rem; background:#fff; border-bottom:1px solid #ddd; }
.brand { font-weight:600; color:var(--fg); text-decoration:none; }
.card { max-width:28rem; margin:3rem auto; padding:2rem; background:#fff; border-radius:8px; box-shadow:0 1px 4px rgba(0,0,0,.12); }
.wide { max-width:72rem; }
h1 { font-size:1.5rem; margin:0 0 .5rem; }
h2 { font-size:1.2rem; margin:2rem 0 .5rem; padding-top:1rem; border-top:1px solid #e4e4e8; }
.muted { color:var(--muted); margin-top:0; }
label { display:block; font-weight:600; margin:1rem 0 .25rem; }
input, select, textarea { width:100%; padding:.6rem .7rem; font:inherit; border:1px solid #8a8a96; border-radius:4px; }
input[aria-invalid=true], select[aria-invalid=true], textarea[aria-invalid=true] { border-color:var(--err); }
.error { color:var(--err); margin:.25rem 0 0; }
.notice { color:var(--ok); border-left:4px solid var(--ok); padding:.25rem .75rem; background:#f0f8f0; }
button, .button { display:inline-block; margin-top:1.25rem; padding:.6rem 1.2rem; font:inherit; color:#fff; background:var(--accent);
  border:0; border-radius:4px; cursor:pointer; text-decoration:none; }
button.secondary { background:#fff; color:var(--accent); border:1px solid var(--accent); }
button:focus-visible, a:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible { outline:3px solid #ffb900; outline-offset:2px; }
fieldset { border:1px solid #ddd; border-radius:4px; margin:1rem 0 0; padding:.25rem 1rem .75rem; }
legend { font-weight:600; padding:0 .25rem; }
details { margin-top:1rem; }
pre { overflow-x:auto; background:var(--bg); padding:.75rem; border-radius:4px; }
.card:has(nav.portal) { max-width:72rem; }
nav.portal { display:flex; flex-wrap:wrap; gap:.25rem 1rem; align-items:baseline; margin-bottom:1rem; }
nav.portal .muted { flex-basis:100%; }
nav.portal a[aria-current=page] { font-weight:600; text-decoration:none; border-bottom:2px solid var(--accent); }
label.check { font-weight:400; display:flex; gap:.5rem; align-items:center; }
label.check input, fieldset input[type=radio], fieldset input[type=checkbox] { width:auto; }
table.jobs { width:100%; border-collapse:collapse; margin-top:.5rem; }
table.jobs th, table.jobs td { text-align:left; padding:.4rem .5rem; border-bottom:1px solid #ddd; vertical-align:top; }
table.jobs td form, form.inline { display:inline; }
table.jobs td button, form.inline button { margin:0; padding:.2rem .6rem; }
[data-passed=true] { border-left:4px solid var(--ok); padding-left:.5rem; }
[data-passed=false] { border-left:4px solid var(--err); padding-left:.5rem; }
progress { width:100%; height:1.25rem; }
code { overflow-wrap:anywhere; }
@media (max-width: 480px) { .card { margin:0; border-radius:0; min-height:100vh; padding:1.25rem; }
  table.jobs { display:block; overflow-x:auto; } }
)CSS";

http::Response Static(const std::string& body, const std::string& type) {
  auto r = http::Response::Text(200, body, type);
  r.SetHeader("Cache-Control", "public, max-age=3600");
  return r;
}

}  // namespace

std::vector<http::Route> StaticFiles() {
  using http::Permission;
  return {
      http::Route{"GET", "/static/gatehouse.css", [](http::RouteContext&) { return Static(kStylesheet, "text/css"); },
                  Permission::Public(), "Stylesheet"},
      http::Route{"GET", "/static/autosubmit.js",
                  [](http::RouteContext&) {
                    return Static("document.getElementById('form_post').submit();\n", "text/javascript");
                  },
                  Permission::Public(), "Submits form_post responses"},
  };
}

}  // namespace gh::web
