// Text: explanation text rendered when it is read (see decision.h).
#include <ostream>

#include "gate/decision.h"

namespace gh::gate {

std::string Text::str() const {
  if (render_) return render_(args_);
  if (!owned_.empty()) return owned_;
  return std::string(literal_);
}

std::ostream& operator<<(std::ostream& os, const Text& t) {
  if (t.render_) return os << t.render_(t.args_);
  if (!t.owned_.empty()) return os << t.owned_;
  return os << t.literal_;
}

}  // namespace gh::gate
