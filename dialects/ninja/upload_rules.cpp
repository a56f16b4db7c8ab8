#include "upload_rules.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <set>

#include <rapidjson/document.h>

#include "clientgate/dialects/common.hpp"

namespace clientgate::dialects::ninja {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool contains(std::string_view s, std::string_view needle) {
  return s.find(needle) != std::string_view::npos;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// A UTF-16LE name as the OLE2 directory stores it.
std::string utf16le(std::string_view ascii) {
  std::string out;
  for (char c : ascii) {
    out += c;
    out += '\0';
  }
  return out;
}

// Zip containers: the OpenDocument `mimetype` entry comes first, uncompressed; Office Open XML
// is recognised by its part names, as libmagic does.
std::string zip_kind(std::string_view head) {
  if (head.size() > 38 && head.substr(30, 8) == "mimetype") {
    std::string_view rest = head.substr(38, 80);
    if (starts_with(rest, "application/vnd.oasis.opendocument.text")) return "odt";
    if (starts_with(rest, "application/vnd.oasis.opendocument.spreadsheet")) return "ods";
    if (starts_with(rest, "application/vnd.oasis.opendocument.presentation")) return "odp";
  }
  if (contains(head, "word/")) return "docx";
  if (contains(head, "xl/")) return "xlsx";
  if (contains(head, "ppt/")) return "pptx";
  return "zip";
}

// Text as libmagic sees it: no NUL, no control bytes other than whitespace and ESC/FF.
bool looks_like_text(std::string_view head) {
  for (unsigned char c : head) {
    if (c == 0) return false;
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b && c != '\v' &&
        c != '\b')
      return false;
  }
  return true;
}

std::string text_kind(std::string_view head) {
  std::string_view body = head;
  if (starts_with(body, "\xEF\xBB\xBF")) body.remove_prefix(3);
  auto first = body.find_first_not_of(" \t\r\n\f\v");
  body = first == std::string_view::npos ? std::string_view() : body.substr(first);
  std::string low = lower(body.substr(0, 4096));
  if (starts_with(body, "#!")) return "sh";  // text/x-shellscript
  if (contains(low, "<?php")) return "php";  // text/x-php
  if (starts_with(low, "<?xml")) return contains(low, "<svg") ? "svg" : "xml";
  for (std::string_view tag : {"<!doctype html", "<html", "<head", "<body", "<script", "<iframe",
                               "<title", "<h1", "<table", "<style", "<!--"}) {
    if (starts_with(low, tag)) return "html";  // text/html
  }
  if (starts_with(low, "<svg")) return "svg";
  if (starts_with(body, "{") || starts_with(body, "[")) {
    rapidjson::Document d;
    d.Parse(head.data(), head.size());
    if (!d.HasParseError() && (d.IsObject() || d.IsArray())) return "json";  // application/json
  }
  // text/csv (libmagic: lines with the same number of commas), else text/plain.
  std::size_t lines = 0, commas = std::string_view::npos;
  for (std::size_t at = 0; at < body.size() && lines < 8;) {
    std::size_t end = body.find('\n', at);
    if (end == std::string_view::npos) break;  // judge complete lines only
    std::string_view line = body.substr(at, end - at);
    std::size_t n = static_cast<std::size_t>(std::count(line.begin(), line.end(), ','));
    if (n == 0 || (commas != std::string_view::npos && n != commas)) return "txt";
    commas = n;
    ++lines;
    at = end + 1;
  }
  return lines >= 2 ? "csv" : "txt";
}

}  // namespace

std::string guess_extension(std::string_view h) {
  if (h.empty()) return "";
  if (starts_with(h, "\x89PNG\r\n\x1a\n")) return "png";
  if (starts_with(h, "\xFF\xD8\xFF")) return "jpeg";
  if (starts_with(h, "GIF87a") || starts_with(h, "GIF89a")) return "gif";
  // image/tiff: Symfony's first extension for it is "tif", which the real list lacks.
  if (starts_with(h, std::string_view("II*\0", 4)) || starts_with(h, std::string_view("MM\0*", 4)))
    return "tif";
  if (starts_with(h, "%PDF-")) return "pdf";
  if (starts_with(h, "8BPS")) return "psd";
  if (starts_with(h, "%!PS-Adobe")) return "ai";  // application/postscript: ai, eps, ps
  if (h.size() >= 12 && starts_with(h, "RIFF") && h.substr(8, 4) == "WEBP") return "webp";
  if (starts_with(h, "PK\x03\x04") || starts_with(h, "PK\x05\x06")) return zip_kind(h);
  if (starts_with(h, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) {  // OLE2: by its streams' names
    if (contains(h, utf16le("WordDocument"))) return "doc";
    if (contains(h, utf16le("Workbook")) || contains(h, utf16le("Book"))) return "xls";
    if (contains(h, utf16le("PowerPoint Document"))) return "ppt";
    return "";  // application/CDFV2: no extension
  }
  if (starts_with(h, "MZ")) return "exe";  // application/x-dosexec
  if (starts_with(h,
                  "\x7F"
                  "ELF"))
    return "";  // application/x-executable (no extension)
  if (looks_like_text(h)) return text_kind(h);
  return "";  // application/octet-stream and the rest: nothing the list holds
}

bool upload_type_allowed(std::string_view guessed, std::string_view client_filename) {
  static const std::set<std::string, std::less<>> allowed{
      "png", "ai",   "jpeg", "jpg",  "tiff", "pdf", "gif", "psd", "txt", "doc", "xls",
      "ppt", "xlsx", "docx", "pptx", "webp", "xml", "zip", "csv", "ods", "odt", "odp"};
  // shouldBlockPhpUpload: a PHP script's name is refused, whatever the content.
  static const std::set<std::string, std::less<>> php{"php",  "php3", "php4",  "php5",
                                                      "php7", "php8", "phtml", "phar"};
  auto dot = client_filename.rfind('.');
  std::string ext = dot == std::string_view::npos ? "" : lower(client_filename.substr(dot + 1));
  if (php.count(ext) > 0) return false;
  return allowed.count(guessed) > 0;
}

std::string read_head(const std::string& path, std::size_t max) {
  std::ifstream in(path, std::ios::binary);
  std::string out(max, '\0');
  in.read(out.data(), static_cast<std::streamsize>(max));
  out.resize(static_cast<std::size_t>(std::max<std::streamsize>(in.gcount(), 0)));
  return out;
}

}  // namespace clientgate::dialects::ninja
