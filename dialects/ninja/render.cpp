#include "render.hpp"

#include "client_settings.hpp"
#include "includes.hpp"
#include "php_json.hpp"

namespace clientgate::dialects::ninja {
namespace {

std::int64_t seconds(const core::Timestamp& t) {
  return t.unix_seconds();
}

void text(PhpJson& j, std::string_view key, const core::Text& value) {
  j.key(key).string(value ? *value : "");
}

void id_text(PhpJson& j, std::string_view key, const std::optional<std::int64_t>& value) {
  j.key(key).string(value ? std::to_string(*value) : "");
}

void money(PhpJson& j, std::string_view key, const core::Money& value) {
  j.key(key).raw_number(value.shortest());
}

void contact(PhpJson& j, const core::Contact& c, const RenderContext& ctx) {
  j.begin_object();
  j.key("id").string(ctx.ids.encode(c.id));
  text(j, "first_name", c.first_name);
  text(j, "last_name", c.last_name);
  text(j, "email", c.email);
  j.key("created_at").integer(seconds(c.created_at));
  j.key("updated_at").integer(seconds(c.updated_at));
  j.key("archived_at").integer(0);
  j.key("is_primary").boolean(c.is_primary);
  j.key("is_locked").boolean(false);
  text(j, "phone", c.phone);
  text(j, "custom_value1", c.custom_value1);
  text(j, "custom_value2", c.custom_value2);
  text(j, "custom_value3", c.custom_value3);
  text(j, "custom_value4", c.custom_value4);
  j.key("contact_key").string(c.contact_key);
  j.key("send_email").boolean(c.send_email);
  j.key("last_login").integer(0);
  j.key("password").string(c.password_hash && !c.password_hash->empty() ? "**********" : "");
  j.key("link").string(ctx.base_url + "/client/key_login/" + c.contact_key);
  j.end_object();
}

void document(PhpJson& j, const core::DocumentInfo& d, const RenderContext& ctx) {
  std::string id = ctx.ids.encode(d.id);
  j.begin_object();
  j.key("id").string(id);
  j.key("user_id").string("");
  j.key("assigned_user_id").string("");
  j.key("project_id").string("");
  j.key("vendor_id").string("");
  j.key("url").string(ctx.base_url + "/api/v1/documents/" + id + "/download");
  j.key("preview").string("");
  j.key("name").string(d.name);
  j.key("type").string(d.type);
  j.key("disk").string("local");
  j.key("hash").string(d.hash);
  j.key("size").integer(d.size);
  j.key("width").integer(0);
  j.key("height").integer(0);
  j.key("is_default").boolean(false);
  j.key("updated_at").integer(seconds(d.updated_at));
  j.key("archived_at").integer(0);
  j.key("created_at").integer(seconds(d.created_at));
  j.key("is_deleted").boolean(false);
  j.key("is_public").boolean(d.is_public);
  // Document::link(): the admin UI's path of what the document is attached to.
  j.key("link").string("/clients/" + ctx.ids.encode(d.client_id));
  j.end_object();
}

void client(PhpJson& j, const core::Client& c, const RenderContext& ctx) {
  j.begin_object();
  bool unsaved = c.id == 0;  // GET /clients/create: Hashids of null is ""
  j.key("id").string(unsaved ? std::string() : ctx.ids.encode(c.id));
  j.key("user_id").string("");
  j.key("assigned_user_id").string("");
  j.key("name").string(c.name);
  text(j, "website", c.website);
  text(j, "private_notes", c.private_notes);
  money(j, "balance", c.balance);
  j.key("group_settings_id").string("");
  money(j, "paid_to_date", c.paid_to_date);
  j.key("payment_balance").integer(0);
  money(j, "credit_balance", c.credit_balance);
  j.key("last_login").integer(0);
  j.key("size_id").string("");
  text(j, "public_notes", c.public_notes);
  j.key("client_hash").string(c.client_hash);
  text(j, "address1", c.address1);
  text(j, "address2", c.address2);
  text(j, "phone", c.phone);
  text(j, "city", c.city);
  text(j, "state", c.state);
  text(j, "postal_code", c.postal_code);
  id_text(j, "country_id", c.country_id);
  j.key("industry_id").string("");
  text(j, "custom_value1", c.custom_value1);
  text(j, "custom_value2", c.custom_value2);
  text(j, "custom_value3", c.custom_value3);
  text(j, "custom_value4", c.custom_value4);
  text(j, "shipping_address1", c.shipping_address1);
  text(j, "shipping_address2", c.shipping_address2);
  text(j, "shipping_city", c.shipping_city);
  text(j, "shipping_state", c.shipping_state);
  text(j, "shipping_postal_code", c.shipping_postal_code);
  id_text(j, "shipping_country_id", c.shipping_country_id);
  // Stored whole; the company's currency (1, USD) when the client has none of its own.
  j.key("settings");
  write_settings(j, c.settings_json, c.currency_id, !unsaved);
  j.key("is_deleted").boolean(c.is_deleted);
  text(j, "vat_number", c.vat_number);
  text(j, "id_number", c.id_number);
  j.key("updated_at").integer(seconds(c.updated_at));
  j.key("archived_at").integer(c.archived_at ? seconds(*c.archived_at) : 0);
  j.key("created_at").integer(seconds(c.created_at));
  j.key("display_name").string(display_name(c));
  j.key("number").string(c.number);
  // The newer transformer keys; clientgate keeps no VAT check, tax data, routing id or
  // e-invoice data, so each is what the real one shows for a client without.
  j.key("has_valid_vat_number").boolean(false);
  j.key("is_tax_exempt").boolean(false);
  j.key("routing_id").string("");
  j.key("tax_info").empty_object();
  text(j, "classification", c.classification);
  j.key("e_invoice").empty_object();
  j.key("contacts").begin_array();
  for (const auto& x : c.contacts)
    contact(j, x, ctx);
  j.end_array();
  j.key("documents").begin_array();
  for (const auto& d : c.documents)
    document(j, d, ctx);
  j.end_array();
  j.key("gateway_tokens").empty_array();
  // Requested available includes, in the transformer's order; no such records here.
  if (ctx.includes & include_activities) j.key("activities").empty_array();
  if (ctx.includes & include_ledger) j.key("ledger").empty_array();
  if (ctx.includes & include_system_logs) j.key("system_logs").empty_array();
  j.end_object();
}

}  // namespace

std::string display_name(const core::Client& c) {
  if (c.name.size() > 1) return c.name;
  if (c.contacts.empty()) return "No Contact Set";
  const auto& first = c.contacts.front();
  std::string first_name = first.first_name.value_or("");
  std::string last_name = first.last_name.value_or("");
  if (!first_name.empty() || !last_name.empty()) return first_name + " " + last_name;
  if (first.email && !first.email->empty()) return *first.email;
  return "No Contact Set";
}

std::int64_t total_pages(std::int64_t total, std::int64_t per_page) {
  if (per_page <= 0 || total <= 0) return 1;
  return (total + per_page - 1) / per_page;
}

std::string render_client_document(const core::Client& c, const RenderContext& ctx) {
  PhpJson j;
  if (ctx.index == "none") {  // BaseController::response: no envelope at all
    client(j, c, ctx);
    return j.take();
  }
  j.begin_object().key(ctx.index);
  client(j, c, ctx);
  j.end_object();
  return j.take();
}

std::string render_client_list(const std::vector<core::Client>& clients, const PageInfo& page,
                               const RenderContext& ctx) {
  PhpJson j;
  if (ctx.index == "none") {  // BaseController::response drops the meta and the envelope
    j.begin_array();
    for (const auto& c : clients)
      client(j, c, ctx);
    j.end_array();
    return j.take();
  }
  j.begin_object().key(ctx.index).begin_array();
  for (const auto& c : clients)
    client(j, c, ctx);
  j.end_array();
  j.key("meta").begin_object().key("pagination").begin_object();
  j.key("total").integer(page.total);
  j.key("count").integer(static_cast<std::int64_t>(clients.size()));
  j.key("per_page").integer(page.per_page);
  j.key("current_page").integer(page.page);
  j.key("total_pages").integer(total_pages(page.total, page.per_page));
  j.key("links");
  if (page.previous_url.empty() && page.next_url.empty()) {
    j.empty_array();
  } else {
    j.begin_object();
    if (!page.previous_url.empty()) j.key("previous").string(page.previous_url);
    if (!page.next_url.empty()) j.key("next").string(page.next_url);
    j.end_object();
  }
  j.end_object().end_object().end_object();
  return j.take();
}

std::string render_message(std::string_view message) {
  PhpJson j;
  j.begin_object().key("message").string(message).end_object();
  return j.take();
}

std::string render_errors(std::string_view message, const FieldErrors& errors) {
  PhpJson j;
  j.begin_object().key("message").string(message).key("errors").begin_object();
  for (const auto& [field, messages] : errors) {
    j.key(field).begin_array();
    for (const auto& m : messages)
      j.string(m);
    j.end_array();
  }
  j.end_object().end_object();
  return j.take();
}

}  // namespace clientgate::dialects::ninja
