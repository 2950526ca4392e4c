// Writing a one-sheet workbook with libxlsxwriter. Version 1.1.4 (Debian 12) writes only to a
// file, so the workbook goes to a private temporary file that is read back and removed.
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "sheet/sheet.h"

namespace onex::sheet {
namespace {

constexpr double kMinWidth = 8, kMaxWidth = 60;  // in characters of the default font

Status unwritable(const std::string& message) {
  return Status::make(StatusKind::io_error, "sheet.unwritable", message);
}

// How wide `text` shows, in characters of the default font: East Asian characters take two.
std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    // Three- and four-byte sequences from U+2E80 on are CJK (and a few other wide scripts);
    // lead byte E2 holds U+2000..U+2FFF, most of it narrow symbols.
    const bool wide = length == 4 || (length == 3 && lead >= 0xE3) ||
                      (length == 3 && lead == 0xE2 && i + 1 < text.size() &&
                       static_cast<unsigned char>(text[i + 1]) >= 0xBA);
    width += wide ? 2 : 1;
    i += length;
  }
  return width;
}

std::vector<double> column_widths(const std::vector<std::string>& header,
                                  const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widest(header.size(), 0);
  auto measure = [&](const std::vector<std::string>& cells) {
    if (widest.size() < cells.size()) widest.resize(cells.size(), 0);
    for (std::size_t c = 0; c < cells.size(); ++c)
      widest[c] = std::max(widest[c], display_width(cells[c]));
  };
  measure(header);
  for (const auto& row : rows) measure(row);
  std::vector<double> widths;
  for (std::size_t w : widest)
    widths.push_back(std::clamp(static_cast<double>(w) + 2, kMinWidth, kMaxWidth));
  return widths;
}

// A file name of its own in the temporary directory, removed when this goes.
class TemporaryFile {
 public:
  TemporaryFile() {
    std::error_code ec;
    std::string pattern = (std::filesystem::temp_directory_path(ec) / "onex-sheet-XXXXXX.xlsx");
    if (ec) return;
    const int fd = mkstemps(pattern.data(), 5);
    if (fd < 0) return;
    ::close(fd);
    path_ = pattern;
  }
  ~TemporaryFile() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove(path_, ec);
  }
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

Status write_row(lxw_worksheet* sheet, std::size_t row, const std::vector<std::string>& cells,
                 lxw_format* format) {
  for (std::size_t c = 0; c < cells.size(); ++c) {
    if (cells[c].empty()) continue;
    if (row >= LXW_ROW_MAX || c >= LXW_COL_MAX)
      return unwritable("the table does not fit in one sheet");
    const lxw_error error = worksheet_write_string(sheet, static_cast<lxw_row_t>(row),
                                                   static_cast<lxw_col_t>(c), cells[c].c_str(),
                                                   format);
    if (error != LXW_NO_ERROR)
      return unwritable("row " + std::to_string(row + 1) + ": " + lxw_strerror(error));
  }
  return {};
}

// Fills the sheet; the workbook is closed (and so written) by the caller either way.
Status fill(lxw_workbook* book, lxw_worksheet* sheet, const std::vector<std::string>& header,
            const std::vector<std::vector<std::string>>& rows) {
  lxw_format* text = workbook_add_format(book);
  format_set_num_format(text, "@");
  lxw_format* bold_text = workbook_add_format(book);
  format_set_num_format(bold_text, "@");
  format_set_bold(bold_text);
  const auto widths = column_widths(header, rows);
  for (std::size_t c = 0; c < widths.size() && c < LXW_COL_MAX; ++c)
    worksheet_set_column(sheet, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), widths[c],
                         text);
  if (Status s = write_row(sheet, 0, header, bold_text); !s) return s;
  for (std::size_t r = 0; r < rows.size(); ++r)
    if (Status s = write_row(sheet, r + 1, rows[r], text); !s) return s;
  return {};
}

}  // namespace

Result<std::string> write_xlsx(std::string_view sheet_name, const std::vector<std::string>& header,
                               const std::vector<std::vector<std::string>>& rows) {
  TemporaryFile file;
  if (file.path().empty()) return unwritable("no temporary file could be made for the workbook");
  std::string tmpdir = std::filesystem::path(file.path()).parent_path().string();
  lxw_workbook_options options{};
  options.tmpdir = tmpdir.data();
  lxw_workbook* book = workbook_new_opt(file.path().c_str(), &options);
  if (!book) return unwritable("libxlsxwriter could not start a workbook");
  const std::string name(sheet_name);
  Status filled;
  // libxlsxwriter would name a sheet without a name Sheet1.
  if (name.empty() || workbook_validate_sheet_name(book, name.c_str()) != LXW_NO_ERROR) {
    filled = unwritable("\"" + name + "\" is not a valid sheet name");
  } else if (lxw_worksheet* sheet = workbook_add_worksheet(book, name.c_str())) {
    filled = fill(book, sheet, header, rows);
  } else {
    filled = unwritable("libxlsxwriter could not add the sheet");
  }
  const lxw_error closed = workbook_close(book);  // writes the file and frees the workbook
  if (!filled) return filled;
  if (closed != LXW_NO_ERROR)
    return unwritable(std::string("the workbook could not be written: ") + lxw_strerror(closed));
  std::ifstream in(file.path(), std::ios::binary);
  if (!in) return unwritable("the written workbook could not be read back");
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace onex::sheet
