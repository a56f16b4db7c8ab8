#include "php_input.hpp"

#include <map>
#include <memory>
#include <utility>

namespace clientgate::dialects::ninja {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// One PHP array being built: insertion-ordered keys, and the next integer key for `[]`.
struct Node {
  bool is_array = false;
  std::string value;
  std::vector<std::pair<std::string, std::unique_ptr<Node>>> children;
  long long next_index = 0;

  Node* child(const std::string& key) {
    for (auto& [k, v] : children)
      if (k == key) return v.get();
    children.emplace_back(key, std::make_unique<Node>());
    return children.back().second.get();
  }
};

// PHP treats a key that is a canonical decimal integer ("0", "12", "-3", not "012") as an
// integer key; only those move the next `[]` index.
std::optional<long long> integer_key(const std::string& key) {
  if (key.empty() || key.size() > 18) return std::nullopt;
  std::size_t i = key[0] == '-' ? 1 : 0;
  if (i == key.size()) return std::nullopt;
  if (key[i] == '0' && key.size() > i + 1) return std::nullopt;
  if (key == "-0") return std::nullopt;
  long long v = 0;
  for (; i < key.size(); ++i) {
    if (key[i] < '0' || key[i] > '9') return std::nullopt;
    v = v * 10 + (key[i] - '0');
  }
  return key[0] == '-' ? -v : v;
}

void make_array(Node& n) {
  if (!n.is_array) {
    n.is_array = true;
    n.value.clear();
    n.children.clear();
    n.next_index = 0;
  }
}

Node* slot(Node& parent, const std::optional<std::string>& key) {
  make_array(parent);
  std::string k;
  if (key) {
    k = *key;
    if (auto i = integer_key(k); i && *i >= parent.next_index) parent.next_index = *i + 1;
  } else {
    k = std::to_string(parent.next_index++);
  }
  return parent.child(k);
}

void to_json(const Node& n, rapidjson::Value& out, rapidjson::Document::AllocatorType& a) {
  if (!n.is_array) {
    out.SetString(n.value.data(), static_cast<rapidjson::SizeType>(n.value.size()), a);
    return;
  }
  bool sequential = true;
  for (std::size_t i = 0; i < n.children.size(); ++i)
    if (n.children[i].first != std::to_string(i)) sequential = false;
  if (sequential && !n.children.empty()) {
    out.SetArray();
    for (const auto& [k, child] : n.children) {
      rapidjson::Value v;
      to_json(*child, v, a);
      out.PushBack(v, a);
    }
    return;
  }
  out.SetObject();
  for (const auto& [k, child] : n.children) {
    rapidjson::Value v;
    to_json(*child, v, a);
    rapidjson::Value name(k.data(), static_cast<rapidjson::SizeType>(k.size()), a);
    out.AddMember(name, v, a);
  }
}

}  // namespace

std::string percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+' && plus_is_space) {
      out += ' ';
    } else if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
               hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::vector<FormField> parse_urlencoded(std::string_view body) {
  std::vector<FormField> fields;
  std::size_t start = 0;
  while (start <= body.size()) {
    std::size_t end = body.find('&', start);
    if (end == std::string_view::npos) end = body.size();
    std::string_view pair = body.substr(start, end - start);
    if (!pair.empty()) {
      std::size_t eq = pair.find('=');
      std::string_view name = pair.substr(0, eq);
      std::string_view value = eq == std::string_view::npos ? "" : pair.substr(eq + 1);
      fields.push_back({percent_decode(name, true), percent_decode(value, true)});
    }
    start = end + 1;
  }
  return fields;
}

InputError build_php_input(const std::vector<FormField>& fields, rapidjson::Document& out) {
  out.SetObject();
  if (fields.size() > max_input_vars) return InputError::too_many_fields;
  Node root;
  root.is_array = true;
  for (const auto& field : fields) {
    const std::string& name = field.name;
    // PHP: leading spaces are dropped; in the base name ' ' and '.' become '_'.
    std::size_t pos = name.find_first_not_of(' ');
    if (pos == std::string::npos) continue;
    std::size_t bracket = name.find('[', pos);
    std::string base =
        name.substr(pos, bracket == std::string::npos ? std::string::npos : bracket - pos);
    if (base.empty()) continue;
    for (char& c : base)
      if (c == ' ' || c == '.') c = '_';

    std::vector<std::optional<std::string>> path;
    bool malformed_tail = false;
    std::size_t at = bracket;
    while (at != std::string::npos && at < name.size() && name[at] == '[') {
      std::size_t close = name.find(']', at + 1);
      if (close == std::string::npos) {
        malformed_tail = path.empty();
        break;
      }
      std::string segment = name.substr(at + 1, close - at - 1);
      if (segment.empty())
        path.emplace_back(std::nullopt);
      else
        path.emplace_back(segment);
      at = close + 1;
    }
    if (malformed_tail) {
      // PHP: an unclosed first '[' turns into '_' and the rest stays part of the name.
      base = name.substr(pos);
      for (char& c : base)
        if (c == ' ' || c == '.' || c == '[') c = '_';
    }
    if (path.size() + 1 > max_input_nesting) continue;

    Node* node = slot(root, base);
    for (const auto& segment : path)
      node = slot(*node, segment);
    node->is_array = false;
    node->children.clear();
    node->value = field.value;
  }
  for (const auto& [k, child] : root.children) {
    rapidjson::Value v;
    to_json(*child, v, out.GetAllocator());
    rapidjson::Value key(k.data(), static_cast<rapidjson::SizeType>(k.size()), out.GetAllocator());
    out.AddMember(key, v, out.GetAllocator());
  }
  return InputError::none;
}

std::vector<const rapidjson::Value*> php_array_values(const rapidjson::Value& v) {
  std::vector<const rapidjson::Value*> out;
  if (v.IsArray()) {
    for (const auto& e : v.GetArray())
      out.push_back(&e);
  } else if (v.IsObject()) {
    for (const auto& m : v.GetObject())
      out.push_back(&m.value);
  }
  return out;
}

}  // namespace clientgate::dialects::ninja
