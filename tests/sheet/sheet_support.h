// What the spreadsheet tests share: reading a table into short strings, the fixtures of
// tests/data/sheet, and Debian's python3 with openpyxl as a second, independent library.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "sheet/sheet.h"

namespace onex::sheet::testing {

// A table as the tests compare it: each row handed on as "number: cell|cell|…".
struct Table {
  Status status;
  std::vector<std::string> rows;
};

std::string show(const Row& row);

using Reader = Status (*)(std::string_view, const Limits&, const RowHandler&);
Table read(std::string_view bytes, const Limits& limits = {}, Reader reader = read_table);

// The bytes of tests/data/sheet/`name`, or of any file.
std::string fixture(const std::string& name);
std::string slurp(const std::filesystem::path& path);

// A fresh directory under the system's temporary directory, removed with what it holds.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Runs `script` with python3 (the one CMake found, Debian's, which has openpyxl) and `args`;
// returns what it printed on stdout. A failing script fails the test that ran it, with its
// stderr.
std::string python(const TempDir& dir, const std::string& script,
                   const std::vector<std::string>& args = {});

// The check every refusal of the readers passes: 422, the code, one field error on "file".
bool refused(const Status& status, const std::string& code);

}  // namespace onex::sheet::testing
