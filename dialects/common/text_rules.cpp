#include "clientgate/dialects/text_rules.hpp"

#include <array>

#include "clientgate/dialects/utf8.hpp"

namespace clientgate::dialects {
namespace {

bool refused(char32_t cp, RefusedOnInput refused_on_input) {
  switch (refused_on_input) {
    case RefusedOnInput::nothing:
      return false;
    case RefusedOnInput::non_xml_characters:
      return !is_xml_char(cp);
    case RefusedOnInput::control_characters:
      return is_control_character(cp);
  }
  return false;
}

}  // namespace

TextFault input_text_fault(std::string_view text, const TextRules& rules) {
  std::size_t i = 0;
  while (i < text.size()) {
    CodePoint cp = decode_utf8(text, i);
    if (cp.length == 0) return TextFault::not_utf8;
    if (refused(cp.value, rules.refused_on_input)) return TextFault::refused_character;
    i += cp.length;
  }
  return TextFault::none;
}

std::string xml_chars_only(std::string_view text, const TextRules& rules) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    // Copy the longest run that needs nothing (the common case: all of it).
    std::size_t run = i;
    while (run < text.size()) {
      auto c = static_cast<unsigned char>(text[run]);
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c >= 0x80) break;
      ++run;
    }
    if (i == 0 && run == text.size()) return std::string(text);
    out.append(text.data() + i, run - i);
    i = run;
    if (i == text.size()) break;
    CodePoint cp = decode_utf8(text, i);
    if (cp.length != 0 && is_xml_char(cp.value))
      out.append(text.data() + i, cp.length);
    else
      out += rules.xml_replacement;
    i += cp.length == 0 ? 1 : cp.length;
  }
  return out;
}

namespace {

// The loop of append_markup_escaped, with its flags known at compile time: it runs over every
// text of every XML document legacy_xml writes.
template <bool attribute, bool whitespace_references, bool checks_chars>
void append_escaped(std::string& out, std::string_view text, std::string_view replacement) {
  constexpr bool stops_at_controls = checks_chars || whitespace_references;
  // One lookup a byte: the run below is the whole cost for most text.
  static constexpr auto care = [] {
    std::array<bool, 256> table{};
    for (unsigned c = 0; c < 256; ++c)
      table[c] = c == '&' || c == '<' || c == '>' || (attribute && c == '"') ||
                 (stops_at_controls && c < 0x20) || (checks_chars && c >= 0x80);
    return table;
  }();
  auto needs_care = [](unsigned char c) { return care[c]; };
  out.reserve(out.size() + text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    // Copy the longest run that needs nothing (the common case: all of it).
    std::size_t run = i;
    while (run < text.size() && !needs_care(static_cast<unsigned char>(text[run])))
      ++run;
    out.append(text.data() + i, run - i);
    i = run;
    if (i == text.size()) break;

    auto c = static_cast<unsigned char>(text[i]);
    if (checks_chars && c >= 0x80) {
      CodePoint cp = decode_utf8(text, i);
      if (cp.length != 0 && is_xml_char(cp.value))
        out.append(text.data() + i, cp.length);
      else
        out += replacement;
      i += cp.length == 0 ? 1 : cp.length;
      continue;
    }
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\r':
        out += whitespace_references ? "&#13;" : "\r";
        break;
      case '\n':
        out += whitespace_references && attribute ? "&#10;" : "\n";
        break;
      case '\t':
        out += whitespace_references && attribute ? "&#9;" : "\t";
        break;
      default:  // another C0 control character
        if (checks_chars)
          out += replacement;
        else
          out += static_cast<char>(c);
        break;
    }
    ++i;
  }
}

template <bool attribute, bool whitespace_references>
void append_escaped(std::string& out, std::string_view text, const MarkupEscaping& how) {
  if (how.xml_chars_only)
    append_escaped<attribute, whitespace_references, true>(out, text,
                                                           how.xml_chars_only->xml_replacement);
  else
    append_escaped<attribute, whitespace_references, false>(out, text, {});
}

}  // namespace

void append_markup_escaped(std::string& out, std::string_view text, const MarkupEscaping& how) {
  if (how.attribute) {
    if (how.whitespace_references)
      append_escaped<true, true>(out, text, how);
    else
      append_escaped<true, false>(out, text, how);
  } else {
    if (how.whitespace_references)
      append_escaped<false, true>(out, text, how);
    else
      append_escaped<false, false>(out, text, how);
  }
}

}  // namespace clientgate::dialects
