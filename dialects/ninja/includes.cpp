#include "includes.hpp"

#include <set>

namespace clientgate::dialects::ninja {
namespace {

// The relations of App\Models\Client (v5-stable) that Eloquent can eager-load.
bool client_relation(std::string_view name) {
  static const std::set<std::string_view> relations{
      "activities",
      "assigned_user",
      "company",
      "company_ledger",
      "contacts",
      "country",
      "credits",
      "documents",
      "expenses",
      "gateway_tokens",
      "group_settings",
      "invoices",
      "ledger",
      "payments",
      "primary_contact",
      "projects",
      "purgeable_activities",
      "quotes",
      "recurring_expenses",
      "recurring_invoices",
      "shipping_country",
      "system_logs",
      "tasks",
      "user",
  };
  return relations.count(name) > 0;
}

}  // namespace

Includes parse_includes(std::string_view text) {
  Includes out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view name = text.substr(start, end - start);
    start = end + 1;
    if (name.empty()) continue;  // "a,,b" and a trailing comma: skipped as the real code does
    // A nested include (`contacts.company`) loads its first relation first: judged by that.
    std::string_view head = name.substr(0, name.find('.'));
    if (!client_relation(head) && !out.not_known) out.not_known = std::string(name);
    if (name == "activities") out.render |= include_activities;
    if (name == "ledger") out.render |= include_ledger;
    if (name == "system_logs") out.render |= include_system_logs;
  }
  return out;
}

}  // namespace clientgate::dialects::ninja
