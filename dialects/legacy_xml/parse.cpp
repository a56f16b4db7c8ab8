#include "parse.hpp"

#include <pugixml.hpp>

#include <algorithm>

#include "clientgate/dialects/common.hpp"
#include "xml_text.hpp"

namespace clientgate::dialects::legacy_xml {
namespace {

constexpr std::string_view not_well_formed = "The request body is not well-formed XML";

bool xml_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), xml_space);
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && xml_space(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && xml_space(text.back()))
    text.remove_suffix(1);
  return text;
}

// Character references name a character too; pugixml decodes them without asking whether
// XML 1.0 allows it (and stops a string at &#0;), so they are checked on the raw bytes.
bool character_references_legal(std::string_view body) {
  std::size_t pos = 0;
  while ((pos = body.find("&#", pos)) != std::string_view::npos) {
    pos += 2;
    bool hex = pos < body.size() && body[pos] == 'x';
    if (hex) ++pos;
    std::uint64_t cp = 0;
    std::size_t digits = 0;
    for (; pos < body.size() && body[pos] != ';'; ++pos, ++digits) {
      char c = body[pos];
      int value;
      if (c >= '0' && c <= '9')
        value = c - '0';
      else if (hex && c >= 'a' && c <= 'f')
        value = c - 'a' + 10;
      else if (hex && c >= 'A' && c <= 'F')
        value = c - 'A' + 10;
      else
        return false;  // not a reference XML allows
      if (digits >= 8) return false;
      cp = cp * (hex ? 16 : 10) + static_cast<std::uint64_t>(value);
    }
    if (digits == 0 || pos == body.size() || !xml_char(static_cast<std::uint32_t>(cp)))
      return false;
  }
  return true;
}

FieldElement read_field(const pugi::xml_node& element) {
  FieldElement field;
  for (const auto& child : element.children()) {
    if (child.type() == pugi::node_element)
      field.structured = true;
    else if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata)
      field.text += child.value();
  }
  bool typed_string = std::string_view(element.attribute("type").value()) == "string";
  if (std::string_view(element.attribute("nil").value()) == "true" ||
      (!field.structured && field.text.empty() && !typed_string))
    field.nil = true;
  return field;
}

void keep(std::optional<FieldElement>& slot, const pugi::xml_node& element) {
  if (slot) {
    slot->repeated = true;
    return;
  }
  slot = read_field(element);
}

// Rails full messages: the humanised attribute name and the validation's sentence.
std::string message(std::string_view label, std::string_view sentence) {
  std::string out(label);
  out += ' ';
  out += sentence;
  return out;
}

std::string too_long(std::size_t maximum) {
  return "is too long (maximum is " + std::to_string(maximum) + " characters)";
}

// A scalar field's value, or a message. nullopt text means SQL NULL.
bool scalar(const FieldElement& field, std::string_view label, std::vector<std::string>& errors) {
  if (field.repeated) {
    errors.push_back(message(label, "is given more than once"));
    return false;
  }
  if (field.structured) {
    errors.push_back(message(label, "is invalid"));
    return false;
  }
  return true;
}

void optional_text(const std::optional<FieldElement>& field, std::string_view label,
                   std::size_t maximum, core::Change<core::Text>& target,
                   std::vector<std::string>& errors) {
  if (!field || !scalar(*field, label, errors)) return;
  if (field->nil) {
    target = core::Text{};
    return;
  }
  if (dialects::utf8_length(field->text) > maximum) {
    errors.push_back(message(label, too_long(maximum)));
    return;
  }
  target = core::Text{field->text};
}

}  // namespace

std::variant<ClientElements, BodyError> read_client_xml(std::string_view body) {
  if (!valid_utf8(body)) return BodyError{"The request body is not valid UTF-8"};
  if (!xml_clean(body) || !character_references_legal(body))
    return BodyError{"The request body contains a character that XML 1.0 does not allow"};
  // Entities are never expanded; a document that declares any is refused outright, so a
  // billion-laughs or external-entity body costs one scan and reads no file.
  if (body.find("<!DOCTYPE") != std::string_view::npos ||
      body.find("<!ENTITY") != std::string_view::npos)
    return BodyError{"Document type declarations are not allowed"};
  if (blank(body)) return ClientElements{};

  pugi::xml_document document;
  // parse_fragment keeps text outside the root, so trailing garbage can be refused.
  auto result = document.load_buffer(
      body.data(), body.size(), pugi::parse_default | pugi::parse_fragment | pugi::parse_doctype,
      pugi::encoding_utf8);
  if (!result) return BodyError{std::string(not_well_formed)};
  pugi::xml_node root;
  for (const auto& node : document.children()) {
    switch (node.type()) {
      case pugi::node_element:
        if (root) return BodyError{std::string(not_well_formed)};  // a second root
        root = node;
        break;
      case pugi::node_pcdata:
      case pugi::node_cdata:
        if (!blank(node.value())) return BodyError{std::string(not_well_formed)};
        break;
      case pugi::node_doctype:
        return BodyError{"Document type declarations are not allowed"};
      default:
        break;
    }
  }
  if (!root) return BodyError{std::string(not_well_formed)};

  ClientElements elements;
  if (std::string_view(root.name()) != "client") return elements;
  for (const auto& child : root.children()) {
    if (child.type() != pugi::node_element) continue;
    std::string_view name = child.name();
    if (name == "name")
      keep(elements.name, child);
    else if (name == "active")
      keep(elements.active, child);
    else if (name == "code")
      keep(elements.code, child);
    else if (name == "description")
      keep(elements.description, child);
    else if (name == "url")
      keep(elements.url, child);
  }
  return elements;
}

std::optional<bool> rails_boolean(std::string_view text) {
  text = trim(text);
  if (text.empty()) return std::nullopt;
  std::string lower(text);
  for (auto& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return lower == "true" || lower == "t" || lower == "1";
}

std::variant<core::ClientPatch, std::vector<std::string>> client_patch(
    const ClientElements& elements, bool creating) {
  core::ClientPatch patch;
  std::vector<std::string> errors;

  if (elements.name) {
    const auto& name = *elements.name;
    if (scalar(name, "Name", errors)) {
      if (name.nil || blank(name.text))
        errors.push_back("Name can't be blank");
      else if (dialects::utf8_length(name.text) > max_name_length)
        errors.push_back(message("Name", too_long(max_name_length)));
      else
        patch.name = name.text;
    }
  } else if (creating) {
    errors.push_back("Name can't be blank");
  }

  if (elements.active && scalar(*elements.active, "Active", errors)) {
    auto value = elements.active->nil ? std::nullopt : rails_boolean(elements.active->text);
    if (value)
      patch.active = *value;
    else
      errors.push_back("Active is not included in the list");
  }

  optional_text(elements.code, "Code", max_code_length, patch.code, errors);
  optional_text(elements.description, "Description", max_description_length, patch.description,
                errors);
  optional_text(elements.url, "Url", max_url_length, patch.website, errors);

  if (!errors.empty()) return errors;
  return patch;
}

std::variant<RangeRequest, std::string> parse_range(const std::optional<std::string>& start,
                                                    const std::optional<std::string>& end) {
  RangeRequest range;
  if (start) {
    auto value = parse_int64(*start);
    if (!value || *value < 1) return std::string("start must be a whole number of at least 1");
    range.start = *value;
  }
  if (end) {
    auto value = parse_int64(*end);
    if (!value) return std::string("end must be a whole number");
    if (*value < range.start - 1) return std::string("end must not be less than start - 1");
    range.end = *value;
  }
  return range;
}

RangeReport resolve_range(const RangeRequest& request, std::int64_t total) {
  RangeReport report;
  report.total = total;
  report.start = request.start;
  report.end = std::min(request.end.value_or(total), total);
  if (report.end < report.start - 1) report.end = report.start - 1;
  return report;
}

std::variant<Embedding, std::string> parse_include(const std::optional<std::string>& value) {
  Embedding embedding;
  if (!value || blank(*value)) return embedding;
  std::string_view rest = *value;
  while (true) {
    auto comma = rest.find(',');
    std::string_view item = trim(rest.substr(0, comma));
    if (item == "projects")
      embedding.projects = true;
    else if (item == "tasks")
      embedding.tasks = true;
    else
      return "Unknown include: " + std::string(item);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  if (embedding.tasks && !embedding.projects)
    return std::string("Unknown include: tasks (use include=projects,tasks)");
  return embedding;
}

}  // namespace clientgate::dialects::legacy_xml
