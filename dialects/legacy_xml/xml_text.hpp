// The character level of XML 1.0 as Rails' Builder writes it: escaping for text and attribute
// values, and which characters a document may carry at all.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace clientgate::dialects::legacy_xml {

// XML 1.0's Char production: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
// [#x10000-#x10FFFF].
constexpr bool xml_char(std::uint32_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
         (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

// What Builder writes for a character XML 1.0 cannot carry (stored data that came in through
// another dialect may hold one); the document stays well-formed.
inline constexpr char replacement_char = '*';

// Appends `text` as element content: & < > as entities, CR as &#13; (so it survives a parser's
// end-of-line normalisation), characters XML cannot carry (and bytes that are not UTF-8) as
// replacement_char. Quotes are left as they are, as Builder does.
void append_text(std::string& out, std::string_view text);

// As append_text, and also " TAB LF as references, for a double-quoted attribute value.
void append_attribute_value(std::string& out, std::string_view text);

// Whether every byte of `text` is valid UTF-8 and every character is an XML 1.0 Char.
bool xml_clean(std::string_view text);

}  // namespace clientgate::dialects::legacy_xml
