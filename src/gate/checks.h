#pragma once
// The gate's rules, one small function each (internal to the gate; Decide in
// decide.cc composes them per action). Every check returns its stable id,
// pass/fail, a sentence, and on failure the remedy.
#include <string>

#include "gate/decision.h"
#include "gate/snapshot.h"

namespace gh::gate {

// What every check may read: the snapshot, the request, and the user and
// environment already looked up (kNoIndex when absent). A check reads the
// user's flags and groups from core() (one cache line) and the full record,
// u(), only for what the core doesn't hold (names, home ids, roles).
struct CheckContext {
  const Snapshot& snap;
  const AccessRequest& req;
  uint32_t user = kNoIndex;
  uint32_t env = kNoIndex;
  const UserFacts& u() const { return snap.user(user); }
  const UserCore& core() const { return snap.core(user); }
};

// Identity and invitation.
Check AccountEnabled(const CheckContext& c);
Check InvitationAccepted(const CheckContext& c);
Check AccountOrganizational(const CheckContext& c);  // not a personal (consumers) account
// Cross-tenant access and clouds.
Check CrossTenantInbound(const CheckContext& c);
Check CrossTenantOutbound(const CheckContext& c);
Check CloudBoundary(const CheckContext& c);
Check MakerSameCloud(const CheckContext& c);
// Environments.
Check EnvironmentExists(const CheckContext& c);
Check EnvironmentState(const CheckContext& c);
Check LicenseEnvironmentAccess(const CheckContext& c);
Check EnvironmentSecurityGroup(const CheckContext& c);
Check EnvironmentSecurityRole(const CheckContext& c);
// Apps and making.
Check AppShared(const CheckContext& c);
Check LicenseAppRun(const CheckContext& c);
Check RoleEnvironmentMaker(const CheckContext& c);
Check RoleSolution(const CheckContext& c, bool import);
Check EnvironmentDataverse(const CheckContext& c);
Check LicenseDataverse(const CheckContext& c);
Check TenantSettingsGuestsToMake(const CheckContext& c);
Check GuestAccessSameAsMembers(const CheckContext& c);
// Client surfaces and collaboration features refused to guests.
Check ClientUsd(const CheckContext& c);
Check ClientOutlookHomeEmail(const CheckContext& c);
Check CustomerVoice(const CheckContext& c);
Check GroupCreateMicrosoft365(const CheckContext& c);
Check GroupParticipate(const CheckContext& c);
// Directory.
Check DirectoryRead(const CheckContext& c);
Check InviteAllowed(const CheckContext& c);
Check InviteDomain(const CheckContext& c);
Check InviteCrossTenant(const CheckContext& c);

}  // namespace gh::gate
