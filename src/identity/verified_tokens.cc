#include "identity/verified_tokens.h"

namespace gh::identity {

std::optional<VerifiedTokens::Entry> VerifiedTokens::Find(std::string_view token, int64_t now_s, int64_t leeway_s) {
  std::lock_guard lock(mu_);
  for (Map* map : {&current_, &previous_}) {
    auto it = map->find(token);
    if (it == map->end()) continue;
    const Entry& e = it->second;
    // The same comparisons as VerifyJwt: the leeway moves `now`, never a claim.
    if (now_s - leeway_s >= e.exp) {
      map->erase(it);
      return std::nullopt;
    }
    if (e.nbf && now_s + leeway_s < *e.nbf) return std::nullopt;
    return e;
  }
  return std::nullopt;
}

void VerifiedTokens::Put(std::string_view token, Entry entry) {
  std::lock_guard lock(mu_);
  if (current_.size() >= capacity_) {
    previous_ = std::move(current_);
    current_ = Map();
  }
  current_.insert_or_assign(std::string(token), std::move(entry));
}

}  // namespace gh::identity
