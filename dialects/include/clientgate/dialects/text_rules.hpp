// The text rules every dialect applies. A client's text is stored once and shown by every
// dialect, so what may come in and how what is stored goes out are decided here:
//
// In:  every dialect refuses text that is not UTF-8 (valid_utf8). Which characters it refuses
//      besides is the one thing a dialect chooses, as TextRules::refused_on_input, because
//      the real APIs differ (a Laravel API stores "\u0001" as sent, an XML body cannot hold
//      it at all); each dialect's README says which it declares and why.
// Out: JSON escapes control characters ("\u0001"), as RapidJSON and PhpJson already do. XML
//      1.0 cannot carry them, not even as references, and whatever another dialect (or an
//      import) stored must still give a well-formed document: an XML writer writes each
//      character XML cannot carry, and each byte that is not UTF-8, as
//      TextRules::xml_replacement.
#pragma once

#include <string>
#include <string_view>

namespace clientgate::dialects {

// C0 control characters other than tab, line feed and carriage return, and DEL.
constexpr bool is_control_character(char32_t cp) {
  return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7F;
}

// XML 1.0's Char production: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
// [#x10000-#x10FFFF].
constexpr bool is_xml_char(char32_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
         (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

// What a dialect refuses in a client's text besides bytes that are not UTF-8.
enum class RefusedOnInput {
  nothing,             // stored as sent (the real API stores control characters)
  non_xml_characters,  // what XML 1.0 cannot carry (!is_xml_char): an XML body cannot hold it
  control_characters,  // is_control_character: what not every dialect can show
};

struct TextRules {
  RefusedOnInput refused_on_input = RefusedOnInput::nothing;
  // What an XML writer puts for a character XML cannot carry or a byte that is not UTF-8
  // (unused by a dialect that writes no XML).
  std::string_view xml_replacement = "\xEF\xBF\xBD";  // U+FFFD
};

enum class TextFault { none, not_utf8, refused_character };

// What `rules` refuse in text a client sent: the fault of its first character that is not
// UTF-8 or that `rules` refuse.
TextFault input_text_fault(std::string_view text, const TextRules& rules);

// `text` with each byte that is not UTF-8 and each character XML cannot carry replaced by
// rules.xml_replacement: text a non-escaping XML writer (pugixml) can carry. Unchanged (and
// not copied twice) when there is nothing to replace.
std::string xml_chars_only(std::string_view text, const TextRules& rules);

// How append_markup_escaped writes text into XML or HTML. & < > are always entities.
struct MarkupEscaping {
  // A double-quoted attribute value: " as &quot; too.
  bool attribute = false;
  // CR as &#13; (so that it survives a parser's end-of-line normalisation) and, in an
  // attribute, TAB and LF as &#9; &#10; (so that they survive attribute-value normalisation).
  bool whitespace_references = false;
  // When set, each byte that is not UTF-8 and each character XML cannot carry is written as
  // this; otherwise every byte is copied as it is (HTML that gumbo has already decoded).
  const TextRules* xml_chars_only = nullptr;
};

// Appends `text` escaped as `how` says.
void append_markup_escaped(std::string& out, std::string_view text, const MarkupEscaping& how);

}  // namespace clientgate::dialects
