#include "settings.hpp"

namespace clientgate::dialects::ninja {
namespace {

using Schema = SettingsSchemaOf<Settings>;

const Schema& schema() {
  static const Schema declared{
      "ninja",
      {
          Schema::text("hashids_salt", &Settings::hashids_salt,
                       "the Hashids salt of every id (Invoice Ninja's HASH_SALT)"),
          Schema::text("api_secret", &Settings::api_secret,
                       "when set, every request must carry it in X-API-SECRET"),
          Schema::text("base_url", &Settings::base_url,
                       "the prefix of contact links, document urls and paging links; empty: "
                       "http://{Host}",
                       R"((https?://\S+)?)", "empty or an http:// or https:// URL"),
          Schema::text("app_version", &Settings::app_version, "the X-App-Version header", "[ -~]*",
                       "printable ASCII (a header value)"),
          Schema::text("api_version", &Settings::api_version, "the X-Api-Version header", "[ -~]*",
                       "printable ASCII (a header value)"),
          Schema::integer("upload_body_limit", &Settings::upload_body_limit, 1,
                          std::int64_t{1} << 40, "the body limit (bytes) of the upload route only"),
          Schema::text("upload_temp_dir", &Settings::upload_temp_dir,
                       "where uploaded parts are written while a request runs; empty: the "
                       "system's temporary directory"),
          Schema::integer("max_contacts", &Settings::max_contacts, 1, 1000000,
                          "the most contacts one write may give a client; more: 422"),
      }};
  return declared;
}

}  // namespace

const SettingsSchema& settings_schema() {
  return schema();
}

Settings read_settings(const DialectSettings& table) {
  return schema().read(table);
}

}  // namespace clientgate::dialects::ninja
