// Invoice Ninja's JSON: the ClientTransformer's fields in the seed's order, Fractal's
// envelopes, Laravel's error bodies. Everything through PhpJson, so bytes match json_encode.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "clientgate/core/model.hpp"
#include "hashid_codec.hpp"
#include "list_params.hpp"

namespace clientgate::dialects::ninja {

struct RenderContext {
  const HashidCodec& ids;
  std::string base_url;        // "http://ninja.test:8000", no trailing slash
  unsigned includes = 0;       // IncludeFlag bits (includes.hpp): relations rendered empty
  std::string index = "data";  // the envelope key; "none": the bare object or array
};

// "name if longer than one byte, else the first contact's name, else its e-mail".
std::string display_name(const core::Client& client);

std::string render_client_document(const core::Client& client, const RenderContext& ctx);

struct PageInfo {
  std::int64_t total = 0;
  std::int64_t per_page = default_per_page;
  std::int64_t page = 1;
  std::string previous_url;  // empty: none
  std::string next_url;
};
std::int64_t total_pages(std::int64_t total, std::int64_t per_page);

std::string render_client_list(const std::vector<core::Client>& clients, const PageInfo& page,
                               const RenderContext& ctx);

// {"message": ...}
std::string render_message(std::string_view message);
// {"message": ..., "errors": {field: [messages]}}; `errors` empty renders as {}.
std::string render_errors(std::string_view message, const FieldErrors& errors);

}  // namespace clientgate::dialects::ninja
