#pragma once
// Identifiers every Gatehouse server and its clients agree on: the tenant of
// personal accounts and the first-party clients built into every tenant.
#include <string_view>

namespace gh::wire {

// The `consumers` tenant that holds personal (outlook.com-style) accounts.
inline constexpr std::string_view kConsumersTenantId = "9188040d-6c67-4c5b-b112-36a304b66dad";

// The gatehouse CLI: a public client (device code) every tenant knows.
inline constexpr std::string_view kCliClientId = "2b7e4a63-5d0c-4c58-9a7e-6f8a1d4b3c21";
// First-party client surfaces the seed names (built into every tenant, public
// clients with PKCE; redirect URI "http://localhost/<surface>"). Guests are
// refused some of them by the gate.
inline constexpr std::string_view kUsdClientId = "6c1a6f3e-0b9d-4f0e-9c55-2a0d7b1e5501";            // Unified Service Desk
inline constexpr std::string_view kOutlookAppClientId = "6c1a6f3e-0b9d-4f0e-9c55-2a0d7b1e5502";     // Dynamics 365 App for Outlook
inline constexpr std::string_view kCustomerVoiceClientId = "6c1a6f3e-0b9d-4f0e-9c55-2a0d7b1e5503";  // Dynamics 365 Customer Voice
inline constexpr std::string_view kMakerPortalClientId = "6c1a6f3e-0b9d-4f0e-9c55-2a0d7b1e5504";    // the maker portal

}  // namespace gh::wire
