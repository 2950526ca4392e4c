#include "file/projection.h"

#include <nlohmann/json.hpp>

#include "file/state.h"

namespace onex::file {
namespace {

using nlohmann::json;

class FilesProjection final : public Projection {
 public:
  std::string_view name() const override { return kFiles; }

  void apply(const RecordedEvent& e, ReadModelTxn& txn) const override {
    if (!e.stream.starts_with("file-")) return;
    auto event = Workflow::decode(e);
    if (!event) return;
    const auto& u = std::get<Uploaded>(*event);
    json row;  // member by member: an initializer list copies
    row["id"] = u.file_id;
    row["sha256"] = u.sha256;
    row["size"] = u.size;
    row["content_type"] = u.content_type;
    row["purpose"] = u.purpose;
    row["owner_kind"] = u.owner_kind;
    row["owner_id"] = u.owner_id;
    row["uploaded_by"] = e.actor_account_id;
    row["uploaded_at"] = format_utc(e.recorded_at);
    txn.put_json(u.file_id, std::move(row));
  }
};

// A file id as the service makes them (hex) or at least one that cannot break a key.
bool plain_file_id(const std::string& id) {
  return !id.empty() && id.size() <= 64 &&
         id.find_first_not_of("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_") ==
             std::string::npos;
}

bool names_one(std::string_view key) {
  return key == "file_id" || key.ends_with("_file_id");
}
bool names_many(std::string_view key) {
  return key == "file_ids" || key.ends_with("_file_ids");
}

void collect(const json& value, int depth, std::vector<std::string>& out) {
  if (depth > 4) return;
  if (value.is_array()) {
    for (const auto& item : value) collect(item, depth + 1, out);
    return;
  }
  if (!value.is_object()) return;
  for (const auto& [key, member] : value.items()) {
    if (key == "pii") continue;
    if (names_one(key) && member.is_string()) {
      out.push_back(member.get<std::string>());
    } else if (names_many(key) && member.is_array()) {
      for (const auto& id : member)
        if (id.is_string()) out.push_back(id.get<std::string>());
    } else if (member.is_object() || member.is_array()) {
      collect(member, depth + 1, out);
    }
  }
}

}  // namespace

std::vector<std::string> file_ids_in(const json& data) {
  std::vector<std::string> ids;
  collect(data, 0, ids);
  return ids;
}

namespace {

class FileRefsProjection final : public Projection {
 public:
  std::string_view name() const override { return kFileRefs; }

  void apply(const RecordedEvent& e, ReadModelTxn& txn) const override {
    if (e.stream.starts_with("file-") || !e.data.is_object()) return;
    for (const auto& id : file_ids_in(e.data)) {
      if (!plain_file_id(id)) continue;
      const std::string key = "r/" + id + "/" + e.stream;
      if (!txn.get(key)) txn.put(key, "");
    }
  }
};

}  // namespace

Projections projections() {
  return {std::make_shared<FilesProjection>(), std::make_shared<FileRefsProjection>()};
}

}  // namespace onex::file
