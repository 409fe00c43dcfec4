#pragma once
// Page templates, registered with ctemplate's cache by name. Each is a file
// src/web/templates/NAME.tpl, embedded in the binary at build time
// (cmake/embed_files.cmake), so the server reads no template from disk.
#include <initializer_list>
#include <span>
#include <string_view>

#include "core/embedded_file.h"

namespace gh::web {

// The built-in pages' templates (once).
void RegisterTemplates();

// Registers the named templates; the portal's areas register their own. A
// name with no file is a programming error: it aborts, naming it.
void AddTemplates(std::initializer_list<std::string_view> names);

// Every src/web/templates/*.tpl by name (the generated web_templates.cc).
std::span<const EmbeddedFile> TemplateFiles();

}  // namespace gh::web
