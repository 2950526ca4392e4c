// What the XLSX and CSV readers share: the refusals, and the row being built with the limits
// on columns, cell size and row count applied as cells arrive.
#pragma once

#include <string>

#include "sheet/sheet.h"

namespace onex::sheet::detail {

Status unreadable(const std::string& message);
Status too_large(const std::string& message);
Status too_many_rows(std::size_t max_rows);

// Collects the cells of one row at a time and hands finished rows that have a non-empty cell to
// the caller's handler, counting the data rows after the header against Limits::max_rows.
class RowBuilder {
 public:
  RowBuilder(const Limits& limits, const RowHandler& on_row) : limits_(limits), on_row_(on_row) {}

  // Puts `text` in the cell at 0-based `column` of the current row. Empty text leaves the cell
  // empty and is never refused, however far right it is.
  Status put(std::size_t column, std::string text);
  // Ends the current row as row `number`: handed on when it has a non-empty cell, else dropped.
  Status end_row(std::size_t number);

 private:
  const Limits& limits_;
  const RowHandler& on_row_;
  std::vector<std::string> cells_;
  bool header_seen_ = false;
  std::size_t data_rows_ = 0;
};

}  // namespace onex::sheet::detail
