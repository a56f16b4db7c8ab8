// json_v1 rendering (render.cpp): clients, lists, messages and Laravel's validation errors.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "clientgate/core/model.hpp"
#include "parse.hpp"

namespace clientgate::dialects::json_v1 {

// Rendering. `company` is given for list items only (single responses omit it).
std::string render_client(const core::Client& client, const core::Company* company);
std::string render_list(const std::vector<core::Client>& clients,
                        const std::function<const core::Company*(core::CompanyId)>& company_of);
std::string render_message(std::string_view message);
std::string render_validation(const ValidationErrors& errors);

}  // namespace clientgate::dialects::json_v1
