#pragma once
// Field rules shared by every way into the directory (Graph API, CLI, init,
// invitations): what makes a display name, a UPN, a mail address, a domain or a
// usage location acceptable. Pure functions.
#include <string>
#include <string_view>

#include "core/status.h"

namespace gh::directory {

// Graph's limits: displayName ≤ 256 characters, givenName/surname/companyName ≤ 64.
Status ValidateLength(std::string_view field, std::string_view value, size_t max, bool required);
// local@domain with the characters Graph allows in a userPrincipalName.
Status ValidateUserPrincipalName(std::string_view upn);
// A mailbox address as accepted for invitations (forbidden characters per Graph).
Status ValidateEmail(std::string_view field, std::string_view email);
// A DNS domain name: labels of letters, digits and hyphens, at least one dot.
Status ValidateDomain(std::string_view domain);
// ISO 3166-1 alpha-2 (upper case), checked against the assigned codes.
Status ValidateUsageLocation(std::string_view code);
bool IsIsoCountryCode(std::string_view code);
// The part after '@', lower-cased; empty when there is none.
std::string DomainOf(std::string_view address);
// Password policy for every password set through Gatehouse (Graph, portal,
// sign-up, init): 8–256 characters (Unicode code points) drawn from at least
// two of lower-case letters, upper-case letters, digits and other characters.
// InvalidArgument with reason "Request_BadRequest" (what Graph returns) and a
// message saying which rule failed.
Status ValidatePasswordStrength(std::string_view password);

}  // namespace gh::directory
