// Reading the registry import file with libcsv (RFC 4180 quoting: fields may hold commas,
// quotes and line breaks), line by line so that each record knows the file line it starts on.
#include <csv.h>

#include <algorithm>
#include <array>
#include <map>

#include "onex/regions.h"
#include "reference/decide.h"
#include "util/identifiers.h"

namespace onex::reference {
namespace {

constexpr std::array<std::string_view, 5> kColumns{"code", "name", "province_code", "city_code",
                                                   "type"};

struct Reader {
  std::size_t line = 0;           // the line being fed to the parser
  std::size_t breaks_inside = 0;  // line breaks inside the current record's fields
  std::vector<std::string> fields;
  std::vector<std::pair<std::size_t, std::vector<std::string>>> records;  // start line, fields

  static void on_field(void* data, std::size_t size, void* self) {
    auto& r = *static_cast<Reader*>(self);
    std::string field(static_cast<const char*>(data), data ? size : 0);
    r.breaks_inside += static_cast<std::size_t>(std::count(field.begin(), field.end(), '\n'));
    r.fields.push_back(std::move(field));
  }
  static void on_record(int, void* self) {
    auto& r = *static_cast<Reader*>(self);
    r.records.emplace_back(r.line - r.breaks_inside, std::move(r.fields));
    r.fields.clear();
    r.breaks_inside = 0;
  }
};

class Checker {
 public:
  explicit Checker(ParsedRegistry& out) : out_(out) {}

  void add(std::size_t line, std::string field, std::string code, std::string message) {
    ++out_.error_count;
    if (out_.errors.size() < kMaxImportErrors)
      out_.errors.push_back({line, std::move(field), std::move(code), std::move(message)});
  }

  void row(std::size_t line, RegistryRow r) {
    const std::size_t before = out_.error_count;
    const bool code_ok = util::valid_institution_code(r.code);
    if (r.code.empty())
      add(line, "code", "required", "code is required");
    else if (!code_ok)
      add(line, "code", "invalid", "a 10-digit registry institution code");
    if (!is_province_code(r.province_code))
      add(line, "province_code", r.province_code.empty() ? "required" : "invalid",
          "one of the 34 province codes");
    else if (code_ok && r.code.substr(2, 2) != r.province_code)
      add(line, "code", "province_mismatch",
          "digits 3-4 of the code are the province code " + r.province_code);
    text(line, "name", r.name, kMaxNameChars);
    if (is_province_code(r.province_code) && !is_city_code_of(r.city_code, r.province_code))
      add(line, "city_code", r.city_code.empty() ? "required" : "invalid",
          "a four-digit city code of province " + r.province_code);
    else if (!is_province_code(r.province_code) && r.city_code.empty())
      add(line, "city_code", "required", "city_code is required");
    text(line, "type", r.type, 50);
    if (!r.code.empty()) {
      auto [it, fresh] = first_line_.emplace(r.code, line);
      if (!fresh)
        add(line, "code", "duplicate_in_file",
            "this code is on line " + std::to_string(it->second) + " already");
    }
    if (out_.error_count == before) out_.rows.push_back({line, std::move(r)});
  }

 private:
  void text(std::size_t line, const char* field, const std::string& value, std::size_t max) {
    if (value.empty()) return add(line, field, "required", std::string(field) + " is required");
    auto n = utf8_length(value);
    if (!n) return add(line, field, "invalid", std::string(field) + " is not valid UTF-8");
    if (*n > max) add(line, field, "too_long", "at most " + std::to_string(max) + " characters");
  }

  ParsedRegistry& out_;
  std::map<std::string, std::size_t> first_line_;
};

}  // namespace

ParsedRegistry parse_registry_csv(std::string_view csv) {
  ParsedRegistry out;
  Checker check(out);
  if (csv.starts_with("\xEF\xBB\xBF")) csv.remove_prefix(3);

  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0) {
    check.add(1, "file", "unreadable", "the CSV reader could not start");
    return out;
  }
  Reader reader;
  bool malformed = false;
  std::size_t start = 0;
  while (start < csv.size() && !malformed) {
    ++reader.line;
    std::size_t end = csv.find('\n', start);
    end = end == std::string_view::npos ? csv.size() : end + 1;
    const std::size_t len = end - start;
    if (csv_parse(&parser, csv.data() + start, len, Reader::on_field, Reader::on_record, &reader) !=
        len)
      malformed = true;
    start = end;
  }
  if (!malformed && csv_fini(&parser, Reader::on_field, Reader::on_record, &reader) != 0)
    malformed = true;
  csv_free(&parser);

  // The header: the five columns, each once, in any order.
  std::array<std::size_t, kColumns.size()> column{};
  bool header_ok = !reader.records.empty();
  if (header_ok) {
    const auto& names = reader.records.front().second;
    header_ok = names.size() == kColumns.size();
    for (std::size_t c = 0; header_ok && c < kColumns.size(); ++c) {
      auto it = std::find(names.begin(), names.end(), kColumns[c]);
      header_ok = it != names.end();
      if (header_ok) column[c] = static_cast<std::size_t>(it - names.begin());
    }
  }
  if (!header_ok) {
    check.add(1, "header", "invalid", "the header is code,name,province_code,city_code,type");
  } else {
    for (std::size_t i = 1; i < reader.records.size(); ++i) {
      auto& [line, fields] = reader.records[i];
      if (fields.size() != kColumns.size()) {
        check.add(line, "line", "wrong_field_count",
                  std::to_string(fields.size()) + " fields where the header has 5");
        continue;
      }
      check.row(line, RegistryRow{std::move(fields[column[0]]), std::move(fields[column[1]]),
                                  std::move(fields[column[2]]), std::move(fields[column[3]]),
                                  std::move(fields[column[4]])});
    }
  }
  if (malformed)
    check.add(reader.line, "file", "malformed_csv",
              "the CSV is malformed here (a quote inside an unquoted field, or an unclosed quote)");
  return out;
}

}  // namespace onex::reference
