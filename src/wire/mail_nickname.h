#pragma once
// Graph's convention for a group's mailNickname when only its display name
// is given: the portal and the CLI derive it alike, so a group made either
// way gets the same alias.
#include <string>
#include <string_view>

namespace gh::wire {

// The mail alias a name gives: its ASCII letters, digits and . - _ (at most
// 64); empty when it has none of them (the caller picks a fallback).
std::string MailNicknameFrom(std::string_view name);

}  // namespace gh::wire
