// onex-bench server [--quick] [--json] [--seconds S] [--repeats N] [--connections C]
//                   [--only healthz|query|command] [--dir PATH]
//
// The REST server under load from a second process (wrk) on loopback, against a minimal Beast
// server (baseline_server.cpp) that answers the same bytes, in the same run:
//
//  1. A fresh store (app::init_store in a temporary directory) opened with App::open (system
//     clock, captcha off, SMS to the outbox file, sync writes), served in-process on
//     127.0.0.1:0 by http::Server with 2 threads.
//  2. Over HTTP, as a client would: the operator signs in the first time, binds its phone
//     (POST /api/v1/sms-codes, then /api/v1/account/setup with the code read from
//     <data_dir>/sms-outbox.jsonl), signs in again and answers the SMS challenge with
//     trust_device: a normal session token. A step-up code (POST /api/v1/verification-codes)
//     serves the PATCHes for 5 minutes; a new one is asked for before it could run out.
//  3. The answers of onex to each case, captured, become the baseline's answers (status, header
//     fields, body), served by a Beast server with as many threads, on another port.
//  4. For each case, wrk loads onex, then the baseline, with the same script; every case is run
//     --repeats times and the medians are reported, with the median of the runs' ratios.
//
// Cases: GET /healthz; the query GET /api/v1/account; the command PATCH /api/v1/account whose
// body names a new e-mail each time (so that each request appends an event; checked by the
// account's version before and after). Target: the query at >= 0.5 x the baseline's requests/s.
#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <optional>
#include <random>
#include <stdexcept>
#include <string_view>
#include <thread>

#include "app/app.h"
#include "baseline_server.h"
#include "bench.h"
#include "http/server.h"
#include "onex/clock.h"
#include "sms/outbox_gateway.h"

namespace onex::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace fs = std::filesystem;
using nlohmann::json;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr double kMinRatio = 0.5;
constexpr int kServerThreads = 2;
constexpr const char* kPhone = "13812341399";
constexpr const char* kOperator = "bench_operator";
constexpr const char* kPassword = "Bench2020secret";
// A step-up code lives 5 minutes; a new one is asked for when a run could end past this age.
constexpr auto kCodeMaxAge = std::chrono::minutes(4);

struct Settings {
  bool quick = false, json = false;
  double seconds = 10;
  int repeats = 3;
  int connections = 32;
  int wrk_threads = 2;
  std::string only;
  fs::path base = fs::temp_directory_path();
};

int usage() {
  std::fputs(
      "usage: onex-bench server [--quick] [--json] [--seconds S] [--repeats N] [--connections C]\n"
      "                         [--only healthz|query|command] [--dir PATH]\n"
      "  --quick          3 s runs, one of each\n"
      "  --json           end with one JSON object holding every figure\n"
      "  --seconds S      length of each wrk run (10; 3 with --quick)\n"
      "  --repeats N      runs per figure, the median is reported (3; 1 with --quick)\n"
      "  --connections C  wrk connections (32), over 2 wrk threads\n"
      "  --only CASE      run one case (for profiling)\n"
      "  --dir PATH       where the temporary store goes (the system temporary directory)\n"
      "Needs wrk on the PATH (Debian/Ubuntu: apt-get install wrk).\n",
      stderr);
  return 2;
}

template <class T>
bool parse_number(const char* s, T& out) {
  std::string_view v(s);
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  return ec == std::errc{} && p == v.data() + v.size();
}

double load_average() {
  std::FILE* f = std::fopen("/proc/loadavg", "r");
  if (!f) return -1;
  double load = -1;
  if (std::fscanf(f, "%lf", &load) != 1) load = -1;
  std::fclose(f);
  return load;
}

std::optional<std::string> find_wrk() {
  const char* path = std::getenv("PATH");
  std::string_view rest = path ? path : "/usr/local/bin:/usr/bin:/bin";
  while (!rest.empty()) {
    const auto colon = rest.find(':');
    std::string dir(rest.substr(0, colon));
    rest = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon + 1);
    if (dir.empty()) continue;
    const std::string candidate = dir + "/wrk";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// ---- a blocking HTTP client for the setup ----

struct Reply {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // in order, as sent
  std::string body;
  json parsed() const { return json::parse(body, nullptr, false); }
};

Reply call(unsigned short port, bhttp::verb method, const std::string& target,
           const std::string& token = {}, const std::string& body = {}) {
  asio::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  bhttp::request<bhttp::string_body> request{method, target, 11};
  request.set(bhttp::field::host, "127.0.0.1");
  if (!token.empty()) request.set(bhttp::field::authorization, "Bearer " + token);
  if (!body.empty()) {
    request.set(bhttp::field::content_type, "application/json");
    request.body() = body;
  }
  request.keep_alive(false);
  request.prepare_payload();
  bhttp::write(socket, request);
  beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> response;
  bhttp::read(socket, buffer, response);
  Reply r;
  r.status = response.result_int();
  for (const auto& field : response)
    r.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  r.body = std::move(response.body());
  beast::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  return r;
}

Reply expect(Reply r, int status, std::string_view what) {
  if (r.status != status)
    throw std::runtime_error(fmt::format("setup: {} answered HTTP {} (expected {}): {}", what,
                                         r.status, status, r.body));
  return r;
}

// The baseline's copy of an answer: Content-Length and Connection follow from the body and the
// request, as Beast sets them.
CannedResponse canned(const Reply& r) {
  CannedResponse c;
  c.status = r.status;
  for (const auto& [name, value] : r.headers) {
    if (beast::iequals(name, "Content-Length") || beast::iequals(name, "Connection")) continue;
    c.headers.emplace_back(name, value);
  }
  c.body = r.body;
  return c;
}

std::string code_from_outbox(const fs::path& data_dir, const std::string& purpose) {
  auto code = last_code((data_dir / "sms-outbox.jsonl").string(), kPhone, purpose);
  if (!code) throw std::runtime_error("setup: no " + purpose + " code in the SMS outbox");
  return *code;
}

// ---- the cases and wrk ----

struct Case {
  std::string name;    // healthz, query, command
  std::string method;  // GET, PATCH
  std::string path;
};

const std::vector<Case> kCases = {
    {"healthz", "GET", "/healthz"},
    {"query", "GET", "/api/v1/account"},
    {"command", "PATCH", "/api/v1/account"},
};

struct WrkRun {
  double rps = 0;
  // CPU time this process spent during the run per answered request: the loaded server's
  // threads (the other server idles and the main thread waits for wrk). Steadier than req/s on
  // a shared machine.
  double cpu_us_per_request = 0;
  double p50_us = 0, p99_us = 0, mean_us = 0;
  std::uint64_t requests = 0;
  double seconds = 0;
  std::uint64_t connect_errors = 0, read_errors = 0, write_errors = 0, status_errors = 0,
                timeouts = 0;
  std::map<int, std::uint64_t> statuses;  // command only: non-2xx answers by status
  std::string sample;                     // command only: the body of one of them
  std::uint64_t errors() const {
    return connect_errors + read_errors + write_errors + status_errors + timeouts;
  }
};

// The wrk script of a case: method, headers and body, and a `done` that prints the figures on
// one line. For the command, every request names a new e-mail: bench-N@example.com with N
// unique over the runs (`base` differs for each run).
std::string lua_script(const Case& c, const Settings& s, const std::string& token,
                       const std::string& code, std::uint64_t base) {
  std::string lua = fmt::format("wrk.method = \"{}\"\n", c.method);
  lua += "local threads = {}\n";
  lua += "setup = function(thread)\n  thread:set(\"id\", #threads)\n  table.insert(threads, thread)\nend\n";
  if (c.name != "healthz") lua += fmt::format("wrk.headers[\"Authorization\"] = \"Bearer {}\"\n", token);
  if (c.name == "command") {
    lua += "wrk.headers[\"Content-Type\"] = \"application/json\"\n";
    lua += "local count = 0\n";
    // What the failures were: their statuses, and one body (a response hook slows wrk, so
    // only here, where the server is the slow side by far).
    lua +=
        "statuses = {}\n"
        "sample = \"\"\n"
        "response = function(status, headers, body)\n"
        "  if status > 299 then\n"
        "    statuses[status] = (statuses[status] or 0) + 1\n"
        "    if sample == \"\" then sample = body end\n"
        "  end\n"
        "end\n";
    lua += fmt::format(
        "request = function()\n"
        "  count = count + 1\n"
        "  local n = {} + count * {} + id\n"
        "  return wrk.format(nil, nil, nil, string.format("
        "'{{\"email\":\"bench-%d@example.com\",\"verification_code\":\"{}\"}}', n))\n"
        "end\n",
        base, s.wrk_threads, code);
  }
  lua +=
      "done = function(summary, latency, requests)\n"
      "  local e = summary.errors\n"
      "  io.write(string.format(\"onex-bench-wrk %d %d %d %d %d %d %d %.3f %.3f %.3f\\n\",\n"
      "    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,\n"
      "    latency:percentile(50), latency:percentile(99), latency.mean))\n"
      "  local line, sample = \"onex-bench-statuses\", \"\"\n"
      "  for _, t in ipairs(threads) do\n"
      "    local s = t:get(\"statuses\")\n"
      "    if s then for k, v in pairs(s) do line = line .. \" \" .. k .. \":\" .. v end end\n"
      "    local b = t:get(\"sample\")\n"
      "    if b and sample == \"\" then sample = b end\n"
      "  end\n"
      "  io.write(line .. \"\\n\")\n"
      "  if sample ~= \"\" then io.write(\"onex-bench-sample \" .. (sample:gsub(\"\\n\", \" \")) .. \"\\n\") end\n"
      "end\n";
  return lua;
}

double process_cpu_seconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

WrkRun run_wrk(const std::string& wrk, const Settings& s, unsigned short port, const Case& c,
               const fs::path& script) {
  const std::string command = fmt::format(
      "{} -t{} -c{} -d{}s --latency --timeout 10s -s {} http://127.0.0.1:{}{} 2>&1",
      shell_quote(wrk), s.wrk_threads, s.connections, s.seconds, shell_quote(script.string()),
      port, c.path);
  const double cpu_before = process_cpu_seconds();
  std::FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) throw std::runtime_error("cannot run " + command);
  std::string output;
  char chunk[4096];
  std::size_t n;
  while ((n = std::fread(chunk, 1, sizeof chunk, pipe)) > 0) output.append(chunk, n);
  const int rc = ::pclose(pipe);
  const double cpu = process_cpu_seconds() - cpu_before;
  WrkRun run;
  const auto at = output.find("onex-bench-wrk ");
  unsigned long long requests = 0, duration = 0, ce = 0, re = 0, we = 0, se = 0, te = 0;
  if (rc != 0 || at == std::string::npos ||
      std::sscanf(output.c_str() + at, "onex-bench-wrk %llu %llu %llu %llu %llu %llu %llu %lf %lf %lf",
                  &requests, &duration, &ce, &re, &we, &se, &te, &run.p50_us, &run.p99_us,
                  &run.mean_us) != 10 ||
      duration == 0)
    throw std::runtime_error(fmt::format("wrk failed ({}):\n{}", command, output));
  run.requests = requests;
  run.seconds = duration / 1e6;
  run.rps = requests / run.seconds;
  run.cpu_us_per_request = requests ? 1e6 * cpu / requests : 0;
  if (auto at = output.find("onex-bench-statuses"); at != std::string::npos) {
    std::string_view line(output.c_str() + at + 19);
    line = line.substr(0, line.find('\n'));
    int status = 0;
    unsigned long long count = 0;
    for (std::size_t i = 0; i < line.size();) {
      const auto next = line.find(' ', i + 1);
      const std::string item(line.substr(i, next == std::string_view::npos ? line.npos : next - i));
      if (std::sscanf(item.c_str(), " %d:%llu", &status, &count) == 2) run.statuses[status] += count;
      if (next == std::string_view::npos) break;
      i = next;
    }
  }
  if (auto at = output.find("onex-bench-sample "); at != std::string::npos) {
    run.sample = output.substr(at + 18, output.find('\n', at) - at - 18);
    if (run.sample.size() > 300) run.sample = run.sample.substr(0, 300) + "...";
  }
  run.connect_errors = ce;
  run.read_errors = re;
  run.write_errors = we;
  run.status_errors = se;
  run.timeouts = te;
  return run;
}

struct CaseFigures {
  Case c;
  std::vector<WrkRun> onex, baseline;
  std::vector<std::uint64_t> appended;  // command: events appended to the account in each run
};

std::vector<double> field(const std::vector<WrkRun>& runs, double WrkRun::*member) {
  std::vector<double> v;
  for (const auto& r : runs) v.push_back(r.*member);
  return v;
}

double ratio_of(const CaseFigures& f) {
  std::vector<double> r;
  for (std::size_t i = 0; i < f.onex.size() && i < f.baseline.size(); ++i)
    if (f.baseline[i].rps > 0) r.push_back(f.onex[i].rps / f.baseline[i].rps);
  return median(r);
}

std::uint64_t errors_of(const std::vector<WrkRun>& runs) {
  std::uint64_t n = 0;
  for (const auto& r : runs) n += r.errors();
  return n;
}

std::string rps(double v) {
  return v >= 1e3 ? fmt::format("{:.1f}k", v / 1e3) : fmt::format("{:.0f}", v);
}

std::string ms(double us) {
  return us >= 1e4 ? fmt::format("{:.0f}ms", us / 1e3) : fmt::format("{:.2f}ms", us / 1e3);
}

// ---- the run ----

struct Session {
  unsigned short port = 0;
  fs::path data_dir;
  std::string token;
  std::string step_up_code;
  Clock::time_point code_at{};
};

void request_step_up(Session& s) {
  expect(call(s.port, bhttp::verb::post, "/api/v1/verification-codes", s.token,
              R"({"purpose":"step_up"})"),
         202, "POST /api/v1/verification-codes");
  s.step_up_code = code_from_outbox(s.data_dir, "step_up");
  s.code_at = Clock::now();
}

std::uint64_t account_version(const Session& s) {
  auto r = expect(call(s.port, bhttp::verb::get, "/api/v1/account", s.token), 200,
                  "GET /api/v1/account");
  return r.parsed().value("version", std::uint64_t{0});
}

// Signs the operator in as a client would, up to a normal session token.
void sign_in(Session& s, const std::string& initial_password) {
  auto first = expect(call(s.port, bhttp::verb::post, "/api/v1/sessions", {},
                           json{{"account", kOperator}, {"password", initial_password}}.dump()),
                      200, "first POST /api/v1/sessions");
  const std::string setup_token = first.parsed().value("token", "");
  expect(call(s.port, bhttp::verb::post, "/api/v1/sms-codes", setup_token,
              json{{"phone", kPhone}, {"purpose", "bind_phone"}}.dump()),
         202, "POST /api/v1/sms-codes");
  expect(call(s.port, bhttp::verb::post, "/api/v1/account/setup", setup_token,
              json{{"name", "基准测试"},
                   {"phone", kPhone},
                   {"sms_code", code_from_outbox(s.data_dir, "bind_phone")},
                   {"new_password", kPassword}}
                  .dump()),
         200, "POST /api/v1/account/setup");
  auto challenged = expect(call(s.port, bhttp::verb::post, "/api/v1/sessions", {},
                                json{{"account", kOperator}, {"password", kPassword}}.dump()),
                           202, "second POST /api/v1/sessions");
  const std::string challenge = challenged.parsed().value("challenge_id", "");
  auto granted = expect(
      call(s.port, bhttp::verb::post, "/api/v1/sessions/challenges/" + challenge, {},
           json{{"code", code_from_outbox(s.data_dir, "login")}, {"trust_device", true}}.dump()),
      200, "POST /api/v1/sessions/challenges/{id}");
  s.token = granted.parsed().value("token", "");
  if (s.token.empty() || granted.parsed().value("setup_required", true))
    throw std::runtime_error("setup: the challenge did not grant a normal session");
}

}  // namespace

int run_server_command(int argc, char** argv) {
  Settings s;
  double seconds = -1;
  int repeats = -1;
  for (int i = 0; i < argc; ++i) {
    std::string_view a(argv[i]);
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (a == "--quick") {
      s.quick = true;
    } else if (a == "--json") {
      s.json = true;
    } else if (a == "--seconds") {
      auto v = value();
      if (!v || !parse_number(v, seconds) || seconds < 1) return usage();
    } else if (a == "--repeats") {
      auto v = value();
      if (!v || !parse_number(v, repeats) || repeats < 1) return usage();
    } else if (a == "--connections") {
      auto v = value();
      if (!v || !parse_number(v, s.connections) || s.connections < s.wrk_threads) return usage();
    } else if (a == "--only") {
      auto v = value();
      if (!v || std::none_of(kCases.begin(), kCases.end(), [&](const Case& c) { return c.name == v; }))
        return usage();
      s.only = v;
    } else if (a == "--dir") {
      auto v = value();
      if (!v) return usage();
      s.base = v;
    } else {
      return usage();
    }
  }
  s.seconds = seconds > 0 ? std::floor(seconds) : s.quick ? 3 : 10;
  s.repeats = repeats > 0 ? repeats : s.quick ? 1 : 3;

  const auto wrk = find_wrk();
  if (!wrk) {
    std::fputs(
        "onex-bench server: wrk (the HTTP load generator) is not on the PATH.\n"
        "  Debian/Ubuntu: sudo apt-get install wrk    macOS: brew install wrk\n",
        stderr);
    return 1;
  }

  std::random_device rd;
  const fs::path root = s.base / fmt::format("onex-bench-server-{:08x}{:08x}", rd(), rd());
  const auto started = Clock::now();
  const double load_before = load_average();
  std::vector<CaseFigures> figures;
  try {
    fs::create_directories(root);
    SystemClock clock;
    Session session;
    session.data_dir = root / "store";
    auto created = app::init_store(session.data_dir.string(), kOperator, clock);
    if (!created) throw std::runtime_error("init_store: " + created.status().message());
    app::AppOptions options;
    options.data_dir = session.data_dir.string();
    options.captcha = false;
    options.sync = true;
    auto app = app::App::open(options, clock);
    if (!app) throw std::runtime_error("App::open: " + app.status().message());
    http::ServerOptions so;
    so.listen = "127.0.0.1:0";
    so.threads = kServerThreads;
    http::Server server(so, (*app)->routes(), &(*app)->authenticator());
    if (auto st = server.start(); !st) throw std::runtime_error("server: " + st.message());
    session.port = server.port();

    sign_in(session, created->initial_password);
    request_step_up(session);

    // What onex answers to each case becomes what the baseline answers.
    std::map<std::string, CannedResponse> answers;
    answers["GET /healthz"] =
        canned(expect(call(session.port, bhttp::verb::get, "/healthz"), 200, "GET /healthz"));
    answers["GET /api/v1/account"] = canned(expect(
        call(session.port, bhttp::verb::get, "/api/v1/account", session.token), 200,
        "GET /api/v1/account"));
    answers["PATCH /api/v1/account"] = canned(expect(
        call(session.port, bhttp::verb::patch, "/api/v1/account", session.token,
             json{{"email", "bench-0@example.com"}, {"verification_code", session.step_up_code}}
                 .dump()),
        200, "PATCH /api/v1/account"));
    BaselineServer baseline(kServerThreads, std::move(answers));
    const unsigned short baseline_port = baseline.start();

    for (const auto& c : kCases)
      if (s.only.empty() || s.only == c.name) figures.push_back({c, {}, {}, {}});
    std::uint64_t base = 0;
    for (int repeat = 0; repeat < s.repeats; ++repeat) {
      for (auto& f : figures) {
        const bool command = f.c.name == "command";
        if (command && Clock::now() - session.code_at +
                               std::chrono::duration<double>(s.seconds + 10) >
                           kCodeMaxAge)
          request_step_up(session);
        const fs::path script = root / (f.c.name + ".lua");
        base += 100'000'000;
        std::ofstream(script) << lua_script(f.c, s, session.token, session.step_up_code, base);
        const std::uint64_t before = command ? account_version(session) : 0;
        f.onex.push_back(run_wrk(*wrk, s, session.port, f.c, script));
        if (command) f.appended.push_back(account_version(session) - before);
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        base += 100'000'000;
        std::ofstream(script) << lua_script(f.c, s, session.token, session.step_up_code, base);
        f.baseline.push_back(run_wrk(*wrk, s, baseline_port, f.c, script));
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        const auto& o = f.onex.back();
        const auto& b = f.baseline.back();
        std::fprintf(stderr, "  run %d %-8s onex %s req/s (p50 %s, p99 %s, %.1f us CPU/req%s), "
                             "baseline %s req/s (p50 %s, p99 %s, %.1f us CPU/req%s)%s\n",
                     repeat + 1, f.c.name.c_str(), rps(o.rps).c_str(), ms(o.p50_us).c_str(),
                     ms(o.p99_us).c_str(), o.cpu_us_per_request,
                     o.errors() ? fmt::format(", {} errors", o.errors()).c_str() : "",
                     rps(b.rps).c_str(), ms(b.p50_us).c_str(), ms(b.p99_us).c_str(),
                     b.cpu_us_per_request, b.errors() ? fmt::format(", {} errors", b.errors()).c_str() : "",
                     command ? fmt::format("; {} events appended", f.appended.back()).c_str()
                             : "");
      }
    }
    baseline.stop();
    server.stop();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "onex-bench: %s\n", e.what());
    std::error_code ec;
    fs::remove_all(root, ec);
    return 1;
  }
  std::error_code ec;
  fs::remove_all(root, ec);
  const double total = seconds_since(started);
  const double load_after = load_average();

  // ---- the table ----
  fmt::print(
      "onex-bench server{}: wrk -t{} -c{} -d{}s --latency, {} run(s) per figure, median; both "
      "servers\n{} threads in this process, wrk in another; {} core(s), load average {:.2f} "
      "before and {:.2f} after\n\n",
      s.quick ? " --quick" : "", s.wrk_threads, s.connections, s.seconds, s.repeats,
      kServerThreads, std::thread::hardware_concurrency(), load_before, load_after);
  fmt::print("onex: http::Server over App (sync store, captcha off); baseline: a minimal Beast\n"
             "server answering the bytes onex answered (status, header fields, body). ratio: the\n"
             "median of the runs' onex/baseline. Latencies as wrk measures them. us: CPU time of\n"
             "the loaded server per answered request (this process; wrk not included).\n\n");
  fmt::print("{:<30} {:>10} {:>10} {:>6} {:>9} {:>9} {:>9} {:>9} {:>7} {:>7} {:>7}\n", "case",
             "onex req/s", "base req/s", "ratio", "onex p50", "onex p99", "base p50", "base p99",
             "onex us", "base us", "errors");
  double query_ratio = -1;
  for (const auto& f : figures) {
    const double ratio = ratio_of(f);
    if (f.c.name == "query") query_ratio = ratio;
    fmt::print("{:<30} {:>10} {:>10} {:>6.3f} {:>9} {:>9} {:>9} {:>9} {:>7.1f} {:>7.1f} {:>7}\n",
               fmt::format("{} {} ({})", f.c.method, f.c.path, f.c.name),
               rps(median(field(f.onex, &WrkRun::rps))),
               rps(median(field(f.baseline, &WrkRun::rps))), ratio,
               ms(median(field(f.onex, &WrkRun::p50_us))),
               ms(median(field(f.onex, &WrkRun::p99_us))),
               ms(median(field(f.baseline, &WrkRun::p50_us))),
               ms(median(field(f.baseline, &WrkRun::p99_us))),
               median(field(f.onex, &WrkRun::cpu_us_per_request)),
               median(field(f.baseline, &WrkRun::cpu_us_per_request)),
               errors_of(f.onex) + errors_of(f.baseline));
  }
  for (const auto& f : figures) {
    if (f.c.name != "command") continue;
    std::uint64_t appended = 0, answered = 0;
    for (auto n : f.appended) appended += n;
    for (const auto& r : f.onex) answered += r.requests;
    fmt::print("\nCommand: {} events appended to the account for {} answered PATCHes (wrk stops\n"
               "counting answers when its time is up; requests already sent still append).\n",
               appended, answered);
    std::map<int, std::uint64_t> statuses;
    std::string sample;
    for (const auto& r : f.onex) {
      for (const auto& [status, n] : r.statuses) statuses[status] += n;
      if (sample.empty()) sample = r.sample;
    }
    if (!statuses.empty()) {
      std::string list;
      for (const auto& [status, n] : statuses) list += fmt::format(" {} x{}", status, n);
      fmt::print("Failed PATCHes by status:{}; one of them answered: {}\n", list, sample);
    }
  }
  const bool met = query_ratio >= kMinRatio;
  fmt::print("\nTarget: the query >= {} x the baseline's requests/s: {}; total {:.1f} s.\n",
             kMinRatio,
             query_ratio < 0 ? "not run" : fmt::format("{} ({:.3f})", met ? "met" : "NOT met",
                                                       query_ratio),
             total);

  if (s.json) {
    json j;
    j["quick"] = s.quick;
    j["repeats"] = s.repeats;
    j["seconds"] = s.seconds;
    j["connections"] = s.connections;
    j["wrk_threads"] = s.wrk_threads;
    j["server_threads"] = kServerThreads;
    j["cores"] = std::thread::hardware_concurrency();
    j["load_average_before"] = load_before;
    j["load_average_after"] = load_after;
    j["total_seconds"] = total;
    auto& cases = j["cases"] = json::array();
    for (const auto& f : figures) {
      auto runs = [](const std::vector<WrkRun>& v) {
        json a = json::array();
        for (const auto& r : v)
          a.push_back({{"requests_per_s", r.rps},
                       {"cpu_us_per_request", r.cpu_us_per_request},
                       {"failed_statuses", [&] {
                          json m = json::object();
                          for (const auto& [status, n] : r.statuses) m[std::to_string(status)] = n;
                          return m;
                        }()},
                       {"requests", r.requests},
                       {"seconds", r.seconds},
                       {"p50_ms", r.p50_us / 1e3},
                       {"p99_ms", r.p99_us / 1e3},
                       {"mean_ms", r.mean_us / 1e3},
                       {"errors", {{"connect", r.connect_errors},
                                   {"read", r.read_errors},
                                   {"write", r.write_errors},
                                   {"status", r.status_errors},
                                   {"timeout", r.timeouts}}}});
        return a;
      };
      json c = {{"case", f.c.name},
                {"method", f.c.method},
                {"path", f.c.path},
                {"onex_requests_per_s", median(field(f.onex, &WrkRun::rps))},
                {"baseline_requests_per_s", median(field(f.baseline, &WrkRun::rps))},
                {"ratio", ratio_of(f)},
                {"onex_p50_ms", median(field(f.onex, &WrkRun::p50_us)) / 1e3},
                {"onex_p99_ms", median(field(f.onex, &WrkRun::p99_us)) / 1e3},
                {"baseline_p50_ms", median(field(f.baseline, &WrkRun::p50_us)) / 1e3},
                {"baseline_p99_ms", median(field(f.baseline, &WrkRun::p99_us)) / 1e3},
                {"onex_cpu_us_per_request", median(field(f.onex, &WrkRun::cpu_us_per_request))},
                {"baseline_cpu_us_per_request",
                 median(field(f.baseline, &WrkRun::cpu_us_per_request))},
                {"errors", errors_of(f.onex) + errors_of(f.baseline)},
                {"onex_runs", runs(f.onex)},
                {"baseline_runs", runs(f.baseline)}};
      if (f.c.name == "command") c["events_appended_runs"] = f.appended;
      cases.push_back(c);
    }
    j["target"] = {{"case", "query"},
                   {"ratio_min", kMinRatio},
                   {"ratio", query_ratio < 0 ? json() : json(query_ratio)},
                   {"met", query_ratio < 0 ? json() : json(met)}};
    fmt::print("{}\n", j.dump());
  }
  return 0;
}

}  // namespace onex::bench
