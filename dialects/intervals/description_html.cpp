#include "description_html.hpp"

#include <gumbo.h>

#include <algorithm>
#include <chrono>
#include <csetjmp>
#include <cstdlib>
#include <vector>

#include "clientgate/dialects/text_rules.hpp"

namespace clientgate::dialects::intervals {
namespace {

char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == ':' || c == '.';
}

// Tag and attribute names are written only when they cannot break out of the markup.
bool safe_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), is_name_char);
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (ascii_lower(text[i]) != prefix[i]) return false;
  return true;
}

// A browser skips leading white space and control characters and ignores tabs and new lines
// inside a URL's scheme, so "  java\tscript:" still runs: compare without them.
bool is_script_url(std::string_view value) {
  std::string squeezed;
  for (char c : value) {
    if (static_cast<unsigned char>(c) <= 0x20) continue;
    squeezed += ascii_lower(c);
    if (squeezed.size() >= 11) break;
  }
  return squeezed.rfind("javascript:", 0) == 0 || squeezed.rfind("vbscript:", 0) == 0;
}

bool dropped_attribute(const GumboAttribute& attribute) {
  std::string_view name = attribute.name;
  return starts_with_ci(name, "on") || starts_with_ci(name, "srcdoc") ||
         is_script_url(attribute.value);
}

bool dropped_element(GumboTag tag) {
  return tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE;
}

// These elements' content is raw text: the parser does not decode it and it ends only at the
// element's end tag. Written back escaped it would grow on every write; written back as it is,
// it would carry "<script>" as text. iframe, noembed and noframes content is never shown by a
// browser, so it goes; xmp and plaintext show their text as it is, so they become a <pre>
// with the same text, escaped.
bool drops_raw_text(const GumboElement& element) {
  if (element.tag_namespace != GUMBO_NAMESPACE_HTML) return false;
  return element.tag == GUMBO_TAG_IFRAME || element.tag == GUMBO_TAG_NOEMBED ||
         element.tag == GUMBO_TAG_NOFRAMES;
}

bool shows_raw_text(const GumboElement& element) {
  return element.tag_namespace == GUMBO_NAMESPACE_HTML &&
         (element.tag == GUMBO_TAG_XMP || element.tag == GUMBO_TAG_PLAINTEXT);
}

bool is_void(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_AREA:
    case GUMBO_TAG_BASE:
    case GUMBO_TAG_BASEFONT:
    case GUMBO_TAG_BGSOUND:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_COL:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_FRAME:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_IMG:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_KEYGEN:
    case GUMBO_TAG_LINK:
    case GUMBO_TAG_META:
    case GUMBO_TAG_PARAM:
    case GUMBO_TAG_SOURCE:
    case GUMBO_TAG_TRACK:
    case GUMBO_TAG_WBR:
      return true;
    default:
      return false;
  }
}

std::string tag_name(const GumboElement& element) {
  if (element.tag_namespace == GUMBO_NAMESPACE_SVG && element.original_tag.length > 0) {
    GumboStringPiece piece = element.original_tag;
    gumbo_tag_from_original_text(&piece);
    if (const char* adjusted = gumbo_normalize_svg_tagname(&piece)) return adjusted;
  }
  if (element.tag != GUMBO_TAG_UNKNOWN) return gumbo_normalized_tagname(element.tag);
  GumboStringPiece piece = element.original_tag;
  if (piece.length == 0) return {};
  gumbo_tag_from_original_text(&piece);
  std::string name(piece.data, piece.length);
  auto end = name.find_first_of(" \t\n\f\r/");
  if (end != std::string::npos) name.resize(end);
  for (auto& c : name)
    c = ascii_lower(c);
  return name;
}

// & < > (and " in an attribute value) as entities; every other byte as gumbo decoded it.
void append_escaped(std::string& out, std::string_view text, bool in_attribute) {
  append_markup_escaped(out, text, MarkupEscaping{in_attribute, false, nullptr});
}

std::string attribute_name(const GumboAttribute& attribute) {
  std::string_view name = attribute.name;
  switch (attribute.attr_namespace) {
    case GUMBO_ATTR_NAMESPACE_XLINK:
      return "xlink:" + std::string(name);
    case GUMBO_ATTR_NAMESPACE_XML:
      return "xml:" + std::string(name);
    case GUMBO_ATTR_NAMESPACE_XMLNS:
      return name == "xmlns" ? std::string(name) : "xmlns:" + std::string(name);
    default:
      return std::string(name);
  }
}

// The parser's memory, counted and capped. Gumbo has no limits of its own and cannot fail an
// allocation, so past the budget (or the deadline) the parse is abandoned with longjmp back
// to parse_within(); only gumbo's C frames and allocate() (no destructors) lie in between.
// Every block is kept on a list so that an abandoned tree is freed as a whole.
class ParseBudget {
 public:
  ParseBudget(const DescriptionLimits& limits)
      : limit_(limits.max_parse_bytes),
        timed_(limits.max_parse_ms > 0),
        deadline_(std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(limits.max_parse_ms)) {}
  ParseBudget(const ParseBudget&) = delete;
  ParseBudget& operator=(const ParseBudget&) = delete;
  ~ParseBudget() {
    while (blocks_) {
      Block* next = blocks_->next;
      std::free(blocks_);
      blocks_ = next;
    }
  }

  static void* allocate(void* self, std::size_t size) {
    auto& budget = *static_cast<ParseBudget*>(self);
    // The clock is read every 64 allocations: cheap, and often enough to stop in time.
    if (size > budget.limit_ - std::min(budget.limit_, budget.used_) ||
        (budget.timed_ && (++budget.calls_ & 63) == 0 &&
         std::chrono::steady_clock::now() > budget.deadline_))
      std::longjmp(budget.exceeded_, 1);
    auto* block = static_cast<Block*>(std::malloc(sizeof(Block) + size));
    if (!block) std::longjmp(budget.exceeded_, 1);
    block->size = size;
    block->prev = nullptr;
    block->next = budget.blocks_;
    if (budget.blocks_) budget.blocks_->prev = block;
    budget.blocks_ = block;
    budget.used_ += size;
    return block + 1;
  }

  static void deallocate(void* self, void* pointer) {
    if (!pointer) return;
    auto& budget = *static_cast<ParseBudget*>(self);
    Block* block = static_cast<Block*>(pointer) - 1;
    if (block->prev)
      block->prev->next = block->next;
    else
      budget.blocks_ = block->next;
    if (block->next) block->next->prev = block->prev;
    budget.used_ -= block->size;
    std::free(block);
  }

  // The parse of `html`, nullptr when it went past the budget. The tree lives as long as
  // this budget.
  const GumboOutput* parse_within(const GumboOptions& options, std::string_view html) {
    if (setjmp(exceeded_) != 0) return nullptr;
    return gumbo_parse_with_options(&options, html.data(), html.size());
  }

 private:
  struct alignas(std::max_align_t) Block {
    Block* prev;
    Block* next;
    std::size_t size;
  };
  std::size_t limit_;
  bool timed_;
  std::chrono::steady_clock::time_point deadline_;
  std::size_t used_ = 0;
  unsigned calls_ = 0;
  Block* blocks_ = nullptr;
  std::jmp_buf exceeded_;
};

// Serializes the children of `root` without recursion (the tree may be deep). nullopt past
// max_depth or max_bytes, checked as it goes so that a huge tree is not written out first.
std::optional<std::string> serialize_children(const GumboNode* root,
                                              const DescriptionLimits& limits,
                                              DescriptionRefusal& why) {
  struct Frame {
    const GumboNode* node;
    unsigned next_child;
    std::string close_tag;  // empty: nothing to close (the root, or a tag not written)
  };
  std::string out;
  std::vector<Frame> stack;
  stack.push_back({root, 0, {}});
  while (!stack.empty()) {
    if (out.size() > limits.max_bytes) {
      why = DescriptionRefusal::too_large;
      return std::nullopt;
    }
    Frame& frame = stack.back();
    const GumboVector& children = frame.node->v.element.children;
    if (frame.next_child >= children.length) {
      out += frame.close_tag;
      stack.pop_back();
      continue;
    }
    const auto* child = static_cast<const GumboNode*>(children.data[frame.next_child++]);
    switch (child->type) {
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_WHITESPACE:
      case GUMBO_NODE_CDATA:
        append_escaped(out, child->v.text.text, false);
        break;
      case GUMBO_NODE_ELEMENT:
      case GUMBO_NODE_TEMPLATE: {
        const GumboElement& element = child->v.element;
        if (dropped_element(element.tag)) break;
        std::string name = shows_raw_text(element) ? "pre" : tag_name(element);
        bool written = safe_name(name);
        if (written) {
          out += '<';
          out += name;
          for (unsigned i = 0; i < element.attributes.length; ++i) {
            const auto* attribute = static_cast<const GumboAttribute*>(element.attributes.data[i]);
            std::string attr_name = attribute_name(*attribute);
            if (dropped_attribute(*attribute) || !safe_name(attr_name)) continue;
            out += ' ';
            out += attr_name;
            out += "=\"";
            append_escaped(out, attribute->value, true);
            out += '"';
          }
          out += '>';
        }
        if (is_void(element.tag) && element.tag_namespace == GUMBO_NAMESPACE_HTML) break;
        if (drops_raw_text(element)) {
          if (written) out += "</" + name + ">";
          break;
        }
        if (stack.size() > limits.max_depth) {
          why = DescriptionRefusal::too_deep;
          return std::nullopt;
        }
        stack.push_back({child, 0, written ? "</" + name + ">" : std::string{}});
        break;
      }
      default:  // comments (and nothing else can appear in a fragment)
        break;
    }
  }
  if (out.size() > limits.max_bytes) {
    why = DescriptionRefusal::too_large;
    return std::nullopt;
  }
  return out;
}

}  // namespace

std::string refusal_message(DescriptionRefusal why, const DescriptionLimits& limits) {
  switch (why) {
    case DescriptionRefusal::too_many_tags:
      return "The field description holds too much markup (at most " +
             std::to_string(limits.max_tags) + " tags)";
    case DescriptionRefusal::too_large:
      return "The field description may not be longer than " + std::to_string(limits.max_bytes) +
             " bytes once cleaned";
    case DescriptionRefusal::too_deep:
      return "The field description nests elements too deeply (at most " +
             std::to_string(limits.max_depth) + " levels once cleaned)";
    case DescriptionRefusal::too_costly:
      break;
  }
  return "The field description's markup is too costly to clean (unclosed formatting "
         "elements are re-opened at every block: close them)";
}

std::optional<std::string> clean_description_html(std::string_view html,
                                                  const DescriptionLimits& limits,
                                                  DescriptionRefusal* why) {
  DescriptionRefusal refusal = DescriptionRefusal::too_costly;
  auto refuse = [&](DescriptionRefusal r) -> std::optional<std::string> {
    if (why) *why = r;
    return std::nullopt;
  };
  std::size_t markup = static_cast<std::size_t>(std::count(html.begin(), html.end(), '<'));
  if (markup == 0) {
    if (html.size() > limits.max_bytes) return refuse(DescriptionRefusal::too_large);
    return std::string(html);
  }
  if (markup > limits.max_tags) return refuse(DescriptionRefusal::too_many_tags);

  ParseBudget budget(limits);
  GumboOptions options = kGumboDefaultOptions;
  options.allocator = &ParseBudget::allocate;
  options.deallocator = &ParseBudget::deallocate;
  options.userdata = &budget;
  options.fragment_context = GUMBO_TAG_BODY;
  options.fragment_namespace = GUMBO_NAMESPACE_HTML;
  options.max_errors = 0;  // the parse errors are not used; do not collect them
  const GumboOutput* output = budget.parse_within(options, html);
  if (!output) return refuse(DescriptionRefusal::too_costly);
  if (!output->root) return std::string{};
  auto cleaned = serialize_children(output->root, limits, refusal);
  if (!cleaned) return refuse(refusal);
  return cleaned;
}

}  // namespace clientgate::dialects::intervals
