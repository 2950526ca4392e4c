// Reading the first sheet of an XLSX workbook: its shared strings kept in memory (within the
// unpacking budget), its rows streamed one at a time from the sheet's XML.
#include <algorithm>
#include <charconv>

#include "sheet/rows.h"
#include "sheet/xlsx_parts.h"

namespace onex::sheet {
namespace {

using detail::Budget;
using detail::local_name;
using detail::node_value;
using detail::Package;
using detail::unreadable;

constexpr std::size_t kMaxSheetRows = 1'048'576;  // Excel's own limits
constexpr std::size_t kMaxSheetColumns = 16'384;  // XFD
// An integer written out from exponent form is at most this many digits; a longer one (1E300)
// keeps its stored text.
constexpr std::size_t kMaxPlainDigits = 30;

bool is_text_node(xmlTextReaderPtr r) {
  const int type = xmlTextReaderNodeType(r);
  return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
         type == XML_READER_TYPE_WHITESPACE || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

// An element start that is also its end (<c r="A1"/>) is reported once; it is both.
bool starts(xmlTextReaderPtr r) { return xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT; }
bool ends(xmlTextReaderPtr r) {
  return xmlTextReaderNodeType(r) == XML_READER_TYPE_END_ELEMENT ||
         (starts(r) && xmlTextReaderIsEmptyElement(r) == 1);
}

// The shared string table: every string's text one after the other, and where each ends.
class SharedStrings {
 public:
  Status load(Package& package, const std::string& part, Budget& budget) {
    return package.stream(part, budget, [&](xmlTextReaderPtr r) { return node(r, budget.limit); });
  }
  std::size_t size() const { return ends_.size(); }
  std::string at(std::size_t i) const {
    const std::size_t begin = i == 0 ? 0 : ends_[i - 1];
    return text_.substr(begin, ends_[i] - begin);
  }

 private:
  // <si> holds its text in <t>, or in runs <r><t>; <rPh><t> is a phonetic guide, not the text.
  Status node(xmlTextReaderPtr r, std::size_t limit) {
    const std::string_view name = local_name(r);
    if (starts(r) && name == "rPh") in_phonetic_ = true;
    if (starts(r) && name == "t") in_text_ = !in_phonetic_;
    if (is_text_node(r) && in_text_) text_ += node_value(r);
    if (ends(r) && name == "t") in_text_ = false;
    if (ends(r) && name == "rPh") in_phonetic_ = false;
    if (ends(r) && name == "si") ends_.push_back(text_.size());
    if (text_.size() + ends_.size() * sizeof(std::size_t) > limit)
      return detail::too_large("the workbook's shared strings take more than " +
                               std::to_string(limit) + " bytes");
    return {};
  }

  std::string text_;
  std::vector<std::size_t> ends_;
  bool in_text_ = false, in_phonetic_ = false;
};

std::optional<std::size_t> parse_count(std::string_view digits, std::size_t max) {
  std::size_t value = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc() || end != digits.data() + digits.size() || value > max)
    return std::nullopt;
  return value;
}

// The 0-based column of a cell reference: "C5" is 2, "AA1" is 26.
std::optional<std::size_t> column_of(std::string_view reference) {
  std::size_t column = 0, letters = 0;
  for (char c : reference) {
    if (c < 'A' || c > 'Z') break;
    column = column * 26 + static_cast<std::size_t>(c - 'A' + 1);
    ++letters;
  }
  if (letters == 0 || letters > 3 || column > kMaxSheetColumns) return std::nullopt;
  return column - 1;
}

// "1.3800138E10" is "13800138000": a number stored in exponent form that is an integer, in plain
// digits. Any other number ("2021", "3.5", "1.5E-3") keeps its stored text.
std::string plain_number(std::string_view stored) {
  const std::size_t e = stored.find_first_of("eE");
  if (e == std::string_view::npos) return std::string(stored);
  std::string_view mantissa = stored.substr(0, e);
  const bool negative = mantissa.starts_with('-');
  if (negative || mantissa.starts_with('+')) mantissa.remove_prefix(1);
  const std::size_t dot = mantissa.find('.');
  std::string digits(mantissa.substr(0, dot));
  const std::size_t whole_digits = digits.size();
  if (dot != std::string_view::npos) digits += mantissa.substr(dot + 1);
  const bool all_digits = !digits.empty() && std::all_of(digits.begin(), digits.end(), [](char c) {
    return c >= '0' && c <= '9';
  });
  std::string_view exponent_text = stored.substr(e + 1);
  if (exponent_text.starts_with('+')) exponent_text.remove_prefix(1);
  int exponent = 0;
  auto [end, error] = std::from_chars(exponent_text.data(),
                                      exponent_text.data() + exponent_text.size(), exponent);
  if (!all_digits || error != std::errc() || end != exponent_text.data() + exponent_text.size())
    return std::string(stored);
  // Where the decimal point falls among `digits` once the exponent is applied.
  const long point = static_cast<long>(whole_digits) + exponent;
  if (point < 0 || point > static_cast<long>(kMaxPlainDigits)) return std::string(stored);
  const auto cut = std::min(static_cast<std::size_t>(point), digits.size());
  if (digits.find_first_not_of('0', cut) != std::string::npos) return std::string(stored);
  std::string plain = digits.substr(0, cut) + std::string(static_cast<std::size_t>(point) - cut, '0');
  plain.erase(0, std::min(plain.find_first_not_of('0'), plain.size()));
  if (plain.empty()) return "0";
  return negative ? "-" + plain : plain;
}

// The rows of a sheet's <sheetData>, cell by cell.
class SheetReader {
 public:
  SheetReader(const SharedStrings& strings, const Limits& limits, const RowHandler& on_row)
      : strings_(strings), limits_(limits), rows_(limits, on_row) {}

  Status node(xmlTextReaderPtr r) {
    const std::string_view name = local_name(r);
    if (name == "sheetData") {
      in_data_ = starts(r) && !ends(r);
      return {};
    }
    if (!in_data_) return {};
    if (starts(r)) {
      if (Status s = start(r, name); !s) return s;
    }
    if (is_text_node(r) && capturing_) {
      text_ += node_value(r);
      if (text_.size() > limits_.max_cell_bytes)
        return detail::too_large("a cell is longer than " +
                                 std::to_string(limits_.max_cell_bytes) + " bytes");
    }
    if (ends(r)) return end(name);
    return {};
  }

 private:
  Status start(xmlTextReaderPtr r, std::string_view name) {
    if (name == "row") {
      row_ = row_ + 1;
      if (auto ref = detail::attribute(r, "r")) {
        auto number = parse_count(*ref, kMaxSheetRows);
        if (!number || *number == 0) return unreadable("a row has a bad number r=\"" + *ref + "\"");
        row_ = *number;
      }
      next_column_ = 0;
    } else if (name == "c") {
      column_ = next_column_;
      if (auto ref = detail::attribute(r, "r")) {
        auto column = column_of(*ref);
        if (!column) return unreadable("a cell has a bad reference r=\"" + *ref + "\"");
        column_ = *column;
      }
      next_column_ = column_ + 1;
      type_ = detail::attribute(r, "t").value_or("n");
      text_.clear();
    } else if (name == "is") {
      in_inline_ = true;
    } else if (name == "rPh") {
      in_phonetic_ = true;
    }
    // A cell's value is in <v>, or for an inline string in <is>'s <t>s (not the phonetic ones).
    if (name == "v" || (name == "t" && in_inline_ && !in_phonetic_)) capturing_ = true;
    return {};
  }

  Status end(std::string_view name) {
    if (name == "v" || name == "t") capturing_ = false;
    if (name == "is") in_inline_ = false;
    if (name == "rPh") in_phonetic_ = false;
    if (name == "c") {
      auto value = cell_value();
      if (!value) return unreadable("a cell refers to a shared string that is not there");
      return rows_.put(column_, std::move(*value));
    }
    if (name == "row") return rows_.end_row(row_);
    return {};
  }

  std::optional<std::string> cell_value() const {
    if (type_ == "s") {
      if (text_.empty()) return "";
      auto index = parse_count(text_, strings_.size());
      if (!index || *index >= strings_.size()) return std::nullopt;
      return strings_.at(*index);
    }
    if (type_ == "b") return text_ == "1" ? "TRUE" : text_ == "0" ? "FALSE" : text_;
    if (type_ == "n") return plain_number(text_);
    return text_;  // inlineStr, str (a formula's text), e (an error such as #N/A), d (ISO date)
  }

  const SharedStrings& strings_;
  const Limits& limits_;
  detail::RowBuilder rows_;
  bool in_data_ = false, in_inline_ = false, in_phonetic_ = false, capturing_ = false;
  std::size_t row_ = 0;  // the number of the row being read; of the last one between rows
  std::size_t column_ = 0, next_column_ = 0;
  std::string type_, text_;
};

}  // namespace

Status read_xlsx(std::string_view bytes, const Limits& limits, const RowHandler& on_row) {
  std::unique_ptr<Package> package;
  if (Status s = Package::open(bytes, package); !s) return s;
  Budget budget{limits.max_unpacked_bytes, limits.max_unpacked_bytes};
  detail::WorkbookParts parts;
  if (Status s = detail::locate_parts(*package, budget, parts); !s) return s;
  SharedStrings strings;
  if (!parts.shared_strings.empty() && package->has(parts.shared_strings))
    if (Status s = strings.load(*package, parts.shared_strings, budget); !s) return s;
  if (!package->has(parts.first_sheet))
    return unreadable("the workbook's first sheet " + parts.first_sheet + " is missing");
  SheetReader sheet(strings, limits, on_row);
  return package->stream(parts.first_sheet, budget,
                         [&](xmlTextReaderPtr r) { return sheet.node(r); });
}

}  // namespace onex::sheet
