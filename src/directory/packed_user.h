#pragma once
// A User held in one allocation, for caches that keep many of them
// (DirectoryCache): its fields packed into a byte string, read back into a
// User on demand. A User's dozen strings, optionals and vectors each cost a
// heap block and padding; packed, a guest takes about a third of the memory.
#include <string>
#include <string_view>

#include "directory/model/types.h"

namespace gh::directory {

class PackedUser {
 public:
  explicit PackedUser(const User& u);

  User Unpack() const;
  // Read without unpacking: what a cache indexes the row by.
  std::string_view id() const;
  std::string_view user_principal_name() const;
  size_t bytes() const { return data_.capacity(); }

 private:
  std::string data_;
};

}  // namespace gh::directory
