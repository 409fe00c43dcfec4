#pragma once
// An enum's names, written once: a constexpr table of {value, name} pairs,
// read both ways. For the small enums whose names go on the wire, into
// storage or into messages ("PendingAcceptance", "completedWithErrors"):
//
//   constexpr auto kStateNames = std::to_array<EnumName<State>>({
//       {State::kOn, "on"}, {State::kOff, "off"}});
//   static_assert(AreDistinct(kStateNames));
//   NameOf(kStateNames, State::kOn) == "on";  FromName(kStateNames, "off") == State::kOff
//
// Unlike a switch, the compiler doesn't see an enumerator missing from its
// table: NameOf answers "" for it, so a table lists every enumerator.
#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace gh {

template <class E>
struct EnumName {
  E value;
  std::string_view name;
};

// The name `value` has in `names`; "" when the table doesn't list it.
template <class E, size_t N>
constexpr std::string_view NameOf(const std::array<EnumName<E>, N>& names, E value) {
  for (const auto& [v, name] : names)
    if (v == value) return name;
  return {};
}

// The value named exactly `name` (names are case-sensitive), or nullopt.
template <class E, size_t N>
constexpr std::optional<E> FromName(const std::array<EnumName<E>, N>& names, std::string_view name) {
  for (const auto& [v, n] : names)
    if (n == name) return v;
  return std::nullopt;
}

// No value and no name listed twice: for a static_assert next to each table.
template <class E, size_t N>
constexpr bool AreDistinct(const std::array<EnumName<E>, N>& names) {
  for (size_t i = 0; i < N; ++i)
    for (size_t j = i + 1; j < N; ++j)
      if (names[i].value == names[j].value || names[i].name == names[j].name) return false;
  return true;
}

}  // namespace gh
