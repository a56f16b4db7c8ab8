#include "client_fields.hpp"

#include <vector>

namespace clientgate::dialects::intervals {
namespace {

bool has_text(const core::Text& text) {
  return text && !text->empty();
}

}  // namespace

std::string padded_localid(std::int64_t localid) {
  std::string digits = std::to_string(localid < 0 ? 0 : localid);
  if (digits.size() < 6) digits.insert(0, 6 - digits.size(), '0');
  return digits;
}

std::optional<std::string> address_text(const core::Client& client) {
  std::string locality;
  if (has_text(client.city)) locality = *client.city;
  std::string state_and_code;
  if (has_text(client.state)) state_and_code = *client.state;
  if (has_text(client.postal_code)) {
    if (!state_and_code.empty()) state_and_code += ' ';
    state_and_code += *client.postal_code;
  }
  if (!state_and_code.empty()) {
    if (!locality.empty()) locality += ", ";
    locality += state_and_code;
  }

  std::vector<std::string> lines;
  if (has_text(client.address1)) lines.push_back(*client.address1);
  if (has_text(client.address2)) lines.push_back(*client.address2);
  if (!locality.empty()) lines.push_back(locality);
  if (lines.empty()) return std::nullopt;
  std::string out;
  for (const auto& line : lines) {
    if (!out.empty()) out += '\n';
    out += line;
  }
  return out;
}

ShownClient show_client(const core::Client& client, bool administrator) {
  ShownClient shown;
  shown.push_back({"id", std::to_string(client.id)});
  shown.push_back({"localid", padded_localid(client.localid)});
  shown.push_back({"localidunpadded", std::to_string(client.localid)});
  shown.push_back({"name", client.name});
  if (administrator) {
    shown.push_back({"datecreated", client.created_at.date()});
    shown.push_back({"description", client.description});
    shown.push_back({"email", client.email});
    shown.push_back({"website", client.website});
    shown.push_back({"phone", client.phone});
    shown.push_back({"fax", client.fax});
    shown.push_back({"address", address_text(client)});
  }
  shown.push_back({"active", std::string(client.active ? "t" : "f")});
  return shown;
}

}  // namespace clientgate::dialects::intervals
