#include "client_settings.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "reference_data.hpp"

namespace clientgate::dialects::ninja {
namespace {

using rapidjson::Document;
using rapidjson::Value;

// ClientSettings::defaults(): what a new client's settings start from.
void set_defaults(Document& d) {
  auto& a = d.GetAllocator();
  d.SetObject();
  d.AddMember("entity", Value("App\\Models\\Client", a), a);
  d.AddMember("industry_id", Value("", a), a);
  d.AddMember("size_id", Value("", a), a);
}

Document parse_stored(const core::Text& stored) {
  Document d;
  if (stored) d.Parse(stored->data(), stored->size());
  if (!stored || d.HasParseError() || !d.IsObject()) set_defaults(d);
  return d;
}

// PHP's empty() on a decoded JSON value.
bool php_empty(const Value& v) {
  if (v.IsNull()) return true;
  if (v.IsBool()) return !v.GetBool();
  if (v.IsString()) {
    std::string_view s(v.GetString(), v.GetStringLength());
    return s.empty() || s == "0";
  }
  if (v.IsNumber()) return v.GetDouble() == 0.0;
  if (v.IsArray()) return v.Empty();
  return v.ObjectEmpty();
}

void set_member(Document& d, std::string_view key, Value& value) {
  auto& a = d.GetAllocator();
  auto it = d.FindMember(Value(key.data(), static_cast<rapidjson::SizeType>(key.size())));
  if (it != d.MemberEnd()) {
    it->value = value;
  } else {
    d.AddMember(Value(key.data(), static_cast<rapidjson::SizeType>(key.size()), a), value, a);
  }
}

std::string compact(const Value& v) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  v.Accept(w);
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

std::optional<std::string> merged_settings(const Value& body, const core::Text& stored,
                                           bool creating, std::optional<std::int64_t> currency_id) {
  const Value* input = nullptr;
  std::optional<std::int64_t> language;
  if (body.IsObject()) {
    auto it = body.FindMember("settings");
    if (it != body.MemberEnd() && it->value.IsObject()) input = &it->value;
    auto code = body.FindMember("language_code");
    if (code != body.MemberEnd() && code->value.IsString())
      language = language_by_locale(
          std::string_view(code->value.GetString(), code->value.GetStringLength()));
  }
  if (!input && !language && !creating) return std::nullopt;
  Document d = creating ? parse_stored(core::Text{}) : parse_stored(stored);
  auto& a = d.GetAllocator();
  std::string currency_text = std::to_string(currency_id.value_or(1));
  if (input) {
    for (auto it = input->MemberBegin(); it != input->MemberEnd(); ++it) {
      std::string_view key(it->name.GetString(), it->name.GetStringLength());
      if (key == "currency_id") {  // in its place, as the validated integer's text
        Value currency(currency_text.c_str(), a);
        set_member(d, key, currency);
        continue;
      }
      // The create request's array_merge puts the defaults over these three; clientgate keeps
      // them so on updates too (the class name is not a client's to change).
      if (key == "entity" || key == "industry_id" || key == "size_id") continue;
      if (php_empty(it->value)) continue;
      Value copy(it->value, a);
      set_member(d, key, copy);
    }
  }
  if (input || creating) {
    Value currency(currency_text.c_str(), a);
    set_member(d, "currency_id", currency);
  }
  if (language) {  // an unknown locale leaves language_id out, as the real request does
    Value id(std::to_string(*language).c_str(), a);
    set_member(d, "language_id", id);
  }
  return compact(d);
}

void write_json_value(PhpJson& j, const Value& v) {
  if (v.IsNull()) {
    j.null();
  } else if (v.IsBool()) {
    j.boolean(v.GetBool());
  } else if (v.IsString()) {
    j.string(std::string_view(v.GetString(), v.GetStringLength()));
  } else if (v.IsInt64()) {
    j.integer(v.GetInt64());
  } else if (v.IsNumber()) {
    j.raw_number(compact(v));
  } else if (v.IsArray()) {
    j.begin_array();
    for (const auto& e : v.GetArray())
      write_json_value(j, e);
    j.end_array();
  } else {
    j.begin_object();
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
      j.key(std::string_view(it->name.GetString(), it->name.GetStringLength()));
      write_json_value(j, it->value);
    }
    j.end_object();
  }
}

void write_settings(PhpJson& j, const core::Text& stored, std::optional<std::int64_t> currency_id,
                    bool with_currency) {
  Document d = parse_stored(stored);
  if (with_currency) {
    Value currency(std::to_string(currency_id.value_or(1)).c_str(), d.GetAllocator());
    set_member(d, "currency_id", currency);
  }
  write_json_value(j, d);
}

}  // namespace clientgate::dialects::ninja
