// The declaration of dialect settings (dialects/include/clientgate/dialects/settings_schema.hpp)
// and what the five dialects declare with it.
#include <catch2/catch.hpp>
#include <fstream>
#include <regex>
#include <sstream>

#include "clientgate/dialects/dialect.hpp"
#include "clientgate/dialects/settings_schema.hpp"
#include "clientgate/gateway/settings.hpp"

using namespace clientgate::dialects;

namespace {

struct Sample {
  std::string salt;
  std::string url = "http://localhost";
  std::size_t items = 500;
  std::int64_t offset = -3;
  bool strict = true;
};

using Schema = SettingsSchemaOf<Sample>;

const Schema& sample_schema() {
  static const Schema schema{
      "sample",
      {
          Schema::text("salt", &Sample::salt, "the salt"),
          Schema::text("url", &Sample::url, "a base URL", "https?://\\S+", "an http(s):// URL"),
          Schema::integer("items", &Sample::items, 1, 1000, "the most items"),
          Schema::integer("offset", &Sample::offset, -10, 10, "an offset"),
          Schema::boolean("strict", &Sample::strict, "a switch"),
      }};
  return schema;
}

std::string error_of(const DialectSettings& table) {
  try {
    sample_schema().read(table);
  } catch (const DialectSettingError& e) {
    return e.what();
  }
  return "";
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

const SettingsSchema& schema_named(const std::string& name) {
  for (const SettingsSchema* schema : settings_schemas())
    if (schema->dialect() == name) return *schema;
  FAIL("no dialect " << name);
  throw;
}

}  // namespace

TEST_CASE("settings schema: an empty table gives the struct's defaults") {
  Sample s = sample_schema().read({});
  CHECK(s.salt.empty());
  CHECK(s.url == "http://localhost");
  CHECK(s.items == 500);
  CHECK(s.offset == -3);
  CHECK(s.strict);
}

TEST_CASE("settings schema: the declaration states each default, type and range") {
  const auto& specs = sample_schema().specs();
  REQUIRE(specs.size() == 5);
  CHECK(specs[0].key == "salt");
  CHECK(specs[0].type == SettingType::string);
  CHECK(specs[0].default_text.empty());
  CHECK(specs[1].default_text == "http://localhost");
  CHECK(specs[2].type == SettingType::integer);
  CHECK(specs[2].min == 1);
  CHECK(specs[2].max == 1000);
  CHECK(specs[2].default_text == "500");
  CHECK(specs[3].default_text == "-3");
  CHECK(specs[4].type == SettingType::boolean);
  CHECK(specs[4].default_text == "true");
  CHECK(specs[4].doc == "a switch");
  CHECK(type_name(SettingType::integer) == "integer");
  CHECK(sample_schema().find("items") == &specs[2]);
  CHECK(sample_schema().find("nope") == nullptr);
}

TEST_CASE("settings schema: given values fill the struct") {
  Sample s = sample_schema().read({{"salt", "pepper"},
                                   {"url", "https://x.test"},
                                   {"items", "7"},
                                   {"offset", "-10"},
                                   {"strict", "false"}});
  CHECK(s.salt == "pepper");
  CHECK(s.url == "https://x.test");
  CHECK(s.items == 7);
  CHECK(s.offset == -10);
  CHECK_FALSE(s.strict);
}

TEST_CASE("settings schema: an unknown key is an error naming it") {
  CHECK(error_of({{"slat", "x"}}) == "dialects.sample.slat: unknown setting");
  // The first in key order, whatever else is wrong.
  CHECK(error_of({{"zz", "1"}, {"items", "0"}, {"aa", "1"}}) ==
        "dialects.sample.aa: unknown setting");
}

TEST_CASE("settings schema: a value of the wrong type is an error naming the key") {
  CHECK(error_of({{"items", "many"}}) ==
        "dialects.sample.items: must be an integer from 1 to 1000");
  CHECK(error_of({{"items", "1.5"}}) == "dialects.sample.items: must be an integer from 1 to 1000");
  CHECK(error_of({{"items", " 5"}}) == "dialects.sample.items: must be an integer from 1 to 1000");
  CHECK(error_of({{"items", ""}}) == "dialects.sample.items: must be an integer from 1 to 1000");
  CHECK(error_of({{"strict", "yes"}}) == "dialects.sample.strict: must be true or false");
  CHECK(error_of({{"strict", "1"}}) == "dialects.sample.strict: must be true or false");
}

TEST_CASE("settings schema: a value out of range or not matching the pattern is an error") {
  CHECK(error_of({{"items", "0"}}) == "dialects.sample.items: must be an integer from 1 to 1000");
  CHECK(error_of({{"items", "1001"}}) ==
        "dialects.sample.items: must be an integer from 1 to 1000");
  CHECK(error_of({{"items", "-1"}}) == "dialects.sample.items: must be an integer from 1 to 1000");
  CHECK(error_of({{"items", "99999999999999999999"}}) ==
        "dialects.sample.items: must be an integer from 1 to 1000");
  CHECK(error_of({{"offset", "-11"}}) ==
        "dialects.sample.offset: must be an integer from -10 to 10");
  CHECK(error_of({{"url", "ftp://x"}}) == "dialects.sample.url: must be an http(s):// URL");
  CHECK(error_of({{"url", "http://a b"}}) == "dialects.sample.url: must be an http(s):// URL");
  // Both ends are allowed.
  CHECK(error_of({{"items", "1"}, {"offset", "10"}}).empty());
  CHECK(error_of({{"items", "1000"}, {"offset", "-10"}}).empty());
  // Without a description of the pattern, the message shows the pattern.
  SettingSpec bare{"code", SettingType::string, 0, 0, "[A-Z]{3}", "", "", "a code"};
  CHECK(SettingsSchema::problem(bare, "ABC").empty());
  CHECK(SettingsSchema::problem(bare, "ABCD") == "must match [A-Z]{3}");
}

TEST_CASE("settings schema: a range its member cannot hold is refused when declared") {
  struct Small {
    std::uint8_t level = 1;
    std::size_t count = 1;
  };
  using SmallSchema = SettingsSchemaOf<Small>;
  CHECK_THROWS_AS(SmallSchema::integer("level", &Small::level, 0, 256, "a level"),
                  std::logic_error);
  CHECK_THROWS_AS(SmallSchema::integer("count", &Small::count, -1, 5, "a count"), std::logic_error);
  CHECK_THROWS_AS(SmallSchema::integer("count", &Small::count, 5, 1, "a count"), std::logic_error);
  CHECK_NOTHROW(SmallSchema::integer("level", &Small::level, 0, 255, "a level"));
}

TEST_CASE("settings schema: every dialect compiled in declares its settings") {
  auto schemas = settings_schemas();
  auto names = dialect_names();
  REQUIRE(schemas.size() == names.size());
  for (std::size_t i = 0; i < names.size(); ++i)
    CHECK(schemas[i]->dialect() == names[i]);
}

TEST_CASE("settings schema: the dialects' defaults are those they always had") {
  auto default_of = [](const std::string& dialect, const std::string& key) {
    const SettingSpec* spec = schema_named(dialect).find(key);
    REQUIRE(spec != nullptr);
    return spec->default_text;
  };
  CHECK(default_of("ninja", "hashids_salt").empty());
  CHECK(default_of("ninja", "api_secret").empty());
  CHECK(default_of("ninja", "base_url").empty());
  CHECK(default_of("ninja", "app_version") == "5.10.0");
  CHECK(default_of("ninja", "api_version") == "5.10.0");
  CHECK(default_of("ninja", "upload_body_limit") == "103448576");
  CHECK(default_of("ninja", "upload_temp_dir").empty());
  CHECK(default_of("ninja", "max_contacts") == "500");
  CHECK(default_of("legacy_xml", "batch_size") == "500");
  CHECK(default_of("legacy_xml", "company_cache_ms") == "5000");
  CHECK(default_of("intervals", "description_max_tags") == "10000");
  CHECK(default_of("intervals", "description_max_bytes") == "1048576");
  CHECK(default_of("intervals", "description_max_depth") == "10000");
  CHECK(default_of("intervals", "description_max_parse_bytes") == "8388608");
  CHECK(default_of("intervals", "description_max_parse_ms") == "1000");
  CHECK(schema_named("json_v1").specs().empty());
  CHECK(schema_named("agency").specs().empty());
}

TEST_CASE("settings schema: the example config and each README show every dialect setting") {
  std::string example = read_text(CLIENTGATE_SOURCE_DIR "/examples/clientgate.toml");
  REQUIRE_FALSE(example.empty());
  for (const SettingsSchema* schema : settings_schemas()) {
    if (schema->specs().empty()) continue;
    CHECK(example.find("[dialects." + schema->dialect() + "]") != std::string::npos);
    std::string readme =
        read_text(CLIENTGATE_SOURCE_DIR "/dialects/" + schema->dialect() + "/README.md");
    for (const SettingSpec& spec : schema->specs()) {
      std::string value =
          spec.type == SettingType::string ? "\"" + spec.default_text + "\"" : spec.default_text;
      INFO(schema->where(spec.key));
      CHECK(example.find("# " + spec.key + " = " + value) != std::string::npos);
      CHECK(readme.find("`" + spec.key + "`") != std::string::npos);
    }
  }
}

TEST_CASE("settings schema: the example's dialect settings, uncommented, are accepted") {
  std::istringstream example(read_text(CLIENTGATE_SOURCE_DIR "/examples/clientgate.toml"));
  const std::regex setting_line(R"(# (\[dialects\.\w+\]|\w+ = .*))");
  std::string line, dialect_part;
  bool in_dialects = false;
  int settings = 0;
  while (std::getline(example, line)) {
    in_dialects = in_dialects || line.rfind("# [dialects.", 0) == 0;
    std::smatch match;
    if (in_dialects && std::regex_match(line, match, setting_line)) {
      dialect_part += match[1].str() + "\n";
      settings += match[1].str().front() != '[';
    }
  }
  CHECK(settings == 15);
  clientgate::gateway::Settings parsed;
  clientgate::gateway::apply_config(parsed, dialect_part, "example", settings_schemas());
  CHECK(parsed.dialects["ninja"]["max_contacts"] == "500");
  CHECK(parsed.dialects["intervals"]["description_max_parse_ms"] == "1000");
}
