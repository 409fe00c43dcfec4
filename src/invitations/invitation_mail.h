#pragma once
// The invitation email, rendered from the shared templates and queued in the
// mail outbox inside the invitation's transaction.
#include "invitations/invitation_service.h"
#include "mail/outbox.h"

namespace gh::invitations {

// `outbox` must outlive the returned mailer.
InvitationMailer OutboxMailer(mail::Outbox& outbox);

}  // namespace gh::invitations
