#include "company_directory.hpp"

#include <algorithm>

namespace clientgate::dialects::legacy_xml {
namespace {

// Bounds the memory a stream of distinct Host names can take; the cache is cleared when full.
constexpr std::size_t max_entries = 4096;

}  // namespace

CompanyDirectory::CompanyDirectory(const core::ClientService& clients,
                                   std::chrono::milliseconds ttl)
    : clients_(clients), ttl_(ttl) {}

template <class Map, class Key, class Load>
std::optional<core::Company> CompanyDirectory::lookup(Map& map, const Key& key, Load load) {
  if (ttl_.count() <= 0) return load();
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    auto it = map.find(key);
    if (it != map.end() && it->second.expires > now) return it->second.company;
  }
  // Read outside the lock: a slow store must not serialise every request.
  auto company = load();
  std::lock_guard lock(mutex_);
  if (map.size() >= max_entries) map.clear();
  map[key] = Entry{company, now + ttl_};
  return company;
}

std::optional<core::Company> CompanyDirectory::by_slug(std::string_view slug) {
  return lookup(by_slug_, std::string(slug), [&] { return clients_.company_by_slug(slug); });
}

std::optional<core::Company> CompanyDirectory::by_id(core::CompanyId id) {
  return lookup(by_id_, id, [&] { return clients_.company_by_id(id); });
}

std::optional<std::string> account_label(std::string_view host) {
  if (host.empty() || host.front() == '[') return std::nullopt;  // empty, or IPv6 literal
  host = host.substr(0, host.find(':'));
  if (std::all_of(host.begin(), host.end(),
                  [](char c) { return (c >= '0' && c <= '9') || c == '.'; }))
    return std::nullopt;  // an IPv4 literal (or nothing)
  std::string label(host.substr(0, host.find('.')));
  if (label.empty()) return std::nullopt;
  for (auto& c : label)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return label;
}

}  // namespace clientgate::dialects::legacy_xml
