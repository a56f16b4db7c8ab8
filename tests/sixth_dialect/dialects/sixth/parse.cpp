#include "parse.hpp"

#include <rapidjson/document.h>

#include "clientgate/dialects/common.hpp"

namespace clientgate::dialects::sixth {

NameBody parse_name_body(std::string_view body) {
  NameBody out;
  rapidjson::Document doc;
  if (parse_json_body(body, doc, 16) != JsonBodyError::none || !doc.IsObject()) {
    out.error = "the body must be a JSON object";
    return out;
  }
  auto it = doc.FindMember("name");
  if (it == doc.MemberEnd()) return out;
  if (!it->value.IsString()) {
    out.error = "name must be a string";
    return out;
  }
  out.name = std::string(it->value.GetString(), it->value.GetStringLength());
  return out;
}

}  // namespace clientgate::dialects::sixth
