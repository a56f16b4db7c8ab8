#include "support/wire.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <pugixml.hpp>

namespace clientgate::test {

namespace {

std::string compact(const rapidjson::Value& v) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  v.Accept(w);
  return std::string(buffer.GetString(), buffer.GetSize());
}

// Objects by "a.b"; a non-empty array of objects by its first element as "a[]"; anything
// else is a leaf.
void flatten(const rapidjson::Value& v, const std::string& path, Flat& out) {
  if (v.IsObject()) {
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
      std::string key(it->name.GetString(), it->name.GetStringLength());
      flatten(it->value, path.empty() ? key : path + "." + key, out);
    }
  } else if (v.IsArray() && !v.Empty() && v[0].IsObject()) {
    flatten(v[0], path + "[]", out);
  } else {
    out[path] = compact(v);
  }
}

}  // namespace

std::string json_string(std::string_view text) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::optional<Flat> flatten_json(const std::string& body, const std::string& root) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseFullPrecisionFlag>(body.data(), body.size());
  if (doc.HasParseError()) return std::nullopt;
  const rapidjson::Value* at = &doc;
  if (root == "data") {
    if (!doc.IsObject() || !doc.HasMember("data")) return std::nullopt;
    at = &doc["data"];
  } else if (root == "client[0]") {
    if (!doc.IsObject() || !doc.HasMember("client") || !doc["client"].IsArray() ||
        doc["client"].Empty()) {
      return std::nullopt;
    }
    at = &doc["client"][0];
  }
  if (!at->IsObject()) return std::nullopt;
  Flat out;
  flatten(*at, "", out);
  return out;
}

std::optional<Flat> flatten_xml(const std::string& body, const std::string& element) {
  pugi::xml_document doc;
  if (!doc.load_buffer(body.data(), body.size())) return std::nullopt;
  pugi::xml_node node = doc.document_element();
  if (std::string(node.name()) != element) node = node.child(element.c_str());
  if (!node) return std::nullopt;
  Flat out;
  for (pugi::xml_node child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    std::string type = child.attribute("type").value();
    std::string text = child.text().get();
    if (std::string(child.attribute("nil").value()) == "true") {
      out[child.name()] = "null";
    } else if (type == "integer" || type == "boolean") {
      out[child.name()] = text;
    } else {
      out[child.name()] = json_string(text);
    }
  }
  return out;
}

}  // namespace clientgate::test
