#pragma once
// Files compiled into the binary: a module's templates, embedded at build
// time by cmake/embed_files.cmake (gh_embed in CMakeLists.txt), byte for byte.
#include <span>
#include <string_view>

namespace gh {

struct EmbeddedFile {
  std::string_view name;  // the file's name without its extension: "signin_email" for signin_email.tpl
  std::string_view text;  // its bytes; text.data() is NUL-terminated
};

// The file called `name` in `files`, or nullptr.
inline const EmbeddedFile* FindEmbeddedFile(std::span<const EmbeddedFile> files, std::string_view name) {
  for (const EmbeddedFile& f : files)
    if (f.name == name) return &f;
  return nullptr;
}

}  // namespace gh
