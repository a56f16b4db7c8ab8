#include "render.hpp"

#include <charconv>

#include "xml_text.hpp"

namespace clientgate::dialects::legacy_xml {
namespace {

void indent(std::string& out, int depth) {
  out.append(static_cast<std::size_t>(depth) * 2, ' ');
}

void append_int(std::string& out, std::int64_t value) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  (void)ec;
  out.append(buf, end);
}

void integer_element(std::string& out, int depth, std::string_view name, std::int64_t value) {
  indent(out, depth);
  out += '<';
  out += name;
  out += " type=\"integer\">";
  append_int(out, value);
  out += "</";
  out += name;
  out += ">\n";
}

void boolean_element(std::string& out, int depth, std::string_view name, bool value) {
  indent(out, depth);
  out += '<';
  out += name;
  out += " type=\"boolean\">";
  out += value ? "true" : "false";
  out += "</";
  out += name;
  out += ">\n";
}

void datetime_element(std::string& out, int depth, std::string_view name, core::Timestamp value) {
  indent(out, depth);
  out += '<';
  out += name;
  out += " type=\"datetime\">";
  out += value.iso8601(0);
  out += "</";
  out += name;
  out += ">\n";
}

// A string: no type attribute; null is <name nil="true"/>, "" is <name></name> (Builder's
// output for a nil and for an empty text argument).
void string_element(std::string& out, int depth, std::string_view name, const core::Text& value) {
  indent(out, depth);
  out += '<';
  out += name;
  if (!value) {
    out += " nil=\"true\"/>\n";
    return;
  }
  out += '>';
  append_text(out, *value);
  out += "</";
  out += name;
  out += ">\n";
}

void text_element(std::string& out, int depth, std::string_view name, std::string_view value) {
  indent(out, depth);
  out += '<';
  out += name;
  out += '>';
  append_text(out, value);
  out += "</";
  out += name;
  out += ">\n";
}

// <name type="array" total="N" end="N" start="1">: embedded collections are never ranged.
// type="array" is how Rails' to_xml marks a collection, and the only way ActiveResource (and
// ActiveSupport's Hash.from_xml) tells a list of zero or one element from a single record.
void collection_open(std::string& out, int depth, std::string_view name, std::size_t count) {
  indent(out, depth);
  out += '<';
  out += name;
  out += " type=\"array\" total=\"";
  append_int(out, static_cast<std::int64_t>(count));
  out += "\" end=\"";
  append_int(out, static_cast<std::int64_t>(count));
  out += "\" start=\"1\">\n";
}

void close_element(std::string& out, int depth, std::string_view name) {
  indent(out, depth);
  out += "</";
  out += name;
  out += ">\n";
}

void append_project(std::string& out, const core::Project& project, bool tasks, int depth) {
  indent(out, depth);
  out += "<project>\n";
  integer_element(out, depth + 1, "id", project.id);
  text_element(out, depth + 1, "name", project.name);
  boolean_element(out, depth + 1, "active", project.active);
  string_element(out, depth + 1, "code", project.code);
  string_element(out, depth + 1, "description", project.description);
  string_element(out, depth + 1, "url", project.url);
  datetime_element(out, depth + 1, "created-at", project.created_at);
  datetime_element(out, depth + 1, "updated-at", project.updated_at);
  if (tasks) {
    collection_open(out, depth + 1, "tasks", project.tasks.size());
    for (const auto& task : project.tasks) {
      indent(out, depth + 2);
      out += "<task>\n";
      integer_element(out, depth + 3, "id", task.id);
      text_element(out, depth + 3, "name", task.name);
      close_element(out, depth + 2, "task");
    }
    close_element(out, depth + 1, "tasks");
  }
  close_element(out, depth, "project");
}

}  // namespace

void append_client(std::string& out, const core::Client& client,
                   std::span<const core::Project> projects, Embedding embedding, int depth) {
  indent(out, depth);
  out += "<client>\n";
  integer_element(out, depth + 1, "id", client.id);
  text_element(out, depth + 1, "name", client.name);
  boolean_element(out, depth + 1, "active", client.active);
  string_element(out, depth + 1, "code", client.code);
  string_element(out, depth + 1, "description", client.description);
  string_element(out, depth + 1, "url", client.website);
  datetime_element(out, depth + 1, "created-at", client.created_at);
  datetime_element(out, depth + 1, "updated-at", client.updated_at);
  if (embedding.projects) {
    collection_open(out, depth + 1, "projects", projects.size());
    for (const auto& project : projects)
      append_project(out, project, embedding.tasks, depth + 2);
    close_element(out, depth + 1, "projects");
  }
  close_element(out, depth, "client");
}

std::string client_document(const core::Client& client, std::span<const core::Project> projects,
                            Embedding embedding) {
  std::string out;
  out.reserve(512);
  out += xml_declaration;
  append_client(out, client, projects, embedding, 0);
  return out;
}

void append_list_open(std::string& out, const RangeReport& range) {
  out += xml_declaration;
  out += "<clients type=\"array\" total=\"";
  append_int(out, range.total);
  out += "\" end=\"";
  append_int(out, range.end);
  out += "\" start=\"";
  append_int(out, range.start);
  out += "\">\n";
}

void append_list_close(std::string& out) {
  out += "</clients>\n";
}

std::string errors_document(std::span<const std::string> messages) {
  std::string out(xml_declaration);
  out += "<errors>\n";
  for (const auto& message : messages)
    text_element(out, 1, "error", message);
  out += "</errors>\n";
  return out;
}

std::string errors_document(std::string_view message) {
  std::string one(message);
  return errors_document(std::span<const std::string>(&one, 1));
}

}  // namespace clientgate::dialects::legacy_xml
