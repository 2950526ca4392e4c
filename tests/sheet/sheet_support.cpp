#include "sheet/sheet_support.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include <doctest/doctest.h>

namespace onex::sheet::testing {

std::string show(const Row& row) {
  std::string out = std::to_string(row.number) + ":";
  for (std::size_t c = 0; c < row.cells.size(); ++c) out += (c == 0 ? " " : "|") + row.cells[c];
  return out;
}

Table read(std::string_view bytes, const Limits& limits, Reader reader) {
  Table table;
  table.status = reader(bytes, limits, [&](Row&& row) {
    table.rows.push_back(show(row));
    return Status::ok();
  });
  return table;
}

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot read " << path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string fixture(const std::string& name) {
  return slurp(std::filesystem::path(ONEX_TEST_DATA_DIR) / "sheet" / name);
}

TempDir::TempDir() {
  static std::atomic<int> made{0};
  path_ = std::filesystem::temp_directory_path() /
          ("onex-sheet-test-" + std::to_string(::getpid()) + "-" + std::to_string(made++));
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string python(const TempDir& dir, const std::string& script,
                   const std::vector<std::string>& args) {
  const auto file = dir / "script.py", out = dir / "stdout.txt", err = dir / "stderr.txt";
  std::ofstream(file) << script;
  std::string command = std::string(ONEX_PYTHON3) + " '" + file.string() + "'";
  for (const auto& arg : args) command += " '" + arg + "'";
  command += " >'" + out.string() + "' 2>'" + err.string() + "'";
  const int rc = std::system(command.c_str());
  REQUIRE_MESSAGE(rc == 0, "python3 failed: " << slurp(err));
  return slurp(out);
}

bool refused(const Status& status, const std::string& code) {
  return status.kind() == StatusKind::unprocessable && status.code() == code &&
         status.errors().size() == 1 && status.errors()[0].field == "file" &&
         status.errors()[0].code == code;
}

}  // namespace onex::sheet::testing
