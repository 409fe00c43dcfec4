#include "directory/model/validation.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/strings.h"

namespace gh::directory {
namespace {

bool IsAsciiAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// Assigned ISO 3166-1 alpha-2 codes.
constexpr std::string_view kCountryCodes =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW "
    "BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI "
    "FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN "
    "IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME "
    "MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF "
    "PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV "
    "SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE "
    "YT ZA ZM ZW";

size_t Utf8Length(std::string_view s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

}  // namespace

Status ValidateLength(std::string_view field, std::string_view value, size_t max, bool required) {
  if (required && value.empty()) return InvalidArgument("Property '" + std::string(field) + "' is required.");
  if (Utf8Length(value) > max)
    return InvalidArgument("Property '" + std::string(field) + "' is longer than " + std::to_string(max) +
                           " characters.");
  return OkStatus();
}

Status ValidateDomain(std::string_view d) {
  if (d.empty() || d.size() > 253 || d.find('.') == std::string_view::npos)
    return InvalidArgument("'" + std::string(d) + "' is not a valid domain name.");
  size_t label = 0;
  for (size_t i = 0; i < d.size(); ++i) {
    char c = d[i];
    if (c == '.') {
      if (label == 0 || d[i - 1] == '-') return InvalidArgument("'" + std::string(d) + "' is not a valid domain name.");
      label = 0;
    } else if (IsAsciiAlnum(c) || (c == '-' && label > 0)) {
      if (++label > 63) return InvalidArgument("'" + std::string(d) + "' is not a valid domain name.");
    } else {
      return InvalidArgument("'" + std::string(d) + "' is not a valid domain name.");
    }
  }
  if (label == 0) return InvalidArgument("'" + std::string(d) + "' is not a valid domain name.");
  return OkStatus();
}

Status ValidateUserPrincipalName(std::string_view upn) {
  auto at = upn.rfind('@');
  if (at == std::string_view::npos || at == 0 || at > 113)
    return InvalidArgument("Property 'userPrincipalName' must have the form alias@domain.", "Request_BadRequest");
  for (char c : upn.substr(0, at)) {
    if (!(IsAsciiAlnum(c) || std::string_view("'.-_!#^~").find(c) != std::string_view::npos))
      return InvalidArgument("Property 'userPrincipalName' contains the character '" + std::string(1, c) +
                                 "', which is not allowed.",
                             "Request_BadRequest");
  }
  if (!ValidateDomain(upn.substr(at + 1)).ok())
    return InvalidArgument("Property 'userPrincipalName' has an invalid domain.", "Request_BadRequest");
  return OkStatus();
}

Status ValidateEmail(std::string_view field, std::string_view email) {
  auto bad = [&](std::string why) {
    return InvalidArgument("Property '" + std::string(field) + "' is not a valid email address: " + why + ".",
                           "Request_BadRequest");
  };
  auto at = email.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= email.size()) return bad("it must have the form name@domain");
  if (email.size() > 254) return bad("it is too long");
  std::string_view local = email.substr(0, at);
  if (local.size() > 64) return bad("the part before @ is too long");
  constexpr std::string_view kForbidden = "~!#$%^&*()+=[]{}\\/|;:\"<>?, @";
  for (char c : local) {
    if (kForbidden.find(c) != std::string_view::npos || static_cast<unsigned char>(c) < 0x21 ||
        static_cast<unsigned char>(c) > 0x7e)
      return bad("the character '" + std::string(1, c) + "' is not allowed");
  }
  if (local.front() == '.' || local.front() == '-' || local.back() == '.' || local.back() == '-')
    return bad("it may not start or end with '.' or '-'");
  if (local.find("..") != std::string_view::npos) return bad("it may not contain '..'");
  if (!ValidateDomain(email.substr(at + 1)).ok()) return bad("the domain is not valid");
  return OkStatus();
}

bool IsIsoCountryCode(std::string_view code) {
  if (code.size() != 2 || !std::isupper(static_cast<unsigned char>(code[0])) ||
      !std::isupper(static_cast<unsigned char>(code[1])))
    return false;
  for (size_t i = 0; i + 1 < kCountryCodes.size(); i += 3)
    if (kCountryCodes.substr(i, 2) == code) return true;
  return false;
}

Status ValidateUsageLocation(std::string_view code) {
  if (!IsIsoCountryCode(code))
    return InvalidArgument("Property 'usageLocation' must be a two-letter ISO 3166-1 country code such as 'US' or 'GB'; '" +
                               std::string(code) + "' is not one.",
                           "Request_BadRequest");
  return OkStatus();
}

std::string DomainOf(std::string_view address) {
  auto at = address.rfind('@');
  return at == std::string_view::npos ? std::string() : ToLower(address.substr(at + 1));
}

Status ValidatePasswordStrength(std::string_view password) {
  const std::string prefix = "The specified password does not comply with password complexity requirements: ";
  size_t code_points = 0;
  bool lower = false, upper = false, digit = false, other = false;
  for (unsigned char c : password) {
    if ((c & 0xC0) != 0x80) ++code_points;  // count UTF-8 lead bytes only
    if (c >= 'a' && c <= 'z') lower = true;
    else if (c >= 'A' && c <= 'Z') upper = true;
    else if (c >= '0' && c <= '9') digit = true;
    else other = true;  // symbols, spaces and non-ASCII letters
  }
  if (code_points < 8) return InvalidArgument(prefix + "it must be at least 8 characters long.", "Request_BadRequest");
  if (code_points > 256) return InvalidArgument(prefix + "it must be at most 256 characters long.", "Request_BadRequest");
  if (int(lower) + int(upper) + int(digit) + int(other) < 2)
    return InvalidArgument(prefix +
                               "it must mix at least two of lower-case letters, upper-case letters, digits and "
                               "symbols.",
                           "Request_BadRequest");
  return OkStatus();
}

}  // namespace gh::directory
