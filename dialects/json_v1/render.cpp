#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstring>

#include "clientgate/dialects/transport_errors.hpp"
#include "render.hpp"

namespace clientgate::dialects::json_v1 {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

// What RapidJSON's writer escapes: control characters, the quote and the backslash.
bool needs_escape(std::string_view s) {
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == '"' || c == '\\') return true;
  }
  return false;
}

// A short string with nothing to escape (a title, a date: nearly every string here) is
// written as a raw quoted value, which skips the writer's escape lookup per character; the
// output is the same bytes (a unit test compares them).
void write_string(Writer& w, std::string_view s) {
  constexpr std::size_t inline_max = 254;
  if (s.size() > inline_max || needs_escape(s)) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    return;
  }
  char quoted[inline_max + 2];
  quoted[0] = '"';
  std::memcpy(quoted + 1, s.data(), s.size());
  quoted[s.size() + 1] = '"';
  w.RawValue(quoted, s.size() + 2, rapidjson::kStringType);
}

void write_client(Writer& w, const core::Client& c, const core::Company* company) {
  w.StartObject();
  w.Key("id");
  w.Int64(c.id);
  w.Key("title");
  write_string(w, c.name);
  if (company) {
    w.Key("company");
    w.StartObject();
    w.Key("id");
    w.Int64(company->id);
    w.Key("title");
    write_string(w, company->title);
    w.EndObject();
  }
  w.Key("created_at");
  write_string(w, c.created_at.iso8601(6));
  w.Key("updated_at");
  write_string(w, c.updated_at.iso8601(6));
  w.EndObject();
}

std::string text(const rapidjson::StringBuffer& b) {
  return {b.GetString(), b.GetSize()};
}

}  // namespace

std::string render_client(const core::Client& client, const core::Company* company) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  write_client(w, client, company);
  return text(buffer);
}

std::string render_list(const std::vector<core::Client>& clients,
                        const std::function<const core::Company*(core::CompanyId)>& company_of) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartArray();
  for (const auto& c : clients)
    write_client(w, c, company_of(c.company_id));
  w.EndArray();
  return text(buffer);
}

std::string render_message(std::string_view message) {
  return json_message_body(message);
}

std::string render_validation(const ValidationErrors& errors) {
  std::size_t total = 0;
  for (const auto& [field, messages] : errors)
    total += messages.size();
  std::string message =
      errors.empty() ? "The given data was invalid." : errors.front().second.front();
  // Laravel's ValidationException::summarize: "(and 1 more error)", "(and 2 more errors)".
  if (total > 1) {
    message += " (and " + std::to_string(total - 1) + " more error" + (total > 2 ? "s" : "") + ")";
  }
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("message");
  write_string(w, message);
  w.Key("errors");
  w.StartObject();
  for (const auto& [field, messages] : errors) {
    write_string(w, field);
    w.StartArray();
    for (const auto& m : messages)
      write_string(w, m);
    w.EndArray();
  }
  w.EndObject();
  w.EndObject();
  return text(buffer);
}

}  // namespace clientgate::dialects::json_v1
