// Crash safety: a child appending with sync=true is killed with SIGKILL at a random moment; every
// append it was told had committed must be there after recovery, and the chain must verify.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "onex/event_store.h"
#include "store/store_helpers.h"
#include "support/temp_dir.h"

#ifndef CRASH_CHILD_PATH
#error "CRASH_CHILD_PATH must name the crash_child executable"
#endif

namespace {

using namespace onex;
using namespace onex::testing;
using Clock = std::chrono::steady_clock;

struct ChildRun {
  std::map<std::string, std::uint64_t> acks;  // command id → first position
  std::string stderr_text;
  int status = 0;
};

// Starts crash_child on `path`, waits for its first ack, lets it run `run_for` more, kills it
// with SIGKILL and collects every ack it printed, up to the last complete line.
ChildRun run_and_kill(const std::string& path, std::chrono::milliseconds run_for) {
  int out[2], err[2];
  REQUIRE(pipe(out) == 0);
  REQUIRE(pipe(err) == 0);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    // the child: stdout and stderr to the pipes; dies with the test if the test dies
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    dup2(out[1], 1);
    dup2(err[1], 2);
    close(out[0]);
    close(out[1]);
    close(err[0]);
    close(err[1]);
    execl(CRASH_CHILD_PATH, "crash_child", path.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  fcntl(err[0], F_SETFL, O_NONBLOCK);

  ChildRun run;
  std::string buffer;
  auto take_lines = [&] {
    std::size_t start = 0;
    for (std::size_t nl; (nl = buffer.find('\n', start)) != std::string::npos; start = nl + 1) {
      std::istringstream line(buffer.substr(start, nl - start));
      std::string word, id;
      std::uint64_t first = 0;
      if (line >> word >> id >> first && word == "ack") run.acks.emplace(id, first);
    }
    buffer.erase(0, start);
  };
  auto read_some = [&](int timeout_ms) {  // false at end of file
    pollfd p{out[0], POLLIN, 0};
    if (poll(&p, 1, timeout_ms) <= 0) return true;
    char chunk[4096];
    const ssize_t n = read(out[0], chunk, sizeof chunk);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<std::size_t>(n));
    take_lines();
    return true;
  };

  // wait for the first ack (the store is open and appending), then let it run a while
  const auto give_up = Clock::now() + std::chrono::seconds(20);
  bool open = true;
  while (open && run.acks.empty() && Clock::now() < give_up) open = read_some(50);
  const auto kill_at = Clock::now() + run_for;
  while (open && Clock::now() < kill_at) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(kill_at - Clock::now()).count();
    open = read_some(static_cast<int>(std::max<long long>(left, 0)));
  }
  kill(pid, SIGKILL);
  // what it printed before dying is still in the pipe
  while (read_some(1000)) {
  }
  REQUIRE(waitpid(pid, &run.status, 0) == pid);
  char chunk[4096];
  for (ssize_t n; (n = read(err[0], chunk, sizeof chunk)) > 0;) run.stderr_text.append(chunk, n);
  close(out[0]);
  close(err[0]);
  return run;
}

}  // namespace

TEST_SUITE("crash safety") {

TEST_CASE("every append acknowledged before a SIGKILL is there after recovery") {
  TempDir dir;
  const std::string path = dir.str();
  std::mt19937 rng(std::random_device{}());
  std::map<std::string, std::uint64_t> all_acks;
  for (int round = 1; round <= 5; ++round) {
    CAPTURE(round);
    // given a child appending with sync=true, killed at a random moment
    const auto run_for = std::chrono::milliseconds(50 + rng() % 451);
    CAPTURE(run_for.count());
    auto run = run_and_kill(path, run_for);
    INFO("child stderr: " << run.stderr_text);
    REQUIRE(WIFSIGNALED(run.status));
    CHECK(WTERMSIG(run.status) == SIGKILL);
    REQUIRE_FALSE(run.acks.empty());
    for (const auto& a : run.acks) all_acks.insert(a);

    // when the store is opened again
    auto store = open_ok(options_for(path));

    // then every command acknowledged in this and earlier rounds is there, at its position
    std::size_t missing = 0, moved = 0, wrong_event = 0;
    for (const auto& [command_id, first] : all_acks) {
      auto found = store->find_command(command_id);
      REQUIRE(found.is_ok());
      if (!found->has_value()) {
        ++missing;
        continue;
      }
      if ((*found)->first_position != first) ++moved;
      CHECK((*found)->outcome == "ok " + command_id);
      auto events = store->read_all(first, 1);
      REQUIRE(events.is_ok());
      if (events->size() != 1 || (*events)[0].command_id != command_id ||
          (*events)[0].position != first)
        ++wrong_event;
    }
    CHECK(missing == 0);
    CHECK(moved == 0);
    CHECK(wrong_event == 0);
    // and the log is gapless and its chain verifies up to the recovered head
    auto report = verified(*store);
    CHECK_MESSAGE(report.ok(), report.first_bad_position << ": " << report.problem);
    CHECK(report.events == store->head_position());
    CHECK(report.head_position == store->head_position());
    // and every stream's head matches its events
    for (int t = 0; t < 4; ++t)
      for (std::string suffix : {"0", "1", "2", "3", "4", "pair"}) {
        const std::string s = "crash-t" + std::to_string(t) + "-" + suffix;
        auto events = store->read_stream(s);
        REQUIRE(events.is_ok());
        auto head = store->stream_head(s);
        REQUIRE(head.is_ok());
        CHECK(head->version == events->size());
        for (std::size_t i = 0; i < events->size(); ++i) CHECK((*events)[i].version == i + 1);
        if (!events->empty()) CHECK(head->last_position == events->back().position);
      }
    // the next round appends after this recovered state (the store is closed first)
  }
  MESSAGE("acknowledged appends over 5 kills: " << all_acks.size());
}

}  // TEST_SUITE
