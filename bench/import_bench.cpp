// onex-bench import [--quick] [--rows N] [--format xlsx|csv] [--only parse|import] [--dir PATH]
//
// Candidates imported from a template table (API.md "Templates and details"): N rows (10,000;
// 1,000 with --quick) as XLSX and as CSV, each imported through CandidateService into a fresh
// store (checks, keyed person hashes, claims, one atomic append, the read model), against the
// baseline: a plain parse of the same bytes with the same libraries (lib/sheet: libzip and
// libxml2's reader, libcsv), rows counted. Prints seconds, rows/s and their ratio per format.
// Peak memory is the process's: run one part alone (--format, --only) under /usr/bin/time -v.
#include <fmt/format.h>

#include <charconv>
#include <cstdio>
#include <unistd.h>
#include <filesystem>

#include "bench.h"
#include "onex/candidates.h"
#include "onex/workflows.h"
#include "sheet/sheet.h"

namespace onex::bench {
namespace {

constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};

// A distinct resident ID number for each n, with its check character.
std::string resident_id(int n) {
  std::string id = fmt::format("110105{:04d}0307{:03d}", 1950 + n / 1000, n % 1000);
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (id[static_cast<std::size_t>(i)] - '0') * kWeights[i];
  return id + "10X98765432"[sum % 11];
}

std::vector<std::vector<std::string>> rows_of(int n) {
  std::vector<std::vector<std::string>> rows;
  for (int i = 0; i < n; ++i)
    rows.push_back({i % 5 ? "院校考生" : "社会考生", fmt::format("考生{}", i), "Kao Sheng", resident_id(i),
                    fmt::format("138{:08d}", i), "软件技术", "高职专科", "2024"});
  return rows;
}

const std::vector<std::string> kHeader = {"考生类型", "姓名", "姓名拼音", "身份证号", "手机号", "就读专业", "专业层次", "入学年份"};

std::string csv_of(const std::vector<std::vector<std::string>>& rows) {
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + cells[i];
    out += "\r\n";
  };
  line(kHeader);
  for (const auto& r : rows) line(r);
  return out;
}

double parse_seconds(const std::string& bytes, std::size_t& rows) {
  const auto t0 = std::chrono::steady_clock::now();
  rows = 0;
  sheet::Limits limits;
  limits.max_rows = 1'000'000;
  auto s = sheet::read_table(bytes, limits, [&](sheet::Row&&) {
    ++rows;
    return Status{};
  });
  if (!s) throw std::runtime_error("parse: " + s.to_string());
  return seconds_since(t0);
}

double import_seconds(const std::filesystem::path& dir, const std::string& bytes, std::size_t rows) {
  StoreOptions options;
  options.path = dir.string();
  options.inline_projections = all_projections();
  auto store = open_store(options);
  if (!store) throw std::runtime_error("open_store: " + store.status().to_string());
  ManualClock clock(*parse_time("2026-03-02T10:00:00+08:00"));
  FileService files(**store, clock, dir.string());
  CandidateOptions co;
  co.secret_key = std::string(32, 'k');
  co.max_rows = rows;
  CandidateService candidates(**store, clock, files, co);
  const Actor leader{.account_id = "bench", .role = "leader", .institution_id = "4141010001"};
  const auto t0 = std::chrono::steady_clock::now();
  auto done = candidates.import({.actor = leader}, bytes);
  const double s = seconds_since(t0);
  if (!done || done->rows != rows) throw std::runtime_error("import: " + done.status().to_string());
  return s;
}

int usage() {
  std::fputs("usage: onex-bench import [--quick] [--rows N] [--format xlsx|csv] [--only parse|import] [--dir PATH]\n",
             stderr);
  return 2;
}

}  // namespace

int run_import_command(int argc, char** argv) {
  bool quick = false;
  int rows = 0;
  std::string format, only;
  std::filesystem::path base = std::filesystem::temp_directory_path();
  for (int i = 0; i < argc; ++i) {
    std::string_view a(argv[i]);
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (a == "--quick") {
      quick = true;
    } else if (a == "--rows") {
      auto v = value();
      std::string_view t = v ? v : "";
      if (!v || std::from_chars(t.data(), t.data() + t.size(), rows).ec != std::errc{} || rows < 1) return usage();
    } else if (a == "--format") {
      auto v = value();
      if (!v || (std::string_view(v) != "xlsx" && std::string_view(v) != "csv")) return usage();
      format = v;
    } else if (a == "--only") {
      auto v = value();
      if (!v || (std::string_view(v) != "parse" && std::string_view(v) != "import")) return usage();
      only = v;
    } else if (a == "--dir") {
      auto v = value();
      if (!v) return usage();
      base = v;
    } else {
      return usage();
    }
  }
  if (rows == 0) rows = quick ? 1'000 : 10'000;
  const auto data = rows_of(rows);
  const auto root = base / fmt::format("onex-import-bench-{}", ::getpid());
  std::filesystem::create_directories(root);
  std::printf("import of %d candidates: onex (checks, claims, one append, read model) vs a plain parse\n", rows);
  std::printf("%-6s %10s %12s %10s %12s %8s %10s\n", "format", "bytes", "onex s", "onex r/s", "parse s", "ratio",
              "parse r/s");
  try {
    for (const std::string f : {"xlsx", "csv"}) {
      if (!format.empty() && f != format) continue;
      std::string bytes;
      if (f == "csv") {
        bytes = csv_of(data);
      } else {
        auto made = sheet::write_xlsx("考生", kHeader, data);
        if (!made) throw std::runtime_error("write_xlsx: " + made.status().to_string());
        bytes = std::move(*made);
      }
      std::size_t parsed = 0;
      const double parse = only == "import" ? 0 : parse_seconds(bytes, parsed);
      const double import = only == "parse" ? 0 : import_seconds(root / f, bytes, static_cast<std::size_t>(rows));
      std::printf("%-6s %10zu %12.3f %10.0f %12.3f %8.1f %10.0f\n", f.c_str(), bytes.size(), import,
                  import > 0 ? rows / import : 0.0, parse, parse > 0 ? import / parse : 0.0,
                  parse > 0 ? rows / parse : 0.0);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "onex-bench import: %s\n", e.what());
    std::filesystem::remove_all(root);
    return 1;
  }
  std::filesystem::remove_all(root);
  return 0;
}

}  // namespace onex::bench
