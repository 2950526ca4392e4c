#include "files/photos.h"

#include <stb/stb_image.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <limits>
#include <memory>
#include <set>

#include "files/sniff.h"
#include "files/zip_archive.h"
#include "util/identifiers.h"

namespace onex::files {
namespace {

// The red background rule of photos.h, in percent of the image's sides.
constexpr int kTopBandPercent = 8;
constexpr int kSideBandPercent = 8;
constexpr int kSideBandDepthPercent = 60;
constexpr int kRedSharePercent = 90;
// A red pixel.
constexpr int kRedAtLeast = 150;
constexpr int kRedOverGreenAndBlue = 70;
constexpr int kOpaqueAlpha = 128;

constexpr std::size_t kReadChunk = std::size_t{64} << 10;

struct PhotoName {
  std::string id_number;
  Kind kind = Kind::unknown;
};

Status refuse(const char* code, const std::string& message) {
  return Status::unprocessable(code, message, {{"file", code, message}});
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A name that must be refused wherever it appears, even where similar names are skipped: it
// climbs out of a directory, starts at the root, uses Windows separators or control characters.
bool unsafe_name(std::string_view name) {
  if (name.empty() || name.front() == '/') return true;
  for (char c : name)
    if (c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  std::size_t start = 0;
  while (start <= name.size()) {
    const std::size_t end = std::min(name.find('/', start), name.size());
    if (name.substr(start, end - start) == "..") return true;
    start = end + 1;
  }
  return false;
}

// Directories, macOS resource forks and dot-files: what zipping a folder adds beside the photos.
bool skipped(std::string_view name) {
  if (name.back() == '/' || name.substr(0, 9) == "__MACOSX/") return true;
  const std::size_t slash = name.rfind('/');
  const std::string_view last = slash == std::string_view::npos ? name : name.substr(slash + 1);
  return !last.empty() && last.front() == '.';
}

// "<resident ID>.jpg|.jpeg|.png" and nothing else; the extension in any case.
std::optional<PhotoName> photo_name(std::string_view name) {
  const std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || unsafe_name(name) ||
      name.find('/') != std::string_view::npos)
    return std::nullopt;
  const std::string extension = lower(name.substr(dot + 1));
  PhotoName out;
  if (extension == "jpg" || extension == "jpeg") out.kind = Kind::jpeg;
  else if (extension == "png") out.kind = Kind::png;
  else return std::nullopt;
  out.id_number = std::string(name.substr(0, dot));
  for (char& c : out.id_number) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (!util::valid_resident_id(out.id_number)) return std::nullopt;
  return out;
}

// The kind and size an image's header declares, before anything is decoded.
struct ImageHeader {
  Kind kind = Kind::unknown;
  std::uint32_t width = 0, height = 0;
};
std::optional<ImageHeader> image_header(std::string_view bytes) {
  if (auto size = png_dimensions(bytes)) return ImageHeader{Kind::png, size->first, size->second};
  if (auto size = jpeg_dimensions(bytes)) return ImageHeader{Kind::jpeg, size->first, size->second};
  return std::nullopt;
}

bool red(const stbi_uc* rgba) {
  const int r = rgba[0], g = rgba[1], b = rgba[2];
  return rgba[3] >= kOpaqueAlpha && r >= kRedAtLeast && r - g >= kRedOverGreenAndBlue &&
         r - b >= kRedOverGreenAndBlue;
}

// The rule of photos.h over decoded RGBA pixels.
bool red_background(const stbi_uc* rgba, int width, int height) {
  const int top = std::max(1, height * kTopBandPercent / 100);
  const int side = std::max(1, width * kSideBandPercent / 100);
  const int depth = std::max(top, height * kSideBandDepthPercent / 100);
  long judged = 0, reds = 0;
  auto judge = [&](int x, int y) {
    ++judged;
    reds += red(rgba + (static_cast<std::size_t>(y) * width + x) * 4) ? 1 : 0;
  };
  for (int y = 0; y < top; ++y)
    for (int x = 0; x < width; ++x) judge(x, y);
  for (int y = top; y < depth; ++y)
    for (int x = 0; x < side && x < width - side; ++x) {
      judge(x, y);
      judge(width - 1 - x, y);
    }
  return reds * 100 >= judged * kRedSharePercent;
}

// The checks of an image's content, after its name and size.
std::optional<std::string> check_image(Kind expected, std::string_view bytes,
                                       const PhotoLimits& limits) {
  const auto header = image_header(bytes);
  if (!header || header->kind != expected) return "photo.bad_type";
  if (limits.width <= 0 || limits.height <= 0 ||
      header->width != static_cast<std::uint32_t>(limits.width) ||
      header->height != static_cast<std::uint32_t>(limits.height))
    return "photo.bad_dimensions";
  if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    return "photo.bad_type";
  const auto* data = reinterpret_cast<const stbi_uc*>(bytes.data());
  const int length = static_cast<int>(bytes.size());
  int width = 0, height = 0, channels = 0;
  // stb_image's own reading of the header must agree with ours before it decodes a pixel.
  if (!stbi_info_from_memory(data, length, &width, &height, &channels) ||
      width != limits.width || height != limits.height)
    return "photo.bad_type";
  std::unique_ptr<stbi_uc, void (*)(void*)> pixels(
      stbi_load_from_memory(data, length, &width, &height, &channels, 4), stbi_image_free);
  if (!pixels || width != limits.width || height != limits.height) return "photo.bad_type";
  if (!red_background(pixels.get(), width, height)) return "photo.bad_background";
  return std::nullopt;
}

// The entry's name for people and JSON: libzip's UTF-8 (CP437 names converted), and U+FFFD for
// each byte past ASCII when even that is not valid UTF-8.
std::string shown_name(zip_t* archive, zip_uint64_t index, std::string_view raw) {
  const char* guessed = zip_get_name(archive, index, 0);
  std::string name = guessed ? guessed : std::string(raw);
  if (util::utf8_length(name)) return name;
  std::string out;
  for (char c : name)
    out += static_cast<unsigned char>(c) < 0x80 ? std::string(1, c) : std::string("\xef\xbf\xbd");
  return out;
}

// Reads entry `index` into `bytes`, at most limit + 1 of them, adding what it inflated to
// `unpacked`; the refusal's code, or nullopt when the whole entry, at most `limit` bytes, is read.
std::optional<std::string> read_entry(zip_t* archive, zip_uint64_t index, std::size_t limit,
                                      std::string& bytes, std::size_t& unpacked) {
  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_stat_index(archive, index, 0, &stat) != 0) return "photo.bad_type";
  if ((stat.valid & ZIP_STAT_SIZE) && stat.size > limit) return "photo.too_large";
  if ((stat.valid & ZIP_STAT_ENCRYPTION_METHOD) && stat.encryption_method != ZIP_EM_NONE)
    return "photo.bad_type";
  std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> file(zip_fopen_index(archive, index, 0),
                                                         zip_fclose);
  if (!file) return "photo.bad_type";
  const std::size_t cap = limit == std::numeric_limits<std::size_t>::max() ? limit : limit + 1;
  bytes.clear();
  if (stat.valid & ZIP_STAT_SIZE) bytes.reserve(static_cast<std::size_t>(stat.size) + 1);
  while (bytes.size() < cap) {
    const std::size_t at = bytes.size();
    const std::size_t want = std::min(cap - at, kReadChunk);
    bytes.resize(at + want);
    const zip_int64_t got = zip_fread(file.get(), bytes.data() + at, want);
    bytes.resize(at + (got > 0 ? static_cast<std::size_t>(got) : 0));
    if (got < 0) {  // bad compressed data, a wrong CRC, an unsupported method
      unpacked += bytes.size();
      return "photo.bad_type";
    }
    if (got == 0) break;
  }
  unpacked += bytes.size();
  if (bytes.size() > limit) return "photo.too_large";
  return std::nullopt;
}

}  // namespace

std::optional<std::string> check_photo(std::string_view file_name, std::string_view bytes,
                                       const PhotoLimits& limits) {
  const auto name = photo_name(file_name);
  if (!name) return "photo.bad_name";
  if (bytes.size() > limits.max_photo_bytes) return "photo.too_large";
  return check_image(name->kind, bytes, limits);
}

Result<PhotoBatch> read_photos(std::string_view zip_bytes, const PhotoLimits& limits) {
  ZipArchive archive = zip_bytes.empty() ? nullptr : open_zip(zip_bytes);
  const zip_int64_t count = archive ? zip_get_num_entries(archive.get(), 0) : -1;
  if (count < 0) return refuse("photo.unreadable_archive", "the file is not a readable ZIP archive");
  if (static_cast<zip_uint64_t>(count) > limits.max_entries)
    return refuse("photo.too_many_files", "the archive holds more files than allowed");
  PhotoBatch batch;
  std::set<std::string> seen;  // ID numbers of entries with good names
  std::size_t unpacked = 0;
  for (zip_uint64_t index = 0; index < static_cast<zip_uint64_t>(count); ++index) {
    const char* raw = zip_get_name(archive.get(), index, ZIP_FL_ENC_RAW);
    if (!raw) return refuse("photo.unreadable_archive", "an entry of the archive has no name");
    const std::string_view name(raw);
    if (!unsafe_name(name) && skipped(name)) continue;
    std::string file = shown_name(archive.get(), index, name);
    const auto parts = photo_name(name);
    if (!parts) {
      batch.errors.push_back({std::move(file), "photo.bad_name"});
      continue;
    }
    if (!seen.insert(parts->id_number).second) {
      batch.errors.push_back({std::move(file), "photo.duplicate"});
      continue;
    }
    std::string bytes;
    auto failure = read_entry(archive.get(), index, limits.max_photo_bytes, bytes, unpacked);
    if (unpacked > limits.max_total_bytes)
      return refuse("photo.too_large", "the archive unpacks to more bytes than allowed");
    if (!failure) failure = check_image(parts->kind, bytes, limits);
    if (failure) {
      batch.errors.push_back({std::move(file), std::move(*failure)});
      continue;
    }
    batch.photos.push_back({std::move(file), parts->id_number,
                            std::string(content_type_of(parts->kind)), std::move(bytes)});
  }
  return batch;
}

}  // namespace onex::files
