// Candidates' ID photos from a ZIP archive (lib/files/photos.h): archives built here with libzip,
// photos drawn and encoded with stb_image_write. Each entry is answered on its own; hostile
// names, sizes that lie and archives that are not archives are refused without harm.
#include <zip.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include "files/photo_samples.h"
#include "files/photos.h"
#include "files/samples.h"

namespace {

using onex::files::PhotoBatch;
using onex::files::PhotoLimits;
using onex::files::read_photos;
using onex::testing::photos::Format;
using onex::testing::photos::id_photo;
using onex::testing::photos::resident_id;
namespace photos = onex::testing::photos;
namespace samples = onex::testing::samples;

// What became of the entry `file`: "ok" when it is a photo, its code when refused, "absent"
// when it was skipped.
std::string verdict(const PhotoBatch& batch, const std::string& file) {
  for (const auto& photo : batch.photos)
    if (photo.file == file) return "ok";
  for (const auto& error : batch.errors)
    if (error.file == file) return error.code;
  return "absent";
}

// The code of a whole-archive refusal, "ok" when the archive was read.
std::string archive_code(const onex::Result<PhotoBatch>& result) {
  return result.is_ok() ? "ok" : result.status().code();
}

std::uint32_t le32(const std::string& b, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = v << 8 | static_cast<unsigned char>(b[at + static_cast<std::size_t>(i)]);
  return v;
}
std::uint16_t le16(const std::string& b, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(b[at]) |
                                    static_cast<unsigned char>(b[at + 1]) << 8);
}
void put_le32(std::string& b, std::size_t at, std::uint32_t v) {
  for (std::size_t i = 0; i < 4; ++i) b[at + i] = static_cast<char>(v >> (8 * i) & 0xff);
}

// Where the headers of a one-entry archive are: the local header at 0, the central directory
// where the end record (22 bytes, no comment) says.
struct OneEntry {
  std::size_t central = 0, data = 0;
};
OneEntry layout(const std::string& zip) {
  const std::size_t end = zip.size() - 22;
  REQUIRE(le32(zip, end) == 0x06054b50);
  OneEntry at;
  at.central = le32(zip, end + 16);
  REQUIRE(le32(zip, at.central) == 0x02014b50);
  at.data = 30 + le16(zip, 26) + le16(zip, 28);
  return at;
}

// An archive of one entry encrypted with traditional PKWARE encryption.
std::string encrypted_zip(const std::string& name, const std::string& bytes) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_source_keep(buffer);
  zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  zip_source_t* data = zip_source_buffer(archive, bytes.data(), bytes.size(), 0);
  const zip_int64_t index = zip_file_add(archive, name.c_str(), data, 0);
  REQUIRE(zip_file_set_encryption(archive, static_cast<zip_uint64_t>(index), ZIP_EM_TRAD_PKWARE,
                                  "secret") == 0);
  REQUIRE(zip_close(archive) == 0);
  std::string out;
  zip_stat_t st;
  REQUIRE(zip_source_stat(buffer, &st) == 0);
  REQUIRE(zip_source_open(buffer) == 0);
  out.resize(st.size);
  out.resize(static_cast<std::size_t>(zip_source_read(buffer, out.data(), st.size)));
  zip_source_close(buffer);
  zip_source_free(buffer);
  zip_error_fini(&error);
  return out;
}

}  // namespace

TEST_CASE("a red-background JPEG and PNG named by resident ID numbers are read as photos") {
  const std::string jpeg = id_photo(Format::jpeg), png = id_photo(Format::png);
  const std::string x_id = "11010519491231002X";  // a check character X, written lower case
  const std::string zip = samples::zip({{resident_id(1) + ".jpg", jpeg},
                                        {"11010519491231002x.PNG", png},
                                        {resident_id(2) + ".jpeg", jpeg}});
  const auto result = read_photos(zip);
  REQUIRE(result.is_ok());
  CHECK(result->errors.empty());
  REQUIRE(result->photos.size() == 3);
  const auto& first = result->photos[0];
  CHECK(first.file == resident_id(1) + ".jpg");
  CHECK(first.id_number == resident_id(1));
  CHECK(first.content_type == "image/jpeg");
  CHECK(first.bytes == jpeg);
  const auto& second = result->photos[1];
  CHECK(second.file == "11010519491231002x.PNG");
  CHECK(second.id_number == x_id);
  CHECK(second.content_type == "image/png");
  CHECK(second.bytes == png);
  CHECK(result->photos[2].content_type == "image/jpeg");
}

TEST_CASE("each bad photo is refused on its own, with the code of its first failure") {
  const std::string good = resident_id(10) + ".jpg", small = resident_id(11) + ".jpg",
                    blue = resident_id(12) + ".jpg", png_as_jpg = resident_id(13) + ".jpg",
                    jpg_as_png = resident_id(14) + ".png", text = resident_id(15) + ".jpg";
  const auto result = read_photos(samples::zip({
      {good, id_photo(Format::jpeg)},
      {small, id_photo(Format::jpeg, photos::kRed, 200, 280)},
      {blue, id_photo(Format::jpeg, photos::kBlue)},
      {png_as_jpg, id_photo(Format::png)},
      {jpg_as_png, id_photo(Format::jpeg)},
      {text, "name,id_number\n"},
  }));
  REQUIRE(result.is_ok());
  CHECK(verdict(*result, good) == "ok");
  CHECK(verdict(*result, small) == "photo.bad_dimensions");
  CHECK(verdict(*result, blue) == "photo.bad_background");
  CHECK(verdict(*result, png_as_jpg) == "photo.bad_type");
  CHECK(verdict(*result, jpg_as_png) == "photo.bad_type");
  CHECK(verdict(*result, text) == "photo.bad_type");
  CHECK(result->photos.size() == 1);
  CHECK(result->errors.size() == 5);
}

TEST_CASE("names that are not exactly <resident ID>.jpg|.jpeg|.png are bad_name, and nothing is written") {
  const std::string id = resident_id(20);
  const std::vector<std::string> names = {
      "../../etc/" + id + ".jpg", "/abs/" + id + ".jpg", "dir\\" + id + ".jpg",
      "photos/" + id + ".jpg",    "./" + id + ".jpg",    "__MACOSX/../" + id + ".jpg",
      photos::wrong_check(id) + ".jpg",                  // a wrong check character
      id.substr(1) + ".jpg",                             // 17 characters
      "11010519901307001" + id.substr(17) + ".jpg",      // month 13
      id + ".gif", id + ".jpg.exe", id + " .jpg", id, "张三.jpg"};
  std::vector<std::pair<std::string, std::string>> entries;
  for (const auto& name : names) entries.push_back({name, id_photo(Format::jpeg)});

  const auto dir = std::filesystem::temp_directory_path() / ("onex-photos-" + id);
  std::filesystem::create_directories(dir / "a" / "b");
  const auto before = std::filesystem::current_path();
  std::filesystem::current_path(dir / "a" / "b");
  const auto result = read_photos(samples::zip(entries));
  std::filesystem::current_path(before);

  REQUIRE(result.is_ok());
  CHECK(result->photos.empty());
  for (const auto& name : names) CHECK_MESSAGE(verdict(*result, name) == "photo.bad_name", name);
  CHECK(result->errors.size() == names.size());
  CHECK(std::filesystem::is_empty(dir / "a" / "b"));
  CHECK(std::distance(std::filesystem::directory_iterator(dir), {}) == 1);  // only "a"
  CHECK_FALSE(std::filesystem::exists(dir / "etc"));
  CHECK_FALSE(std::filesystem::exists("/etc/" + id + ".jpg"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("directories, macOS resource forks and dot-files are skipped silently") {
  const std::string id = resident_id(30);
  const auto result = read_photos(samples::zip({{"photos/", ""},
                                                {"__MACOSX/._" + id + ".jpg", "\0\5\26\7"},
                                                {".DS_Store", "Bud1"},
                                                {"photos/.hidden", "x"},
                                                {id + ".jpg", id_photo(Format::jpeg)}}));
  REQUIRE(result.is_ok());
  CHECK(result->errors.empty());
  REQUIRE(result->photos.size() == 1);
  CHECK(result->photos[0].id_number == id);
}

TEST_CASE("a second photo of the same ID number is a duplicate, whatever became of the first") {
  const std::string id = resident_id(40), other = resident_id(41);
  const auto result = read_photos(samples::zip({
      {id + ".jpg", id_photo(Format::jpeg)},
      {id + ".png", id_photo(Format::png)},
      {other + ".jpg", id_photo(Format::jpeg, photos::kBlue)},  // refused, yet it counts
      {other + ".png", id_photo(Format::png)},
  }));
  REQUIRE(result.is_ok());
  CHECK(verdict(*result, id + ".jpg") == "ok");
  CHECK(verdict(*result, id + ".png") == "photo.duplicate");
  CHECK(verdict(*result, other + ".jpg") == "photo.bad_background");
  CHECK(verdict(*result, other + ".png") == "photo.duplicate");
}

TEST_CASE("an entry declaring more than max_photo_bytes is too_large and is never inflated") {
  const std::string name = resident_id(50) + ".jpg";
  std::string bomb = samples::zip({{name, std::string(std::size_t{50} << 20, '\0')}});
  REQUIRE(bomb.size() < (std::size_t{1} << 20));  // deflated, it is small
  const auto started = std::chrono::steady_clock::now();
  const auto result = read_photos(bomb);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(2));
  REQUIRE(result.is_ok());
  CHECK(verdict(*result, name) == "photo.too_large");

  // Its deflated data made invalid (BTYPE 11 in the first block): inflating it would fail, so
  // too_large, not bad_type, shows the declared size was judged first.
  bomb[layout(bomb).data] = static_cast<char>(0xff);
  const auto corrupt = read_photos(bomb);
  REQUIRE(corrupt.is_ok());
  CHECK(verdict(*corrupt, name) == "photo.too_large");
}

TEST_CASE("an entry whose headers say it is small but which inflates large reads at most limit + 1 bytes") {
  const std::string name = resident_id(60) + ".jpg";
  std::string liar = samples::zip({{name, std::string(std::size_t{50} << 20, '\0')}});
  const OneEntry at = layout(liar);
  put_le32(liar, 22, 1000);              // the local header's uncompressed size
  put_le32(liar, at.central + 24, 1000);  // the central directory's
  // A photo limit of 1 MiB and a total of 3 MiB: reading the whole 50 MiB would refuse the
  // archive as a whole; reading at most 1 MiB + 1 bytes refuses only the entry.
  PhotoLimits limits;
  limits.max_photo_bytes = std::size_t{1} << 20;
  limits.max_total_bytes = std::size_t{3} << 20;
  const auto result = read_photos(liar, limits);
  REQUIRE(archive_code(result) == "ok");
  const std::string code = verdict(*result, name);
  CHECK_MESSAGE((code == "photo.too_large" || code == "photo.bad_type"), code);
  CHECK(result->photos.empty());
}

TEST_CASE("an entry whose CRC is wrong, or that is encrypted, is bad_type") {
  const std::string name = resident_id(70) + ".jpg";
  std::string zip = samples::zip({{name, id_photo(Format::jpeg)}});
  const OneEntry at = layout(zip);
  put_le32(zip, 14, le32(zip, 14) ^ 1);
  put_le32(zip, at.central + 16, le32(zip, at.central + 16) ^ 1);
  const auto wrong_crc = read_photos(zip);
  REQUIRE(wrong_crc.is_ok());
  CHECK(verdict(*wrong_crc, name) == "photo.bad_type");

  const auto encrypted = read_photos(encrypted_zip(name, id_photo(Format::jpeg)));
  REQUIRE(encrypted.is_ok());
  CHECK(verdict(*encrypted, name) == "photo.bad_type");
}

TEST_CASE("more entries than max_entries refuse the whole archive before any is read") {
  std::vector<std::pair<std::string, std::string>> entries;
  for (int i = 0; i < 5'000; ++i) entries.push_back({std::to_string(i) + ".txt", ""});
  const auto at_limit = read_photos(samples::zip(entries));
  REQUIRE(archive_code(at_limit) == "ok");
  CHECK(at_limit->errors.size() == 5'000);  // all bad_name, but answered
  entries.push_back({"5000.txt", ""});
  const auto over = read_photos(samples::zip(entries));
  CHECK(archive_code(over) == "photo.too_many_files");
  CHECK(over.status().kind() == onex::StatusKind::unprocessable);
  REQUIRE(over.status().errors().size() == 1);
  CHECK(over.status().errors()[0].field == "file");
  CHECK(over.status().errors()[0].code == "photo.too_many_files");

  // Skipped entries count too.
  PhotoLimits three;
  three.max_entries = 3;
  CHECK(archive_code(read_photos(samples::zip({{"a/", ""}, {".b", ""}, {"c/", ""}}), three)) == "ok");
  CHECK(archive_code(read_photos(samples::zip({{"a/", ""}, {".b", ""}, {"c/", ""}, {"d/", ""}}),
                                 three)) == "photo.too_many_files");
}

TEST_CASE("bytes that are not a readable ZIP archive are refused as a whole") {
  for (const std::string& bytes :
       {std::string(), std::string("garbage, not an archive"), id_photo(Format::png),
        std::string("PK\x03\x04", 4) + std::string(100, '\x01'), samples::pdf()}) {
    const auto result = read_photos(bytes);
    CHECK(archive_code(result) == "photo.unreadable_archive");
    if (!result.is_ok()) {
      REQUIRE(result.status().errors().size() == 1);
      CHECK(result.status().errors()[0].field == "file");
    }
  }
  // A truncated archive: its end record is gone.
  const std::string zip = samples::zip({{resident_id(80) + ".jpg", id_photo(Format::jpeg)}});
  CHECK(archive_code(read_photos(zip.substr(0, zip.size() - 30))) == "photo.unreadable_archive");
  // An empty archive is an archive: nothing in it.
  const auto empty = read_photos(std::string("PK\x05\x06", 4) + std::string(18, '\0'));
  REQUIRE(empty.is_ok());
  CHECK(empty->photos.empty());
  CHECK(empty->errors.empty());
}

TEST_CASE("unpacked bytes past max_total_bytes refuse the whole archive") {
  const std::string jpeg = id_photo(Format::jpeg), png = id_photo(Format::png);
  const std::string zip = samples::zip({{resident_id(90) + ".jpg", jpeg},
                                        {resident_id(91) + ".png", png}});
  PhotoLimits limits;
  limits.max_total_bytes = jpeg.size() + png.size();
  const auto exactly = read_photos(zip, limits);
  REQUIRE(archive_code(exactly) == "ok");
  CHECK(exactly->photos.size() == 2);
  limits.max_total_bytes -= 1;
  const auto over = read_photos(zip, limits);
  CHECK(archive_code(over) == "photo.too_large");
  REQUIRE(over.status().errors().size() == 1);
  CHECK(over.status().errors()[0].field == "file");
}
