#include "files/sniff.h"

#include <stb/stb_image.h>

#include "files/zip_archive.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <cctype>
#include <limits>
#include <memory>

#include <simdjson.h>

namespace onex::files {
namespace {

constexpr std::uint32_t kLargestSealSide = 4096;

bool starts_with(std::string_view bytes, std::string_view prefix) {
  return bytes.substr(0, prefix.size()) == prefix;
}

std::uint32_t be16(std::string_view b, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(b[at])) << 8 |
         static_cast<unsigned char>(b[at + 1]);
}

std::uint32_t be32(std::string_view b, std::size_t at) {
  auto byte = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + i])); };
  return byte(0) << 24 | byte(1) << 16 | byte(2) << 8 | byte(3);
}

// DOCX, XLSX or another ZIP, by the entries libzip finds; unknown when it does not open.
Kind zip_kind(std::string_view bytes) {
  ZipArchive archive = open_zip(bytes);
  if (!archive) return Kind::unknown;
  auto has = [&](const char* name) { return zip_name_locate(archive.get(), name, 0) >= 0; };
  if (!has("[Content_Types].xml")) return Kind::zip;
  if (has("word/document.xml")) return Kind::docx;
  if (has("xl/workbook.xml")) return Kind::xlsx;
  return Kind::zip;
}

bool is_text(std::string_view bytes) {
  if (bytes.find('\0') != std::string_view::npos) return false;
  return simdjson::validate_utf8(bytes.data(), bytes.size());
}

std::string media_type(std::string_view declared) {
  declared = declared.substr(0, declared.find(';'));
  while (!declared.empty() && (declared.front() == ' ' || declared.front() == '\t')) declared.remove_prefix(1);
  while (!declared.empty() && (declared.back() == ' ' || declared.back() == '\t')) declared.remove_suffix(1);
  std::string out(declared);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Status unprocessable(const char* code, const std::string& message) {
  return Status::unprocessable(code, message, {{"file", code, message}});
}

}  // namespace

std::string_view content_type_of(Kind kind) {
  switch (kind) {
    case Kind::pdf: return "application/pdf";
    case Kind::png: return "image/png";
    case Kind::jpeg: return "image/jpeg";
    case Kind::doc: return "application/msword";
    case Kind::zip: return "application/zip";
    case Kind::docx: return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    case Kind::xlsx: return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    case Kind::csv: return "text/csv";
    case Kind::unknown: break;
  }
  return "application/octet-stream";
}

std::string_view extension_of(Kind kind) {
  switch (kind) {
    case Kind::pdf: return "pdf";
    case Kind::png: return "png";
    case Kind::jpeg: return "jpg";
    case Kind::doc: return "doc";
    case Kind::zip: return "zip";
    case Kind::docx: return "docx";
    case Kind::xlsx: return "xlsx";
    case Kind::csv: return "csv";
    case Kind::unknown: break;
  }
  return "bin";
}

Kind kind_of(std::string_view content_type) {
  for (Kind k : {Kind::pdf, Kind::png, Kind::jpeg, Kind::doc, Kind::zip, Kind::docx, Kind::xlsx,
                 Kind::csv})
    if (content_type_of(k) == content_type) return k;
  return Kind::unknown;
}

std::optional<std::pair<std::uint32_t, std::uint32_t>> png_dimensions(std::string_view bytes) {
  static constexpr std::string_view kSignature("\x89PNG\r\n\x1a\n", 8);
  // signature, IHDR length and type, 13 bytes of IHDR data, its CRC
  if (bytes.size() < 33 || !starts_with(bytes, kSignature)) return std::nullopt;
  if (be32(bytes, 8) != 13 || bytes.substr(12, 4) != "IHDR") return std::nullopt;
  const std::uint32_t width = be32(bytes, 16), height = be32(bytes, 20);
  // The PNG specification: each at least 1 and at most 2^31 - 1.
  if (width == 0 || height == 0 || width > 0x7fffffffu || height > 0x7fffffffu) return std::nullopt;
  return std::pair{width, height};
}

std::optional<std::pair<std::uint32_t, std::uint32_t>> jpeg_dimensions(std::string_view bytes) {
  if (!starts_with(bytes, std::string_view("\xff\xd8", 2))) return std::nullopt;
  auto byte = [&](std::size_t at) { return static_cast<unsigned char>(bytes[at]); };
  std::size_t at = 2;
  while (at < bytes.size() && byte(at) == 0xff) {
    while (at < bytes.size() && byte(at) == 0xff) ++at;  // a marker may follow fill bytes
    if (at >= bytes.size()) break;
    const unsigned marker = byte(at++);
    if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue;  // no segment follows
    // Start of scan, end of image or a stray SOI before any frame header: not a JPEG we read.
    if (marker == 0xda || marker == 0xd9 || marker == 0xd8 || marker == 0x00) break;
    if (at + 2 > bytes.size()) break;
    const std::size_t length = be16(bytes, at);  // counts its own two bytes
    if (length < 2 || at + length > bytes.size()) break;
    // SOF0..SOF15 are frame headers, except DHT (C4), JPG (C8) and DAC (CC).
    const bool frame = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 &&
                       marker != 0xcc;
    if (frame) {
      // length, sample precision, height, width
      if (length < 7) break;
      const std::uint32_t height = be16(bytes, at + 3), width = be16(bytes, at + 5);
      if (width == 0 || height == 0) break;  // a height set later by DNL: not supported
      return std::pair{width, height};
    }
    at += length;
  }
  return std::nullopt;
}

Sniffed sniff(std::string_view bytes) {
  Sniffed out;
  if (bytes.empty()) return out;
  if (starts_with(bytes, "%PDF-")) {
    out.kind = Kind::pdf;
  } else if (auto size = png_dimensions(bytes)) {
    out.kind = Kind::png;
    out.width = size->first;
    out.height = size->second;
  } else if (starts_with(bytes, std::string_view("\xff\xd8\xff", 3))) {
    out.kind = Kind::jpeg;
  } else if (starts_with(bytes, std::string_view("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8))) {
    out.kind = Kind::doc;
  } else if (starts_with(bytes, std::string_view("PK\x03\x04", 4)) ||
             starts_with(bytes, std::string_view("PK\x05\x06", 4))) {
    out.kind = zip_kind(bytes);
  } else if (is_text(bytes)) {
    out.kind = Kind::csv;
  }
  return out;
}

Sniffed sniff_file(const std::string& path, std::size_t read_whole) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::string head(4096, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  if (starts_with(head, std::string_view("PK\x03\x04", 4)) ||
      starts_with(head, std::string_view("PK\x05\x06", 4))) {
    Sniffed out;
    int code = 0;
    if (zip_t* archive = zip_open(path.c_str(), ZIP_RDONLY, &code)) {
      auto has = [&](const char* name) { return zip_name_locate(archive, name, 0) >= 0; };
      out.kind = Kind::zip;
      if (has("[Content_Types].xml")) {
        if (has("word/document.xml")) out.kind = Kind::docx;
        else if (has("xl/workbook.xml")) out.kind = Kind::xlsx;
      }
      zip_discard(archive);
    }
    return out;
  }
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return {};
  if (size <= read_whole) {
    std::string bytes = head;
    if (size > head.size()) {
      const auto rest = static_cast<std::size_t>(size) - head.size();
      bytes.resize(static_cast<std::size_t>(size));
      in.read(bytes.data() + head.size(), static_cast<std::streamsize>(rest));
      if (static_cast<std::size_t>(in.gcount()) != rest) return {};
    }
    return sniff(bytes);
  }
  Sniffed out = sniff(head);
  if (out.kind == Kind::csv || out.kind == Kind::zip || out.kind == Kind::docx ||
      out.kind == Kind::xlsx)
    out.kind = Kind::unknown;
  return out;
}

Status check_transparent_square(std::string_view png_bytes) {
  auto size = png_dimensions(png_bytes);
  if (!size) return unprocessable("file.unreadable", "the image is not a PNG");
  if (size->first != size->second)
    return unprocessable("file.not_square", "the image must be square");
  if (size->first > kLargestSealSide)
    return unprocessable("file.dimensions_too_large", "the image is at most 4096 pixels a side");
  if (png_bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    return unprocessable("file.unreadable", "the image is too large to decode");
  int width = 0, height = 0, channels = 0;
  std::unique_ptr<stbi_uc, void (*)(void*)> pixels(
      stbi_load_from_memory(reinterpret_cast<const stbi_uc*>(png_bytes.data()),
                            static_cast<int>(png_bytes.size()), &width, &height, &channels, 4),
      stbi_image_free);
  if (!pixels || width <= 0 || height <= 0)
    return unprocessable("file.unreadable", "the image does not decode");
  // Decoded to RGBA: an image without an alpha channel (or tRNS transparency) is opaque
  // everywhere, so the corners tell both.
  (void)channels;
  const std::size_t w = static_cast<std::size_t>(width), h = static_cast<std::size_t>(height);
  auto alpha = [&](std::size_t x, std::size_t y) { return pixels.get()[(y * w + x) * 4 + 3]; };
  if (alpha(0, 0) != 0 || alpha(w - 1, 0) != 0 || alpha(0, h - 1) != 0 || alpha(w - 1, h - 1) != 0)
    return unprocessable("file.not_transparent", "the image needs a transparent background");
  return {};
}

bool declared_type_agrees(std::string_view declared, Kind kind) {
  const std::string type = media_type(declared);
  if (type.empty() || type == "application/octet-stream") return true;
  if (kind == Kind::unknown) return false;
  if (type == content_type_of(kind)) return true;
  switch (kind) {
    case Kind::jpeg: return type == "image/jpg" || type == "image/pjpeg";
    case Kind::zip: return type == "application/x-zip-compressed";
    case Kind::csv: return type == "text/plain" || type == "application/vnd.ms-excel";
    default: return false;
  }
}

}  // namespace onex::files
