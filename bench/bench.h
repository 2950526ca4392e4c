// onex-bench: shared configuration, figures and helpers.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace onex::bench {

struct Config {
  bool quick = false;
  bool json = false;
  std::filesystem::path root;       // a fresh temporary directory, removed at the end
  double append_seconds = 2.0;      // how long onex appends in each run of each mode
  int repeats = 3;                  // runs per figure; the median is reported
  std::uint64_t replay_events = 0;  // events in the store that replay and rebuild read
};

// One mode of the append benchmark (durability × concurrency), all its runs.
struct AppendMode {
  bool sync = true;
  int appenders = 1;
  std::vector<double> onex_eps, raw_eps, onex_seconds, raw_seconds;
  std::vector<std::uint64_t> events;  // per run, the same for onex and raw
  double record_bytes = 0;            // mean size of a stored record
  double data_bytes = 0;              // mean size of the event's data
};

AppendMode run_append_mode(const Config& config, bool sync, int appenders);

struct ReplayFigures {
  std::uint64_t events = 0;               // every event of the store (plans, declarations, quotas)
  std::uint64_t declaration_events = 0;   // events of declaration streams
  std::uint64_t declaration_streams = 0;
  std::uint64_t plans = 0, institutions = 0;
  double fill_seconds = 0;
  double record_bytes = 0;                // mean stored record size
  std::vector<double> read_all_eps;       // read_all over the whole log, nothing else
  std::vector<double> machines_eps;       // read_all + decode + machine.apply, per stream
  std::vector<double> machines_only_eps;  // decode + machine.apply on events already read
  std::vector<double> rebuild_eps;        // rebuild_read_models(store, all_projections())
  std::vector<double> rebuild_seconds;
  std::size_t rebuild_differences = 0;    // rebuilt vs live read models (0: equal)
  // Where a rebuild's time goes: a rebuild with no projection (reading the log), and for each
  // projection what a rebuild with it alone takes beyond that.
  std::vector<double> rebuild_read_seconds;
  std::map<std::string, std::vector<double>> rebuild_projection_seconds;
};

ReplayFigures run_replay(const Config& config);

double median(std::vector<double> v);

// `onex-bench server`: the REST server under wrk against a minimal Beast server
// (server_bench.cpp); argv holds the arguments after "server". Returns the exit code.
int run_server_command(int argc, char** argv);
// `onex-bench import`: candidates from XLSX and CSV against a plain parse (import_bench.cpp).
int run_import_command(int argc, char** argv);

inline double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Text of a declaration as an institution writes it: Chinese, with a little HTML.
inline const std::string kTeachersHtml =
    "<p>张明，高级工程师，教龄十年；李华，讲师，1+X考评员。</p>";
inline const std::string kVenueHtml =
    "<p>实训楼三层，工位二百个。</p>";
inline const std::vector<std::string> kMajors = {"软件技术"};

}  // namespace onex::bench
