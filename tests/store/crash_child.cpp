// A process that appends to a store until it is killed: crash_child <store directory>.
//
// Opens the store with sync=true and appends forever from 4 threads, each to its own streams and
// each append with a command id no other append (in this or any earlier run) has. After each
// acknowledged append it prints `ack <command_id> <first_position>` and flushes, so that a test
// killing it with SIGKILL knows which appends the store promised to keep.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "onex/event_store.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: crash_child <store directory>\n");
    return 2;
  }
  onex::StoreOptions options;
  options.path = argv[1];
  options.sync = true;
  auto opened = onex::open_store(options);
  if (!opened) {
    std::fprintf(stderr, "crash_child: %s\n", opened.status().to_string().c_str());
    return 1;
  }
  onex::EventStore& store = **opened;

  // Unique across runs on the same store: the pid and the time this run started.
  const std::string run =
      std::to_string(getpid()) + "-" +
      std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  std::mutex out;
  std::atomic<bool> failed{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (std::uint64_t i = 0; !failed; ++i) {
        onex::AppendRequest r;
        r.command_id = "run-" + run + "-t" + std::to_string(t) + "-" + std::to_string(i);
        r.actor = onex::Actor{"crash", "operator", "", "", "", ""};
        r.recorded_at = onex::Timestamp{std::chrono::milliseconds{1'585'670'400'000 + i}};
        r.outcome = "ok " + r.command_id;
        const int n = 1 + static_cast<int>(i % 3);
        onex::StreamAppend s;
        s.stream = "crash-t" + std::to_string(t) + "-" + std::to_string(i % 5);
        s.expected = onex::ExpectedVersion::any();
        for (int k = 0; k < n; ++k) {
          onex::NewEvent e;
          e.type = "crash.appended";
          e.data = {{"thread", t}, {"i", i}, {"k", k}, {"padding", std::string(64 + 32 * k, 'x')}};
          s.events.push_back(std::move(e));
        }
        r.streams.push_back(std::move(s));
        if (i % 4 == 3) {  // now and then, two streams at once
          onex::StreamAppend extra;
          extra.stream = "crash-t" + std::to_string(t) + "-pair";
          extra.expected = onex::ExpectedVersion::any();
          onex::NewEvent e;
          e.type = "crash.paired";
          e.data = {{"i", i}};
          extra.events.push_back(std::move(e));
          r.streams.push_back(std::move(extra));
        }
        const std::string command_id = r.command_id;
        auto result = store.append(std::move(r));
        if (!result) {
          std::fprintf(stderr, "crash_child: %s\n", result.status().to_string().c_str());
          failed = true;
          return;
        }
        std::lock_guard g(out);
        std::fprintf(stdout, "ack %s %llu\n", command_id.c_str(),
                     static_cast<unsigned long long>(result->first_position));
        std::fflush(stdout);
      }
    });
  for (auto& t : threads) t.join();
  return failed ? 1 : 0;
}
