#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <charconv>
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

// A client's JSON is written straight into the response string, sized once: the writer's
// per-character output and a temporary string per timestamp cost more than the rest of a
// list of 25 together (callgrind). A string with anything to escape goes through RapidJSON's
// writer, so the bytes are the writer's (a unit test compares them).
void append_string(std::string& out, std::string_view s) {
  if (needs_escape(s)) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    out.append(buffer.GetString(), buffer.GetSize());
    return;
  }
  out.push_back('"');
  out.append(s);
  out.push_back('"');
}

void write_string(Writer& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void append_int(std::string& out, std::int64_t value) {
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, end);
}

void append_time(std::string& out, core::Timestamp t) {
  out.push_back('"');
  t.append_iso8601(out, 6);
  out.push_back('"');
}

// What one client adds to the output beyond its strings' own lengths.
constexpr std::size_t kClientOverhead = 160;

void append_client(std::string& out, const core::Client& c, const core::Company* company) {
  out.append(R"({"id":)");
  append_int(out, c.id);
  out.append(R"(,"title":)");
  append_string(out, c.name);
  if (company) {
    out.append(R"(,"company":{"id":)");
    append_int(out, company->id);
    out.append(R"(,"title":)");
    append_string(out, company->title);
    out.push_back('}');
  }
  out.append(R"(,"created_at":)");
  append_time(out, c.created_at);
  out.append(R"(,"updated_at":)");
  append_time(out, c.updated_at);
  out.push_back('}');
}

std::string text(const rapidjson::StringBuffer& b) {
  return {b.GetString(), b.GetSize()};
}

}  // namespace

std::string render_client(const core::Client& client, const core::Company* company) {
  std::string out;
  out.reserve(kClientOverhead + client.name.size() + (company ? company->title.size() : 0));
  append_client(out, client, company);
  return out;
}

std::string render_list(const std::vector<core::Client>& clients,
                        const std::function<const core::Company*(core::CompanyId)>& company_of) {
  std::string out;
  std::size_t size = 2;
  for (const auto& c : clients)
    size += kClientOverhead + c.name.size() + 64;  // 64: a company title, usually
  out.reserve(size);
  out.push_back('[');
  for (std::size_t i = 0; i < clients.size(); ++i) {
    if (i > 0) out.push_back(',');
    append_client(out, clients[i], company_of(clients[i].company_id));
  }
  out.push_back(']');
  return out;
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
