#pragma once
// The invitation email, rendered from the shared templates and queued in the
// mail outbox inside the invitation's transaction.
#include "invitations/invitation_service.h"
#include "mail/outbox.h"

namespace gh::invitations {

// Queues a batch's invitation emails with one multi-row write (prepared
// first, written when the batch is: InvitationBatchMailer). Emails with
// the same sender, language and message share one rendering, made once and
// stored once, with each recipient's address and link as slot values
// (mail/templates.h); the mail delivered is the same as if each were rendered
// whole. `outbox` must outlive the returned mailer.
InvitationBatchMailer OutboxMailer(mail::Outbox& outbox);

}  // namespace gh::invitations
