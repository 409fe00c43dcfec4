#include "web/page.h"

#include <cstring>

#include <ctemplate/template.h>

#include <mutex>

#include "web/templates.h"

namespace gh::web {

Page::Page(std::string body, std::string title)
    : body_(std::move(body)), dict_(std::make_unique<ctemplate::TemplateDictionary>("page")) {
  RegisterTemplates();
  dict_->SetValue("TITLE", title);
  content_ = dict_->AddIncludeDictionary("CONTENT");
  content_->SetFilename(body_);
}

Page& Page::Set(const std::string& key, const std::string& value) {
  content_->SetValue(key, value);
  return *this;
}

ctemplate::TemplateDictionary* Page::Section(const std::string& name) { return content_->AddSectionDictionary(name); }

void Page::Show(const std::string& name) { content_->ShowSection(name); }

ctemplate::TemplateDictionary* Page::Include(const std::string& name, const std::string& file) {
  ctemplate::TemplateDictionary* d = content_->AddIncludeDictionary(name);
  d->SetFilename(file);
  return d;
}

std::string Page::Render() const {
  std::string out;
  if (!ctemplate::ExpandTemplate("layout", ctemplate::DO_NOT_STRIP, dict_.get(), &out))
    return "<!doctype html><title>Error</title><p>The page could not be rendered.</p>";
  return out;
}

http::Response Page::Response(int status) const {
  auto r = http::Response::Text(status, Render(), "text/html; charset=utf-8");
  // Pages are never framed (clickjacking) and never cached (they carry CSRF tokens).
  r.SetHeader("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'self' https: http:");
  r.SetHeader("X-Frame-Options", "DENY");
  r.SetHeader("Cache-Control", "no-store");
  r.SetHeader("Referrer-Policy", "no-referrer");
  return r;
}

http::Response Redirect(const std::string& location, int status) {
  http::Response r;
  r.status = status;
  r.SetHeader("Location", location);
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

http::Response MessagePage(int status, const std::string& title, const std::string& message,
                           const std::string& link_text, const std::string& link_href) {
  Page p("message", title);
  p.Set("HEADING", title).Set("MESSAGE", message);
  if (!link_href.empty()) {
    auto* link = p.Section("LINK");
    link->SetValue("TEXT", link_text);
    link->SetValue("HREF", link_href);
  }
  return p.Response(status);
}

}  // namespace gh::web
