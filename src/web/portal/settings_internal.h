#pragma once
// Internal to the settings pages, shared by their two files only:
// settings_pages.cc (tenant settings, external collaboration) and
// cross_tenant_pages.cc (cross-tenant access: defaults, organizations,
// Microsoft clouds). Forms whose refusals are shown next to the part of the
// form they are about, and radio groups.
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "web/portal/portal.h"

namespace gh::web::portal::settings {

// Form field (or part of a form) → the refusal shown next to it; "" is the whole form.
using FieldErrors = std::map<std::string, std::string>;

const std::string* ErrorFor(const FieldErrors& errors, const std::string& field);

// Records a patch function's refusal under the field it is about.
void Apply(FieldErrors& errors, const std::string& field, const Status& s);

// What a service change returns when any part of the form was refused, so
// the service keeps everything as it was.
Status AllApplied(const FieldErrors& errors);

struct Choice {
  std::string_view value, text;
};

struct RadioGroup {
  std::string name, legend;
  std::span<const Choice> choices;
  std::string checked;
  bool read_only = false;
  const std::string* error = nullptr;
};

// Fills a radio group's include dictionary (template portal_settings_radios:
// legend, options, the checked one and a refusal, if any, next to it).
void FillRadios(ctemplate::TemplateDictionary* d, const RadioGroup& g);

// Expands template `file` at {{>slot}} inside a section or included template.
ctemplate::TemplateDictionary* IncludeIn(ctemplate::TemplateDictionary* parent, const std::string& slot,
                                         const std::string& file);

// The stored values with what the administrator typed in their place, so a
// refused form shows what was typed.
Form Overlay(Form stored, const Form& typed);

// The non-blank lines of a textarea, trimmed.
std::vector<std::string> Lines(std::string_view text);

// The page's "Saved" notice after a Post/Redirect/Get, and a refusal of the whole form.
void ShowOutcome(Page& p, const http::RouteContext& ctx, const FieldErrors& errors);

// A service failure that no field explains is shown for the whole form.
void KeepGeneralError(const http::Request& req, FieldErrors& errors, const Status& s);

}  // namespace gh::web::portal::settings
