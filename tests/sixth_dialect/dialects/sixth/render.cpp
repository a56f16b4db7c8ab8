#include "render.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace clientgate::dialects::sixth {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void write_string(Writer& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void write_client(Writer& w, const core::Client& c) {
  w.StartObject();
  w.Key("id");
  w.Int64(c.id);
  w.Key("name");
  write_string(w, c.name);
  w.Key("created_at");
  write_string(w, c.created_at.iso8601(6));
  w.Key("updated_at");
  write_string(w, c.updated_at.iso8601(6));
  w.EndObject();
}

}  // namespace

std::string render_client(const core::Client& client) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  write_client(w, client);
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string render_list(const std::vector<core::Client>& clients) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("clients");
  w.StartArray();
  for (const auto& c : clients)
    write_client(w, c);
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string render_error(std::string_view message) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("error");
  write_string(w, message);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace clientgate::dialects::sixth
