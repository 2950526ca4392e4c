// What a file really is, from its bytes: the types onex accepts for uploads, what a purpose
// files are uploaded for is (API.md "File purposes and limits"), and the checks of seal and signature
// images. Nothing here trusts a declared Content-Type or a file name.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "onex/status.h"

namespace onex::files {

enum class Kind { unknown, pdf, png, jpeg, doc, zip, docx, xlsx, csv };

// "application/pdf", "image/png", ...; "application/octet-stream" for unknown.
std::string_view content_type_of(Kind kind);
// "pdf", "png", "jpg", "doc", "zip", "docx", "xlsx", "csv"; "bin" for unknown.
std::string_view extension_of(Kind kind);
// The kind whose content_type_of is `content_type` (exactly); unknown for any other.
Kind kind_of(std::string_view content_type);

struct Sniffed {
  Kind kind = Kind::unknown;
  // PNG only: read from the IHDR header, before any decoding.
  std::uint32_t width = 0, height = 0;
};

// The type of `bytes`:
//   PDF   "%PDF-" at the start;
//   PNG   the 8-byte signature followed by a well-formed IHDR chunk (width and height > 0);
//   JPEG  FF D8 FF;
//   DOC   the OLE2 compound file signature (D0 CF 11 E0 A1 B1 1A E1);
//   ZIP   an archive libzip opens; DOCX when it holds [Content_Types].xml and word/document.xml,
//         XLSX when it holds [Content_Types].xml and xl/workbook.xml;
//   CSV   anything else that is valid UTF-8 (a BOM allowed) without NUL.
// Empty input is unknown. Thread-safe.
Sniffed sniff(std::string_view bytes);

// The same for a file (a spooled upload). ZIP archives are opened by libzip from the file;
// files up to `read_whole` bytes are read and sniffed as above; of larger ones only the first
// bytes are looked at, so they are never CSV. Unknown when the file cannot be read.
Sniffed sniff_file(const std::string& path, std::size_t read_whole = std::size_t{32} << 20);

// The IHDR dimensions of a PNG, nullopt when `bytes` is not one.
std::optional<std::pair<std::uint32_t, std::uint32_t>> png_dimensions(std::string_view bytes);
// The width and height in a JPEG's frame header (SOFn), found by walking the segments before the
// first scan, without decoding anything; nullopt when `bytes` is not a JPEG or has no frame header
// there. Works for sizes a decoder would refuse (30000 × 30000).
std::optional<std::pair<std::uint32_t, std::uint32_t>> jpeg_dimensions(std::string_view bytes);

// A seal or signature image: a PNG (checked by the caller), square, at most 4096 pixels a side,
// with an alpha channel (or tRNS transparency) and its four corner pixels fully transparent. Fails (422, field "file")
// with file.not_square, file.dimensions_too_large, file.not_transparent, or file.unreadable when
// the image does not decode.
Status check_transparent_square(std::string_view png_bytes);

// A purpose files are uploaded for, its size limit and the kinds it takes. The purposes
// themselves belong to the workflows whose records use the files: each registers its own
// (workflows/common/purposes.h); this library names none.
struct Purpose {
  std::string_view name;  // a string with static storage: "declaration_attachment"
  std::size_t limit = 0;  // bytes
  std::vector<Kind> kinds;
  bool transparent_square = false;  // seal, signature
};
inline constexpr std::size_t kMiB = std::size_t{1} << 20;

// Whether a declared Content-Type agrees with what the bytes are. Parameters (charset) and case
// are ignored; an absent type and application/octet-stream claim nothing and agree with any
// kind; common aliases agree (image/jpg, image/pjpeg; application/x-zip-compressed; text/plain
// and application/vnd.ms-excel for CSV).
bool declared_type_agrees(std::string_view declared, Kind kind);

}  // namespace onex::files
