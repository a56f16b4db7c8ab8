#include "clientgate/dialects/common.hpp"

#include "clientgate/dialects/utf8.hpp"

#include <sodium.h>

#include <algorithm>
#include <boost/url/parse.hpp>
#include <charconv>

namespace clientgate::dialects {
namespace {

bool iequals_prefix(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char a = text[i], b = prefix[i];
    if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
    if (b >= 'A' && b <= 'Z') b = static_cast<char>(b - 'A' + 'a');
    if (a != b) return false;
  }
  return true;
}

// The credential after "<scheme> " in Authorization, or nullopt.
std::optional<std::string_view> authorization(const Header& header, std::string_view scheme) {
  auto it = header.find(http::field::authorization);
  if (it == header.end()) return std::nullopt;
  std::string_view value = it->value();
  if (!iequals_prefix(value, scheme) || value.size() <= scheme.size() ||
      value[scheme.size()] != ' ')
    return std::nullopt;
  return trim_blanks(value.substr(scheme.size() + 1));
}

}  // namespace

std::optional<std::string> bearer_token(const Header& header) {
  auto credential = authorization(header, "Bearer");
  if (!credential || credential->empty()) return std::nullopt;
  return std::string(*credential);
}

std::optional<BasicCredentials> basic_credentials(const Header& header) {
  auto credential = authorization(header, "Basic");
  if (!credential || credential->empty() || credential->size() > 4096) return std::nullopt;
  std::string decoded(credential->size(), '\0');
  std::size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(decoded.data()), decoded.size(),
                        credential->data(), credential->size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0)
    return std::nullopt;
  decoded.resize(length);
  auto colon = decoded.find(':');
  if (colon == std::string::npos) return std::nullopt;
  return BasicCredentials{decoded.substr(0, colon), decoded.substr(colon + 1)};
}

std::vector<std::string> path_segments(boost::urls::url_view url) {
  std::vector<std::string> out;
  // Every request's routing asks this of several dialects: a path with nothing
  // percent-encoded is split as it is (Boost.URL's decoding iterator costs ~10x more). A
  // leading "/." is left to Boost.URL, which elides it before an empty segment.
  std::string_view path = url.encoded_path();
  if (!path.empty() && path.front() == '/' && path.find('%') == std::string_view::npos &&
      !path.starts_with("/.")) {
    path.remove_prefix(1);
    if (path.empty()) return out;
    out.reserve(static_cast<std::size_t>(std::count(path.begin(), path.end(), '/')) + 1);
    for (std::size_t slash; (slash = path.find('/')) != std::string_view::npos;) {
      out.emplace_back(path.substr(0, slash));
      path.remove_prefix(slash + 1);
    }
    out.emplace_back(path);
    return out;
  }
  for (auto segment : url.segments())
    out.push_back(segment);
  return out;
}

std::optional<std::string> query_param(boost::urls::url_view url, std::string_view key) {
  auto params = url.params();
  auto it = params.find(key);
  if (it == params.end()) return std::nullopt;
  return std::string((*it).value);
}

std::optional<std::int64_t> parse_int64(std::string_view text, bool allow_negative) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  std::size_t digits_start = (allow_negative && text[0] == '-') ? 1 : 0;
  if (text.size() - digits_start == 0 || text.size() - digits_start > 18) return std::nullopt;
  for (std::size_t i = digits_start; i < text.size(); ++i)
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string media_type(const Header& header) {
  auto it = header.find(http::field::content_type);
  if (it == header.end()) return {};
  std::string_view value = it->value();
  value = trim_blanks(value.substr(0, value.find(';')));
  return ascii_lower(value);
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

std::size_t utf8_length(std::string_view text) {
  std::size_t n = 0;
  for (char c : text)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

bool valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = decode_utf8(text, i).length;
    if (length == 0) return false;
    i += length;
  }
  return true;
}

JsonBodyError parse_json_body(std::string_view body, rapidjson::Document& doc, int max_depth,
                              bool numbers_as_text) {
  // Measure nesting before parsing, so a 100,000-deep body costs one pass and no recursion.
  int depth = 0;
  bool in_string = false, escaped = false;
  for (char c : body) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return JsonBodyError::too_deep;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  if (!valid_utf8(body)) return JsonBodyError::invalid_utf8;
  // RapidJSON refuses anything but white space after the root value by itself.
  constexpr unsigned flags = rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;
  if (numbers_as_text)
    doc.Parse<flags | rapidjson::kParseNumbersAsStringsFlag>(body.data(), body.size());
  else
    doc.Parse<flags>(body.data(), body.size());
  if (doc.HasParseError()) return JsonBodyError::malformed;
  return JsonBodyError::none;
}

void add_field_message(FieldMessages& errors, const std::string& field, std::string message) {
  for (auto& [named, messages] : errors) {
    if (named == field) {
      messages.push_back(std::move(message));
      return;
    }
  }
  errors.push_back({field, {std::move(message)}});
}

}  // namespace clientgate::dialects
