#include "routes.hpp"

#include "clientgate/dialects/common.hpp"

namespace clientgate::dialects::intervals {

Target target_of(boost::urls::url_view url) {
  auto segments = path_segments(url);
  if (segments.empty() || segments[0] != "client") return {};
  if (segments.size() == 1 || (segments.size() == 2 && segments[1].empty()))
    return {Target::collection, {}};
  if (!segments[1].empty() &&
      (segments.size() == 2 || (segments.size() == 3 && segments[2].empty())))
    return {Target::member, segments[1]};
  return {};
}

}  // namespace clientgate::dialects::intervals
