// The companies a request's account is decided by (Host slug, clients_enabled), remembered for
// a short time: a legacy client sends the same Host and credentials on every request, and
// these records change only by import.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "clientgate/core/client_service.hpp"

namespace clientgate::dialects::legacy_xml {

class CompanyDirectory {
 public:
  // ttl 0: ask the store every time.
  CompanyDirectory(const core::ClientService& clients, std::chrono::milliseconds ttl);

  std::optional<core::Company> by_slug(std::string_view slug);
  std::optional<core::Company> by_id(core::CompanyId id);

 private:
  struct Entry {
    std::optional<core::Company> company;  // nullopt: known not to exist
    std::chrono::steady_clock::time_point expires;
  };
  template <class Map, class Key, class Load>
  std::optional<core::Company> lookup(Map& map, const Key& key, Load load);

  const core::ClientService& clients_;
  std::chrono::milliseconds ttl_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> by_slug_;
  std::unordered_map<core::CompanyId, Entry> by_id_;
};

// The account a Host header names: its first label, lower case. nullopt for an IP literal or
// an empty host (an address names no account).
std::optional<std::string> account_label(std::string_view host);

}  // namespace clientgate::dialects::legacy_xml
