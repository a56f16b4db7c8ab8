// How the real upload rules judge a file (Request::$file_validation:
// `file|max:100000|mimes:png,ai,jpeg,tiff,...`): Laravel's `mimes` rule looks at the content,
// not the name — the MIME type finfo (libmagic) sees, mapped to its first extension as
// Symfony's MimeTypes lists them — and refuses a PHP upload by its name whatever it holds.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace clientgate::dialects::ninja {

// The upload rule's list as its message names it.
inline constexpr std::string_view kUploadTypesList =
    "png, ai, jpeg, tiff, pdf, gif, psd, txt, doc, xls, ppt, xlsx, docx, pptx, webp, xml, zip, "
    "csv, ods, odt, odp";
// `max:100000` (kilobytes).
inline constexpr std::int64_t kUploadMaxKilobytes = 100000;

// The extension Laravel's guessExtension() gives the content (its first bytes, `head`, up to
// 64 KiB); "" when finfo's type has none the rule could accept.
std::string guess_extension(std::string_view head);

// Laravel's `mimes` rule over the upload list: the content's extension is in the list (jpg
// and jpeg count as one), and the client's name is not a PHP script's.
bool upload_type_allowed(std::string_view guessed_extension, std::string_view client_filename);

// The first bytes of a file, up to `max` (64 KiB by default).
std::string read_head(const std::string& path, std::size_t max = 64 * 1024);

}  // namespace clientgate::dialects::ninja
