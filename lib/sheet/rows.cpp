#include "sheet/rows.h"

#include <utility>

namespace onex::sheet {
namespace detail {
namespace {

Status refuse(const char* code, const std::string& message) {
  return Status::unprocessable(code, message, {{"file", code, message}});
}

}  // namespace

Status unreadable(const std::string& message) { return refuse("sheet.unreadable", message); }

Status too_large(const std::string& message) { return refuse("sheet.too_large", message); }

Status too_many_rows(std::size_t max_rows) {
  return refuse("sheet.too_many_rows",
                "the table has more than " + std::to_string(max_rows) + " rows below its header");
}

Status RowBuilder::put(std::size_t column, std::string text) {
  if (text.empty()) return {};
  if (column >= limits_.max_columns)
    return too_large("a row has cells past column " + std::to_string(limits_.max_columns));
  if (text.size() > limits_.max_cell_bytes)
    return too_large("a cell is longer than " + std::to_string(limits_.max_cell_bytes) + " bytes");
  if (cells_.size() <= column) cells_.resize(column + 1);
  cells_[column] = std::move(text);
  return {};
}

Status RowBuilder::end_row(std::size_t number) {
  // Only non-empty cells are ever put, so a row with cells has a non-empty one and its last cell
  // is not empty: nothing trailing to drop.
  if (cells_.empty()) return {};
  if (header_seen_ && ++data_rows_ > limits_.max_rows) return too_many_rows(limits_.max_rows);
  header_seen_ = true;
  Row row{number, std::move(cells_)};
  cells_.clear();
  return on_row_(std::move(row));
}

}  // namespace detail

Status read_table(std::string_view bytes, const Limits& limits, const RowHandler& on_row) {
  const bool zip = bytes.starts_with(std::string_view("PK\x03\x04", 4)) ||
                   bytes.starts_with(std::string_view("PK\x05\x06", 4));
  return zip ? read_xlsx(bytes, limits, on_row) : read_csv(bytes, limits, on_row);
}

}  // namespace onex::sheet
