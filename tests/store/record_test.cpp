// The stored form of an event record and its hashes (DESIGN.md "Event records"), checked against
// an independent computation: nlohmann for the canonical JSON, OpenSSL EVP for SHA-256.
#include <doctest/doctest.h>
#include <openssl/evp.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "onex/clock.h"
#include "onex/event.h"
#include "store/record.h"

namespace {

using nlohmann::json;
using Bytes = std::string;

// SHA-256 with OpenSSL EVP directly (not util::sha256), as raw bytes.
Bytes evp_sha256(const Bytes& input) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int len = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  REQUIRE(ctx != nullptr);
  REQUIRE(EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1);
  REQUIRE(EVP_DigestUpdate(ctx, input.data(), input.size()) == 1);
  REQUIRE(EVP_DigestFinal_ex(ctx, out.data(), &len) == 1);
  EVP_MD_CTX_free(ctx);
  REQUIRE(len == 32);
  return Bytes(reinterpret_cast<const char*>(out.data()), len);
}

std::string hex(const Bytes& raw) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s;
  for (unsigned char c : raw) {
    s.push_back(digits[c >> 4]);
    s.push_back(digits[c & 15]);
  }
  return s;
}

Bytes unhex(const std::string& h) {
  REQUIRE(h.size() % 2 == 0);
  Bytes out;
  for (std::size_t i = 0; i < h.size(); i += 2)
    out.push_back(static_cast<char>(std::stoi(h.substr(i, 2), nullptr, 16)));
  return out;
}

Bytes be64(std::uint64_t v) {
  Bytes s;
  for (int shift = 56; shift >= 0; shift -= 8) s.push_back(static_cast<char>(v >> shift & 0xff));
  return s;
}

Bytes raw(const onex::util::Digest& d) { return Bytes(reinterpret_cast<const char*>(d.data()), d.size()); }

onex::util::Digest digest_of(const Bytes& raw32) {
  onex::util::Digest d{};
  REQUIRE(raw32.size() == d.size());
  std::copy(raw32.begin(), raw32.end(), d.begin());
  return d;
}

bool is_lower_hex(const std::string& s, std::size_t n) {
  return s.size() == n && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

const std::string kRecordedAt = "2020-03-31T16:00:00.123Z";

onex::store::RecordContext context() {
  onex::store::RecordContext ctx;
  ctx.stream = "declaration-0f3a";
  ctx.actor_account_id = "acct-7";
  ctx.actor_role = "staff";
  ctx.correlation_id = "corr-1";
  ctx.causation_id = "cause-1";
  ctx.command_id = "cmd-1";
  ctx.recorded_at = kRecordedAt;
  return ctx;
}

onex::NewEvent event(json data, std::string type = "declaration.submitted") {
  onex::NewEvent e;
  e.type = std::move(type);
  e.schema_version = 2;
  e.data = std::move(data);
  return e;
}

// A prepared record finished at `position` after `prev`, with the hash from chain_hash.
std::string finish(const onex::store::PreparedRecord& r, std::uint64_t position,
                   const onex::util::Digest& prev) {
  return onex::store::finish_record(r, position, prev,
                                    onex::store::chain_hash(prev, position, r.body_hash));
}

// The body hash an auditor computes: SHA-256 of the canonical record without position,
// prev_hash and hash, with pii and pii_salt left out of data.
Bytes auditor_body_hash(json record) {
  record.erase("position");
  record.erase("prev_hash");
  record.erase("hash");
  record["data"].erase("pii");
  record["data"].erase("pii_salt");
  return evp_sha256(record.dump());
}

// What check_record says about `text` at `position` after `prev`, "" when it accepts it.
std::string check(const std::string& text, std::uint64_t position, const onex::util::Digest& prev) {
  onex::util::Digest h{};
  return onex::store::check_record(text, position, prev, h);
}

onex::util::Digest some_prev() {
  return digest_of(evp_sha256("the record before"));
}

}  // namespace

TEST_SUITE("event records") {

TEST_CASE("a finished record is canonical JSON with the thirteen fields and passes check_record") {
  // given an event prepared as version 3 of a stream and finished at position 7
  const json data = {{"planned_trainees", 40}, {"majors", {"welding", "nursing"}},
                     {"b", {{"z", 1}, {"a", -2}}}, {"title", "技能培训 \"quoted\"\n"}};
  auto prepared = onex::store::prepare_record(context(), event(data), 3);
  REQUIRE(prepared.is_ok());
  const auto prev = some_prev();
  const std::string text = finish(*prepared, 7, prev);

  // then it is its own canonical form
  const json j = json::parse(text);
  CHECK(j.dump() == text);
  // and it has exactly the thirteen keys of an event record
  CHECK(j.size() == 13);
  for (const char* key : {"actor", "causation_id", "command_id", "correlation_id", "data", "hash",
                          "position", "prev_hash", "recorded_at", "schema_version", "stream",
                          "type", "version"})
    CHECK_MESSAGE(j.contains(key), key);
  CHECK(j["actor"] == json({{"account_id", "acct-7"}, {"role", "staff"}}));
  CHECK(j["causation_id"] == "cause-1");
  CHECK(j["command_id"] == "cmd-1");
  CHECK(j["correlation_id"] == "corr-1");
  CHECK(j["data"] == data);
  CHECK(j["position"] == 7);
  CHECK(j["prev_hash"] == hex(raw(prev)));
  CHECK(j["recorded_at"] == kRecordedAt);
  CHECK(j["schema_version"] == 2);
  CHECK(j["stream"] == "declaration-0f3a");
  CHECK(j["type"] == "declaration.submitted");
  CHECK(j["version"] == 3);
  CHECK(is_lower_hex(j["hash"].get<std::string>(), 64));

  // and check_record accepts it and gives back its hash
  onex::util::Digest h{};
  CHECK(onex::store::check_record(text, 7, prev, h) == "");
  CHECK(hex(raw(h)) == j["hash"]);
}

TEST_CASE("the body hash and the chain hash are what an auditor recomputes with SHA-256") {
  // given a finished record
  auto prepared = onex::store::prepare_record(context(), event({{"cents", 123456}}), 1);
  REQUIRE(prepared.is_ok());
  const auto prev = some_prev();
  const std::uint64_t position = 0x0102030405060708ULL;  // every byte of the position matters
  const std::string text = finish(*prepared, position, prev);
  const json j = json::parse(text);

  // when an auditor recomputes the hashes with a JSON library and SHA-256
  const Bytes body = auditor_body_hash(j);
  const Bytes chained = evp_sha256(raw(prev) + be64(position) + body);

  // then the body hash is SHA-256 of the record without position, prev_hash and hash
  CHECK(hex(raw(prepared->body_hash)) == hex(body));
  // and hash = SHA-256(prev ‖ position as 8 bytes big-endian ‖ body hash)
  CHECK(j["hash"] == hex(chained));
  CHECK(hex(raw(onex::store::chain_hash(prev, position, prepared->body_hash))) == hex(chained));
}

TEST_CASE("the first record chains to 64 zeros") {
  // given a record at position 1 after the zero hash
  auto prepared = onex::store::prepare_record(context(), event(json::object()), 1);
  REQUIRE(prepared.is_ok());
  const onex::util::Digest zero{};
  const std::string text = finish(*prepared, 1, zero);
  const json j = json::parse(text);

  // then its prev_hash is 64 zeros and its hash chains from 32 zero bytes
  CHECK(j["prev_hash"] == onex::store::kZeroHash);
  CHECK(j["hash"] == hex(evp_sha256(Bytes(32, '\0') + be64(1) + auditor_body_hash(j))));
  CHECK(check(text, 1, zero) == "");
}

TEST_CASE("reversioning a prepared record changes its version and body hash consistently") {
  // given a record prepared as version 1
  auto prepared = onex::store::prepare_record(context(), event({{"k", "v"}}), 1);
  REQUIRE(prepared.is_ok());
  const auto before = prepared->body_hash;

  // when it is moved to version 5 (an append with ExpectedVersion::any)
  onex::store::reversion(*prepared, 5);
  const auto prev = some_prev();
  const std::string text = finish(*prepared, 9, prev);
  const json j = json::parse(text);

  // then the record says version 5 and its hashes are those of version 5
  CHECK(j["version"] == 5);
  CHECK(prepared->body_hash != before);
  CHECK(hex(raw(prepared->body_hash)) == hex(auditor_body_hash(j)));
  CHECK(check(text, 9, prev) == "");
}

TEST_CASE("check_record refuses a record at another position or after another hash") {
  // given a good record at position 4
  auto prepared = onex::store::prepare_record(context(), event({{"k", 1}}), 1);
  REQUIRE(prepared.is_ok());
  const auto prev = some_prev();
  const std::string text = finish(*prepared, 4, prev);
  REQUIRE(check(text, 4, prev) == "");

  // then it does not verify at another position, after another hash, or edited
  CHECK(check(text, 5, prev) != "");
  CHECK(check(text, 4, onex::util::Digest{}) != "");
  json edited = json::parse(text);
  edited["data"]["k"] = 2;
  CHECK(check(edited.dump(), 4, prev) != "");
  edited = json::parse(text);
  edited["recorded_at"] = "2020-03-31T16:00:00.124Z";
  CHECK(check(edited.dump(), 4, prev) != "");
  // nor when it is not canonical (a space added) or not a record
  std::string spaced = text;
  spaced.insert(1, " ");
  CHECK(check(spaced, 4, prev) != "");
  CHECK(check("{}", 4, prev) != "");
  CHECK(check("not json", 4, prev) != "");
}

TEST_CASE("parse_record gives back the event, and to_json gives back the stored text") {
  // given a finished record
  const json data = {{"n", 5}, {"s", "x"}};
  auto prepared = onex::store::prepare_record(context(), event(data), 2);
  REQUIRE(prepared.is_ok());
  const std::string text = finish(*prepared, 11, some_prev());

  // when it is parsed
  auto e = onex::store::parse_record(text);
  REQUIRE(e.is_ok());

  // then every field is there and to_json prints the stored text again
  CHECK(e->position == 11);
  CHECK(e->stream == "declaration-0f3a");
  CHECK(e->version == 2);
  CHECK(e->type == "declaration.submitted");
  CHECK(e->schema_version == 2);
  CHECK(onex::format_utc(e->recorded_at) == kRecordedAt);
  CHECK(e->actor_account_id == "acct-7");
  CHECK(e->actor_role == "staff");
  CHECK(e->correlation_id == "corr-1");
  CHECK(e->causation_id == "cause-1");
  CHECK(e->command_id == "cmd-1");
  CHECK(e->data == data);
  CHECK(e->prev_hash == hex(raw(some_prev())));
  CHECK(onex::to_json(*e).dump() == text);
  // and something that is not a record is corruption
  auto bad = onex::store::parse_record(R"({"position":1})");
  REQUIRE_FALSE(bad.is_ok());
  CHECK(bad.status().code() == "store.corruption");
}

TEST_CASE("personal data gets a salt and a commitment that the body hash covers instead of it") {
  // given data with a pii member
  const json pii = {{"name", "张三"}, {"id_number", "110101199003074258"}, {"phone", "13800000000"}};
  const json data = {{"institution", "inst-1"}, {"pii", pii}};
  auto prepared = onex::store::prepare_record(context(), event(data), 1);
  REQUIRE(prepared.is_ok());
  const auto prev = some_prev();
  const std::string text = finish(*prepared, 3, prev);
  const json j = json::parse(text);
  CHECK(j.dump() == text);

  // then the stored data keeps pii, and has a 16-byte salt in hex and the commitment
  const json& stored = j["data"];
  CHECK(stored["pii"] == pii);
  CHECK(stored["institution"] == "inst-1");
  REQUIRE(stored.contains("pii_salt"));
  REQUIRE(stored.contains("pii_commitment"));
  const std::string salt = stored["pii_salt"].get<std::string>();
  CHECK(is_lower_hex(salt, 32));
  // pii_commitment = SHA-256(salt as raw bytes ‖ canonical JSON of pii)
  CHECK(stored["pii_commitment"] == hex(evp_sha256(unhex(salt) + pii.dump())));
  // and the body hash covers the commitment, not pii nor its salt
  CHECK(hex(raw(prepared->body_hash)) == hex(auditor_body_hash(j)));
  CHECK(check(text, 3, prev) == "");

  // and two records of the same person get different salts, so different commitments
  auto again = onex::store::prepare_record(context(), event(data), 1);
  REQUIRE(again.is_ok());
  const json j2 = json::parse(finish(*again, 3, prev));
  CHECK(j2["data"]["pii_salt"] != stored["pii_salt"]);
  CHECK(j2["data"]["pii_commitment"] != stored["pii_commitment"]);
}

TEST_CASE("erasing personal data keeps the record verifiable, and changing it does not") {
  // given a stored record with personal data
  const json data = {{"pii", {{"name", "李四"}, {"id_number", "110101198001010011"}}}, {"k", 1}};
  auto prepared = onex::store::prepare_record(context(), event(data), 1);
  REQUIRE(prepared.is_ok());
  const auto prev = some_prev();
  const std::string text = finish(*prepared, 8, prev);
  onex::util::Digest original{};
  REQUIRE(onex::store::check_record(text, 8, prev, original) == "");

  SUBCASE("when pii and pii_salt are erased, the chain still verifies with the same hash") {
    json erased = json::parse(text);
    erased["data"].erase("pii");
    erased["data"].erase("pii_salt");
    onex::util::Digest h{};
    CHECK(onex::store::check_record(erased.dump(), 8, prev, h) == "");
    CHECK(h == original);
    // and the erased record still parses, without the personal data
    auto e = onex::store::parse_record(erased.dump());
    REQUIRE(e.is_ok());
    CHECK_FALSE(e->data.contains("pii"));
    CHECK(e->data["k"] == 1);
  }
  SUBCASE("when a field of pii is changed, the record fails") {
    json changed = json::parse(text);
    changed["data"]["pii"]["name"] = "王五";
    CHECK(check(changed.dump(), 8, prev) != "");
  }
  SUBCASE("when a field is added to pii, the record fails") {
    json changed = json::parse(text);
    changed["data"]["pii"]["phone"] = "1";
    CHECK(check(changed.dump(), 8, prev) != "");
  }
  SUBCASE("when the salt is changed, the record fails") {
    json changed = json::parse(text);
    std::string salt = changed["data"]["pii_salt"];
    salt[0] = salt[0] == '0' ? '1' : '0';
    changed["data"]["pii_salt"] = salt;
    CHECK(check(changed.dump(), 8, prev) != "");
  }
  SUBCASE("when the commitment is changed, the record fails") {
    json changed = json::parse(text);
    changed["data"].erase("pii");
    changed["data"].erase("pii_salt");
    std::string c = changed["data"]["pii_commitment"];
    c[5] = c[5] == 'a' ? 'b' : 'a';
    changed["data"]["pii_commitment"] = c;
    CHECK(check(changed.dump(), 8, prev) != "");
  }
  SUBCASE("when only pii is erased and its salt kept, the record fails") {
    json changed = json::parse(text);
    changed["data"].erase("pii");
    CHECK(check(changed.dump(), 8, prev) != "");
  }
}

TEST_CASE("prepare_record refuses floats, non-object data and events without a type") {
  auto refused = [](const onex::NewEvent& e) {
    auto r = onex::store::prepare_record(context(), e, 1);
    REQUIRE_FALSE(r.is_ok());
    CHECK(r.status().kind() == onex::StatusKind::bad_request);
    CHECK(r.status().code() == "store.invalid_append");
  };
  // floating-point numbers anywhere in data
  refused(event({{"score", 1.5}}));
  refused(event({{"scores", {1, 2, 3.0}}}));
  refused(event({{"a", {{"b", {{"c", json::array({json::object({{"d", 0.1}})})}}}}}}));
  refused(event({{"pii", {{"height", 1.8}}}}));
  // data that is not an object
  refused(event(json::array({1, 2})));
  refused(event(json("text")));
  refused(event(json(nullptr)));
  refused(event(json(5)));
  // no type, or no schema version
  refused(event({{"k", 1}}, ""));
  onex::NewEvent v0 = event({{"k", 1}});
  v0.schema_version = 0;
  refused(v0);
  // a string that is not UTF-8
  refused(event({{"name", std::string("\xff\xfe")}}));
  // integers of every size are fine
  auto ok = onex::store::prepare_record(
      context(), event({{"big", std::uint64_t{18446744073709551615ULL}}, {"neg", -9}}), 1);
  CHECK(ok.is_ok());
}

}  // TEST_SUITE
