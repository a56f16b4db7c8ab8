#include "render.hpp"

#include "clientgate/dialects/common.hpp"
#include "clientgate/dialects/utf8.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <pugixml.hpp>
#include <sstream>

namespace clientgate::dialects::intervals {
namespace {

std::string status_text(http::status status) {
  return std::string(http::obsolete_reason(status));
}

std::string render_json(const Envelope& e) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("personid");
  w.String(e.personid);
  w.Key("status");
  w.String(status_text(e.status));
  w.Key("code");
  w.Int(static_cast<int>(e.status));
  if (e.listcount) {
    w.Key("listcount");
    w.Int64(*e.listcount);
  }
  if (e.clients) {
    w.Key("client");
    w.StartArray();
    for (const auto& client : *e.clients) {
      w.StartObject();
      for (const auto& field : client) {
        w.Key(field.name.data(), static_cast<rapidjson::SizeType>(field.name.size()));
        if (field.value)
          w.String(*field.value);
        else
          w.Null();
      }
      w.EndObject();
    }
    w.EndArray();
  }
  if (e.error) {
    w.Key("error");
    w.StartObject();
    w.Key("code");
    w.Int(static_cast<int>(e.error->code));
    w.Key("message");
    w.String(std::string(message_of(e.error->code)));
    w.Key("verbose");
    w.StartArray();
    for (const auto& line : e.error->verbose)
      // Messages echo what the client sent (a parameter name, a path), which may be any bytes.
      w.String(utf8_or_replaced(line));
    w.EndArray();
    w.EndObject();
  }
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

void text_child(pugi::xml_node parent, const char* name, std::string_view text) {
  auto node = parent.append_child(name);
  if (!text.empty())
    node.append_child(pugi::node_pcdata).set_value(xml_chars_only(text, text_rules).c_str());
}

std::string render_xml(const Envelope& e) {
  pugi::xml_document doc;
  auto declaration = doc.append_child(pugi::node_declaration);
  declaration.append_attribute("version") = "1.0";
  declaration.append_attribute("encoding") = "UTF-8";
  auto root = doc.append_child("intervals");
  text_child(root, "personid", e.personid);
  text_child(root, "status", status_text(e.status));
  text_child(root, "code", std::to_string(static_cast<int>(e.status)));
  if (e.listcount) text_child(root, "listcount", std::to_string(*e.listcount));
  if (e.clients) {
    auto list = root.append_child("client");
    for (const auto& client : *e.clients) {
      auto item = list.append_child("item");
      for (const auto& field : client)
        text_child(item, std::string(field.name).c_str(), field.value.value_or(""));
    }
  }
  if (e.error) {
    auto error = root.append_child("error");
    text_child(error, "code", std::to_string(static_cast<int>(e.error->code)));
    text_child(error, "message", message_of(e.error->code));
    auto verbose = error.append_child("verbose");
    for (const auto& line : e.error->verbose)
      text_child(verbose, "item", line);
  }
  std::ostringstream out;
  doc.save(out, "", pugi::format_raw | pugi::format_no_empty_element_tags, pugi::encoding_utf8);
  return out.str();
}

}  // namespace

Format response_format(const Header& header) {
  auto it = header.find(http::field::accept);
  if (it == header.end()) return Format::json;
  std::string_view accept = it->value();
  while (!accept.empty()) {
    auto comma = accept.find(',');
    std::string_view range = accept.substr(0, comma);
    accept = comma == std::string_view::npos ? std::string_view{} : accept.substr(comma + 1);
    std::string type = ascii_lower(trim_blanks(range.substr(0, range.find(';'))));
    if (type == "application/xml" || type == "text/xml") return Format::xml;
    if (type == "application/json") return Format::json;
  }
  return Format::json;
}

std::string_view content_type(Format format) {
  return format == Format::xml ? "application/xml; charset=utf-8"
                               : "application/json; charset=utf-8";
}

http::status status_of(ApiCode code) {
  switch (code) {
    case ApiCode::general:
      return http::status::internal_server_error;
    case ApiCode::invalid_auth:
      return http::status::unauthorized;
    case ApiCode::permission:
      return http::status::forbidden;
    case ApiCode::no_such_resource:
      return http::status::not_found;
    case ApiCode::method_not_available:
    case ApiCode::unknown_parameter:
    case ApiCode::validation:
      return http::status::bad_request;
    case ApiCode::service_offline:
      return http::status::service_unavailable;
  }
  return http::status::internal_server_error;
}

std::string_view message_of(ApiCode code) {
  switch (code) {
    case ApiCode::general:
      return "General error";
    case ApiCode::invalid_auth:
      return "Invalid authentication";
    case ApiCode::permission:
      return "Permission denied";
    case ApiCode::no_such_resource:
      return "Resource not found";
    case ApiCode::method_not_available:
      return "HTTP method not available";
    case ApiCode::unknown_parameter:
      return "Parameter not recognized";
    case ApiCode::validation:
      return "Validation error";
    case ApiCode::service_offline:
      return "Service offline";
  }
  return "General error";
}

Envelope error_envelope(std::string personid, ApiError error) {
  Envelope e;
  e.personid = std::move(personid);
  e.status = error.status.value_or(status_of(error.code));
  e.error = std::move(error);
  return e;
}

std::string render(const Envelope& envelope, Format format) {
  return format == Format::xml ? render_xml(envelope) : render_json(envelope);
}

Response respond(const Envelope& envelope, Format format) {
  Response r;
  r.status = envelope.status;
  r.headers.set(http::field::content_type, content_type(format));
  r.body = render(envelope, format);
  return r;
}

}  // namespace clientgate::dialects::intervals
