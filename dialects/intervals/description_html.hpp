// The clean-up of a client description ("This field accepts HTML, but certain HTML elements
// may be stripped out"), done on the tree of a real HTML5 parser (gumbo), never on the text.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace clientgate::dialects::intervals {

// The bounds of one description's clean-up, [dialects.intervals] settings (README). Each
// bounds what one request can cost and what every later read of the client costs.
struct DescriptionLimits {
  // '<' characters in the text: the parser's tree is about as deep as the markup.
  std::size_t max_tags = 10000;
  // Bytes of the cleaned HTML (the stored text), markup or not.
  std::size_t max_bytes = 1048576;
  // Elements nested in the cleaned HTML.
  std::size_t max_depth = 10000;
  // Bytes the parser may hold at once. HTML5's tree building re-opens every unclosed
  // formatting element (<b>, <i>, <a>, ...) at each new block, so a few thousand tags can
  // make a tree of millions of nodes; the parse stops as soon as it needs more than this.
  std::size_t max_parse_bytes = 8388608;
  // Milliseconds the parse may take (a safety net: the parser has steps whose cost is
  // quadratic without allocating, e.g. thousands of attributes on one tag). 0: no limit.
  std::size_t max_parse_ms = 1000;
};

inline constexpr std::size_t max_description_markup = DescriptionLimits{}.max_tags;

enum class DescriptionRefusal { too_many_tags, too_large, too_deep, too_costly };

// What a refusal says, naming the limit ("The field description ...").
std::string refusal_message(DescriptionRefusal why, const DescriptionLimits& limits);

// Removes <script> and <style> elements with their content, every event-handler attribute
// (on*), `srcdoc`, and every attribute whose value is a javascript: or vbscript: URL
// (after the entity decoding and white-space skipping a browser does); comments go too.
// Everything else is kept. Text without any '<' has no markup and is returned as it is;
// otherwise the result is the parser's tree serialized again (so broken markup comes back
// repaired: unclosed elements closed, text escaped). nullopt: past one of `limits` (which
// one in `why`, when given).
std::optional<std::string> clean_description_html(std::string_view html,
                                                  const DescriptionLimits& limits = {},
                                                  DescriptionRefusal* why = nullptr);

}  // namespace clientgate::dialects::intervals
