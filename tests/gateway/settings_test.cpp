#include <algorithm>
#include <catch2/catch.hpp>
#include <thread>

#include "clientgate/gateway/cli.hpp"
#include "clientgate/gateway/settings.hpp"
#include "support/temp_dir.hpp"

using namespace clientgate::gateway;
using clientgate::test::TempDir;

namespace {

using clientgate::dialects::SettingsSchema;
using clientgate::dialects::SettingType;

// Two dialects as the registry would declare them: alpha with one setting of each type.
const SettingsSchema alpha{"alpha",
                           {{"secret", SettingType::string, 0, 0, "", "", "", "a secret"},
                            {"min_length", SettingType::integer, 1, 64, "", "", "8", "a length"},
                            {"strict", SettingType::boolean, 0, 0, "", "", "false", "a switch"}}};
const SettingsSchema beta{"beta", {}};
const DialectSchemas dialect_schemas{&alpha, &beta};

Settings from_toml(const std::string& text) {
  Settings settings;
  apply_config(settings, text, "test.toml", dialect_schemas);
  return settings;
}

std::string error_of(const std::string& text) {
  try {
    from_toml(text);
  } catch (const SettingsError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("settings have safe defaults") {
  Settings s;
  CHECK(s.db == "./clientgate.db");
  CHECK(s.listen.to_string() == "127.0.0.1:8080");
  CHECK(s.limits.header_bytes == 8192);
  CHECK(s.limits.body_bytes == 1048576);
  CHECK(s.limits.max_connections > 0);
  CHECK_FALSE(s.limits.max_connections_set);
  // One address holds a tenth of the server at most.
  CHECK(s.limits.max_connections_per_address == s.limits.max_connections / 10);
  CHECK(s.storage.durability == clientgate::storage::Durability::process_crash);
  CHECK(resolved_threads(s) >= 1);
  CHECK(s.write_threads == 16);
  CHECK(s.write_batching);
  CHECK(from_toml("").limits.read_timeout == s.limits.read_timeout);
}

TEST_CASE("every key of the config file is applied") {
  auto s = from_toml(R"(
db = "/var/lib/clientgate.db"
listen = "0.0.0.0:9000"
threads = 3
write_threads = 0
write_batching = false
[limits]
header_bytes = 4096
body_bytes = 2048
read_timeout_ms = 1500
idle_timeout_ms = 2500
write_timeout_ms = 3500
linger_ms = 0
max_connections = 7
max_connections_per_address = 3
shutdown_grace_ms = 100
[auth]
cache_ms = 0
cache_entries = 50
[storage]
durability = "power_loss"
busy_timeout_ms = 250
[admin]
token = "s3cret"
[dialects.alpha]
secret = "abc"
min_length = 10
strict = true
)");
  CHECK(s.db == "/var/lib/clientgate.db");
  CHECK(s.listen.host == "0.0.0.0");
  CHECK(s.listen.port == 9000);
  CHECK(s.threads == 3);
  CHECK(s.write_threads == 0);
  CHECK_FALSE(s.write_batching);
  CHECK(s.limits.header_bytes == 4096);
  CHECK(s.limits.body_bytes == 2048);
  CHECK(s.limits.read_timeout.count() == 1500);
  CHECK(s.limits.idle_timeout.count() == 2500);
  CHECK(s.limits.write_timeout.count() == 3500);
  CHECK(s.limits.linger.count() == 0);
  CHECK(s.limits.max_connections == 7);
  CHECK(s.limits.max_connections_set);
  CHECK(s.limits.max_connections_per_address == 3);
  CHECK(s.limits.shutdown_grace.count() == 100);
  CHECK(s.auth.cache_ttl.count() == 0);
  CHECK(s.auth.cache_capacity == 50);
  CHECK(s.storage.durability == clientgate::storage::Durability::power_loss);
  CHECK(s.storage.busy_timeout.count() == 250);
  CHECK(s.admin_token == "s3cret");
  REQUIRE(s.dialects.count("alpha") == 1);
  CHECK(s.dialects["alpha"]["secret"] == "abc");
  CHECK(s.dialects["alpha"]["min_length"] == "10");
  CHECK(s.dialects["alpha"]["strict"] == "true");
  CHECK(s.dialects.count("beta") == 0);
}

TEST_CASE("unknown keys in the config file are errors naming the key") {
  CHECK(error_of("colour = 1") == "test.toml: colour: unknown setting");
  CHECK(error_of("[limits]\nheader_byte = 100") ==
        "test.toml: limits.header_byte: unknown setting");
  CHECK(error_of("[auth]\ncache = 1") == "test.toml: auth.cache: unknown setting");
  CHECK(error_of("[storage]\nmode = 'x'") == "test.toml: storage.mode: unknown setting");
  CHECK(error_of("[admin]\npassword = 'x'") == "test.toml: admin.password: unknown setting");
  CHECK(error_of("[extras]\na = 1") == "test.toml: extras: unknown setting");
  CHECK(error_of("[dialects.gamma]\na = 'b'") == "test.toml: dialects.gamma: unknown dialect");
}

TEST_CASE("bad values in the config file are errors naming the key") {
  CHECK(
      error_of("[limits]\nheader_bytes = 'big'").find("limits.header_bytes: must be an integer") !=
      std::string::npos);
  CHECK(error_of("[limits]\nheader_bytes = -1").find("limits.header_bytes") != std::string::npos);
  CHECK(error_of("[limits]\nread_timeout_ms = 0").find("limits.read_timeout_ms") !=
        std::string::npos);
  CHECK(error_of("[limits]\nmax_connections = 1.5").find("limits.max_connections") !=
        std::string::npos);
  CHECK(error_of("[limits]\nmax_connections_per_address = 0")
            .find("limits.max_connections_per_address: must be an integer from 1") !=
        std::string::npos);
  CHECK(error_of("threads = 0").find("threads: must be an integer from 1") != std::string::npos);
  CHECK(error_of("write_threads = -1").find("write_threads: must be an integer from 0") !=
        std::string::npos);
  CHECK(error_of("write_batching = 1").find("write_batching: must be true or false") !=
        std::string::npos);
  CHECK(error_of("db = ''").find("db: must not be empty") != std::string::npos);
  CHECK(error_of("db = 5").find("db: must be a string") != std::string::npos);
  CHECK(error_of("listen = 'localhost'").find("is not HOST:PORT") != std::string::npos);
  CHECK(error_of("listen = '1.2.3.4:70000'").find("is not HOST:PORT") != std::string::npos);
  CHECK(error_of("limits = 5").find("limits: must be a table") != std::string::npos);
  CHECK(error_of("[storage]\ndurability = 'sometimes'").find("storage.durability") !=
        std::string::npos);
  CHECK(error_of("[dialects.alpha]\nlist = [1, 2]").find("dialects.alpha.list") !=
        std::string::npos);
  CHECK(error_of("this is not toml").rfind("test.toml: ", 0) == 0);
}

TEST_CASE("dialect tables are checked against what each dialect declares") {
  CHECK(error_of("[dialects.alpha]\nsecrte = 'x'") ==
        "test.toml: dialects.alpha.secrte: unknown setting");
  CHECK(error_of("[dialects.beta]\nanything = 1") ==
        "test.toml: dialects.beta.anything: unknown setting");
  CHECK(error_of("[dialects.alpha]\nsecret = 5") ==
        "test.toml: dialects.alpha.secret: must be a string");
  CHECK(error_of("[dialects.alpha]\nmin_length = '10'") ==
        "test.toml: dialects.alpha.min_length: must be an integer from 1 to 64");
  CHECK(error_of("[dialects.alpha]\nmin_length = 65") ==
        "test.toml: dialects.alpha.min_length: must be an integer from 1 to 64");
  CHECK(error_of("[dialects.alpha]\nmin_length = 0") ==
        "test.toml: dialects.alpha.min_length: must be an integer from 1 to 64");
  CHECK(error_of("[dialects.alpha]\nmin_length = 1.5") ==
        "test.toml: dialects.alpha.min_length: must be an integer from 1 to 64");
  CHECK(error_of("[dialects.alpha]\nstrict = 'yes'") ==
        "test.toml: dialects.alpha.strict: must be true or false");
  CHECK(error_of("[dialects]\nalpha = 5") == "test.toml: dialects.alpha: must be a table");
  // The first mistake in key order, whatever order the file has them in.
  CHECK(error_of("[dialects.alpha]\nzz = 1\naa = 1") ==
        "test.toml: dialects.alpha.aa: unknown setting");
  // Within range at both ends.
  CHECK(from_toml("[dialects.alpha]\nmin_length = 1").dialects["alpha"]["min_length"] == "1");
  CHECK(from_toml("[dialects.alpha]\nmin_length = 64").dialects["alpha"]["min_length"] == "64");
  CHECK(from_toml("[dialects.alpha]\nstrict = false").dialects["alpha"]["strict"] == "false");
}

TEST_CASE("the real dialects' tables: a misspelt or bad setting names dialects.NAME.key") {
  auto error_with_real_dialects = [](const std::string& text) -> std::string {
    Settings settings;
    try {
      apply_config(settings, text, "c.toml", clientgate::dialects::settings_schemas());
    } catch (const SettingsError& e) {
      return e.what();
    }
    return "";
  };
  CHECK(error_with_real_dialects("[dialects.ninja]\nhashid_salt = 'x'") ==
        "c.toml: dialects.ninja.hashid_salt: unknown setting");
  CHECK(error_with_real_dialects("[dialects.ninja]\nmax_contacts = '500'") ==
        "c.toml: dialects.ninja.max_contacts: must be an integer from 1 to 1000000");
  CHECK(error_with_real_dialects("[dialects.ninja]\nbase_url = 'ftp://x'") ==
        "c.toml: dialects.ninja.base_url: must be empty or an http:// or https:// URL");
  CHECK(error_with_real_dialects("[dialects.legacy_xml]\nbatch_size = 0") ==
        "c.toml: dialects.legacy_xml.batch_size: must be an integer from 1 to 100000");
  CHECK(error_with_real_dialects("[dialects.intervals]\ndescription_max_parse_bytes = 1") ==
        "c.toml: dialects.intervals.description_max_parse_bytes: must be an integer from 65536 "
        "to 1099511627776");
  CHECK(error_with_real_dialects("[dialects.json_v1]\npage_size = 5") ==
        "c.toml: dialects.json_v1.page_size: unknown setting");
  CHECK(error_with_real_dialects("[dialects.agency]\nx = true") ==
        "c.toml: dialects.agency.x: unknown setting");
  CHECK(error_with_real_dialects("[dialects.ninj]\nhashids_salt = 'x'") ==
        "c.toml: dialects.ninj: unknown dialect");
  CHECK(error_with_real_dialects("[dialects.ninja]\nhashids_salt = 'x'\nmax_contacts = 3\n"
                                 "base_url = 'https://example.test/'")
            .empty());
}

TEST_CASE("listen addresses") {
  CHECK(parse_listen_address("127.0.0.1:0").port == 0);
  CHECK(parse_listen_address("localhost:80").host == "localhost");
  auto v6 = parse_listen_address("[::1]:8080");
  CHECK(v6.host == "::1");
  CHECK(v6.to_string() == "[::1]:8080");
  CHECK_THROWS_AS(parse_listen_address("::1:80"), SettingsError);
  CHECK_THROWS_AS(parse_listen_address(":80"), SettingsError);
  CHECK_THROWS_AS(parse_listen_address("host:"), SettingsError);
  CHECK_THROWS_AS(parse_listen_address("host:8x"), SettingsError);
  CHECK_THROWS_AS(parse_listen_address("host:-1"), SettingsError);
}

TEST_CASE("serve flags win over the config file") {
  TempDir dir;
  auto config = dir.write("c.toml", R"(
db = "from-file.db"
listen = "127.0.0.1:7000"
threads = 2
[limits]
body_bytes = 99
)");
  SECTION("flags override") {
    auto s = serve_settings({"serve", "--config", config.string(), "--db", "flag.db", "--listen",
                             "127.0.0.1:0", "--threads=5"},
                            dialect_schemas);
    CHECK(s.db == "flag.db");
    CHECK(s.listen.port == 0);
    CHECK(s.threads == 5);
    CHECK(s.limits.body_bytes == 99);  // only in the file
  }
  SECTION("the file applies where no flag is given") {
    auto s = serve_settings({"serve", "--config=" + config.string()}, dialect_schemas);
    CHECK(s.db == "from-file.db");
    CHECK(s.listen.port == 7000);
    CHECK(s.threads == 2);
  }
  SECTION("flag order does not matter") {
    auto s =
        serve_settings({"serve", "--db", "flag.db", "--config", config.string()}, dialect_schemas);
    CHECK(s.db == "flag.db");
  }
}

TEST_CASE("bad serve flags") {
  CHECK_THROWS_AS(serve_settings({"serve", "--bogus"}, dialect_schemas), UsageError);
  CHECK_THROWS_AS(serve_settings({"serve", "--db"}, dialect_schemas), UsageError);
  CHECK_THROWS_AS(serve_settings({"serve", "extra"}, dialect_schemas), UsageError);
  CHECK_THROWS_AS(serve_settings({"serve", "--threads", "abc"}, dialect_schemas), SettingsError);
  CHECK_THROWS_AS(serve_settings({"serve", "--threads", "0"}, dialect_schemas), SettingsError);
  CHECK_THROWS_AS(serve_settings({"serve", "--listen", "nowhere"}, dialect_schemas), SettingsError);
  CHECK_THROWS_AS(serve_settings({"serve", "--config", "/nonexistent/c.toml"}, dialect_schemas),
                  SettingsError);
  bool help = false;
  serve_settings({"serve", "--help"}, dialect_schemas, &help);
  CHECK(help);
}

TEST_CASE("the password pool and the failed-password throttle are settings") {
  Settings defaults;
  // 0: half the cores, at least one (hashing never takes more than half the machine)
  CHECK(defaults.password_threads == 0);
  CHECK(resolved_password_threads(defaults) ==
        std::max(1u, std::thread::hardware_concurrency() / 2));
  Settings three;
  three.password_threads = 3;
  CHECK(resolved_password_threads(three) == 3);
  CHECK(defaults.password_queue == 64);
  CHECK(defaults.throttled_answer_delay.count() == 1000);
  CHECK(defaults.auth.failures_per_address == 20);
  CHECK(defaults.auth.failures_per_account == 10);
  CHECK(defaults.auth.failure_window.count() == 60000);
  CHECK(defaults.auth.throttle_entries == 100000);
  auto s = from_toml(R"(
[auth]
password_threads = 3
password_queue = 5
failures_per_address = 7
failures_per_account = 0
failure_window_ms = 1500
throttle_entries = 40
throttled_answer_delay_ms = 0
)");
  CHECK(s.password_threads == 3);
  CHECK(s.password_queue == 5);
  CHECK(s.auth.failures_per_address == 7);
  CHECK(s.auth.failures_per_account == 0);
  CHECK(s.auth.failure_window.count() == 1500);
  CHECK(s.auth.throttle_entries == 40);
  CHECK(s.throttled_answer_delay.count() == 0);
  CHECK(error_of("[auth]\npassword_threads = -1").find("auth.password_threads") !=
        std::string::npos);
  CHECK(error_of("[auth]\npassword_queue = 0").find("auth.password_queue") != std::string::npos);
  CHECK(error_of("[auth]\nfailure_window_ms = 0").find("auth.failure_window_ms") !=
        std::string::npos);
  CHECK(error_of("[auth]\nfailures_per_address = -1").find("auth.failures_per_address") !=
        std::string::npos);
}

TEST_CASE("the full-disk settings: the reserve and the pretend disk") {
  CHECK(Settings{}.storage.reserve_bytes == 8 * 1024 * 1024);
  CHECK(Settings{}.storage.disk_bytes == 0);
  auto s = from_toml("[storage]\nreserve_bytes = 0\ndisk_bytes = 1048576\n");
  CHECK(s.storage.reserve_bytes == 0);
  CHECK(s.storage.disk_bytes == 1048576);
  CHECK(error_of("[storage]\nreserve_bytes = -1").find("storage.reserve_bytes") !=
        std::string::npos);
  CHECK(error_of("[storage]\ndisk_bytes = 'big'").find("storage.disk_bytes") != std::string::npos);
}
