// Where a request under /client points (the Intervals "client" resource).
#pragma once

#include <string>

#include <boost/url/url_view.hpp>

namespace clientgate::dialects::intervals {

// Where a request points: the collection, one member, or nothing this resource has.
struct Target {
  enum Kind { collection, member, nowhere } kind = nowhere;
  std::string id_text;  // as written in the path (member)
};

Target target_of(boost::urls::url_view url);

}  // namespace clientgate::dialects::intervals
