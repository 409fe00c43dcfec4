#include "wire/mail_nickname.h"

#include <cctype>

namespace gh::wire {

std::string MailNicknameFrom(std::string_view name) {
  std::string nick;
  for (char c : name)
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') nick += c;
  return nick.substr(0, 64);
}

}  // namespace gh::wire
