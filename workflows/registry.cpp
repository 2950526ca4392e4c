// Every workflow, one entry each: its inline projections and its record kinds (who sees them,
// how they show). A new workflow adds its line to `kWorkflows`, and nothing else here.
#include "common/access.h"
#include "onex/workflows.h"

namespace onex {

namespace account { Projections projections(); std::vector<RecordKind> record_kinds(); }
namespace institution { Projections projections(); std::vector<RecordKind> record_kinds(); }
namespace declaration { Projections projections(); std::vector<RecordKind> record_kinds(); }
namespace quota { Projections projections(); std::vector<RecordKind> record_kinds(); }
namespace weekly_report { Projections projections(); std::vector<RecordKind> record_kinds(); }
namespace reference { Projections projections(); std::vector<RecordKind> record_kinds(); }
namespace file { Projections projections(); std::vector<RecordKind> record_kinds(); }

namespace {

struct Entry {
  Projections (*projections)();
  std::vector<RecordKind> (*record_kinds)();
};

// clang-format off
const Entry kWorkflows[] = {
  {declaration::projections,   declaration::record_kinds},
  {quota::projections,         quota::record_kinds},
  {account::projections,       account::record_kinds},
  {weekly_report::projections, weekly_report::record_kinds},
  {reference::projections,     reference::record_kinds},
  {institution::projections,   institution::record_kinds},
  {file::projections,          file::record_kinds},
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

Result<nlohmann::json> record_state(const std::string& stream,
                                    const std::vector<RecordedEvent>& events) {
  const auto kind = access::split_stream(stream).first;
  for (const auto& k : record_kinds())
    if (k.kind == kind && k.state) return k.state(stream, events);
  return Status::not_found("workflow.unknown_kind", "no workflow owns stream " + stream);
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
  for (auto& e : *events) {
    HistoryEvent shown;
    e.data = access::shown_data(store, actor, stream, e, shown.redacted);
    shown.event = std::move(e);
    page.items.push_back(std::move(shown));
  }
  return page;
}

}  // namespace onex
