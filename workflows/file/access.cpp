#include <algorithm>

#include "common/access.h"
#include "files/sniff.h"
#include "file/state.h"
#include "file/projection.h"

namespace onex::file {
namespace {

bool is_file_id(std::string_view id) {
  return id.size() == 32 && id.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

bool names(const nlohmann::json& data, std::string_view file_id) {
  const auto ids = file_ids_in(data);
  return std::find(ids.begin(), ids.end(), file_id) != ids.end();
}

// Whether `actor` sees an event of `stream` that names the file, with the record's narrower
// parts taken out first.
bool seen_through(const EventStore& store, const Actor& actor, const std::string& stream,
                  std::string_view file_id) {
  if (!access::visible(store, actor, stream)) return false;
  auto events = store.read_stream(stream, 1);
  if (!events) return false;
  const access::Shown as_seen(store, actor, stream);
  for (const auto& e : *events) {
    if (!names(e.data, file_id)) continue;
    std::vector<std::string> redacted;
    if (names(as_seen.data(e, redacted), file_id)) return true;
  }
  return false;
}

bool file_stream_visible(const EventStore& store, const Actor& a, std::string_view id) {
  return visible_file(store, a, id).has_value();
}

Result<nlohmann::json> file_state(const std::string& stream,
    const std::vector<RecordedEvent>& events) {
  auto m = access::replay<Workflow>(events);
  if (!m) return m.status();
  const auto& u = m->data().uploaded;
  return access::shown_record(stream, events, m->state_name(),
               {{"id", u.file_id},
                {"sha256", u.sha256},
                {"size", u.size},
                {"content_type", u.content_type},
                {"purpose", u.purpose},
                {"owner_kind", u.owner_kind},
                {"owner_id", u.owner_id}});
}

}  // namespace

std::optional<lookup::FileRef> visible_file(const EventStore& store, const Actor& actor,
                                            std::string_view file_id) {
  if (actor.account_id.empty() || !is_file_id(file_id)) return std::nullopt;
  auto f = lookup::file(store, file_id);
  if (!f) return std::nullopt;
  if (actor.role == "auditor" || f->uploaded_by == actor.account_id) return f;
  auto refs = store.read_model_scan(kFileRefs, "r/" + std::string(file_id) + "/");
  if (!refs) return std::nullopt;
  if (refs->empty()) {
    const auto party = lookup::party_of(actor);
    return !party.id.empty() && party == f->owner ? f : std::nullopt;
  }
  const std::size_t prefix = 3 + file_id.size();
  for (const auto& [key, unused] : *refs)
    if (seen_through(store, actor, key.substr(prefix), file_id)) return f;
  return std::nullopt;
}

std::vector<RecordKind> record_kinds() {
  return {{.kind = "file", .visible = file_stream_visible, .state = file_state}};
}

// The purposes of the certificate-issuance records (API.md), held here until their workflow
// registers them.
std::vector<files::Purpose> file_purposes() {
  using files::Kind;
  return {{"signature", 1 * files::kMiB, {Kind::png}, true}};
}

}  // namespace onex::file
