// The clean-up of a client description ("This field accepts HTML, but certain HTML elements
// may be stripped out"), done on the tree of a real HTML5 parser (gumbo), never on the text.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace clientgate::dialects::intervals {

// More markup than this ('<' characters) is refused: the parser's tree is as deep as the
// markup is, and a description is notes, not a page.
inline constexpr std::size_t max_description_markup = 10000;

// Removes <script> and <style> elements with their content, every event-handler attribute
// (on*), `srcdoc`, and every attribute whose value is a javascript: or vbscript: URL
// (after the entity decoding and white-space skipping a browser does); comments go too.
// Everything else is kept. Text without any '<' has no markup and is returned as it is;
// otherwise the result is the parser's tree serialized again (so broken markup comes back
// repaired: unclosed elements closed, text escaped). nullopt: over max_description_markup.
std::optional<std::string> clean_description_html(std::string_view html);

}  // namespace clientgate::dialects::intervals
