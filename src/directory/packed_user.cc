#include "directory/packed_user.h"

#include <cstring>
#include <stdexcept>

namespace gh::directory {
namespace {

// The layout: id, then userPrincipalName (so both read without a walk), then
// every other field in declaration order. A string is a varint length and its
// bytes; an optional is a varint 0 (absent) or length + 1 and its bytes;
// integers are varints of their zig-zag form; a vector is a varint count and
// its elements.
class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}
  void Varint(uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<char>((v & 0x7F) | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
  }
  void Int(int64_t v) { Varint((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63)); }
  void Str(std::string_view s) {
    Varint(s.size());
    out_.append(s);
  }
  void Opt(const std::optional<std::string>& s) {
    if (!s) return Varint(0);
    Varint(s->size() + 1);
    out_.append(*s);
  }
  void OptInt(const std::optional<int64_t>& v) {
    Varint(v ? 1 : 0);
    if (v) Int(*v);
  }

 private:
  std::string& out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  uint64_t Varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= in_.size()) throw std::logic_error("PackedUser: truncated");
      const auto byte = static_cast<uint8_t>(in_[pos_++]);
      v |= static_cast<uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) return v;
    }
    throw std::logic_error("PackedUser: bad varint");
  }
  int64_t Int() {
    const uint64_t z = Varint();
    return static_cast<int64_t>((z >> 1) ^ (~(z & 1) + 1));
  }
  std::string_view Bytes(size_t n) {
    if (n > in_.size() - pos_) throw std::logic_error("PackedUser: truncated");
    std::string_view s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  std::string_view Str() { return Bytes(Varint()); }
  std::optional<std::string> Opt() {
    const uint64_t n = Varint();
    if (n == 0) return std::nullopt;
    return std::string(Bytes(n - 1));
  }
  std::optional<int64_t> OptInt() {
    if (Varint() == 0) return std::nullopt;
    return Int();
  }

 private:
  std::string_view in_;
  size_t pos_ = 0;
};

}  // namespace

PackedUser::PackedUser(const User& u) {
  Writer w(data_);
  w.Str(u.id);
  w.Str(u.user_principal_name);
  w.Str(u.tenant_id);
  w.Str(u.display_name);
  for (const auto* s : {&u.mail, &u.given_name, &u.surname, &u.job_title, &u.company_name, &u.usage_location,
                        &u.preferred_language, &u.mail_nickname})
    w.Opt(*s);
  w.Varint(u.account_enabled ? 1 : 0);
  w.Varint(u.user_type == UserType::kGuest ? 1 : 0);
  w.Opt(u.external_user_state);
  w.OptInt(u.external_user_state_changed_at);
  w.Opt(u.creation_type);
  w.Varint(u.identities.size());
  for (const Identity& i : u.identities) {
    w.Str(i.sign_in_type);
    w.Str(i.issuer);
    w.Str(i.issuer_assigned_id);
  }
  w.Varint(u.other_mails.size());
  for (const std::string& m : u.other_mails) w.Str(m);
  w.Str(u.password_hash);
  w.Int(u.created_at);
  w.Int(u.updated_at);
  w.Int(u.sessions_valid_from);
  data_.shrink_to_fit();
}

std::string_view PackedUser::id() const { return Reader(data_).Str(); }

std::string_view PackedUser::user_principal_name() const {
  Reader r(data_);
  r.Str();
  return r.Str();
}

User PackedUser::Unpack() const {
  Reader r(data_);
  User u;
  u.id = r.Str();
  u.user_principal_name = r.Str();
  u.tenant_id = r.Str();
  u.display_name = r.Str();
  for (auto* s : {&u.mail, &u.given_name, &u.surname, &u.job_title, &u.company_name, &u.usage_location,
                  &u.preferred_language, &u.mail_nickname})
    *s = r.Opt();
  u.account_enabled = r.Varint() != 0;
  u.user_type = r.Varint() != 0 ? UserType::kGuest : UserType::kMember;
  u.external_user_state = r.Opt();
  u.external_user_state_changed_at = r.OptInt();
  u.creation_type = r.Opt();
  u.identities.resize(r.Varint());
  for (Identity& i : u.identities) {
    i.sign_in_type = r.Str();
    i.issuer = r.Str();
    i.issuer_assigned_id = r.Str();
  }
  u.other_mails.resize(r.Varint());
  for (std::string& m : u.other_mails) m = r.Str();
  u.password_hash = r.Str();
  u.created_at = r.Int();
  u.updated_at = r.Int();
  u.sessions_valid_from = r.Int();
  return u;
}

}  // namespace gh::directory
