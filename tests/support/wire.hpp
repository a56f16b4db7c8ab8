// What the consistency tests read from a dialect's answer: the client object flattened into
// "path -> value", each value written as compact JSON (strings quoted), whatever the wire
// format. A JSON answer is flattened as it is; a legacy_xml <client> element is turned into
// the same shape from its type attributes (integer, boolean, nil).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace clientgate::test {

using Flat = std::map<std::string, std::string>;

// `root` is a path into the document ("" the whole body, "data", "client[0]").
// nullopt when the body is not JSON or the root is missing.
std::optional<Flat> flatten_json(const std::string& body, const std::string& root);

// The first element named `element` under the XML document's root (or the root itself).
std::optional<Flat> flatten_xml(const std::string& body, const std::string& element);

// A string as a JSON literal.
std::string json_string(std::string_view text);

}  // namespace clientgate::test
