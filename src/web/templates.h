#pragma once
// Page templates, registered with ctemplate's cache by name.
#include <initializer_list>

namespace gh::web {

// The built-in pages' templates (once).
void RegisterTemplates();

// A template's name and text; the portal's areas register their own.
struct TemplateText {
  const char* name;
  const char* text;
};
void AddTemplates(std::initializer_list<TemplateText> templates);

}  // namespace gh::web
