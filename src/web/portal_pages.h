#pragma once
// The admin portal, /portal/{tenant} (tenant = id or verified domain): signed
// in through the tenant's own sign-in pages, for Global Administrators, User
// Administrators and Guest Inviters. So far: the home page; Users (search,
// filters, paging); New guest user
// (one invitation, the refusal shown next to the field it is about); and
// bulk invitations: download the template, upload a CSV (refusals shown next
// to the file field), watch the job (the page refreshes itself while it
// runs), cancel it, download the per-row results.
#include <vector>

#include "core/random.h"
#include "directory/directory_service.h"
#include "http/router.h"
#include "identity/signin.h"
#include "invitations/bulk_runner.h"
#include "invitations/bulk_service.h"

namespace gh::web {

struct PortalDeps {
  directory::DirectoryService& directory;
  identity::SigninService& signin;
  invitations::InvitationService& invitations;
  invitations::BulkInvitationService* bulk;  // routes answer 503 without it
  invitations::BulkRunner* runner;           // woken after an upload; may be null
  Random& random;
};

std::vector<http::Route> PortalPages(PortalDeps deps);

}  // namespace gh::web
