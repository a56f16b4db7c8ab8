// The fields of a POST/PUT body (already one PHP-array tree, see php_input.hpp) read into a
// core::ClientPatch with Invoice Ninja's validation rules and Laravel's messages.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "clientgate/core/query.hpp"
#include "clientgate/dialects/text_rules.hpp"
#include "hashid_codec.hpp"
#include "list_params.hpp"

namespace clientgate::dialects::ninja {

// ninja's parameters of the shared text rules: control characters are stored as sent, as
// Laravel's `string` rule lets them through; ninja writes no XML.
inline constexpr TextRules text_rules{RefusedOnInput::nothing};

enum class WriteMode { create, update };

struct ClientInput {
  core::ClientPatch patch;
  FieldErrors errors;
};

// The most contacts one client may have (`max_contacts`, README) *(our choice: the real
// product has no cap)*.
inline constexpr std::size_t default_max_contacts = 500;

// `existing` are the client's contacts on update: a contact element whose hashed id is not
// one of them is created as a new contact (as the real repository does), so an id of another
// client's contact can never move or change it. More than `max_contacts` contacts is a 422 on
// `contacts`.
ClientInput read_client_input(const rapidjson::Value& body, WriteMode mode, const HashidCodec& ids,
                              const std::vector<core::Contact>& existing = {},
                              std::size_t max_contacts = default_max_contacts);

// The bulk_update action's `column` (one of Client::$bulk_update_columns) and `new_value`,
// as the one-column patch ClientRepository::bulkUpdate applies; nullopt with `errors` added
// when refused.
std::optional<core::ClientPatch> read_bulk_update(const rapidjson::Value& body,
                                                  FieldErrors& errors);

// Laravel's `boolean` rule, widened to what form clients send: true/false, 1/0, "1"/"0",
// "true"/"false", "on"/"off" (also "yes"/"no"). nullopt: not a boolean.
std::optional<bool> php_boolean(const rapidjson::Value& v);

// Laravel's `email` rule (RFC validation), in the form a person can predict.
bool valid_email(std::string_view address);

}  // namespace clientgate::dialects::ninja
