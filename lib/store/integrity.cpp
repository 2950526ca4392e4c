#include "store/integrity.h"

#include <memory>
#include <vector>

#include <nlohmann/json.hpp>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "store/record.h"
#include "store/schema.h"

namespace onex::store {
namespace {

constexpr char kSealed = '\x01';
constexpr std::size_t kHeader = 8 + 1 + 8 + 32 + 32;  // version, form, position, hash, seal

util::Digest seal_of(std::string_view key, std::string_view stream, std::string_view bound,
                     std::string_view state) {
  std::string bytes(stream);
  bytes.push_back('\0');
  bytes.append(bound);
  bytes.append(state);
  if (key.empty()) return util::sha256(bytes);
  util::Digest mac{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), mac.data(), &length);
  return mac;
}

}  // namespace

std::string seal_snapshot(std::string_view key, std::string_view stream, const Snapshot& s) {
  std::string value;
  put_be64(value, s.version);
  value.push_back(kSealed);
  put_be64(value, s.position);
  value.append(reinterpret_cast<const char*>(s.hash.data()), s.hash.size());
  const auto seal = seal_of(key, stream, value, s.state);
  value.append(reinterpret_cast<const char*>(seal.data()), seal.size());
  value.append(s.state);
  return value;
}

Result<std::optional<Snapshot>> open_snapshot(std::string_view key, std::string_view stream,
                                              std::string_view value, bool check_seal) {
  if (value.size() < kHeader || value[8] != kSealed) return std::optional<Snapshot>{};
  Snapshot s;
  s.version = get_be64(value);
  s.position = get_be64(value.substr(9));
  std::copy_n(value.begin() + 17, 32, s.hash.begin());
  s.state = std::string(value.substr(kHeader));
  const auto seal = seal_of(key, stream, value.substr(0, 49), s.state);
  if (check_seal && CRYPTO_memcmp(seal.data(), value.data() + 49, seal.size()) != 0)
    return Status::corruption("the snapshot of " + std::string(stream) + " at version " +
                              std::to_string(s.version) + " is not the one the store sealed");
  return std::optional<Snapshot>{std::move(s)};
}

rocksdb::ColumnFamilyHandle* Families::operator()(std::string_view name) const {
  auto it = handles->find(std::string(name));
  return it == handles->end() ? nullptr : it->second;
}

namespace {

// What the log says of each stream and each position.
struct Logged {
  struct Stream {
    std::uint64_t events = 0, version = 0, last_position = 0;
  };
  std::unordered_map<std::string, Stream> streams;
  // By position - 1: the stream (a key of `streams`), the version and the hash.
  struct At {
    const std::string* stream;
    std::uint64_t version;
    std::string hash;
  };
  std::vector<At> at;
};

// Every record of the log, read once (the chain is checked by the caller).
Status read_log(const Families& f, std::uint64_t head, Logged& log, ChainReport& report) {
  log.at.reserve(head);
  std::unique_ptr<rocksdb::Iterator> it(f.db->NewIterator(rocksdb::ReadOptions(), f(kLog)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    auto e = parse_record(it->value().ToStringView());
    if (!e) return Status{};  // the chain check has said what is wrong here
    auto [entry, added] = log.streams.try_emplace(e->stream);
    auto& s = entry->second;
    ++s.events;
    if (e->version != s.events)
      report.findings.push_back("log: " + e->stream + " v" + std::to_string(e->version) +
                                " at position " + std::to_string(e->position) + " follows v" +
                                std::to_string(s.events - 1));
    s.version = e->version;
    s.last_position = e->position;
    log.at.push_back({&entry->first, e->version, std::move(e->hash)});
  }
  if (!it->status().ok()) return Status::io_error("read the log: " + it->status().ToString());
  return {};
}

template <class F>
Status scan(const Families& f, std::string_view family, F&& each) {
  auto* cf = f(family);
  if (cf == nullptr) return {};
  std::unique_ptr<rocksdb::Iterator> it(f.db->NewIterator(rocksdb::ReadOptions(), cf));
  for (it->SeekToFirst(); it->Valid(); it->Next()) each(it->key().ToStringView(), it->value().ToStringView());
  if (!it->status().ok())
    return Status::io_error("read " + std::string(family) + ": " + it->status().ToString());
  return {};
}

}  // namespace

Status check_families(const Families& f, std::string_view key, ChainReport& report) {
  const std::uint64_t head = report.head_position;
  auto& found = report.findings;
  Logged log;
  if (auto s = read_log(f, head, log, report); !s) return s;
  auto logged_at = [&](std::uint64_t position) -> const Logged::At* {
    return position >= 1 && position <= log.at.size() ? &log.at[position - 1] : nullptr;
  };

  // The streams index: exactly one entry per record, under its stream and version.
  std::uint64_t indexed = 0;
  auto s = scan(f, kStreams, [&](std::string_view k, std::string_view v) {
    ++indexed;
    const auto zero = k.find('\0');
    const bool shaped = zero != std::string_view::npos && k.size() == zero + 9 && v.size() == 8;
    const auto* at = shaped ? logged_at(get_be64(v)) : nullptr;
    if (!at || *at->stream != k.substr(0, zero) || at->version != get_be64(k.substr(zero + 1)))
      found.push_back("streams: the entry " + std::string(k.substr(0, zero)) +
                      (shaped ? " v" + std::to_string(get_be64(k.substr(zero + 1))) : "") +
                      " does not name its record in the log");
  });
  if (!s) return s;
  if (indexed != log.at.size())
    found.push_back("streams: " + std::to_string(indexed) + " entries for " +
                    std::to_string(log.at.size()) + " records in the log");

  // Heads: one per stream, at its last version and position.
  std::uint64_t heads = 0;
  s = scan(f, kHeads, [&](std::string_view k, std::string_view v) {
    ++heads;
    auto it = log.streams.find(std::string(k));
    if (it == log.streams.end() || v.size() != 16 || get_be64(v) != it->second.version ||
        get_be64(v.substr(8)) != it->second.last_position)
      found.push_back("heads: " + std::string(k) + " does not end where the log says");
  });
  if (!s) return s;
  if (heads != log.streams.size())
    found.push_back("heads: " + std::to_string(heads) + " for " +
                    std::to_string(log.streams.size()) + " streams in the log");

  // Claims are held by streams that exist.
  s = scan(f, kClaims, [&](std::string_view k, std::string_view owner) {
    if (!log.streams.count(std::string(owner)))
      found.push_back("claims: " + std::string(k) + " is held by " + std::string(owner) +
                      ", which the log does not have");
  });
  if (!s) return s;

  // Kept command outcomes and projection checkpoints do not reach past the log.
  s = scan(f, kIdempotency, [&](std::string_view k, std::string_view v) {
    auto j = nlohmann::json::parse(v, nullptr, false);
    const auto last = j.is_object() ? j.value("last_position", std::uint64_t{0}) : head + 1;
    if (last > head) found.push_back("idempotency: the outcome of a command lies past the log's end");
  });
  if (!s) return s;
  bool chain_head = false;
  s = scan(f, kCheckpoints, [&](std::string_view k, std::string_view v) {
    if (k == kChainHead) {
      chain_head = true;
      return;
    }
    if (v.size() != 8 || get_be64(v) > head)
      found.push_back("checkpoints: " + std::string(k) + " is past the log's end");
  });
  if (!s) return s;
  if (head > 0 && !chain_head)
    found.push_back("checkpoints: the chain head the writer records (@log) is missing");

  // Snapshots: sealed, and bound to the record they were taken at.
  return scan(f, kSnapshots, [&](std::string_view k, std::string_view v) {
    auto opened = open_snapshot(key, k, v, !key.empty());
    if (!opened) {
      found.push_back("snapshots: " + opened.status().message());
      return;
    }
    if (!*opened) return;  // an old, unbound snapshot: never trusted, so harmless
    const auto* at = logged_at((*opened)->position);
    if (!at || *at->stream != k || at->version != (*opened)->version ||
        at->hash != util::to_hex((*opened)->hash))
      found.push_back("snapshots: " + std::string(k) + " at version " +
                      std::to_string((*opened)->version) + " is not bound to its record in the log");
  });
}

}  // namespace onex::store
