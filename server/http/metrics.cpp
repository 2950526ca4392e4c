#include "http/metrics.h"

#include <fmt/format.h>

namespace onex::http::detail {
namespace {

std::string label_value(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace

std::string_view method_label(std::string_view method) {
  for (std::string_view known : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
    if (method == known) return known;
  }
  return "other";
}

void Metrics::record(std::string_view route, std::string_view method, int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{std::string(route), std::string(method_label(method)), status}];
  Histogram& h = durations_[{std::string(route), std::string(method_label(method))}];
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++h.buckets[i];
      break;
    }
  }
  h.sum += seconds;
  ++h.count;
}

std::string Metrics::render() const {
  std::lock_guard lock(mutex_);
  std::string out =
      "# HELP onex_http_requests_total HTTP requests answered, by route pattern, method and "
      "status.\n"
      "# TYPE onex_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    const auto& [route, method, status] = key;
    out += fmt::format("onex_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                       label_value(route), method, status, count);
  }
  out +=
      "# HELP onex_http_request_duration_seconds Time from a request's header to its answer.\n"
      "# TYPE onex_http_request_duration_seconds histogram\n";
  for (const auto& [key, h] : durations_) {
    std::string labels =
        fmt::format("route=\"{}\",method=\"{}\"", label_value(key.first), key.second);
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += h.buckets[i];
      out += fmt::format("onex_http_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n", labels,
                         kBuckets[i], cumulative);
    }
    out += fmt::format("onex_http_request_duration_seconds_bucket{{{},le=\"+Inf\"}} {}\n", labels,
                       h.count);
    out += fmt::format("onex_http_request_duration_seconds_sum{{{}}} {}\n", labels, h.sum);
    out += fmt::format("onex_http_request_duration_seconds_count{{{}}} {}\n", labels, h.count);
  }
  return out;
}

}  // namespace onex::http::detail
