// `onex audit`: checks a store from the outside. Every command opens the store read-only (beside
// a running server, too) and never creates one.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "app/app.h"
#include "cli/cli.h"
#include "onex/event_store.h"
#include "onex/rebuild.h"
#include "onex/workflows.h"

namespace onex::cli {

namespace {

constexpr std::string_view kSynopsis =
    "usage: onex audit verify  --data-dir DIR [--expect-head POSITION:HASH]\n"
    "       onex audit replay  --data-dir DIR\n"
    "       onex audit history --data-dir DIR [--raw] STREAM\n"
    "       onex audit as-of   --data-dir DIR STREAM TIME\n"
    "       onex audit streams --data-dir DIR [--kind KIND] [--q PREFIX]\n";

constexpr std::string_view kDetails =
    "\n"
    "  verify   checks the whole store against its log: the hash chain, the writer's chain head,\n"
    "           the streams index, heads, claims, checkpoints and snapshots (with the secret key\n"
    "           in DIR when it is readable); --expect-head POSITION:HASH, a head kept from an\n"
    "           earlier verify, proves that nothing up to it has changed since\n"
    "  replay   rebuilds every read model from the log in memory and compares it with the live one\n"
    "  history  prints a stream's events as JSON lines: password hashes and personal data\n"
    "           (password_hash, pii, pii_salt) left out and named in `redacted`, times in\n"
    "           China time as the REST API shows them; --raw: byte for byte as stored\n"
    "  as-of    prints a record's state as it was at TIME (RFC 3339, e.g. "
    "2020-04-01T00:00:00+08:00)\n"
    "  streams  lists the streams there are (one JSON line each: stream, kind, version,\n"
    "           last_position, last_at), of one record kind and with ids starting with PREFIX\n"
    "\n"
    "The store is opened read-only, beside a running server too; nothing is ever created.\n"
    "--data-dir DIR (or --data-dir=DIR) may come before or after the other arguments.\n"
    "Exit status: 0 done, 1 the check failed (broken chain, differing read models, corrupt data,\n"
    "no such record), 2 usage error, no store at DIR or an I/O error.\n";

struct Arguments {
  std::string data_dir;
  std::vector<std::string> operands;
  std::optional<KeptHead> expect_head;  // verify --expect-head POSITION:HASH
  bool raw = false;                     // history --raw
  std::string kind, q;                  // streams --kind, --q
};

using Run = int (*)(const Arguments&);

struct Command {
  std::string_view name;
  std::string_view operands;  // as the usage line names them
  std::size_t operand_count;
  Run run;
};

// "1 event", "2 events".
std::string count(std::uint64_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

// Prints why a store call failed. Corrupt data fails the check; anything else (no store, I/O)
// is an error of the invocation.
int failed(const Status& status) {
  fmt::print(stderr, "onex audit: {} ({})\n", status.message(), status.code());
  return status.kind() == StatusKind::corruption ? kExitCheckFailed : kExitUsage;
}

Result<std::unique_ptr<EventStore>> open_read_only(const std::string& data_dir,
                                                   std::string secret_key = {}) {
  StoreOptions options;
  options.path = data_dir;
  options.secret_key = std::move(secret_key);
  options.read_only = true;
  options.create_if_missing = false;
  // No inline projections: a read-only open never catches one up.
  return open_store(options);
}

int verify(const Arguments& args) {
  // The key seals snapshots: with it a rewritten snapshot shows; an auditor given the store
  // without its key checks snapshots against the log only.
  auto key = app::read_secret_key(args.data_dir);
  auto store = open_read_only(args.data_dir, key ? *key : std::string());
  if (!store) return failed(store.status());
  auto report = (*store)->verify_store(args.expect_head);
  if (!report) return failed(report.status());
  if (!report->ok()) {
    if (report->first_bad_position != 0)
      fmt::print(stderr, "chain broken at position {}: {}\n", report->first_bad_position,
                 report->problem);
    for (const auto& finding : report->findings) fmt::print(stderr, "{}\n", finding);
    return kExitCheckFailed;
  }
  fmt::print("chain verified: {}, head position {}, head hash {}\n",
             count(report->events, "event", "events"), report->head_position, report->head_hash);
  return kExitOk;
}

int replay(const Arguments& args) {
  auto store = open_read_only(args.data_dir);
  if (!store) return failed(store.status());
  const Projections projections = all_projections();
  const auto started = std::chrono::steady_clock::now();
  auto rebuilt = rebuild_read_models(**store, projections);
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
  if (!rebuilt) return failed(rebuilt.status());
  auto live = live_read_models(**store, projections);
  if (!live) return failed(live.status());

  constexpr std::size_t kMaxLines = 50;
  const auto differences = compare_read_models(*rebuilt, *live, kMaxLines);
  if (!differences.empty()) {
    fmt::print(stderr, "read models differ from a rebuild of the log ({}{}):\n",
               differences.size() == kMaxLines ? "at least " : "",
               count(differences.size(), "difference", "differences"));
    for (const auto& line : differences) fmt::print(stderr, "  {}\n", line);
    return kExitCheckFailed;
  }
  std::size_t entries = 0;
  for (const auto& [name, model] : *rebuilt) entries += model.size();
  const std::uint64_t events = (*store)->head_position();
  fmt::print("read models match a rebuild: {} replayed, {}, {}, {:.0f} events/s\n",
             count(events, "event", "events"), count(rebuilt->size(), "read model", "read models"),
             count(entries, "entry", "entries"),
             static_cast<double>(events) / std::max(took.count(), 1e-6));
  return kExitOk;
}

// The stored record, as JSON text on one line (never throws on odd bytes).
std::string one_line(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// What a history line leaves out unless --raw: secrets and personal data, wherever they sit.
void redact(nlohmann::json& j, const std::string& at, std::vector<std::string>& redacted) {
  if (!j.is_object()) return;
  for (auto it = j.begin(); it != j.end();) {
    const std::string path = at.empty() ? it.key() : at + "." + it.key();
    if (it.key() == "password_hash" || it.key() == "pii" || it.key() == "pii_salt") {
      redacted.push_back(path);
      it = j.erase(it);
    } else {
      redact(*it, path, redacted);
      ++it;
    }
  }
}

std::string shown_line(const RecordedEvent& e, bool raw) {
  auto j = to_json(e);
  if (raw) return one_line(j);
  std::vector<std::string> redacted;
  redact(j["data"], "", redacted);
  if (!redacted.empty()) j["redacted"] = redacted;
  j["recorded_at"] = format_china(e.recorded_at);
  return one_line(j);
}

// An unknown stream exits 1 ("no such stream") rather than printing nothing: an auditor who
// mistypes a stream id should not mistake that for an empty history.
int history(const Arguments& args) {
  const std::string& stream = args.operands[0];
  auto store = open_read_only(args.data_dir);
  if (!store) return failed(store.status());
  constexpr std::size_t kPage = 1024;
  std::uint64_t printed = 0;
  for (std::uint64_t from = 1;;) {
    auto page = (*store)->read_stream(stream, from, kPage);
    if (!page) return failed(page.status());
    for (const auto& e : *page) fmt::print("{}\n", shown_line(e, args.raw));
    printed += page->size();
    if (page->size() < kPage) break;
    from = page->back().version + 1;
  }
  if (printed == 0) {
    fmt::print(stderr, "onex audit history: no such stream: {}\n", stream);
    return kExitCheckFailed;
  }
  return kExitOk;
}

int as_of(const Arguments& args) {
  const std::string& stream = args.operands[0];
  auto time = parse_time(args.operands[1]);
  if (!time) {
    fmt::print(stderr, "onex audit as-of: {} (want RFC 3339, e.g. 2020-04-01T00:00:00+08:00)\n",
               time.status().message());
    return kExitUsage;
  }
  auto store = open_read_only(args.data_dir);
  if (!store) return failed(store.status());
  auto events = (*store)->read_stream(stream);
  if (!events) return failed(events.status());
  if (events->empty()) {
    fmt::print(stderr, "onex audit as-of: no such stream: {}\n", stream);
    return kExitCheckFailed;
  }
  // The prefix of the stream recorded by TIME (a stream's events are in recording order).
  std::size_t known = 0;
  while (known < events->size() && (*events)[known].recorded_at <= *time) ++known;
  if (known == 0) {
    fmt::print(stderr, "onex audit as-of: {} did not exist yet at {} (its first event is at {})\n",
               stream, args.operands[1], format_utc(events->front().recorded_at));
    return kExitCheckFailed;
  }
  events->resize(known);
  auto state = record_state(stream, *events);
  if (!state) {
    fmt::print(stderr, "onex audit as-of: {} ({})\n", state.status().message(),
               state.status().code());
    return kExitCheckFailed;
  }
  fmt::print("{}\n", one_line(*state));
  return kExitOk;
}

int streams(const Arguments& args) {
  auto store = open_read_only(args.data_dir);
  if (!store) return failed(store.status());
  constexpr std::size_t kPage = 1000;
  for (std::size_t offset = 0;; offset += kPage) {
    auto page = list_streams(**store, args.kind, args.q, offset, kPage);
    if (!page) {
      const Status refused = page.status();
      if (refused.code() != "validation.failed") return failed(refused);
      const FieldError e = refused.errors().front();
      fmt::print(stderr, "onex audit streams: --{}: {}\n", e.field, e.message);
      return kExitUsage;
    }
    for (const auto& s : page->items)
      fmt::print("{}\n", one_line({{"stream", s.stream},
                                   {"kind", s.kind},
                                   {"version", s.version},
                                   {"last_position", s.last_position},
                                   {"last_at", format_china(s.last_at)}}));
    if (page->items.size() < kPage) break;
  }
  return kExitOk;
}

// clang-format off
constexpr Command kCommands[] = {
  {"verify",  "",             0, verify},
  {"replay",  "",             0, replay},
  {"history", " STREAM",      1, history},
  {"as-of",   " STREAM TIME", 2, as_of},
  {"streams", "",             0, streams},
};
// clang-format on

int usage_error(std::string_view command, const std::string& reason) {
  fmt::print(stderr, "onex audit{}{}: {}\n", command.empty() ? "" : " ", command, reason);
  fmt::print(stderr, "{}", kSynopsis);
  return kExitUsage;
}

// --data-dir DIR or --data-dir=DIR anywhere; everything after "--" is an operand.
Result<Arguments> parse(const Command& command, const std::vector<std::string>& args) {
  auto bad = [](std::string reason) { return Status::bad_request("cli.usage", std::move(reason)); };
  Arguments out;
  bool have_dir = false, operands_only = false;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (operands_only || !a.starts_with("-") || a == "-") {
      out.operands.push_back(a);
    } else if (a == "--") {
      operands_only = true;
    } else if (command.name == "verify" && (a == "--expect-head" || a.starts_with("--expect-head="))) {
      std::string v = a == "--expect-head" ? (i + 1 < args.size() ? args[++i] : std::string())
                                           : a.substr(std::string_view("--expect-head=").size());
      const auto colon = v.find(':');
      KeptHead kept;
      const std::string_view position = std::string_view(v).substr(0, colon);
      auto [p, ec] = std::from_chars(position.data(), position.data() + position.size(), kept.position);
      if (colon == std::string::npos || ec != std::errc{} || p != position.data() + position.size() ||
          kept.position == 0 || v.size() - colon - 1 != 64)
        return bad("--expect-head needs POSITION:HASH (a position and 64 hex digits)");
      kept.hash = v.substr(colon + 1);
      for (auto& c : kept.hash) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out.expect_head = std::move(kept);
    } else if (command.name == "history" && a == "--raw") {
      out.raw = true;
    } else if (command.name == "streams" &&
               (a == "--kind" || a == "--q" || a.starts_with("--kind=") || a.starts_with("--q="))) {
      const auto eq = a.find('=');
      const std::string name = a.substr(0, eq);
      if (eq == std::string::npos && i + 1 == args.size()) return bad(name + " needs a value");
      (name == "--kind" ? out.kind : out.q) = eq == std::string::npos ? args[++i] : a.substr(eq + 1);
    } else if (a == "--data-dir" || a.starts_with("--data-dir=")) {
      if (have_dir) return bad("--data-dir given twice");
      if (a == "--data-dir") {
        if (i + 1 == args.size()) return bad("--data-dir needs a directory");
        out.data_dir = args[++i];
      } else {
        out.data_dir = a.substr(std::string_view("--data-dir=").size());
      }
      if (out.data_dir.empty()) return bad("--data-dir needs a directory");
      have_dir = true;
    } else {
      return bad("unknown option " + a);
    }
  }
  if (!have_dir) return bad("--data-dir DIR is required");
  if (out.operands.size() != command.operand_count)
    return bad(command.operand_count == 0
                   ? "unexpected argument " + out.operands.front()
                   : fmt::format("expected{}, got {} argument{}", command.operands,
                                 out.operands.size(), out.operands.size() == 1 ? "" : "s"));
  return out;
}

}  // namespace

int audit(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a == "--") break;
    if (a == "--help" || a == "-h") {
      fmt::print("{}{}", kSynopsis, kDetails);
      return kExitOk;
    }
  }
  if (args.empty()) return usage_error("", "which audit command?");
  for (const auto& command : kCommands) {
    if (args[0] != command.name) continue;
    auto parsed = parse(command, args);
    if (!parsed) return usage_error(command.name, parsed.status().message());
    return command.run(*parsed);
  }
  return usage_error("", "unknown command " + args[0]);
}

}  // namespace onex::cli
