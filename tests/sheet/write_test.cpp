// Writing a one-sheet workbook (lib/sheet, libxlsxwriter), read back by openpyxl: the reader
// onex does not share code with.
#include <doctest/doctest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "sheet/sheet_support.h"

using namespace onex::sheet;
using namespace onex::sheet::testing;
using nlohmann::json;
using Rows = std::vector<std::string>;

namespace {

// Prints argv[1]'s sheet names, its first sheet's cells (value, openpyxl's data type, bold,
// number format) and its column widths, as JSON.
constexpr const char* kReadBack = R"(
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.worksheets[0]
rows = [[{"value": c.value, "type": c.data_type, "bold": bool(c.font.b), "format": c.number_format}
         for c in row] for row in ws.iter_rows()]
widths = {letter: d.width for letter, d in ws.column_dimensions.items()}
print(json.dumps({"sheets": wb.sheetnames, "rows": rows, "widths": widths}, ensure_ascii=False))
)";

const std::vector<std::string> kHeader = {"身份证号", "姓名", "编号", "备注", "手机号"};
const std::vector<std::vector<std::string>> kRows = {
    {"110101199001011234", "张三", "0012", "", "13800138000"},
    {"11010119900101123X", "欧阳娜娜娜娜娜娜娜娜娜娜娜娜娜娜", "007", "=1+1", "2021"},
    {"440101200012310011", "王五", "1.5E3"},
};

json written_and_read_back(const TempDir& dir) {
  auto bytes = write_xlsx("考生名单", kHeader, kRows);
  REQUIRE_MESSAGE(bytes.is_ok(), bytes.status().to_string());
  const auto file = dir / "written.xlsx";
  std::ofstream(file, std::ios::binary) << *bytes;
  return json::parse(python(dir, kReadBack, {file.string()}));
}

}  // namespace

TEST_CASE("a written workbook is one sheet of text cells that openpyxl reads back exactly") {
  TempDir dir;
  const json book = written_and_read_back(dir);
  CHECK(book["sheets"] == json::array({"考生名单"}));
  const json& rows = book["rows"];
  REQUIRE(rows.size() == 1 + kRows.size());
  // The header, bold.
  for (std::size_t c = 0; c < kHeader.size(); ++c) {
    CHECK(rows[0][c]["value"] == kHeader[c]);
    CHECK(rows[0][c]["bold"] == true);
  }
  // Every data cell a string, not bold, formatted as Text: 18-digit IDs, leading zeros, a phone
  // number, something that looks like a formula or a number in exponent form stay as written.
  for (std::size_t r = 0; r < kRows.size(); ++r)
    for (std::size_t c = 0; c < kRows[r].size(); ++c) {
      const json& cell = rows[r + 1][c];
      INFO("row " << r + 2 << " column " << c + 1);
      if (kRows[r][c].empty()) {
        CHECK(cell["value"].is_null());
        continue;
      }
      CHECK(cell["value"] == kRows[r][c]);
      CHECK(cell["type"] == "s");
      CHECK(cell["bold"] == false);
      CHECK(cell["format"] == "@");
    }
}

TEST_CASE("a written workbook's columns are as wide as their widest text, wide characters twice") {
  TempDir dir;
  const json widths = written_and_read_back(dir)["widths"];
  // 18 digits; 15 Chinese characters; three digits, so the narrowest width.
  CHECK(widths["A"].get<double>() >= 20);
  CHECK(widths["B"].get<double>() >= 32);
  CHECK(widths["C"].get<double>() < widths["A"].get<double>());
}

TEST_CASE("onex reads back what it wrote, cell for cell") {
  auto bytes = write_xlsx("考生名单", kHeader, kRows);
  REQUIRE(bytes.is_ok());
  const Table table = read(*bytes, {}, read_xlsx);
  CHECK(table.status.is_ok());
  CHECK(table.rows == Rows{"1: 身份证号|姓名|编号|备注|手机号",
                           "2: 110101199001011234|张三|0012||13800138000",
                           "3: 11010119900101123X|欧阳娜娜娜娜娜娜娜娜娜娜娜娜娜娜|007|=1+1|2021",
                           "4: 440101200012310011|王五|1.5E3"});
}

TEST_CASE("an invalid sheet name or a cell longer than Excel allows is sheet.unwritable") {
  for (const std::string& name : {std::string("a/b"), std::string(""), std::string(32, 'x'),
                                  std::string("'quoted'")}) {
    auto bytes = write_xlsx(name, kHeader, kRows);
    REQUIRE_FALSE(bytes.is_ok());
    CHECK(bytes.status().code() == "sheet.unwritable");
    CHECK(bytes.status().kind() == onex::StatusKind::io_error);
  }
  auto too_long = write_xlsx("s", {"h"}, {{std::string(32'768, 'x')}});
  REQUIRE_FALSE(too_long.is_ok());
  CHECK(too_long.status().code() == "sheet.unwritable");
  // Thirty-one characters, Chinese ones included, is a valid name.
  CHECK(write_xlsx("考生名单考生名单考生名单考生名单考生名单考生名单考生名单考生名", kHeader, {}).is_ok());
}
