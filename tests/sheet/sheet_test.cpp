// Reading spreadsheet tables (lib/sheet): XLSX files that openpyxl and hand-written XML made
// (tests/data/sheet/make.py, which checks each against openpyxl's own reading), and CSV text.
#include <doctest/doctest.h>

#include "sheet/sheet_support.h"

using namespace onex::sheet;
using namespace onex::sheet::testing;
using Rows = std::vector<std::string>;

namespace {

const Rows kTemplateRows = {
    "1: 考生类型|姓名|姓名拼音|身份证号|手机号|就读专业|专业层次|入学年份",
    "2: 统招|张三|zhang san|110101199001011234|13800138000|计算机应用技术|专科|2021",
    "3: 社会|李四|li si|11010119900101123X||会计|本科|2022",
    "6: 统招|王五|wang wu|110101199001015678|13900139000|护理|专科|2020",
};

const Rows kHandmadeRows = {
    "1: 备注|内联|粗 和细",
    "2:   两边有空格  |TRUE||FALSE|公式|#N/A",
    "5: 3.5|-1500|1.5E-3|100000000000000000000|13800138000|2.5E0|0|A&B <c>",
    "9: ||丙||||||||||||||||||||||||第27列",
};

}  // namespace

TEST_CASE("a template with shared strings reads row by row as a spreadsheet shows it") {
  // Given the import template as Excel would store it (shared strings, numbers, the phone of
  // row 6 stored as 1.3900139E10, no cell for Li Si's phone, rows 4 and 5 absent),
  const std::string bytes = fixture("template.xlsx");
  // when it is read,
  const Table table = read(bytes, {}, read_xlsx);
  // then every row comes with its own number and its cells in their columns, numbers as digits.
  CHECK(table.status.is_ok());
  CHECK(table.rows == kTemplateRows);
}

TEST_CASE("the same template with inline strings, as openpyxl writes it, reads the same") {
  const Table table = read(fixture("template-inline.xlsx"), {}, read_xlsx);
  CHECK(table.status.is_ok());
  CHECK(table.rows == kTemplateRows);
}

TEST_CASE("an empty cell in the middle is an empty string and the row keeps its width") {
  std::vector<Row> rows;
  const auto status = read_xlsx(fixture("template.xlsx"), {}, [&](Row&& row) {
    rows.push_back(std::move(row));
    return onex::Status::ok();
  });
  REQUIRE(status.is_ok());
  REQUIRE(rows.size() == 4);
  CHECK(rows[2].number == 3);
  CHECK(rows[2].cells.size() == 8);
  CHECK(rows[2].cells[4] == "");
  CHECK(rows[2].cells[7] == "2022");
}

TEST_CASE("rich text, phonetic guides, booleans, formulas, errors, references and numbers") {
  // Given a workbook written by hand with a prefixed namespace: rich-text runs with a phonetic
  // guide, an inline string with spaces on both sides, cells without references, booleans, a
  // formula's text, an error value, trailing and wholly empty rows, exponent numbers, entities,
  // and a cell in column AA,
  const Table table = read(fixture("handmade.xlsx"), {}, read_xlsx);
  // then runs join without the guide, nothing is trimmed, TRUE/FALSE, cached values, empty rows
  // dropped, integers in exponent form in plain digits and other numbers as stored.
  CHECK(table.status.is_ok());
  CHECK(table.rows == kHandmadeRows);
}

TEST_CASE("the first sheet is the one the workbook lists first, found through its relationships") {
  // Given a workbook whose first sheet is stored as sheet2.xml and whose sheet1.xml is another,
  const Table table = read(fixture("second-first.xlsx"), {}, read_xlsx);
  // then the rows are the first sheet's.
  CHECK(table.status.is_ok());
  CHECK(table.rows == Rows{"1: 姓名|身份证号", "2: 赵六|110101199001019999"});
}

TEST_CASE("without the workbook's relationships the first sheet is taken from sheet1.xml") {
  const Table table = read(fixture("no-rels.xlsx"), {}, read_xlsx);
  CHECK(table.status.is_ok());
  CHECK(table.rows == kHandmadeRows);
}

TEST_CASE("read_table tells XLSX from CSV by the bytes") {
  CHECK(read(fixture("template.xlsx")).rows == kTemplateRows);
  CHECK(read("a,b\n1,2\n").rows == Rows{"1: a|b", "2: 1|2"});
  // A ZIP archive is never taken for CSV, even when it is no workbook.
  CHECK(refused(read(fixture("not-a-workbook.zip")).status, "sheet.unreadable"));
}

TEST_CASE("CSV: a BOM, CRLF, quoted commas, quotes and line breaks, blank rows numbered") {
  // Given a CSV file as Excel saves "CSV UTF-8", with a blank line, a line of empty fields,
  // a field holding a line break and spaces around a name,
  const std::string csv =
      "\xEF\xBB\xBF姓名,备注\r\n"
      "张三,\"a, b\"\r\n"
      "\r\n"
      "李四,\"第一行\r\n第二行\"\r\n"
      "王五,\"他说\"\"好\"\"\"\r\n"
      ",,\r\n"
      " 赵六 ,x,,\r\n";
  // when it is read,
  const Table table = read(csv, {}, read_csv);
  // then blank rows are skipped but numbered, a quoted line break stays in its one row, and
  // nothing is trimmed but trailing empty cells.
  CHECK(table.status.is_ok());
  CHECK(table.rows == Rows{"1: 姓名|备注", "2: 张三|a, b", "4: 李四|第一行\r\n第二行",
                           "5: 王五|他说\"好\"", "7:  赵六 |x"});
}

TEST_CASE("CSV with LF line ends and no line end at the last row numbers rows the same") {
  const Table table = read("a,b\n\n\"x\ny\",2\n,\nlast,\"\"", {}, read_csv);
  CHECK(table.status.is_ok());
  CHECK(table.rows == Rows{"1: a|b", "3: x\ny|2", "5: last"});
}

TEST_CASE("CSV that is not UTF-8, has a NUL byte or an unbalanced quote is unreadable") {
  for (const std::string& csv : {std::string("姓名\n\xD5\xC5\xC8\xFD\n"),  // GBK 张三
                                std::string("a,b\n1,\"2\n"), std::string("a,b\n1,x\"y\"\n"),
                                std::string("a,b\n1,\0\n", 8)}) {
    const Table table = read(csv, {}, read_csv);
    CHECK_MESSAGE(refused(table.status, "sheet.unreadable"), table.status.to_string());
  }
}

TEST_CASE("what on_row refuses stops the read and is returned") {
  int calls = 0;
  const auto status = read_xlsx(fixture("template.xlsx"), {}, [&](Row&& row) {
    ++calls;
    return row.number == 2 ? onex::Status::conflict("test.stop", "stop here") : onex::Status::ok();
  });
  CHECK(status.code() == "test.stop");
  CHECK(calls == 2);
}
