// Text: explanation text rendered when it is read (see decision.h).
#include <ostream>

#include "gate/decision.h"

namespace gh::gate {

void Text::DeleteOwned() { delete p_.owned; }

std::string Text::str() const {
  switch (kind_) {
    case kEmpty: return {};
    case kLiteral: return p_.literal;
    case kRender: return p_.render(args_);
    case kOwned: return *p_.owned;
  }
  return {};
}

std::ostream& operator<<(std::ostream& os, const Text& t) {
  switch (t.kind_) {
    case Text::kEmpty: return os;
    case Text::kLiteral: return os << t.p_.literal;
    case Text::kRender: return os << t.p_.render(t.args_);
    case Text::kOwned: return os << *t.p_.owned;
  }
  return os;
}

}  // namespace gh::gate
