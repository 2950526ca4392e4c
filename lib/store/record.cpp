#include "store/record.h"

#include <fmt/format.h>

#include <charconv>

namespace onex::store {
namespace {

using nlohmann::json;

bool holds_float(const json& j) {
  if (j.is_number_float()) return true;
  if (j.is_structured())
    for (const auto& v : j)
      if (holds_float(v)) return true;
  return false;
}

std::string json_string(std::string_view s) { return json(s).dump(); }

std::string commitment(std::string_view salt_raw, const json& pii) {
  return util::to_hex(util::sha256(salt_raw, pii.dump()));
}

}  // namespace

void put_be64(std::string& out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift & 0xff));
}

std::uint64_t get_be64(std::string_view in) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = v << 8 | static_cast<unsigned char>(in[i]);
  return v;
}

Result<PreparedRecord> prepare_record(const RecordContext& ctx, const NewEvent& event,
                                      std::uint64_t version) {
  if (event.type.empty() || event.schema_version < 1)
    return Status::bad_request("store.invalid_append", "an event needs a type and a schema version >= 1");
  if (!event.data.is_object())
    return Status::bad_request("store.invalid_append", event.type + ": data must be a JSON object");
  if (holds_float(event.data))
    return Status::bad_request("store.invalid_append",
                               event.type + ": data must not hold floating-point numbers");
  PreparedRecord r;
  try {
    std::string stored, hashed;
    if (event.data.contains("pii")) {
      unsigned char salt[16];
      util::random_bytes(salt, sizeof salt);
      json data = event.data;
      json pii = std::move(data["pii"]);
      data.erase("pii");
      data.erase("pii_salt");
      data["pii_commitment"] =
          commitment({reinterpret_cast<const char*>(salt), sizeof salt}, pii);
      hashed = data.dump();
      data["pii"] = std::move(pii);
      data["pii_salt"] = util::to_hex(salt, sizeof salt);
      stored = data.dump();
    } else {
      stored = event.data.dump();
    }
    std::string prefix = fmt::format(
        R"({{"actor":{{"account_id":{},"role":{}}},"causation_id":{},"command_id":{},"correlation_id":{},"data":)",
        json_string(ctx.actor_account_id), json_string(ctx.actor_role), json_string(ctx.causation_id),
        json_string(ctx.command_id), json_string(ctx.correlation_id));
    r.head = prefix + stored + ",";
    r.body_head = hashed.empty() ? r.head : prefix + hashed + ",";
    r.tail = fmt::format(R"("recorded_at":{},"schema_version":{},"stream":{},"type":{},"version":)",
                         json_string(ctx.recorded_at), event.schema_version, json_string(ctx.stream),
                         json_string(event.type));
  } catch (const json::exception& e) {
    return Status::bad_request("store.invalid_append", event.type + ": " + e.what());
  }
  reversion(r, version);
  return r;
}

void reversion(PreparedRecord& r, std::uint64_t version) {
  r.version = version;
  std::string body;
  body.reserve(r.body_head.size() + r.tail.size() + 24);
  body.append(r.body_head).append(r.tail).append(std::to_string(version)).push_back('}');
  r.body_hash = util::sha256(body);
}

util::Digest chain_hash(const util::Digest& prev, std::uint64_t position,
                        const util::Digest& body_hash) {
  std::string buf(reinterpret_cast<const char*>(prev.data()), prev.size());
  put_be64(buf, position);
  return util::sha256(buf, {reinterpret_cast<const char*>(body_hash.data()), body_hash.size()});
}

std::string finish_record(const PreparedRecord& r, std::uint64_t position,
                          const util::Digest& prev, const util::Digest& hash) {
  std::string out;
  out.reserve(r.head.size() + r.tail.size() + 180);
  out.append(r.head)
      .append(R"("hash":")")
      .append(util::to_hex(hash))
      .append(R"(","position":)")
      .append(std::to_string(position))
      .append(R"(,"prev_hash":")")
      .append(util::to_hex(prev))
      .append(R"(",)")
      .append(r.tail)
      .append(std::to_string(r.version))
      .push_back('}');
  return out;
}

namespace {

// The 13 keys of a record, each with the JSON type it must have.
bool well_formed(const json& j) {
  if (!j.is_object() || j.size() != 13) return false;
  auto str = [&](const char* k) { auto it = j.find(k); return it != j.end() && it->is_string(); };
  auto uint = [&](const char* k) {
    auto it = j.find(k);
    return it != j.end() && it->is_number_unsigned();
  };
  auto a = j.find("actor");
  if (a == j.end() || !a->is_object() || a->size() != 2) return false;
  auto aid = a->find("account_id"), role = a->find("role");
  if (aid == a->end() || role == a->end() || !aid->is_string() || !role->is_string()) return false;
  auto d = j.find("data");
  return d != j.end() && d->is_object() && str("causation_id") && str("command_id") &&
         str("correlation_id") && str("hash") && uint("position") && str("prev_hash") &&
         str("recorded_at") && uint("schema_version") && str("stream") && str("type") &&
         uint("version");
}

Result<Timestamp> parse_recorded_at(const std::string& s) {
  // Our own fixed form "YYYY-MM-DDTHH:MM:SS.mmmZ" (format_utc).
  auto num = [&](std::size_t at, std::size_t len, int& out) {
    auto [p, ec] = std::from_chars(s.data() + at, s.data() + at + len, out);
    return ec == std::errc{} && p == s.data() + at + len;
  };
  int y, mo, d, h, mi, se, ms;
  if (s.size() != 24 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
      s[16] != ':' || s[19] != '.' || s[23] != 'Z' || !num(0, 4, y) || !num(5, 2, mo) ||
      !num(8, 2, d) || !num(11, 2, h) || !num(14, 2, mi) || !num(17, 2, se) || !num(20, 3, ms))
    return parse_time(s);  // a hand-edited or older form: the general parser decides
  using namespace std::chrono;
  const year_month_day ymd{year{y}, month{unsigned(mo)}, day{unsigned(d)}};
  if (!ymd.ok()) return Status::corruption("bad recorded_at " + s);
  return Timestamp{sys_days{ymd}.time_since_epoch() + hours{h} + minutes{mi} + seconds{se} +
                   milliseconds{ms}};
}

}  // namespace

Result<RecordedEvent> parse_record(std::string_view text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !well_formed(j)) return Status::corruption("not an event record");
  RecordedEvent e;
  e.position = j["position"].get<std::uint64_t>();
  e.stream = j["stream"].get<std::string>();
  e.version = j["version"].get<std::uint64_t>();
  e.type = j["type"].get<std::string>();
  e.schema_version = j["schema_version"].get<int>();
  auto at = parse_recorded_at(j["recorded_at"].get_ref<const std::string&>());
  if (!at) return Status::corruption("bad recorded_at at position " + std::to_string(e.position));
  e.recorded_at = *at;
  e.actor_account_id = j["actor"]["account_id"].get<std::string>();
  e.actor_role = j["actor"]["role"].get<std::string>();
  e.correlation_id = j["correlation_id"].get<std::string>();
  e.causation_id = j["causation_id"].get<std::string>();
  e.command_id = j["command_id"].get<std::string>();
  e.prev_hash = j["prev_hash"].get<std::string>();
  e.hash = j["hash"].get<std::string>();
  e.data = std::move(j["data"]);
  return e;
}

std::string check_record(std::string_view text, std::uint64_t position, const util::Digest& prev,
                         util::Digest& hash) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return "the record is not valid JSON";
  if (!well_formed(j)) return "the record does not have the fields of an event record";
  if (j.dump() != text) return "the record is not in canonical form";
  if (j["position"].get<std::uint64_t>() != position)
    return fmt::format("the record says position {}", j["position"].get<std::uint64_t>());
  if (j["prev_hash"].get_ref<const std::string&>() != util::to_hex(prev))
    return "prev_hash does not match the hash of the record before";
  util::Digest stored{};
  if (!util::from_hex(j["hash"].get_ref<const std::string&>(), stored.data(), stored.size()))
    return "the stored hash is not 64 lowercase hex digits";
  json& data = j["data"];
  if (data.contains("pii") || data.contains("pii_salt")) {
    unsigned char salt[16];
    auto s = data.find("pii_salt"), c = data.find("pii_commitment"), p = data.find("pii");
    if (s == data.end() || c == data.end() || p == data.end() || !s->is_string() ||
        !util::from_hex(s->get_ref<const std::string&>(), salt, sizeof salt))
      return "personal data without its salt and commitment";
    if (*c != commitment({reinterpret_cast<const char*>(salt), sizeof salt}, *p))
      return "personal data does not match its commitment";
    data.erase("pii");
    data.erase("pii_salt");
  }
  j.erase("hash");
  j.erase("position");
  j.erase("prev_hash");
  hash = chain_hash(prev, position, util::sha256(j.dump()));
  if (hash != stored) return "the hash does not match the record's contents";
  return {};
}

}  // namespace onex::store

namespace onex {

nlohmann::json to_json(const RecordedEvent& e) {
  return {{"actor", {{"account_id", e.actor_account_id}, {"role", e.actor_role}}},
          {"causation_id", e.causation_id},
          {"command_id", e.command_id},
          {"correlation_id", e.correlation_id},
          {"data", e.data},
          {"hash", e.hash},
          {"position", e.position},
          {"prev_hash", e.prev_hash},
          {"recorded_at", format_utc(e.recorded_at)},
          {"schema_version", e.schema_version},
          {"stream", e.stream},
          {"type", e.type},
          {"version", e.version}};
}

}  // namespace onex
