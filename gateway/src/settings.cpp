#include "clientgate/gateway/settings.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>
#include <thread>
#include <toml.hpp>

namespace clientgate::gateway {

namespace {

// Reads one TOML table, refusing the keys nobody asked for: a misspelt limit must not
// silently fall back to its default.
class TableReader {
 public:
  TableReader(const toml::value& table, std::string prefix, const std::string& source)
      : table_(table), prefix_(std::move(prefix)), source_(source) {}

  const toml::value* find(const std::string& key) {
    known_.insert(key);
    const auto& entries = table_.as_table();
    auto it = entries.find(key);
    return it == entries.end() ? nullptr : &it->second;
  }

  [[noreturn]] void fail(const std::string& key, const std::string& message) const {
    throw SettingsError(source_ + ": " + prefix_ + key + ": " + message);
  }

  template <typename Int>
  void integer(const std::string& key, Int& out, std::int64_t min, std::int64_t max) {
    const toml::value* v = find(key);
    if (v == nullptr) return;
    if (!v->is_integer() || v->as_integer() < min || v->as_integer() > max) {
      fail(key, "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
    }
    out = static_cast<Int>(v->as_integer());
  }

  void boolean(const std::string& key, bool& out) {
    const toml::value* v = find(key);
    if (v == nullptr) return;
    if (!v->is_boolean()) fail(key, "must be true or false");
    out = v->as_boolean();
  }

  void millis(const std::string& key, std::chrono::milliseconds& out, std::int64_t min,
              std::int64_t max) {
    std::int64_t value = out.count();
    integer(key, value, min, max);
    out = std::chrono::milliseconds(value);
  }

  std::optional<std::string> string(const std::string& key) {
    const toml::value* v = find(key);
    if (v == nullptr) return std::nullopt;
    if (!v->is_string()) fail(key, "must be a string");
    return v->as_string().str;
  }

  const toml::value* table(const std::string& key) {
    const toml::value* v = find(key);
    if (v != nullptr && !v->is_table()) fail(key, "must be a table");
    return v;
  }

  // After every known key was asked for: anything left is a mistake in the file.
  void refuse_unknown() const {
    std::vector<std::string> unknown;
    for (const auto& [key, value] : table_.as_table()) {
      if (!known_.count(key)) unknown.push_back(key);
    }
    if (unknown.empty()) return;
    std::sort(unknown.begin(), unknown.end());
    fail(unknown.front(), "unknown setting");
  }

 private:
  const toml::value& table_;
  std::string prefix_;
  const std::string& source_;
  std::set<std::string> known_;
};

constexpr std::int64_t max_millis = 24LL * 3600 * 1000;

// The keys of a TOML table in order, so that the first mistake reported is always the same.
std::vector<std::string> sorted_keys(const toml::value& table) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : table.as_table())
    keys.push_back(key);
  std::sort(keys.begin(), keys.end());
  return keys;
}

// The [dialects.NAME] tables, each checked against what its dialect declares
// (settings_schema.hpp): an unknown dialect or key, a value of another type or out of its range
// is an error naming `dialects.NAME.key`. The dialect gets each value as text.
void read_dialect_tables(Settings& settings, const toml::value& dialects, const std::string& source,
                         const DialectSchemas& dialect_schemas) {
  for (const std::string& name : sorted_keys(dialects)) {
    auto schema = std::find_if(dialect_schemas.begin(), dialect_schemas.end(),
                               [&](const auto* s) { return s->dialect() == name; });
    if (schema == dialect_schemas.end()) {
      throw SettingsError(source + ": dialects." + name + ": unknown dialect");
    }
    const toml::value& table = dialects.as_table().at(name);
    if (!table.is_table()) {
      throw SettingsError(source + ": dialects." + name + ": must be a table");
    }
    auto& out = settings.dialects[name];
    for (const std::string& key : sorted_keys(table)) {
      const toml::value& value = table.as_table().at(key);
      std::string where = source + ": " + (*schema)->where(key) + ": ";
      const dialects::SettingSpec* spec = (*schema)->find(key);
      if (spec == nullptr) throw SettingsError(where + "unknown setting");
      std::string text;
      bool right_type = false;
      switch (spec->type) {
        case dialects::SettingType::string:
          right_type = value.is_string();
          if (right_type) text = value.as_string().str;
          break;
        case dialects::SettingType::integer:
          right_type = value.is_integer();
          if (right_type) text = std::to_string(value.as_integer());
          break;
        case dialects::SettingType::boolean:
          right_type = value.is_boolean();
          if (right_type) text = value.as_boolean() ? "true" : "false";
          break;
      }
      if (!right_type) throw SettingsError(where + dialects::SettingsSchema::type_problem(*spec));
      if (auto problem = dialects::SettingsSchema::problem(*spec, text); !problem.empty()) {
        throw SettingsError(where + problem);
      }
      out[key] = std::move(text);
    }
  }
}

}  // namespace

std::string ListenAddress::to_string() const {
  bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

ListenAddress parse_listen_address(std::string_view text) {
  auto bad = [&]() -> SettingsError {
    return SettingsError("listen: '" + std::string(text) + "' is not HOST:PORT");
  };
  std::string_view host;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      throw bad();
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos) throw bad();
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) throw bad();  // bare IPv6 needs brackets
  }
  if (host.empty() || port.empty() || port.size() > 5) throw bad();
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || end != port.data() + port.size() || value > 65535) throw bad();
  return ListenAddress{std::string(host), static_cast<std::uint16_t>(value)};
}

void apply_config(Settings& settings, std::string_view toml_text, const std::string& source,
                  const DialectSchemas& dialect_schemas) {
  toml::value root;
  try {
    std::istringstream in{std::string(toml_text)};
    root = toml::parse(in, source);
  } catch (const std::exception& e) {
    throw SettingsError(source + ": " + e.what());
  }
  TableReader top(root, "", source);

  if (auto db = top.string("db")) {
    if (db->empty()) top.fail("db", "must not be empty");
    settings.db = *db;
  }
  if (auto listen = top.string("listen")) {
    try {
      settings.listen = parse_listen_address(*listen);
    } catch (const SettingsError& e) {
      throw SettingsError(source + ": " + e.what());
    }
  }
  top.integer("threads", settings.threads, 1, 1024);
  top.integer("write_threads", settings.write_threads, 0, 1024);
  top.boolean("write_batching", settings.write_batching);

  if (const toml::value* limits = top.table("limits")) {
    TableReader t(*limits, "limits.", source);
    Limits& l = settings.limits;
    t.integer("header_bytes", l.header_bytes, 256, 16 << 20);
    t.integer("body_bytes", l.body_bytes, 0, std::int64_t{1} << 40);
    t.millis("read_timeout_ms", l.read_timeout, 1, max_millis);
    t.millis("idle_timeout_ms", l.idle_timeout, 1, max_millis);
    t.millis("write_timeout_ms", l.write_timeout, 1, max_millis);
    t.millis("linger_ms", l.linger, 0, 60000);
    l.max_connections_set = t.find("max_connections") != nullptr;
    t.integer("max_connections", l.max_connections, 1, 1000000);
    t.integer("max_connections_per_address", l.max_connections_per_address, 1, 1000000);
    t.millis("shutdown_grace_ms", l.shutdown_grace, 0, max_millis);
    t.refuse_unknown();
  }
  if (const toml::value* auth = top.table("auth")) {
    TableReader t(*auth, "auth.", source);
    t.millis("cache_ms", settings.auth.cache_ttl, 0, max_millis);
    t.integer("cache_entries", settings.auth.cache_capacity, 1, 10000000);
    t.integer("password_threads", settings.password_threads, 0, 1024);
    t.integer("password_queue", settings.password_queue, 1, 1000000);
    t.integer("failures_per_address", settings.auth.failures_per_address, 0, 1000000);
    t.integer("failures_per_account", settings.auth.failures_per_account, 0, 1000000);
    t.millis("failure_window_ms", settings.auth.failure_window, 1, max_millis);
    t.integer("throttle_entries", settings.auth.throttle_entries, 1, 10000000);
    t.millis("throttled_answer_delay_ms", settings.throttled_answer_delay, 0, 60000);
    t.refuse_unknown();
  }
  if (const toml::value* storage = top.table("storage")) {
    TableReader t(*storage, "storage.", source);
    if (auto durability = t.string("durability")) {
      if (*durability == "process_crash") {
        settings.storage.durability = storage::Durability::process_crash;
      } else if (*durability == "power_loss") {
        settings.storage.durability = storage::Durability::power_loss;
      } else {
        t.fail("durability", "must be \"process_crash\" or \"power_loss\"");
      }
    }
    t.millis("busy_timeout_ms", settings.storage.busy_timeout, 0, max_millis);
    t.integer("cache_kib", settings.storage.cache_kib, 64, std::int64_t{1} << 24);
    t.integer("reserve_bytes", settings.storage.reserve_bytes, 0, std::int64_t{1} << 40);
    t.integer("wal_bound_pages", settings.storage.wal_bound_pages, 64, std::int64_t{1} << 30);
    // Testing aids for storage faults: a page cap stands for a full disk, read_only for a
    // file that cannot be written (root ignores file permissions, so chmod cannot).
    t.integer("max_page_count", settings.storage.max_page_count, 0, std::int64_t{1} << 32);
    t.boolean("read_only", settings.storage.read_only);
    t.integer("disk_bytes", settings.storage.disk_bytes, 0, std::int64_t{1} << 50);
    t.refuse_unknown();
  }
  if (const toml::value* admin = top.table("admin")) {
    TableReader t(*admin, "admin.", source);
    if (auto token = t.string("token")) settings.admin_token = *token;
    t.refuse_unknown();
  }
  if (const toml::value* dialects = top.table("dialects")) {
    read_dialect_tables(settings, *dialects, source, dialect_schemas);
  }
  top.refuse_unknown();
}

void apply_config_file(Settings& settings, const std::string& path,
                       const DialectSchemas& dialect_schemas) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw SettingsError(path + ": cannot read the config file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw SettingsError(path + ": cannot read the config file");
  apply_config(settings, text.str(), path, dialect_schemas);
}

unsigned resolved_password_threads(const Settings& settings) {
  if (settings.password_threads > 0) return settings.password_threads;
  return std::max(1u, std::thread::hardware_concurrency() / 2);
}

unsigned resolved_threads(const Settings& settings) {
  if (settings.threads > 0) return settings.threads;
  unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : cores;
}

}  // namespace clientgate::gateway
