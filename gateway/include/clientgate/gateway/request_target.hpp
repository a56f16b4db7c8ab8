// The request target as real clients send it, made into one Boost.URL accepts: browsers leave
// `|`, `[`, `]`, `{`, `}`, `^`, `` ` ``, `"` unencoded in a query (Invoice Ninja's admin UI
// sends `sort=id|desc`), and PHP and Rack read a `%` not followed by two hex digits as itself.
// The gateway accepts what nginx would pass to an application.
#pragma once

#include <string>
#include <string_view>

namespace clientgate::gateway {

struct NormalizedTarget {
  // The target with every character Boost.URL's origin-form refuses percent-encoded (and a
  // `%` that starts no escape written `%25`), so that decoding gives the bytes sent.
  std::string text;
  // False for a target that is not origin-form (no leading `/`) or that holds a control
  // character, a space or a NUL; `text` is then still a parseable origin-form target made
  // from it (the path of an absolute-form target), for finding whose error shape answers.
  bool acceptable = true;
};

NormalizedTarget normalize_target(std::string_view target);

}  // namespace clientgate::gateway
