// Files the readers refuse: not workbooks, broken ones, entity tricks, zip bombs, too many rows,
// too long cells and too many columns. Large files are made at test time by python3 (openpyxl
// and zipfile), so no megabytes sit in the repository.
#include <doctest/doctest.h>

#include "sheet/sheet_support.h"

using namespace onex::sheet;
using namespace onex::sheet::testing;
using Rows = std::vector<std::string>;

namespace {

// Writes argv[1] with openpyxl: a header and int(argv[2]) data rows of eight text cells.
constexpr const char* kManyRows = R"(
import sys, openpyxl
wb = openpyxl.Workbook(write_only=True)
ws = wb.create_sheet("考生")
ws.append(["考生类型", "姓名", "姓名拼音", "身份证号", "手机号", "就读专业", "专业层次", "入学年份"])
for i in range(int(sys.argv[2])):
    ws.append(["统招", "考生%d" % i, "kao sheng", "1101011990%08d" % i, "138%08d" % i, "护理", "专科", "2021"])
wb.save(sys.argv[1])
)";

// Writes argv[1], an XLSX whose sheet XML is a header row and then about 80 MB of rows holding
// only empty cells: it deflates to a few hundred kilobytes. With argv[2] == "lie", the sheet's
// entry claims in both ZIP headers to unpack to 1000 bytes.
constexpr const char* kBomb = R"(
import struct, sys, zipfile
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
sheet = ('<worksheet xmlns="%s"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>头</t></is>'
         '</c></row>' % MAIN) + "<row><c/></row>" * 5000000 + "</sheetData></worksheet>"
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", "<Types/>")
    z.writestr("xl/workbook.xml", '<workbook xmlns="%s" xmlns:r="%s"><sheets><sheet name="s" '
               'sheetId="1" r:id="rId1"/></sheets></workbook>' % (MAIN, REL))
    z.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.'
               'org/package/2006/relationships"><Relationship Id="rId1" Type="%s/worksheet" '
               'Target="worksheets/sheet1.xml"/></Relationships>' % REL)
    z.writestr("xl/worksheets/sheet1.xml", sheet)
if sys.argv[2] == "lie":
    data = bytearray(open(sys.argv[1], "rb").read())
    name = b"xl/worksheets/sheet1.xml"
    at = data.find(name)
    while at >= 0:
        if data[at - 30:at - 26] == b"PK\x03\x04":
            struct.pack_into("<I", data, at - 30 + 22, 1000)
        if data[at - 46:at - 42] == b"PK\x01\x02":
            struct.pack_into("<I", data, at - 46 + 24, 1000)
        at = data.find(name, at + 1)
    open(sys.argv[1], "wb").write(data)
)";

Table read_many_rows(std::size_t data_rows) {
  TempDir dir;
  const auto file = dir / "many.xlsx";
  python(dir, kManyRows, {file.string(), std::to_string(data_rows)});
  return read(slurp(file), Limits{.max_rows = 10'000}, read_xlsx);
}

}  // namespace

TEST_CASE("bytes that are no XLSX, a ZIP that is no workbook and a cut-off XLSX are unreadable") {
  const std::string template_bytes = fixture("template.xlsx");
  for (const std::string& bytes :
       {std::string("\x89\x01\xfe garbage \x00\xff", 14), std::string("PK\x03\x04 not really", 16),
        fixture("not-a-workbook.zip"), template_bytes.substr(0, template_bytes.size() / 2),
        std::string()}) {
    const Table table = read(bytes, {}, read_xlsx);
    CHECK_MESSAGE(refused(table.status, "sheet.unreadable"), table.status.to_string());
    CHECK(table.rows.empty());
  }
}

TEST_CASE("malformed sheet XML and a missing first sheet are unreadable") {
  // Some rows before the break may have been handed on (as far as libxml2 had parsed when it
  // found the break); the read fails all the same.
  const Table broken = read(fixture("broken-xml.xlsx"), {}, read_xlsx);
  CHECK_MESSAGE(refused(broken.status, "sheet.unreadable"), broken.status.to_string());
  CHECK(broken.rows.size() < 3);
  const Table missing = read(fixture("missing-sheet.xlsx"), {}, read_xlsx);
  CHECK_MESSAGE(refused(missing.status, "sheet.unreadable"), missing.status.to_string());
  CHECK(missing.rows.empty());
}

TEST_CASE("an external entity in a sheet or the shared strings is never expanded") {
  // Given parts with <!DOCTYPE … <!ENTITY xxe SYSTEM "file:///etc/passwd">> and &xxe; in a cell,
  for (const char* name : {"xxe.xlsx", "xxe-strings.xlsx"}) {
    const Table table = read(fixture(name), {}, read_xlsx);
    // then the file is refused and nothing of /etc/passwd shows, in rows or in the message.
    CHECK_MESSAGE(refused(table.status, "sheet.unreadable"), table.status.to_string());
    CHECK(table.rows.empty());
    CHECK(table.status.message().find("root") == std::string::npos);
  }
}

TEST_CASE("a zip bomb is too large, refused by its declared size before it is unpacked") {
  TempDir dir;
  const auto file = dir / "bomb.xlsx";
  python(dir, kBomb, {file.string(), "honest"});
  const Table table = read(slurp(file), {}, read_xlsx);
  CHECK_MESSAGE(refused(table.status, "sheet.too_large"), table.status.to_string());
  CHECK(table.rows.empty());  // the sheet was never streamed
}

TEST_CASE("a zip bomb that lies about its size is stopped where its XML passes the budget") {
  TempDir dir;
  const auto file = dir / "bomb.xlsx";
  python(dir, kBomb, {file.string(), "lie"});
  const std::string bytes = slurp(file);
  CHECK(bytes.size() < 1'000'000);
  // Given a budget of 8 MiB, the sheet streams its header row and is stopped at 8 MiB, about a
  // tenth of what it would unpack to.
  const Table table = read(bytes, Limits{.max_unpacked_bytes = 8u << 20}, read_xlsx);
  CHECK_MESSAGE(refused(table.status, "sheet.too_large"), table.status.to_string());
  CHECK(table.rows == Rows{"1: 头"});
}

TEST_CASE("an XLSX of 10,001 data rows is too_many_rows and reading stops at the 10,001st") {
  const Table table = read_many_rows(10'001);
  CHECK_MESSAGE(refused(table.status, "sheet.too_many_rows"), table.status.to_string());
  // the header and 10,000 data rows were handed on; the one over was not.
  CHECK(table.rows.size() == 10'001);
}

TEST_CASE("an XLSX of exactly 10,000 data rows is read whole") {
  const Table table = read_many_rows(10'000);
  CHECK(table.status.is_ok());
  REQUIRE(table.rows.size() == 10'001);
  CHECK(table.rows.back() ==
        "10001: 统招|考生9999|kao sheng|110101199000009999|13800009999|护理|专科|2021");
}

TEST_CASE("CSV rows are counted against max_rows the same way, blank rows not counted") {
  std::string csv = "h\n\n";
  for (int i = 0; i < 5; ++i) csv += "r" + std::to_string(i) + "\n\n";
  CHECK(read(csv, Limits{.max_rows = 5}, read_csv).status.is_ok());
  const Table over = read(csv + "r5\n", Limits{.max_rows = 5}, read_csv);
  CHECK(refused(over.status, "sheet.too_many_rows"));
  CHECK(over.rows.size() == 6);
}

TEST_CASE("a cell over max_cell_bytes and a cell past max_columns are too large") {
  // 计算机应用技术 is 21 bytes; the header's cells are at most 12.
  const Table long_cell = read(fixture("template.xlsx"), Limits{.max_cell_bytes = 20}, read_xlsx);
  CHECK(refused(long_cell.status, "sheet.too_large"));
  CHECK(long_cell.rows.size() == 1);
  const Table wide = read(fixture("template.xlsx"), Limits{.max_columns = 7}, read_xlsx);
  CHECK(refused(wide.status, "sheet.too_large"));
  CHECK(wide.rows.empty());
  // The same in CSV; empty cells past the limit are trailing and cost nothing.
  CHECK(refused(read("a,bbbbb\n", Limits{.max_cell_bytes = 4}, read_csv).status, "sheet.too_large"));
  CHECK(refused(read("a,b,c\n", Limits{.max_columns = 2}, read_csv).status, "sheet.too_large"));
  const Table trailing = read("a,b" + std::string(1000, ',') + "\n", Limits{.max_columns = 2}, read_csv);
  CHECK(trailing.status.is_ok());
  CHECK(trailing.rows == Rows{"1: a|b"});
}

TEST_CASE("the unpacking budget covers the parts read, together, shared strings included") {
  // template.xlsx's workbook.xml, its relationships, sharedStrings.xml and sheet1.xml unpack to
  // 547 + 646 + 996 + 1441 = 3630 bytes; each alone is under 1500.
  const std::string bytes = fixture("template.xlsx");
  CHECK(read(bytes, Limits{.max_unpacked_bytes = 3630}, read_xlsx).status.is_ok());
  const Table table = read(bytes, Limits{.max_unpacked_bytes = 3629}, read_xlsx);
  CHECK(refused(table.status, "sheet.too_large"));
  CHECK(table.rows.empty());
}
