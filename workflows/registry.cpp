// Every workflow, one entry each: its inline projections, its record kinds (who sees them, how
// they show) and the purposes of the files its records use. A new workflow adds its line to `kWorkflows`, and nothing else here.
#include <algorithm>
#include <cctype>
#include <functional>

#include "common/access.h"
#include "common/purposes.h"
#include "common/reactions.h"
#include "onex/workflows.h"

namespace onex {

namespace account { Projections projections(); std::vector<RecordKind> record_kinds(); }
namespace institution { Projections projections(); std::vector<RecordKind> record_kinds();
  std::vector<files::Purpose> file_purposes(); std::vector<Reaction> reactions(); }
namespace declaration { Projections projections(); std::vector<RecordKind> record_kinds();
  std::vector<files::Purpose> file_purposes(); }
namespace declaration_plan { Projections projections(); std::vector<RecordKind> record_kinds(); }
namespace quota { Projections projections(); std::vector<RecordKind> record_kinds();
  std::vector<Reaction> reactions(); }
namespace weekly_report { Projections projections(); std::vector<RecordKind> record_kinds();
  std::vector<files::Purpose> file_purposes(); }
namespace reference { Projections projections(); std::vector<RecordKind> record_kinds();
  std::vector<files::Purpose> file_purposes(); }
namespace file { Projections projections(); std::vector<RecordKind> record_kinds();
  std::vector<files::Purpose> file_purposes(); }
namespace exam_subject { Projections projections(); std::vector<RecordKind> record_kinds(); }
namespace exam_plan { Projections projections(); std::vector<RecordKind> record_kinds(); }
namespace candidate { Projections projections(); std::vector<RecordKind> record_kinds();
  std::vector<files::Purpose> file_purposes(); }
namespace invigilator { Projections projections(); std::vector<RecordKind> record_kinds(); }
namespace site { Projections projections(); std::vector<RecordKind> record_kinds();
  std::vector<files::Purpose> file_purposes(); }
namespace exam_room { Projections projections(); std::vector<RecordKind> record_kinds(); }

namespace {

struct Entry {
  Projections (*projections)();
  std::vector<RecordKind> (*record_kinds)();
  std::vector<files::Purpose> (*file_purposes)() = nullptr;  // of the files its records use
  std::vector<Reaction> (*reactions)() = nullptr;            // to other workflows' events
};

// clang-format off
const Entry kWorkflows[] = {
  {declaration::projections,   declaration::record_kinds,   declaration::file_purposes},
  {declaration_plan::projections, declaration_plan::record_kinds},
  {quota::projections,         quota::record_kinds,         nullptr, quota::reactions},
  {account::projections,       account::record_kinds},
  {weekly_report::projections, weekly_report::record_kinds, weekly_report::file_purposes},
  {reference::projections,     reference::record_kinds,     reference::file_purposes},
  {institution::projections,   institution::record_kinds,   institution::file_purposes,
   institution::reactions},
  {candidate::projections,     candidate::record_kinds,     candidate::file_purposes},
  {file::projections,          file::record_kinds,          file::file_purposes},
  {exam_subject::projections,  exam_subject::record_kinds},
  {exam_plan::projections,     exam_plan::record_kinds},
  {invigilator::projections,   invigilator::record_kinds},
  {site::projections,          site::record_kinds,          site::file_purposes},
  {exam_room::projections,     exam_room::record_kinds},
};
// clang-format on

}  // namespace

Projections all_projections() {
  Projections all;
  for (const auto& w : kWorkflows)
    for (auto& p : w.projections()) all.push_back(std::move(p));
  return all;
}

const std::vector<RecordKind>& record_kinds() {
  static const std::vector<RecordKind> all = [] {
    std::vector<RecordKind> out;
    for (const auto& w : kWorkflows)
      for (auto& k : w.record_kinds()) out.push_back(k);
    return out;
  }();
  return all;
}

const std::vector<files::Purpose>& file_purposes() {
  static const std::vector<files::Purpose> all = [] {
    std::vector<files::Purpose> out;
    for (const auto& w : kWorkflows)
      if (w.file_purposes)
        for (auto& p : w.file_purposes()) out.push_back(std::move(p));
    return out;
  }();
  return all;
}

const files::Purpose* find_file_purpose(std::string_view name) {
  for (const auto& p : file_purposes())
    if (p.name == name) return &p;
  return nullptr;
}

Result<std::vector<StreamAppend>> react(EventStore& store, const Clock& clock,
                                        const std::string& stream,
                                        const std::vector<NewEvent>& events) {
  static const std::vector<Reaction> all = [] {
    std::vector<Reaction> out;
    for (const auto& w : kWorkflows)
      if (w.reactions)
        for (auto& r : w.reactions()) out.push_back(r);
    return out;
  }();
  std::vector<StreamAppend> appends;
  for (const auto& e : events)
    for (const auto& r : all) {
      if (r.on != e.type) continue;
      auto more = r.react(store, clock, stream, e);
      if (!more) return more.status();
      for (auto& a : *more) appends.push_back(std::move(a));
    }
  return appends;
}

nlohmann::json reactions::first_event(const EventStore& store, const std::string& stream) {
  return access::first_data(store, stream);
}

Result<nlohmann::json> record_state(const std::string& stream,
                                    const std::vector<RecordedEvent>& events) {
  const auto kind = access::split_stream(stream).first;
  for (const auto& k : record_kinds())
    if (k.kind == kind && k.state) return k.state(stream, events);
  return Status::not_found("workflow.unknown_kind", "no workflow owns stream " + stream);
}

Result<StreamSummaries> list_streams(const EventStore& store, std::string_view kind,
                                     std::string_view id_prefix, std::size_t offset,
                                     std::size_t limit) {
  const auto& kinds = record_kinds();
  if (!kind.empty() &&
      std::none_of(kinds.begin(), kinds.end(), [&](const RecordKind& k) { return k.kind == kind; }))
    return Status::unprocessable("validation.failed", "no workflow keeps records of this kind",
                                 {{"kind", "invalid", "a record kind: account, declaration, …"}});
  const bool plain = id_prefix.size() <= 64 &&
                     std::all_of(id_prefix.begin(), id_prefix.end(), [](unsigned char c) {
                       return std::isalnum(c) || c == '_' || c == '-';
                     });
  if (!plain)
    return Status::unprocessable("validation.failed", "no id starts like this",
                                 {{"q", "invalid", "the first letters and digits of an id"}});
  // With a kind, the prefix is the stream name's; without, each name's id part is compared.
  std::function<bool(std::string_view)> keep;
  std::string prefix;
  if (!kind.empty()) prefix = std::string(kind) + "-" + std::string(id_prefix);
  else if (!id_prefix.empty())
    keep = [&](std::string_view stream) {
      return access::split_stream(stream).second.starts_with(id_prefix);
    };
  auto page = store.list_streams(prefix, offset, limit, keep);
  if (!page) return page.status();
  StreamSummaries out{{}, page->total};
  for (auto& [stream, head] : page->items) {
    auto last = store.read_all(head.last_position, 1);
    if (!last) return last.status();
    out.items.push_back({stream, std::string(access::split_stream(stream).first), head.version,
                         head.last_position, last->empty() ? Timestamp{} : last->front().recorded_at});
  }
  return out;
}

bool may_see(const EventStore& store, const Actor& actor, std::string_view stream) {
  return access::visible(store, actor, stream);
}

Result<HistoryPage> read_history(const EventStore& store, const Actor& actor,
                                 std::string_view stream, std::uint64_t from, std::size_t limit) {
  if (!access::visible(store, actor, stream))
    return Status::not_found("stream.not_found", "no such record");
  auto head = store.stream_head(stream);
  if (!head) return head.status();
  auto events = store.read_stream(stream, from, limit);
  if (!events) return events.status();
  HistoryPage page;
  page.total = head->version;
  const access::Shown as_seen(store, actor, stream);
  for (auto& e : *events) {
    HistoryEvent shown;
    e.data = as_seen.data(e, shown.redacted);
    shown.event = std::move(e);
    page.items.push_back(std::move(shown));
  }
  return page;
}

}  // namespace onex
