#include "clientgate/gateway/router.hpp"

#include <algorithm>

namespace clientgate::gateway {

Router::Router(std::vector<std::unique_ptr<dialects::Dialect>> dialects)
    : dialects_(std::move(dialects)) {
  std::sort(dialects_.begin(), dialects_.end(),
            [](const auto& a, const auto& b) { return a->name() < b->name(); });
}

dialects::Dialect* Router::route(const dialects::Header& header, boost::urls::url_view url) const {
  dialects::Dialect* best = nullptr;
  auto best_claim = dialects::Claim::none;
  for (const auto& dialect : dialects_) {
    auto claim = dialect->claim(header, url);
    // Strictly stronger only: in name order, the first of equal claims keeps the request.
    if (static_cast<int>(claim) > static_cast<int>(best_claim)) {
      best = dialect.get();
      best_claim = claim;
    }
  }
  return best;
}

}  // namespace clientgate::gateway
