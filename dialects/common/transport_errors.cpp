#include "clientgate/dialects/transport_errors.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace clientgate::dialects {

http::status transport_status(TransportError error) {
  switch (error) {
    case TransportError::body_too_large:
      return http::status::payload_too_large;
    case TransportError::timeout:
      return http::status::request_timeout;
    case TransportError::bad_request:
      return http::status::bad_request;
    case TransportError::unavailable:
      return http::status::service_unavailable;
  }
  return http::status::bad_request;
}

std::string_view transport_message(TransportError error) {
  auto reason = http::obsolete_reason(transport_status(error));
  return {reason.data(), reason.size()};
}

std::string json_message_body(std::string_view message) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("message");
  writer.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
  writer.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace clientgate::dialects
