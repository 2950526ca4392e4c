#include "store/record.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <charconv>
#include <cstring>

#include "util/json.h"

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

std::string json_string(std::string_view s) {
  std::string out;
  util::append_json_string(out, s);
  return out;
}

std::string commitment(std::string_view salt_raw, const json& pii) {
  return util::to_hex(util::sha256(salt_raw, util::dump_json(pii)));
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
  // Given by the caller they would pass for personal data's: check_record refuses a pii_salt
  // without pii (the log would not verify), and a lone pii_commitment looks like erased pii.
  if (event.data.contains("pii_salt") || event.data.contains("pii_commitment"))
    return Status::bad_request("store.invalid_append",
                               event.type + ": pii_salt and pii_commitment are the store's own");
  PreparedRecord r;
  try {
    std::string stored, hashed;
    if (event.data.contains("pii")) {
      unsigned char salt[16];
      util::random_bytes(salt, sizeof salt);
      json data = event.data;
      json pii = std::move(data["pii"]);
      data.erase("pii");
      r.pii_commitment = commitment({reinterpret_cast<const char*>(salt), sizeof salt}, pii);
      r.pii_salt = util::to_hex(salt, sizeof salt);
      data["pii_commitment"] = r.pii_commitment;
      hashed = util::dump_json(data);
      data["pii"] = std::move(pii);
      data["pii_salt"] = r.pii_salt;
      stored = util::dump_json(data);
    } else {
      stored = util::dump_json(event.data);
    }
    using util::plain_string;
    const bool plain = plain_string(ctx.actor_account_id) && plain_string(ctx.actor_role) &&
                       plain_string(ctx.causation_id) && plain_string(ctx.command_id) &&
                       plain_string(ctx.correlation_id) && plain_string(ctx.recorded_at) &&
                       plain_string(ctx.stream) && plain_string(event.type);
    std::string prefix;
    if (plain) {  // the usual case, written directly: the same bytes as the formats below
      auto quoted = [](std::string& out, std::string_view s) {
        out.push_back('"');
        out.append(s);
        out.push_back('"');
      };
      prefix.reserve(96 + ctx.actor_account_id.size() + ctx.actor_role.size() +
                     ctx.causation_id.size() + ctx.command_id.size() + ctx.correlation_id.size());
      prefix.append(R"({"actor":{"account_id":)");
      quoted(prefix, ctx.actor_account_id);
      prefix.append(R"(,"role":)");
      quoted(prefix, ctx.actor_role);
      prefix.append(R"(},"causation_id":)");
      quoted(prefix, ctx.causation_id);
      prefix.append(R"(,"command_id":)");
      quoted(prefix, ctx.command_id);
      prefix.append(R"(,"correlation_id":)");
      quoted(prefix, ctx.correlation_id);
      prefix.append(R"(,"data":)");
      r.tail.reserve(80 + ctx.recorded_at.size() + ctx.stream.size() + event.type.size());
      r.tail.append(R"("recorded_at":)");
      quoted(r.tail, ctx.recorded_at);
      r.tail.append(R"(,"schema_version":)");
      r.tail.append(std::to_string(event.schema_version));
      r.tail.append(R"(,"stream":)");
      quoted(r.tail, ctx.stream);
      r.tail.append(R"(,"type":)");
      quoted(r.tail, event.type);
      r.tail.append(R"(,"version":)");
    } else {
      prefix = fmt::format(
          R"({{"actor":{{"account_id":{},"role":{}}},"causation_id":{},"command_id":{},"correlation_id":{},"data":)",
          json_string(ctx.actor_account_id), json_string(ctx.actor_role),
          json_string(ctx.causation_id), json_string(ctx.command_id),
          json_string(ctx.correlation_id));
    }
    r.head.reserve(prefix.size() + stored.size() + 1);
    r.head.append(prefix).append(stored).push_back(',');
    r.body_head = hashed.empty() ? r.head : prefix + hashed + ",";
    if (!plain)
      r.tail = fmt::format(R"("recorded_at":{},"schema_version":{},"stream":{},"type":{},"version":)",
                           json_string(ctx.recorded_at), event.schema_version,
                           json_string(ctx.stream), json_string(event.type));
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

Result<Timestamp> parse_recorded_at(std::string_view s) {
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
  if (!ymd.ok()) return Status::corruption("bad recorded_at " + std::string(s));
  return Timestamp{sys_days{ymd}.time_since_epoch() + hours{h} + minutes{mi} + seconds{se} +
                   milliseconds{ms}};
}

}  // namespace

namespace {

// ---- Reading records with simdjson, into exactly what the nlohmann path below gives. ----
// The fast path takes only records it reads as json::parse does; anything else (a floating-point
// number, a "\\u" escape, a "-0", a missing, repeated or extra key, a wrong type, text that is not
// JSON) it leaves to the nlohmann path, which decides as it always has.

// A number "-0" (nlohmann: a signed integer; simdjson cannot tell it from 0), or something like it
// inside a string: any "-0" after ':', ',', '[' or a space and not followed by more of a number.
bool may_hold_minus_zero(std::string_view text) {
  for (auto at = text.find("-0"); at != std::string_view::npos; at = text.find("-0", at + 1)) {
    const char before = at == 0 ? ':' : text[at - 1];
    const char after = at + 2 < text.size() ? text[at + 2] : ' ';
    const bool starts = before == ':' || before == ',' || before == '[' || before == ' ' ||
                        before == '\t' || before == '\n' || before == '\r';
    const bool ends = !(after >= '0' && after <= '9') && after != '.' && after != 'e' && after != 'E';
    if (starts && ends) return true;
  }
  return false;
}

// nlohmann's value for `el`: non-negative integers unsigned, negative ones signed, objects with
// the last of repeated keys. False on a floating-point number.
bool to_json_value(simdjson::dom::element el, json& out) {
  using T = simdjson::dom::element_type;
  switch (el.type()) {
    case T::OBJECT: {
      simdjson::dom::object o;
      if (el.get(o)) return false;
      out = json::object();
      auto& obj = out.get_ref<json::object_t&>();
      for (auto field : o) {
        json v;
        if (!to_json_value(field.value, v)) return false;
        obj.insert_or_assign(obj.end(), std::string(field.key), std::move(v));
      }
      return true;
    }
    case T::ARRAY: {
      simdjson::dom::array a;
      if (el.get(a)) return false;
      out = json::array();
      auto& arr = out.get_ref<json::array_t&>();
      for (auto v : a) {
        arr.emplace_back();
        if (!to_json_value(v, arr.back())) return false;
      }
      return true;
    }
    case T::STRING: {
      std::string_view s;
      if (el.get(s)) return false;
      out = std::string(s);
      return true;
    }
    case T::INT64: {
      std::int64_t v;
      if (el.get(v)) return false;
      if (v < 0)
        out = static_cast<json::number_integer_t>(v);
      else
        out = static_cast<json::number_unsigned_t>(v);
      return true;
    }
    case T::UINT64: {
      std::uint64_t v;
      if (el.get(v)) return false;
      out = static_cast<json::number_unsigned_t>(v);
      return true;
    }
    case T::BOOL: {
      bool v;
      if (el.get(v)) return false;
      out = v;
      return true;
    }
    case T::NULL_VALUE:
      out = nullptr;
      return true;
    default:
      return false;
  }
}

bool get_string(simdjson::dom::element el, std::string& out) {
  std::string_view s;
  if (el.get(s)) return false;
  out.assign(s);
  return true;
}

// nlohmann's is_number_unsigned(): an integer >= 0 ("-0" is ruled out before).
bool get_unsigned(simdjson::dom::element el, std::uint64_t& out) {
  if (el.type() == simdjson::dom::element_type::UINT64) return !el.get(out);
  std::int64_t v;
  if (el.type() != simdjson::dom::element_type::INT64 || el.get(v) || v < 0) return false;
  out = static_cast<std::uint64_t>(v);
  return true;
}

// False, with `e` partly written, on a record it leaves to the nlohmann path.
bool parse_record_fast(std::string_view text, RecordedEvent& e) {
  if (text.find("\\u") != std::string_view::npos || may_hold_minus_zero(text)) return false;
  thread_local simdjson::dom::parser parser;
  simdjson::dom::object root;
  if (parser.parse(text.data(), text.size()).get(root)) return false;
  enum : unsigned {
    kActor = 1 << 0, kCausation = 1 << 1, kCommand = 1 << 2, kCorrelation = 1 << 3,
    kData = 1 << 4, kHash = 1 << 5, kPosition = 1 << 6, kPrevHash = 1 << 7,
    kRecordedAt = 1 << 8, kSchemaVersion = 1 << 9, kStream = 1 << 10, kType = 1 << 11,
    kVersion = 1 << 12, kAll = (1 << 13) - 1
  };
  std::string_view recorded_at;
  std::uint64_t schema_version = 0;
  unsigned seen = 0;
  for (auto field : root) {
    const std::string_view key = field.key;
    const auto v = field.value;
    unsigned bit = 0;
    bool ok = false;
    if (key == "actor") {
      bit = kActor;
      simdjson::dom::object actor;
      if (v.get(actor)) return false;
      unsigned actor_seen = 0;
      for (auto a : actor) {
        const std::string_view k = a.key;
        const unsigned b = k == "account_id" ? 1 : k == "role" ? 2 : 0;
        if (b == 0 || (actor_seen & b) ||
            !get_string(a.value, b == 1 ? e.actor_account_id : e.actor_role))
          return false;
        actor_seen |= b;
      }
      ok = actor_seen == 3;
    } else if (key == "causation_id") {
      bit = kCausation, ok = get_string(v, e.causation_id);
    } else if (key == "command_id") {
      bit = kCommand, ok = get_string(v, e.command_id);
    } else if (key == "correlation_id") {
      bit = kCorrelation, ok = get_string(v, e.correlation_id);
    } else if (key == "data") {
      bit = kData, ok = v.type() == simdjson::dom::element_type::OBJECT && to_json_value(v, e.data);
    } else if (key == "hash") {
      bit = kHash, ok = get_string(v, e.hash);
    } else if (key == "position") {
      bit = kPosition, ok = get_unsigned(v, e.position);
    } else if (key == "prev_hash") {
      bit = kPrevHash, ok = get_string(v, e.prev_hash);
    } else if (key == "recorded_at") {
      bit = kRecordedAt, ok = !v.get(recorded_at);
    } else if (key == "schema_version") {
      bit = kSchemaVersion, ok = get_unsigned(v, schema_version);
    } else if (key == "stream") {
      bit = kStream, ok = get_string(v, e.stream);
    } else if (key == "type") {
      bit = kType, ok = get_string(v, e.type);
    } else if (key == "version") {
      bit = kVersion, ok = get_unsigned(v, e.version);
    }
    if (!ok || (seen & bit)) return false;
    seen |= bit;
  }
  if (seen != kAll) return false;
  e.schema_version = static_cast<int>(schema_version);  // as json::get<int>() converts
  auto at = parse_recorded_at(recorded_at);
  if (!at) return false;
  e.recorded_at = *at;
  return true;
}

}  // namespace

Result<RecordedEvent> parse_record(std::string_view text) {
  if (RecordedEvent e; parse_record_fast(text, e)) return e;
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
