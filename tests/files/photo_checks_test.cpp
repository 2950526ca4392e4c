// One photo's checks (lib/files/photos.h check_photo): the red background rule pixel by pixel and
// band by band, dimensions read from headers before anything is decoded, and the order of the
// codes. Images are drawn here and encoded with stb_image_write; PNG keeps pixels exact.
#include <stb/stb_image.h>

#include <optional>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "files/photo_samples.h"
#include "files/photos.h"
#include "files/sniff.h"

namespace {

using onex::files::check_photo;
using onex::files::PhotoLimits;
using onex::testing::photos::Format;
using onex::testing::photos::id_photo;
using onex::testing::photos::Rgb;
namespace photos = onex::testing::photos;

constexpr int kWidth = 295, kHeight = 413;

std::string code_of(const std::optional<std::string>& failure) { return failure.value_or("ok"); }

std::string png_name() { return photos::resident_id(100) + ".png"; }
std::string jpg_name() { return photos::resident_id(101) + ".jpg"; }

// A sitter on `background` with the rectangle [x0, x1) × [y0, y1) painted white.
std::string png_with_white(Rgb background, int x0, int y0, int x1, int y1) {
  std::vector<unsigned char> rgb = photos::sitter(background);
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x)
      for (int c = 0; c < 3; ++c) rgb[(static_cast<std::size_t>(y) * kWidth + x) * 3 + c] = 255;
  return photos::encode(Format::png, kWidth, kHeight, rgb);
}

void put_be(std::string& bytes, std::size_t at, std::uint32_t value, int width) {
  for (int i = 0; i < width; ++i)
    bytes[at + static_cast<std::size_t>(i)] = static_cast<char>(value >> (8 * (width - 1 - i)) & 0xff);
}

}  // namespace

TEST_CASE("a pixel is red when R >= 150, R - G >= 70 and R - B >= 70") {
  struct Case {
    Rgb background;
    const char* expected;
  };
  const Case cases[] = {
      {{255, 0, 0}, "ok"},
      {{220, 0, 0}, "ok"},
      {{150, 80, 80}, "ok"},      // each bound met exactly
      {{255, 185, 185}, "ok"},    // R - G = R - B = 70
      {{149, 0, 0}, "photo.bad_background"},
      {{255, 186, 0}, "photo.bad_background"},  // R - G = 69
      {{255, 0, 186}, "photo.bad_background"},  // R - B = 69
      {photos::kBlue, "photo.bad_background"},
      {photos::kWhite, "photo.bad_background"},
      {{128, 128, 128}, "photo.bad_background"},
  };
  for (const Case& c : cases) {
    CAPTURE(int(c.background.r));
    CAPTURE(int(c.background.g));
    CAPTURE(int(c.background.b));
    CHECK(code_of(check_photo(png_name(), id_photo(Format::png, c.background))) == c.expected);
  }
}

TEST_CASE("the usual ID-photo reds pass after JPEG compression, and blue and white do not") {
  CHECK(code_of(check_photo(jpg_name(), id_photo(Format::jpeg, photos::kRed))) == "ok");
  CHECK(code_of(check_photo(jpg_name(), id_photo(Format::jpeg, photos::kPureRed))) == "ok");
  CHECK(code_of(check_photo(jpg_name(), id_photo(Format::jpeg, photos::kBlue))) ==
        "photo.bad_background");
  CHECK(code_of(check_photo(jpg_name(), id_photo(Format::jpeg, photos::kWhite))) ==
        "photo.bad_background");
}

TEST_CASE("only the border bands are judged, and 90% of their pixels must be red") {
  // The bands: rows 0-32 across the width (33 × 295 = 9735 pixels) and columns 0-22 and 272-294
  // of rows 33-246 (2 × 23 × 214 = 9844); 19579 in all, of which 1957 may be other colours.
  CHECK(code_of(check_photo(png_name(), png_with_white(photos::kRed, 0, 0, kWidth, 6))) == "ok");
  CHECK(code_of(check_photo(png_name(), png_with_white(photos::kRed, 0, 0, kWidth, 7))) ==
        "photo.bad_background");
  // The left band white from top to bottom: 33 + 214 rows of 23 pixels.
  CHECK(code_of(check_photo(png_name(), png_with_white(photos::kRed, 0, 0, 23, kHeight))) ==
        "photo.bad_background");
  // Everything outside the bands white: the middle columns below the top band, and all rows
  // from 60% of the height down.
  std::vector<unsigned char> rgb = photos::sitter(photos::kRed);
  for (int y = 0; y < kHeight; ++y)
    for (int x = 0; x < kWidth; ++x) {
      const bool band = y < 33 || (y < 247 && (x < 23 || x >= 272));
      if (!band)
        for (int c = 0; c < 3; ++c) rgb[(static_cast<std::size_t>(y) * kWidth + x) * 3 + c] = 255;
    }
  CHECK(code_of(check_photo(png_name(), photos::encode(Format::png, kWidth, kHeight, rgb))) == "ok");
}

TEST_CASE("the size must be exactly 295 × 413 pixels") {
  CHECK(code_of(check_photo(png_name(), id_photo(Format::png, photos::kRed, 296, 413))) ==
        "photo.bad_dimensions");
  CHECK(code_of(check_photo(png_name(), id_photo(Format::png, photos::kRed, 295, 412))) ==
        "photo.bad_dimensions");
  CHECK(code_of(check_photo(jpg_name(), id_photo(Format::jpeg, photos::kRed, 413, 295))) ==
        "photo.bad_dimensions");
  // Other limits, other sizes.
  PhotoLimits small;
  small.width = 100;
  small.height = 140;
  CHECK(code_of(check_photo(png_name(), id_photo(Format::png, photos::kRed, 100, 140), small)) ==
        "ok");
}

TEST_CASE("an image declaring 30000 × 30000 is bad_dimensions, read from its header without decoding") {
  std::string png = id_photo(Format::png);
  put_be(png, 16, 30000, 4);  // IHDR width and height; the CRC is left wrong
  put_be(png, 20, 30000, 4);
  CHECK(code_of(check_photo(png_name(), png)) == "photo.bad_dimensions");

  std::string jpeg = id_photo(Format::jpeg);
  auto size = onex::files::jpeg_dimensions(jpeg);
  REQUIRE(size.has_value());
  CHECK(size->first == 295);
  CHECK(size->second == 413);
  const std::size_t frame = jpeg.find("\xff\xc0");  // SOF0: length, precision, height, width
  REQUIRE(frame != std::string::npos);
  put_be(jpeg, frame + 5, 30000, 2);
  put_be(jpeg, frame + 7, 30000, 2);
  size = onex::files::jpeg_dimensions(jpeg);
  REQUIRE(size.has_value());
  CHECK(size->first == 30000);
  CHECK(size->second == 30000);
  CHECK(code_of(check_photo(jpg_name(), jpeg)) == "photo.bad_dimensions");
  // Why onex reads the headers itself: stb_image refuses even to describe a PNG this large, so
  // relying on it alone would answer bad_type.
  int w = 0, h = 0, channels = 0;
  CHECK_FALSE(stbi_info_from_memory(reinterpret_cast<const stbi_uc*>(png.data()),
                                    static_cast<int>(png.size()), &w, &h, &channels));
}

TEST_CASE("the content must be the image its extension names, and must decode") {
  CHECK(code_of(check_photo(jpg_name(), id_photo(Format::png))) == "photo.bad_type");
  CHECK(code_of(check_photo(png_name(), id_photo(Format::jpeg))) == "photo.bad_type");
  CHECK(code_of(check_photo(jpg_name(), "GIF89a")) == "photo.bad_type");
  CHECK(code_of(check_photo(jpg_name(), "")) == "photo.bad_type");
  // A PNG cut short: its header is whole and right, its pixels are gone.
  CHECK(code_of(check_photo(png_name(), id_photo(Format::png).substr(0, 200))) == "photo.bad_type");
  // A JPEG with no frame header before its end.
  CHECK(code_of(check_photo(jpg_name(), std::string("\xff\xd8\xff\xd9", 4))) == "photo.bad_type");
}

TEST_CASE("check_photo answers the first failure: name, size, type, dimensions, background") {
  const std::string blue_small_png = id_photo(Format::png, photos::kBlue, 200, 280);
  CHECK(code_of(check_photo("dir/" + png_name(), blue_small_png)) == "photo.bad_name");
  PhotoLimits tiny;
  tiny.max_photo_bytes = blue_small_png.size() - 1;
  CHECK(code_of(check_photo(png_name(), blue_small_png, tiny)) == "photo.too_large");
  tiny.max_photo_bytes = blue_small_png.size();
  CHECK(code_of(check_photo(png_name(), blue_small_png, tiny)) == "photo.bad_dimensions");
  CHECK(code_of(check_photo(jpg_name(), blue_small_png)) == "photo.bad_type");
  CHECK(code_of(check_photo(png_name(), id_photo(Format::png, photos::kBlue))) ==
        "photo.bad_background");
  // Skipped in an archive, but a single upload so named is no photo.
  CHECK(code_of(check_photo("__MACOSX/._" + png_name(), id_photo(Format::png))) == "photo.bad_name");
  CHECK(code_of(check_photo(png_name(), id_photo(Format::png))) == "ok");
}
