#pragma once
// Registers the built-in page templates with ctemplate's cache (once).
namespace gh::web {
void RegisterTemplates();
}  // namespace gh::web
