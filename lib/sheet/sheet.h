// Spreadsheet tables in and out: the rows of an uploaded XLSX or CSV file, read as a spreadsheet
// program shows them, and a one-sheet XLSX workbook written from text. Internal to onex (the
// candidate import templates and the exports use it); every function is thread-safe and no
// exception leaves it.
//
// Reading refuses with Status::unprocessable and one FieldError on field "file":
//   sheet.unreadable     not a readable XLSX or CSV: a broken ZIP, no workbook or first sheet,
//                        malformed XML (a DOCTYPE included), CSV that is not UTF-8 or has an
//                        unbalanced quote;
//   sheet.too_many_rows  more data rows than Limits::max_rows (reading stops at the first one
//                        over);
//   sheet.too_large      the XLSX's XML unpacks to more than Limits::max_unpacked_bytes, or a
//                        cell is longer than max_cell_bytes, or a row has a non-empty cell past
//                        max_columns.
// Rows already handed to on_row before a refusal stay handed: callers collect and decide after.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "onex/status.h"

namespace onex::sheet {

// One row as a spreadsheet shows it: its number (the header is row 1) and its cells as UTF-8
// text, trailing empty cells dropped; an empty cell inside is "".
struct Row {
  std::size_t number = 0;
  std::vector<std::string> cells;
};

struct Limits {
  std::size_t max_rows = 10'000;  // data rows after the header; one more is sheet.too_many_rows
  std::size_t max_columns = 64;
  std::size_t max_cell_bytes = 4096;
  std::size_t max_unpacked_bytes = 64u << 20;  // what the XLSX's XML may unpack to, all parts together
};

using RowHandler = std::function<Status(Row&&)>;

// Calls on_row for the header (the first row with a non-empty cell) and each later row that has a
// non-empty cell, in order; a Status that on_row returns that is not ok stops the read and is
// returned. Cells are not trimmed: a cell of spaces is a non-empty cell.
//
// XLSX: the workbook's first sheet (by xl/workbook.xml and its relationships). Row numbers are
// the sheet's own (r="7" is row 7; gaps stay gaps), cells sit in the column their reference
// names. Shared, inline and formula strings give their text (rich-text runs joined, phonetic
// guides left out); booleans "TRUE" or "FALSE"; error values their code ("#N/A"); numbers the
// text the file stores, except that an integer stored in exponent form ("1.3800138E10") is written
// out in plain digits ("13800138000"). Dates are numbers in XLSX: a date cell gives its serial
// number, so templates should make such columns text. The sheet's XML is streamed, never held
// whole; no DTD, entity or network access is ever used.
Status read_xlsx(std::string_view bytes, const Limits& limits, const RowHandler& on_row);

// CSV: UTF-8 with or without a BOM, RFC 4180 quoting (fields may hold commas, quotes and line
// breaks), CRLF or LF line ends. A row's number counts records as a spreadsheet shows them: a
// blank line is a row (skipped, but numbered), a record whose quoted field holds line breaks is
// one row. Input that is not UTF-8 or holds a NUL byte is sheet.unreadable.
Status read_csv(std::string_view bytes, const Limits& limits, const RowHandler& on_row);

// Chooses by content: bytes that begin as a ZIP archive are read as XLSX (a ZIP that is no
// workbook is sheet.unreadable), anything else as CSV.
Status read_table(std::string_view bytes, const Limits& limits, const RowHandler& on_row);

// A workbook of one sheet named `sheet_name`: the header row (bold), then the rows, every cell
// a text cell (so ID numbers keep their digits and leading zeros; the cells' format is Text, so
// what people type there later stays text too), columns sized to fit. Empty cells are left
// blank. Fails with sheet.unwritable (StatusKind::io_error) when the name is not a valid sheet
// name (1 to 31 characters, none of []:*?/\), a cell is longer than Excel's 32,767 characters,
// there are more rows than a sheet holds, or the temporary file cannot be written.
Result<std::string> write_xlsx(std::string_view sheet_name, const std::vector<std::string>& header,
                               const std::vector<std::vector<std::string>>& rows);

}  // namespace onex::sheet
