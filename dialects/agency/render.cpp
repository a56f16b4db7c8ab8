#include "render.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "clientgate/dialects/transport_errors.hpp"

namespace clientgate::dialects::agency {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void write_string(Writer& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

std::string finish(const rapidjson::StringBuffer& buffer) {
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

std::string render_timestamp(core::Timestamp at) {
  return at.iso8601(3);
}

std::string render_client_list(const std::vector<core::Client>& clients) {
  rapidjson::StringBuffer buffer;
  // About 150 bytes an item: one allocation for the common case.
  buffer.Reserve(clients.size() * 160 + 2);
  Writer w(buffer);
  w.StartArray();
  for (const auto& c : clients) {
    const core::ClientCounts counts = c.counts.value_or(core::ClientCounts{});
    w.StartObject();
    w.Key("id");
    write_string(w, c.uuid);
    w.Key("name");
    write_string(w, c.name);
    w.Key("campaignsCount");
    w.Int64(counts.campaigns);
    w.Key("linksCount");
    w.Int64(counts.links);
    w.Key("createdAt");
    write_string(w, render_timestamp(c.created_at));
    w.EndObject();
  }
  w.EndArray();
  return finish(buffer);
}

std::string render_client(const core::Client& c) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("id");
  write_string(w, c.uuid);
  w.Key("name");
  write_string(w, c.name);
  w.Key("createdAt");
  write_string(w, render_timestamp(c.created_at));
  w.Key("updatedAt");
  write_string(w, render_timestamp(c.updated_at));
  w.EndObject();
  return finish(buffer);
}

std::string render_message(std::string_view message) {
  return json_message_body(message);
}

std::string render_validation_error(const Issues& issues) {
  std::vector<std::string> fields;
  for (const auto& issue : issues) {
    bool seen = false;
    for (const auto& f : fields)
      seen = seen || f == issue.field;
    if (!seen) fields.push_back(issue.field);
  }
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("message");
  w.String("Validation error");
  w.Key("issues");
  w.StartObject();
  for (const auto& field : fields) {
    w.Key(field.data(), static_cast<rapidjson::SizeType>(field.size()));
    w.StartArray();
    for (const auto& issue : issues)
      if (issue.field == field) write_string(w, issue.message);
    w.EndArray();
  }
  w.EndObject();
  w.EndObject();
  return finish(buffer);
}

}  // namespace clientgate::dialects::agency
