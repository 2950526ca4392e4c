// Internal: request counters and latency histograms in Prometheus text format.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

namespace onex::http::detail {

class Metrics {
 public:
  static constexpr std::array<double, 8> kBuckets = {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5};

  // One answered request. `route` is the pattern ("/api/v1/users/{id}"), never the raw path, so
  // the number of series stays bounded. Thread-safe.
  void record(std::string_view route, std::string_view method, int status, double seconds);
  // Everything recorded so far, in Prometheus text exposition format 0.0.4. Thread-safe.
  std::string render() const;

 private:
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};  // not cumulative; render sums them
    double sum = 0;
    std::uint64_t count = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
  std::map<std::pair<std::string, std::string>, Histogram> durations_;
};

// A method as a metrics label: the ones routes use, or "other" for anything a client made up.
std::string_view method_label(std::string_view method);

}  // namespace onex::http::detail
