// Which dialect answers a request, decided on the header alone.
#pragma once

#include <memory>
#include <vector>

#include "clientgate/dialects/dialect.hpp"

namespace clientgate::gateway {

class Router {
 public:
  explicit Router(std::vector<std::unique_ptr<dialects::Dialect>> dialects);

  // The dialect with the strongest claim; on a tie the one whose name sorts first, so the
  // answer never depends on registration order. nullptr when no dialect claims the request.
  dialects::Dialect* route(const dialects::Header& header, boost::urls::url_view url) const;

  // In name order.
  const std::vector<std::unique_ptr<dialects::Dialect>>& dialects() const { return dialects_; }

 private:
  std::vector<std::unique_ptr<dialects::Dialect>> dialects_;
};

}  // namespace clientgate::gateway
