#pragma once
// Server-rendered HTML. Templates are Google ctemplate files compiled into
// the binary (src/web/templates/*.tpl, templates.h), all in auto-escape mode,
// so every variable is HTML-escaped unless a template says otherwise. A page
// is a named body template inside the shared layout.
#include <cstring>  // ctemplate's headers use strlen without including it

#include <ctemplate/template_dictionary.h>

#include <memory>
#include <string>

#include "http/message.h"

namespace gh::web {

class Page {
 public:
  // `body` names a registered template (src/web/templates/NAME.tpl, e.g. "signin_email").
  Page(std::string body, std::string title);

  Page& Set(const std::string& key, const std::string& value);
  // Shows a {{#NAME}}…{{/NAME}} section once, with its own values.
  ctemplate::TemplateDictionary* Section(const std::string& name);
  void Show(const std::string& name);
  // Expands registered template `file` at {{>NAME}}.
  // Returns the included template's dictionary for its own values.
  ctemplate::TemplateDictionary* Include(const std::string& name, const std::string& file);

  std::string Render() const;
  http::Response Response(int status = 200) const;

 private:
  std::string body_;
  std::unique_ptr<ctemplate::TemplateDictionary> dict_;
  ctemplate::TemplateDictionary* content_;
};

// A redirect that is never cached: 302, or 303 (See Other) after a form post.
http::Response Redirect(const std::string& location, int status = 302);

// A plain message page (errors, confirmations).
http::Response MessagePage(int status, const std::string& title, const std::string& message,
                           const std::string& link_text = {}, const std::string& link_href = {});

}  // namespace gh::web
