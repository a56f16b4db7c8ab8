// A JSON writer that produces what PHP's json_encode($value) (no flags) produces: '/' escaped
// as "\/", every non-ASCII character as a lower-case "\uXXXX" (surrogate pairs above U+FFFF).
// Laravel answers with json_encode; clients compare bytes and signatures against it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace clientgate::dialects::ninja {

class PhpJson {
 public:
  PhpJson& begin_object();
  PhpJson& end_object();
  PhpJson& begin_array();
  PhpJson& end_array();
  PhpJson& key(std::string_view name);
  PhpJson& string(std::string_view text);
  PhpJson& integer(std::int64_t value);
  PhpJson& boolean(bool value);
  PhpJson& null();
  // A number already in JSON syntax (money's shortest form).
  PhpJson& raw_number(std::string_view text);
  // An empty array "[]": what PHP writes for an empty array, even where an object is meant.
  PhpJson& empty_array() { return begin_array().end_array(); }
  PhpJson& empty_object() { return begin_object().end_object(); }  // PHP's new stdClass()

  const std::string& text() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void before_value();
  std::string out_;
  // Per open container: nothing written in it yet (chars, not vector<bool>'s bit proxies:
  // this is asked before every value of a ninja list).
  std::vector<char> first_;
  bool after_key_ = false;
};

// The escaped form of one string, quotes included.
std::string php_json_string(std::string_view text);
// The same, appended to `out`.
void append_php_json_string(std::string& out, std::string_view text);

}  // namespace clientgate::dialects::ninja
