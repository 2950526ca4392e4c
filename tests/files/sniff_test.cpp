// What a file really is, from its bytes (lib/files/sniff.h): each accepted type, DOCX and XLSX
// told apart from plain ZIPs built here with libzip, PNG dimensions read from the header, and the
// checks of seal images (square, transparent background) on PNGs made with stb_image_write.
#include <stb/stb_image_write.h>
#include <zip.h>

#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include "files/sniff.h"
#include "files/samples.h"

namespace {

using onex::files::Kind;
using onex::files::sniff;
namespace samples = onex::testing::samples;

std::string code_of(const onex::Status& s) { return s.is_ok() ? "ok" : s.code(); }

}  // namespace

TEST_CASE("each accepted type is recognised from its first bytes, whatever it is called") {
  CHECK(sniff(samples::pdf()).kind == Kind::pdf);
  CHECK(sniff(samples::jpeg()).kind == Kind::jpeg);
  CHECK(sniff(samples::doc()).kind == Kind::doc);
  CHECK(sniff(samples::png(16, 16, samples::Background::transparent)).kind == Kind::png);
  CHECK(sniff("name,id_number\n张三,410101199001011234\n").kind == Kind::csv);
  CHECK(sniff("\xef\xbb\xbfname\n").kind == Kind::csv);  // a UTF-8 BOM is fine
  // Not text: invalid UTF-8, or a NUL.
  CHECK(sniff("name\xff\xfe,id\n").kind == Kind::unknown);
  CHECK(sniff(std::string("a,b\n\0c", 6)).kind == Kind::unknown);
  CHECK(sniff("").kind == Kind::unknown);
  // A truncated PNG signature, or one without IHDR, is not a PNG (and not text either).
  CHECK(sniff(std::string("\x89PNG\r\n\x1a\n", 8)).kind == Kind::unknown);
  std::string no_ihdr = samples::png(4, 4, samples::Background::transparent);
  no_ihdr[12] = 'X';
  CHECK(sniff(no_ihdr).kind == Kind::unknown);
}

TEST_CASE("DOCX and XLSX are told apart from other ZIPs by the entries inside") {
  const std::string docx = samples::zip({{"[Content_Types].xml", "<Types/>"},
                                         {"word/document.xml", "<w:document/>"}});
  const std::string xlsx = samples::zip({{"[Content_Types].xml", "<Types/>"},
                                         {"xl/workbook.xml", "<workbook/>"}});
  const std::string plain = samples::zip({{"410101199001011234.jpg", samples::jpeg()}});
  // Word's entries without [Content_Types].xml make no DOCX.
  const std::string half = samples::zip({{"word/document.xml", "<w:document/>"}});
  CHECK(sniff(docx).kind == Kind::docx);
  CHECK(sniff(xlsx).kind == Kind::xlsx);
  CHECK(sniff(plain).kind == Kind::zip);
  CHECK(sniff(half).kind == Kind::zip);
  // An empty archive: only the end-of-central-directory record (libzip writes none for it).
  CHECK(sniff(std::string("PK\x05\x06", 4) + std::string(18, '\0')).kind == Kind::zip);
  // A local-file signature in front of garbage is no archive.
  CHECK(sniff(std::string("PK\x03\x04", 4) + std::string(100, '\x01')).kind == Kind::unknown);
  CHECK(onex::files::content_type_of(Kind::docx) ==
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  CHECK(onex::files::extension_of(Kind::xlsx) == "xlsx");
}

TEST_CASE("PNG dimensions come from the header, before any decoding") {
  auto wide = sniff(samples::png(40, 20, samples::Background::transparent));
  CHECK(wide.width == 40);
  CHECK(wide.height == 20);
  // A header that claims 100000 × 100000 over a few bytes is still read, and never decoded.
  std::string bomb = samples::png(8, 8, samples::Background::transparent);
  for (int at : {16, 20}) {
    bomb[at] = 0;
    bomb[at + 1] = 1;
    bomb[at + 2] = char(0x86);
    bomb[at + 3] = char(0xa0);
  }
  auto claimed = onex::files::png_dimensions(bomb);
  REQUIRE(claimed.has_value());
  CHECK(claimed->first == 100000);
  CHECK(code_of(onex::files::check_transparent_square(bomb)) == "file.dimensions_too_large");
}

TEST_CASE("a seal is a square PNG whose background is transparent") {
  using B = samples::Background;
  CHECK(code_of(onex::files::check_transparent_square(samples::png(64, 64, B::transparent))) == "ok");
  auto not_square = onex::files::check_transparent_square(samples::png(64, 32, B::transparent));
  CHECK(code_of(not_square) == "file.not_square");
  REQUIRE(not_square.errors().size() == 1);
  CHECK(not_square.errors()[0].field == "file");
  // Opaque corners with an alpha channel, and no alpha channel at all.
  CHECK(code_of(onex::files::check_transparent_square(samples::png(64, 64, B::opaque))) ==
        "file.not_transparent");
  CHECK(code_of(onex::files::check_transparent_square(samples::png(64, 64, B::no_alpha))) ==
        "file.not_transparent");
  // A header that promises a square but data that does not decode.
  std::string broken = samples::png(64, 64, B::transparent);
  broken.resize(40);
  CHECK(code_of(onex::files::check_transparent_square(broken)) == "file.unreadable");
}

TEST_CASE("a declared type agrees with the content, or claims nothing") {
  using onex::files::declared_type_agrees;
  CHECK(declared_type_agrees("image/png", Kind::png));
  CHECK(declared_type_agrees("Image/PNG; charset=binary", Kind::png));
  CHECK(declared_type_agrees("", Kind::pdf));
  CHECK(declared_type_agrees("application/octet-stream", Kind::pdf));
  CHECK(declared_type_agrees("image/jpg", Kind::jpeg));
  CHECK(declared_type_agrees("text/plain; charset=utf-8", Kind::csv));
  CHECK_FALSE(declared_type_agrees("application/pdf", Kind::png));
  CHECK_FALSE(declared_type_agrees("application/zip", Kind::docx));
  CHECK_FALSE(declared_type_agrees("text/csv", Kind::unknown));
}
