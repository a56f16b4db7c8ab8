// The character level of XML 1.0 as Rails' Builder writes it: escaping for text and attribute
// values, and which characters a document may carry at all. The rules are the shared ones
// (clientgate/dialects/text_rules.hpp); what is legacy_xml's own is text_rules below.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "clientgate/dialects/text_rules.hpp"

namespace clientgate::dialects::legacy_xml {

// XML 1.0's Char production.
constexpr bool xml_char(std::uint32_t cp) {
  return is_xml_char(cp);
}

// What Builder writes for a character XML 1.0 cannot carry (stored data that came in through
// another dialect may hold one); the document stays well-formed.
inline constexpr char replacement_char = '*';

// legacy_xml's parameters of the shared text rules: a body holding a character XML 1.0 cannot
// carry is refused (it is not XML); one stored through another dialect is written as `*`.
inline constexpr TextRules text_rules{RefusedOnInput::non_xml_characters, "*"};

// Appends `text` as element content: & < > as entities, CR as &#13; (so it survives a parser's
// end-of-line normalisation), characters XML cannot carry (and bytes that are not UTF-8) as
// replacement_char. Quotes are left as they are, as Builder does.
inline void append_text(std::string& out, std::string_view text) {
  append_markup_escaped(out, text, MarkupEscaping{false, true, &text_rules});
}

// As append_text, and also " TAB LF as references, for a double-quoted attribute value.
inline void append_attribute_value(std::string& out, std::string_view text) {
  append_markup_escaped(out, text, MarkupEscaping{true, true, &text_rules});
}

// Whether every byte of `text` is valid UTF-8 and every character is an XML 1.0 Char.
inline bool xml_clean(std::string_view text) {
  return input_text_fault(text, text_rules) == TextFault::none;
}

}  // namespace clientgate::dialects::legacy_xml
