// The page templates are files in src/web/templates/, each starting with the
// AUTOESCAPE pragma, so ctemplate HTML-escapes every variable (attribute
// values included).
#include "web/templates.h"

#include <cstdlib>
#include <cstring>

#include <ctemplate/template.h>

#include <mutex>

#include <spdlog/spdlog.h>

namespace gh::web {

void AddTemplates(std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    const EmbeddedFile* file = FindEmbeddedFile(TemplateFiles(), name);
    if (!file) {
      // Routes register their templates when they are built, as every web
      // test does, so a missing file fails the tests, not a server.
      spdlog::critical("no page template '{}' (src/web/templates/{}.tpl)", name, name);
      std::abort();
    }
    // ctemplate keeps the first text registered under a name (later calls are
    // no-ops), so building the routes twice (tests) is harmless.
    ctemplate::StringToTemplateCache(ctemplate::TemplateString(name.data(), name.size()),
                                     ctemplate::TemplateString(file->text.data(), file->text.size()),
                                     ctemplate::DO_NOT_STRIP);
  }
}

void RegisterTemplates() {
  static std::once_flag once;
  std::call_once(once, [] {
    AddTemplates({"layout", "message", "signin_email", "signin_password", "signin_otp", "signup_form",
                  "signup_verify", "device_code", "device_confirm", "form_post", "redeem_consent", "env_home",
                  "env_denied"});
  });
}

}  // namespace gh::web
