// Reading CSV with libcsv (RFC 4180). libcsv is asked to report every line end outside a record
// (CSV_REPALL_NL) so that blank lines are numbered like the rows a spreadsheet shows, and to keep
// the spaces around unquoted fields, which it would otherwise trim.
#include <csv.h>

#include <algorithm>

#include "sheet/rows.h"
#include "util/identifiers.h"

namespace onex::sheet {
namespace {

// libcsv cannot be stopped from inside its callbacks: once `failed` is set they do nothing, and
// the input is fed in slices so that the feeding stops soon after.
constexpr std::size_t kSlice = 64 * 1024;

class CsvRows {
 public:
  CsvRows(const Limits& limits, const RowHandler& on_row) : rows_(limits, on_row) {}

  static void on_field(void* data, std::size_t size, void* self) {
    static_cast<CsvRows*>(self)->field(static_cast<const char*>(data), data ? size : 0);
  }
  static void on_record(int terminator, void* self) {
    static_cast<CsvRows*>(self)->record(terminator);
  }

  const Status& status() const { return status_; }
  bool failed() const { return !status_.is_ok(); }

 private:
  void field(const char* data, std::size_t size) {
    if (failed()) return;
    status_ = rows_.put(column_++, std::string(data, size));
  }

  // `terminator` is the character that ended the record, -1 at the end of the input. A report
  // with no field before it is a line end outside a record: a blank line, or the LF of a CRLF
  // whose CR ended the record before.
  void record(int terminator) {
    if (failed()) return;
    const bool blank = column_ == 0;
    const bool crlf_tail = blank && terminator == '\n' && previous_terminator_ == '\r';
    previous_terminator_ = terminator;
    column_ = 0;
    if (crlf_tail) return;
    ++number_;
    status_ = rows_.end_row(number_);
  }

  detail::RowBuilder rows_;
  Status status_;
  std::size_t column_ = 0;  // fields seen in the record being read
  std::size_t number_ = 0;  // rows numbered so far
  int previous_terminator_ = -1;
};

int no_space(unsigned char) { return 0; }

}  // namespace

Status read_csv(std::string_view bytes, const Limits& limits, const RowHandler& on_row) {
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  if (bytes.find('\0') != std::string_view::npos)
    return detail::unreadable("the CSV file holds a NUL byte: it is not text");
  if (!util::utf8_length(bytes))
    return detail::unreadable("the CSV file is not UTF-8 text (save it as \"CSV UTF-8\")");

  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL) != 0)
    return detail::unreadable("the CSV reader could not start");
  csv_set_space_func(&parser, no_space);
  CsvRows rows(limits, on_row);
  bool malformed = false;
  for (std::size_t at = 0; at < bytes.size() && !malformed && !rows.failed(); at += kSlice) {
    const std::size_t len = std::min(kSlice, bytes.size() - at);
    malformed = csv_parse(&parser, bytes.data() + at, len, CsvRows::on_field, CsvRows::on_record,
                          &rows) != len;
  }
  if (!malformed && !rows.failed())
    malformed = csv_fini(&parser, CsvRows::on_field, CsvRows::on_record, &rows) != 0;
  csv_free(&parser);
  if (rows.failed()) return rows.status();
  if (malformed)
    return detail::unreadable(
        "the CSV file is malformed: a quote inside an unquoted field, or a quote never closed");
  return {};
}

}  // namespace onex::sheet
