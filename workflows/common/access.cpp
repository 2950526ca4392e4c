#include "common/access.h"

#include <algorithm>

namespace onex::access {

std::pair<std::string_view, std::string_view> split_stream(std::string_view stream) {
  const auto dash = stream.find('-');
  if (dash == std::string_view::npos) return {stream, {}};
  return {stream.substr(0, dash), stream.substr(dash + 1)};
}

namespace {

const RecordKind* rule_of(std::string_view kind) {
  for (const auto& r : record_kinds())
    if (r.kind == kind) return &r;
  return nullptr;
}

bool exists(const EventStore& store, std::string_view stream) {
  auto head = store.stream_head(stream);
  return head && head->version > 0;
}

}  // namespace

bool visible(const EventStore& store, const Actor& actor, std::string_view stream) {
  if (actor.account_id.empty()) return false;
  const auto [kind, id] = split_stream(stream);
  if (id.empty()) return false;
  if (actor.role == "auditor") return exists(store, stream);
  const RecordKind* rule = rule_of(kind);
  return rule && rule->visible && rule->visible(store, actor, id);
}

Shown::Shown(const EventStore& store, const Actor& actor, std::string_view stream)
    : store_(store), actor_(actor), kind_(rule_of(split_stream(stream).first)),
      id_(split_stream(stream).second) {
  personal_ = kind_ && kind_->personal_data && kind_->personal_data(store, actor, id_);
}

nlohmann::json Shown::data(const RecordedEvent& e, std::vector<std::string>& redacted) const {
  nlohmann::json data = e.data;
  if (!data.is_object()) return data;
  if (data.erase("password_hash")) redacted.push_back("password_hash");
  if (!personal_)
    for (const char* member : {"pii", "pii_salt"})
      if (data.erase(member)) redacted.push_back(member);
  if (kind_ && kind_->redact && actor_.role != "auditor")
    kind_->redact(store_, actor_, id_, e, data, redacted);
  return data;
}

bool institution_side(const Actor& a) {
  return (a.role == "leader" || a.role == "staff") && !a.institution_id.empty();
}

bool in_certificate_scope(const Actor& a, std::string_view certificate_id) {
  if (a.role != "staff" || a.certificates.empty()) return true;
  return std::find(a.certificates.begin(), a.certificates.end(), certificate_id) !=
         a.certificates.end();
}

nlohmann::json first_data(const EventStore& store, std::string_view stream) {
  auto first = store.read_stream(stream, 1, 1);
  if (!first || first->empty() || !first->front().data.is_object()) return nullptr;
  return first->front().data;
}

nlohmann::json shown_record(const std::string& stream, const std::vector<RecordedEvent>& events,
                            std::string_view state, nlohmann::json record) {
  return {{"stream", stream},
          {"version", events.empty() ? 0 : events.back().version},
          {"state", state},
          {"record", std::move(record)}};
}

std::string text_of(const nlohmann::json& j, const char* name) {
  if (!j.is_object()) return {};
  auto it = j.find(name);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace onex::access
