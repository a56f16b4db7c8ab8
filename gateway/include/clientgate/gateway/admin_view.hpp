// The migration view: one client as the store holds it and, beside it, exactly what each
// dialect answers for a GET of it today. Served at GET /_admin/clients/{id} behind the admin
// token, and printed by `clientgate show`; both build the document with client_view_document.
#pragma once

#include <boost/url/url_view.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clientgate/core/principal.hpp"
#include "clientgate/core/repository.hpp"
#include "clientgate/dialects/dialect.hpp"

namespace clientgate::gateway {

using DialectList = std::vector<std::unique_ptr<dialects::Dialect>>;

// The caller the dialects render for: an administrator and client manager of `company` alone,
// so that every field each dialect can show is shown (intervals hides some from
// non-administrators, legacy_xml needs client_manager to see unassigned clients).
core::Principal view_principal(core::CompanyId company);

// The view of client `id` as a JSON document: {"id", "canonical": {...every field...},
// "dialects": {"NAME": {"status", "content_type", "body"}, ...}}. nullopt when no client has
// this id, in any state (soft-deleted clients are shown).
std::optional<std::string> client_view_document(core::Repository& repository,
                                                const DialectList& dialects, core::ClientId id);

// Whether the gateway answers this path itself as an admin view.
bool is_admin_path(std::string_view path);

// The answer to a request under /_admin/. An empty `admin_token` disables the views (404, as
// for any unclaimed path); otherwise `Authorization: Bearer <admin token>` is required (401).
dialects::Response admin_response(const std::string& admin_token, core::Repository& repository,
                                  const DialectList& dialects, const dialects::Header& header,
                                  boost::urls::url_view url);

}  // namespace clientgate::gateway
