#include "mail/outbox.h"

#include <boost/json.hpp>

#include "core/encoding.h"
#include "mail/message.h"
#include "store/outbox_repository.h"

namespace gh::mail {

namespace json = boost::json;

std::string FromNameFor(const std::string& org_name) { return org_name + " via Gatehouse"; }

namespace {

// What BuildMessage would refuse at delivery, checked now so the caller gets
// the error while it can still tell its client.
Status ValidateEnvelope(const Mail& mail) {
  if (mail.kind.empty()) return InvalidArgument("A mail needs a kind.");
  if (mail.to.empty() && mail.cc.empty()) return InvalidArgument("A mail needs at least one recipient.");
  for (const auto* list : {&mail.to, &mail.cc}) {
    for (const auto& a : *list) {
      if (!IsValidAddress(a)) return InvalidArgument("'" + a + "' is not a valid email address.");
    }
  }
  if (!mail.reply_to.empty() && !IsValidAddress(mail.reply_to))
    return InvalidArgument("'" + mail.reply_to + "' is not a valid reply-to address.");
  return OkStatus();
}

Status ValidateOneLine(const std::string& subject, const std::string& from_name) {
  for (const std::string* field : {&subject, &from_name}) {
    if (field->find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos)
      return InvalidArgument("A mail's subject and sender name must be one line.");
  }
  return OkStatus();
}

// A mail's values for the slots of its shared rendering as the outbox
// stores them: a JSON array of strings (written directly, as the store
// writes its array columns: bulk jobs write one a row).
std::string EncodeFills(const SlotValues& values) {
  std::string out = "[";
  for (const std::string& v : values) {
    if (out.size() > 1) out += ',';
    out += json::serialize(json::string_view(v));
  }
  return out += ']';
}

// The stored form of `mail` (without its subject and bodies).
store::OutboxMessage Envelope(const Mail& mail, std::string id, int64_t now) {
  store::OutboxMessage m;
  m.id = std::move(id);
  m.tenant_id = mail.tenant_id;
  m.kind = mail.kind;
  m.to = mail.to;
  m.cc = mail.cc;
  m.from_name = mail.from_name;
  m.reply_to = mail.reply_to;
  m.created_at = m.next_attempt_at = now;
  m.dedupe_key = mail.dedupe_key;
  return m;
}

}  // namespace

StatusOr<std::string> Outbox::Enqueue(store::Transaction& tx, const Mail& mail) {
  GH_RETURN_IF_ERROR(ValidateEnvelope(mail));
  GH_RETURN_IF_ERROR(ValidateOneLine(mail.subject, mail.from_name));
  const int64_t now = clock_.NowMillis();
  store::OutboxMessage m = Envelope(mail, random_.NewOrderedUuid(now), now);
  m.subject = mail.subject;
  m.text_body = mail.text_body;
  m.html_body = mail.html_body;
  GH_RETURN_IF_ERROR(tx.Outbox().Enqueue(m));
  return m.id;
}

StatusOr<std::vector<std::string>> Outbox::EnqueueShared(store::Transaction& tx, const SharedRendering& shared,
                                                         const std::vector<Mail>& mails) {
  GH_ASSIGN_OR_RETURN(SharedBatch batch, PrepareShared(shared, mails));
  GH_RETURN_IF_ERROR(WriteShared(tx, batch));
  std::vector<std::string> ids;
  ids.reserve(batch.messages.size());
  for (const store::OutboxMessage& m : batch.messages) ids.push_back(m.id);
  return ids;
}

Status Outbox::WriteShared(store::Transaction& tx, const SharedBatch& batch) {
  GH_RETURN_IF_ERROR(tx.Outbox().PutSharedBody(batch.body));
  return tx.Outbox().EnqueueAll(batch.messages);
}

StatusOr<Outbox::SharedBatch> Outbox::PrepareShared(const SharedRendering& shared, const std::vector<Mail>& mails) {
  const RenderedMail& parts = shared.parts;
  for (size_t i = 0; i < mails.size(); ++i) {
    Status valid = ValidateEnvelope(mails[i]);
    if (valid.ok()) valid = ValidateOneLine(parts.subject, mails[i].from_name);
    if (!valid.ok()) return InvalidArgument("Mail to " + (mails[i].to.empty() ? "(nobody)" : mails[i].to.front()) +
                                            ": " + valid.message());
  }
  const int64_t now = clock_.NowMillis();
  std::vector<store::BodySlot> slots;
  std::string slot_key;
  for (const Slot& s : shared.slots) {
    slots.push_back({s.text, s.value, s.html_escaped});
    slot_key += '\0' + s.text + '\0' + std::to_string(s.value) + (s.html_escaped ? "h" : "");
  }
  // The id is the content's hash, so every chunk of a job shares one row.
  SharedBatch batch{{Sha256Hex(parts.subject + '\0' + parts.text + '\0' + parts.html + slot_key), parts.subject,
                     parts.text, parts.html, now, std::move(slots)},
                    {}};
  batch.messages.reserve(mails.size());
  for (const Mail& mail : mails) {
    store::OutboxMessage& m = batch.messages.emplace_back(Envelope(mail, random_.NewOrderedUuid(now), now));
    m.shared_body_id = batch.body.id;
    m.fills = EncodeFills(mail.fill_values);
  }
  return batch;
}

namespace {

// A slot's text and what replaces it.
using Fills = std::vector<std::pair<std::string, std::string>>;

// Mails queued before migration 12 kept [[slot text, value], …] and their
// body no slots.
Fills LegacyFills(const json::value& stored) {
  Fills out;
  if (!stored.is_array()) return out;
  for (const json::value& pair : stored.as_array()) {
    const json::array* p = pair.if_array();
    if (p && p->size() == 2 && (*p)[0].is_string() && (*p)[1].is_string())
      out.emplace_back(std::string((*p)[0].as_string()), std::string((*p)[1].as_string()));
  }
  return out;
}

Fills FillsFor(const store::SharedBody& body, const std::string& stored) {
  std::error_code ec;
  const json::value parsed = json::parse(stored, ec);
  if (ec) return {};  // a damaged column fills nothing, as a missing value
  if (body.slots.empty()) return LegacyFills(parsed);
  std::vector<std::string_view> values;  // the strings of the array, as the store reads its array columns
  if (parsed.is_array())
    for (const json::value& v : parsed.as_array())
      if (v.is_string()) values.push_back(v.as_string());
  Fills out;
  for (const store::BodySlot& slot : body.slots) {
    if (slot.value < 0 || static_cast<size_t>(slot.value) >= values.size()) continue;  // left as is
    std::string_view value = values[slot.value];
    out.emplace_back(slot.text, slot.html_escaped ? HtmlEscape(value) : std::string(value));
  }
  return out;
}

// `shared` with every slot replaced by its value, in one left-to-right pass:
// a value is never searched for slots itself.
std::string Fill(std::string_view shared, const Fills& fills) {
  std::string out;
  out.reserve(shared.size() + 256);
  size_t pos = 0;
  for (;;) {
    size_t at = std::string_view::npos;
    const std::pair<std::string, std::string>* first = nullptr;
    for (const auto& fill : fills) {
      size_t found = fill.first.empty() ? std::string_view::npos : shared.find(fill.first, pos);
      if (found < at) at = found, first = &fill;
    }
    if (!first) break;
    out.append(shared.substr(pos, at - pos)).append(first->second);
    pos = at + first->first.size();
  }
  return out.append(shared.substr(pos));
}

}  // namespace

RenderedMail ContentOf(const store::OutboxMessage& m) {
  if (!m.shared_body) return {m.subject, m.text_body, m.html_body};
  const store::SharedBody& body = *m.shared_body;
  const Fills fills = FillsFor(body, m.fills);
  return {Fill(body.subject, fills), Fill(body.text_body, fills), Fill(body.html_body, fills)};
}

}  // namespace gh::mail
