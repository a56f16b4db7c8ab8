#include "parse.hpp"

#include <pugixml.hpp>

#include "client_fields.hpp"
#include "clientgate/dialects/common.hpp"
#include "description_html.hpp"

namespace clientgate::dialects::intervals {
namespace {

ApiError validation_error(std::string message) {
  return api_error(ApiCode::validation, std::move(message));
}

std::variant<BodyFields, ApiError> parse_json(std::string_view body) {
  rapidjson::Document doc;
  // A number where a field is a string is taken as its exact text (`"phone":5550100`), as
  // the real PHP server reads it: every value below is read as text.
  switch (parse_json_body(body, doc, 16, /*numbers_as_text=*/true)) {
    case JsonBodyError::none:
      break;
    case JsonBodyError::too_deep:
      return validation_error("The request body is nested too deeply");
    case JsonBodyError::invalid_utf8:
      return validation_error("The request body is not valid UTF-8");
    case JsonBodyError::malformed:
      return validation_error("The request body is not well-formed JSON");
  }
  if (!doc.IsObject()) {
    return validation_error(doc.IsArray() ? "The request body must be one JSON object, not an array"
                                          : "The request body must be a JSON object");
  }
  BodyFields fields;
  std::vector<std::string> problems;
  for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it) {
    std::string name(it->name.GetString(), it->name.GetStringLength());
    const auto& value = it->value;
    if (value.IsString()) {
      fields.push_back({name, std::string(value.GetString(), value.GetStringLength())});
    } else if (value.IsNull()) {
      fields.push_back({name, std::nullopt});
    } else if (value.IsBool() && name == "active") {
      fields.push_back({name, std::string(value.GetBool() ? "t" : "f")});
    } else {
      problems.push_back("The field " + name + " must be a string");
    }
  }
  if (!problems.empty()) return ApiError{ApiCode::validation, std::move(problems), std::nullopt};
  return fields;
}

std::variant<BodyFields, ApiError> parse_xml(std::string_view body) {
  if (!valid_utf8(body)) return validation_error("The request body is not valid UTF-8");
  pugi::xml_document doc;
  // parse_doctype keeps a DOCTYPE as a node so that it can be refused; pugixml never reads
  // external entities nor expands declared ones.
  auto result = doc.load_buffer(body.data(), body.size(), pugi::parse_default | pugi::parse_doctype,
                                pugi::encoding_utf8);
  if (!result) return validation_error("The request body is not well-formed XML");
  for (auto node : doc.children())
    if (node.type() == pugi::node_doctype)
      return validation_error("The request body must not have a DOCTYPE");
  auto root = doc.document_element();
  if (std::string_view(root.name()) != "client")
    return validation_error("The root element of the request body must be <client>");

  BodyFields fields;
  std::vector<std::string> problems;
  for (auto element : root.children()) {
    if (element.type() != pugi::node_element) {
      if (element.type() == pugi::node_pcdata || element.type() == pugi::node_cdata)
        problems.push_back("The <client> element may hold only field elements, not text");
      continue;
    }
    std::string name = element.name();
    std::string text;
    bool only_text = true;
    for (auto part : element.children()) {
      if (part.type() == pugi::node_pcdata || part.type() == pugi::node_cdata)
        text += part.value();
      else if (part.type() == pugi::node_element)
        only_text = false;
    }
    if (!only_text) {
      problems.push_back("The field " + name + " must hold text, not elements");
      continue;
    }
    if (text.empty())
      fields.push_back({name, std::nullopt});
    else
      fields.push_back({name, std::move(text)});
  }
  if (!problems.empty()) return ApiError{ApiCode::validation, std::move(problems), std::nullopt};
  return fields;
}

// A text field with a length limit; nullopt value clears it.
void limited_text(const BodyField& field, std::size_t limit, core::Change<core::Text>& target,
                  std::vector<std::string>& problems) {
  if (field.value && utf8_length(*field.value) > limit) {
    problems.push_back("The field " + field.name + " may not be longer than " +
                       std::to_string(limit) + " characters");
    return;
  }
  target = field.value;
}

bool is_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (text[i] < '0' || text[i] > '9') return false;
  int month = (text[5] - '0') * 10 + (text[6] - '0');
  int day = (text[8] - '0') * 10 + (text[9] - '0');
  int year = std::stoi(std::string(text.substr(0, 4)));
  static constexpr int days_in[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return false;
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  int last = days_in[month - 1] + (month == 2 && leap ? 1 : 0);
  return day <= last;
}

}  // namespace

std::optional<bool> parse_boolean(std::string_view text) {
  std::string value = ascii_lower(text);
  if (value == "t" || value == "true" || value == "1") return true;
  if (value == "f" || value == "false" || value == "0") return false;
  return std::nullopt;
}

std::variant<BodyFields, ApiError> parse_body(std::string_view media_type, std::string_view body) {
  bool blank = true;
  for (char c : body)
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') blank = false;
  if (blank) return BodyFields{};
  if (media_type == "application/json") return parse_json(body);
  if (media_type == "application/xml" || media_type == "text/xml") return parse_xml(body);
  return validation_error(
      "The Content-Type of the request body must be application/json or "
      "application/xml");
}

std::variant<core::ClientPatch, ApiError> client_patch(const BodyFields& sent, bool creating,
                                                       const DescriptionLimits& limits) {
  // The last of a repeated name wins, as in a PHP array.
  BodyFields fields;
  for (const auto& field : sent) {
    auto same = std::find_if(fields.begin(), fields.end(),
                             [&](const BodyField& f) { return f.name == field.name; });
    if (same != fields.end())
      *same = field;
    else
      fields.push_back(field);
  }

  std::vector<std::string> unknown;
  for (const auto& field : fields) {
    static const char* const known[] = {"name",    "datecreated", "description", "email",
                                        "website", "phone",       "fax",         "address",
                                        "active",  "id",          "localid",     "localidunpadded"};
    if (std::find(std::begin(known), std::end(known), field.name) == std::end(known))
      unknown.push_back("Unknown field: " + field.name);
  }
  if (!unknown.empty())
    return ApiError{ApiCode::unknown_parameter, std::move(unknown), std::nullopt};

  core::ClientPatch patch;
  std::vector<std::string> problems;
  bool has_name = false;
  for (const auto& field : fields) {
    const std::string& name = field.name;
    if (name == "name") {
      has_name = true;
      bool blank = !field.value || field.value->find_first_not_of(" \t\r\n") == std::string::npos;
      if (blank)
        problems.push_back("The field name is required");
      else if (utf8_length(*field.value) > max_name_length)
        problems.push_back("The field name may not be longer than 255 characters");
      else
        patch.name = *field.value;
    } else if (name == "datecreated") {
      std::optional<core::Timestamp> date;
      if (field.value && is_date(*field.value)) date = core::Timestamp::parse_iso8601(*field.value);
      if (!date)
        problems.push_back("The field datecreated must be a date (YYYY-MM-DD)");
      else
        patch.created_at = *date;
    } else if (name == "description") {
      if (!field.value) {
        patch.description = core::Text{};
      } else {
        DescriptionRefusal why{};
        if (auto clean = clean_description_html(*field.value, limits, &why))
          patch.description = std::move(*clean);
        else
          problems.push_back(refusal_message(why, limits));
      }
    } else if (name == "email") {
      limited_text(field, max_email_length, patch.email, problems);
    } else if (name == "website") {
      limited_text(field, max_website_length, patch.website, problems);
    } else if (name == "phone") {
      limited_text(field, max_phone_length, patch.phone, problems);
    } else if (name == "fax") {
      limited_text(field, max_fax_length, patch.fax, problems);
    } else if (name == "address") {
      // One text in, one text out: the whole address goes to address1 (lossy by design).
      patch.address1 = field.value;
      patch.address2 = core::Text{};
      patch.city = core::Text{};
      patch.state = core::Text{};
      patch.postal_code = core::Text{};
    } else if (name == "active") {
      auto active = field.value ? parse_boolean(*field.value) : std::nullopt;
      if (!active)
        problems.push_back("The field active must be t or f");
      else
        patch.active = *active;
    }
    // id, localid, localidunpadded: shown by GET, not settable; ignored.
  }
  if (creating && !has_name) problems.push_back("The field name is required");
  if (!problems.empty()) return ApiError{ApiCode::validation, std::move(problems), std::nullopt};
  return patch;
}

}  // namespace clientgate::dialects::intervals
