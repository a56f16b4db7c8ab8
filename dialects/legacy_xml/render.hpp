// The Rails `to_xml` representation of clients, their projects and tasks, list roots with
// their range attributes, and `<errors>` documents. Byte for byte what Rails 2 with Builder
// (indent 2) writes: dasherized names, `type` attributes, nil="true", whole-second Z times.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "clientgate/core/model.hpp"

namespace clientgate::dialects::legacy_xml {

inline constexpr std::string_view xml_declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
inline constexpr std::string_view xml_content_type = "application/xml; charset=utf-8";

// What a list root says: all matching rows, and the 1-based inclusive range returned.
// An empty range has end == start - 1.
struct RangeReport {
  std::int64_t total = 0;
  std::int64_t start = 1;
  std::int64_t end = 0;
  std::int64_t count() const { return end - start + 1; }
};

// Which related records are embedded in each client (include=projects[,tasks]).
struct Embedding {
  bool projects = false;
  bool tasks = false;  // only with projects
};

// One <client> element at nesting `depth` (0: the document root). `projects` are the
// client's own, in id order; read only when embedding.projects.
void append_client(std::string& out, const core::Client& client,
                   std::span<const core::Project> projects, Embedding embedding, int depth);

// A whole document of one client.
std::string client_document(const core::Client& client, std::span<const core::Project> projects,
                            Embedding embedding);

// The declaration and `<clients total=".." end=".." start="..">`; the clients follow at depth 1.
void append_list_open(std::string& out, const RangeReport& range);
void append_list_close(std::string& out);

// `<errors><error>message</error>...</errors>`, a whole document.
std::string errors_document(std::span<const std::string> messages);
std::string errors_document(std::string_view message);

}  // namespace clientgate::dialects::legacy_xml
