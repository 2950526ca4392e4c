// onex-bench store [--quick] [--json] [--seconds S] [--repeats N] [--events N] [--dir PATH]
//                  [--only append|replay] [--mode sync|no-sync] [--appenders N]
// onex-bench server [--quick] [--json] ...: the REST server under wrk (server_bench.cpp)
// onex-bench import [--quick] ...: candidates from XLSX and CSV against a plain parse (import_bench.cpp)
//
// Appends through onex against raw RocksDB writes of the same keys and bytes (sync and no-sync,
// 1, 4 and 16 appenders), replay through the declaration machines, and a full read-model
// rebuild. Every figure is the median of --repeats runs (3; 1 with --quick). Prints a table;
// with --json, ends with one JSON object holding every figure.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <exception>
#include <random>
#include <thread>

#include "bench.h"

namespace onex::bench {

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

namespace {

constexpr double kMinRatio = 0.5;
constexpr double kMinRebuild = 200'000;

int usage() {
  std::fputs(
      "usage: onex-bench store [--quick] [--json] [--seconds S] [--repeats N] [--events N] "
      "[--dir PATH]\n"
      "       onex-bench server [--quick] [--json] [--help]: the REST server under wrk\n"
      "       onex-bench import [--quick] [--rows N] [--format xlsx|csv] [--only parse|import]: candidates\n"
      "  --quick      shorter runs, one of each (well under 30 s in all)\n"
      "  --json       end with one JSON object holding every figure\n"
      "  --seconds S  how long onex appends in each run of each mode (2; 0.5 with --quick)\n"
      "  --repeats N  runs per figure, the median is reported (3; 1 with --quick)\n"
      "  --events N   events in the store replayed and rebuilt (100000; 15000 with --quick)\n"
      "  --dir PATH   where the temporary stores go (the system temporary directory)\n"
      "  --only append|replay, --mode sync|no-sync, --appenders N: run a part (for profiling)\n",
      stderr);
  return 2;
}

template <class T>
bool parse_number(const char* s, T& out) {
  std::string_view v(s);
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  return ec == std::errc{} && p == v.data() + v.size();
}

std::string eps(double v) {
  if (v >= 1e6) return fmt::format("{:.2f}M", v / 1e6);
  if (v >= 1e3) return fmt::format("{:.1f}k", v / 1e3);
  return fmt::format("{:.0f}", v);
}

// onex ÷ raw: the median of the runs' ratios (each run measures onex and then raw on the same
// events, back to back, so that a shared machine's load changes the pair more than the ratio).
double ratio_of(const AppendMode& m) {
  std::vector<double> r;
  for (std::size_t i = 0; i < m.onex_eps.size() && i < m.raw_eps.size(); ++i)
    if (m.raw_eps[i] > 0) r.push_back(m.onex_eps[i] / m.raw_eps[i]);
  return median(r);
}

// The 1-minute load average (Linux), to read the figures of a shared machine by; -1 elsewhere.
double load_average() {
  std::FILE* f = std::fopen("/proc/loadavg", "r");
  if (!f) return -1;
  double load = -1;
  if (std::fscanf(f, "%lf", &load) != 1) load = -1;
  std::fclose(f);
  return load;
}

double mean(const std::vector<std::uint64_t>& v) {
  if (v.empty()) return 0;
  double s = 0;
  for (auto x : v) s += x;
  return s / v.size();
}

}  // namespace
}  // namespace onex::bench

int main(int argc, char** argv) {
  using namespace onex::bench;
  if (argc >= 2 && std::string_view(argv[1]) == "server")
    return run_server_command(argc - 2, argv + 2);
  if (argc >= 2 && std::string_view(argv[1]) == "import")
    return run_import_command(argc - 2, argv + 2);
  if (argc < 2 || std::string_view(argv[1]) != "store") return usage();
  Config config;
  double seconds = -1;
  int repeats = -1;
  long long events = -1;
  std::filesystem::path base = std::filesystem::temp_directory_path();
  std::string only, only_mode;
  int only_appenders = 0;
  for (int i = 2; i < argc; ++i) {
    std::string_view a(argv[i]);
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (a == "--quick") {
      config.quick = true;
    } else if (a == "--json") {
      config.json = true;
    } else if (a == "--seconds") {
      auto v = value();
      if (!v || !parse_number(v, seconds) || seconds <= 0) return usage();
    } else if (a == "--repeats") {
      auto v = value();
      if (!v || !parse_number(v, repeats) || repeats < 1) return usage();
    } else if (a == "--events") {
      auto v = value();
      if (!v || !parse_number(v, events) || events < 1) return usage();
    } else if (a == "--only") {
      auto v = value();
      if (!v || (std::string_view(v) != "append" && std::string_view(v) != "replay")) return usage();
      only = v;
    } else if (a == "--mode") {
      auto v = value();
      if (!v || (std::string_view(v) != "sync" && std::string_view(v) != "no-sync")) return usage();
      only_mode = v;
    } else if (a == "--appenders") {
      auto v = value();
      if (!v || !parse_number(v, only_appenders) || only_appenders < 1) return usage();
    } else if (a == "--dir") {
      auto v = value();
      if (!v) return usage();
      base = v;
    } else {
      return usage();
    }
  }
  config.append_seconds = seconds > 0 ? seconds : config.quick ? 0.5 : 2.0;
  config.repeats = repeats > 0 ? repeats : config.quick ? 1 : 3;
  config.replay_events = events > 0 ? events : config.quick ? 15'000 : 100'000;
  std::random_device rd;
  config.root = base / fmt::format("onex-bench-{:08x}{:08x}", rd(), rd());

  const auto started = std::chrono::steady_clock::now();
  const double load_before = load_average();
  std::vector<AppendMode> modes;
  ReplayFigures replay;
  try {
    std::filesystem::create_directories(config.root);
    const std::vector<int> counts =
        only_appenders ? std::vector<int>{only_appenders} : std::vector<int>{1, 4, 16};
    for (bool sync : {true, false})
      for (int appenders : counts) {
        if (only == "replay" || (!only_mode.empty() && (only_mode == "sync") != sync)) continue;
        modes.push_back(run_append_mode(config, sync, appenders));
        const auto& m = modes.back();
        std::fprintf(stderr, "  appends %-7s %2d appender(s): onex %s/s, raw %s/s\n",
                     sync ? "sync" : "no-sync", appenders, eps(median(m.onex_eps)).c_str(),
                     eps(median(m.raw_eps)).c_str());
      }
    if (only != "append") replay = run_replay(config);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "onex-bench: %s\n", e.what());
    std::error_code ec;
    std::filesystem::remove_all(config.root, ec);
    return 1;
  }
  std::error_code ec;
  std::filesystem::remove_all(config.root, ec);
  const double total = seconds_since(started);
  const double load_after = load_average();

  // ---- the table ----
  fmt::print("onex-bench store{}: {} run(s) per figure, median; {} core(s), load average {:.2f} "
             "before and {:.2f} after; stores under {}\n\n",
             config.quick ? " --quick" : "", config.repeats, std::thread::hardware_concurrency(),
             load_before, load_after, base.string());
  const bool appended = !modes.empty(), replayed = replay.events > 0;
  bool ratios_met = true;
  if (appended) {
    fmt::print("Appends: one event per append, each appender on its own 32 streams; onex without\n"
               "inline projections; raw = one RocksDB WriteBatch per event of the same keys and\n"
               "bytes onex wrote (log record, stream index, stream head, chain head), same options\n"
               "and WriteOptions::sync. Stored record {:.0f} bytes on average, event data {:.0f}\n"
               "bytes (declaration.drafted with Chinese text). ratio: median of the runs' onex/raw.\n\n",
               modes.front().record_bytes, modes.front().data_bytes);
    fmt::print("{:<8} {:>9} {:>9} {:>12} {:>12} {:>7} {:>7}\n", "mode", "appenders", "events",
               "onex ev/s", "raw ev/s", "ratio", ">=0.5");
    for (const auto& m : modes) {
      const double onex = median(m.onex_eps), raw = median(m.raw_eps);
      const double ratio = ratio_of(m);
      const bool met = ratio >= kMinRatio;
      ratios_met = ratios_met && met;
      fmt::print("{:<8} {:>9} {:>9.0f} {:>12} {:>12} {:>7.3f} {:>7}\n", m.sync ? "sync" : "no-sync",
                 m.appenders, mean(m.events), eps(onex), eps(raw), ratio, met ? "yes" : "NO");
    }
  }
  const double rebuild = median(replay.rebuild_eps);
  if (replayed) {
    fmt::print(
        "\nReplay: {} events ({} plans, {} institutions, {} declarations with {} events; stored\n"
        "record {:.0f} bytes on average), filled through DeclarationService in {:.1f} s, flushed\n"
        "to SST files, reopened read-only.\n",
        replay.events, replay.plans, replay.institutions, replay.declaration_streams,
        replay.declaration_events, replay.record_bytes, replay.fill_seconds);
    fmt::print("{:<56} {:>10}\n", "what", "events/s");
    fmt::print("{:<56} {:>10}\n", "read_all over the log (read + parse only)",
               eps(median(replay.read_all_eps)));
    fmt::print("{:<56} {:>10}\n", "declaration machines: read_all + decode + apply",
               eps(median(replay.machines_eps)));
    fmt::print("{:<56} {:>10}\n", "declaration machines: decode + apply (events in memory)",
               eps(median(replay.machines_only_eps)));
    fmt::print("{:<56} {:>10}   {} (target >= 200k)\n", "rebuild_read_models(all_projections())",
               eps(rebuild), rebuild >= kMinRebuild ? "met" : "NOT met");
    const double read = median(replay.rebuild_read_seconds);
    double all = read;
    for (const auto& [name, v] : replay.rebuild_projection_seconds) all += median(v);
    const double n = static_cast<double>(replay.events);
    fmt::print("rebuild time by part:\n");
    fmt::print("  {:<52} {:>7.3f} s {:>4.0f}% {:>7.2f} us/event\n",
               "reading the log (read_all: RocksDB + parse_record)", read, 100 * read / all,
               1e6 * read / n);
    for (const auto& [name, v] : replay.rebuild_projection_seconds)
      fmt::print("  {:<52} {:>7.3f} s {:>4.0f}% {:>7.2f} us/event\n",
                 fmt::format("projection {}", name), median(v), 100 * median(v) / all,
                 1e6 * median(v) / n);
    fmt::print("rebuilt read models equal the live ones: {}\n",
               replay.rebuild_differences == 0
                   ? "yes"
                   : fmt::format("NO ({} differences)", replay.rebuild_differences));
  }
  fmt::print("\nTargets:");
  if (appended) fmt::print(" onex >= 0.5 x raw in every mode: {};", ratios_met ? "met" : "NOT met");
  if (replayed)
    fmt::print(" rebuild >= 200k events/s: {};", rebuild >= kMinRebuild ? "met" : "NOT met");
  fmt::print(" total {:.1f} s.\n", total);

  if (config.json) {
    nlohmann::json j;
    j["quick"] = config.quick;
    j["repeats"] = config.repeats;
    j["append_seconds"] = config.append_seconds;
    j["cores"] = std::thread::hardware_concurrency();
    j["total_seconds"] = total;
    j["load_average_before"] = load_before;
    j["load_average_after"] = load_after;
    auto& appends = j["appends"] = nlohmann::json::array();
    for (const auto& m : modes) {
      const double onex = median(m.onex_eps), raw = median(m.raw_eps), ratio = ratio_of(m);
      appends.push_back({{"mode", m.sync ? "sync" : "no_sync"},
                         {"sync", m.sync},
                         {"appenders", m.appenders},
                         {"onex_events_per_s", onex},
                         {"raw_events_per_s", raw},
                         {"ratio", ratio},
                         {"target_met", ratio >= kMinRatio},
                         {"events", m.events},
                         {"onex_seconds", m.onex_seconds},
                         {"raw_seconds", m.raw_seconds},
                         {"onex_events_per_s_runs", m.onex_eps},
                         {"raw_events_per_s_runs", m.raw_eps},
                         {"record_bytes", m.record_bytes},
                         {"data_bytes", m.data_bytes}});
    }
    j["replay"] = {{"events", replay.events},
                   {"declaration_events", replay.declaration_events},
                   {"declaration_streams", replay.declaration_streams},
                   {"plans", replay.plans},
                   {"institutions", replay.institutions},
                   {"fill_seconds", replay.fill_seconds},
                   {"record_bytes", replay.record_bytes},
                   {"read_all_events_per_s", median(replay.read_all_eps)},
                   {"machines_events_per_s", median(replay.machines_eps)},
                   {"machines_only_events_per_s", median(replay.machines_only_eps)},
                   {"rebuild_events_per_s", rebuild},
                   {"rebuild_seconds", median(replay.rebuild_seconds)},
                   {"rebuild_target_met", rebuild >= kMinRebuild},
                   {"rebuild_equals_live", replay.rebuild_differences == 0},
                   {"read_all_events_per_s_runs", replay.read_all_eps},
                   {"machines_events_per_s_runs", replay.machines_eps},
                   {"machines_only_events_per_s_runs", replay.machines_only_eps},
                   {"rebuild_events_per_s_runs", replay.rebuild_eps},
                   {"rebuild_read_seconds", median(replay.rebuild_read_seconds)}};
    for (const auto& [name, v] : replay.rebuild_projection_seconds)
      j["replay"]["rebuild_projection_seconds"][name] = median(v);
    j["targets"] = {{"ratio_min", kMinRatio},
                    {"ratio_met", ratios_met},
                    {"rebuild_min_events_per_s", kMinRebuild},
                    {"rebuild_met", rebuild >= kMinRebuild}};
    fmt::print("{}\n", j.dump());
  }
  return 0;
}
