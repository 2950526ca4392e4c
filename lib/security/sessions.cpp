#include "security/sessions.h"

#include <nlohmann/json.hpp>

#include "security/secrets.h"

namespace onex::security {
namespace {

using nlohmann::json;

json to_json(const SessionRecord& r) {
  return {{"account_id", r.account_id}, {"epoch", r.epoch}, {"setup", r.setup},
          {"created_at", millis(r.created_at)}, {"last_seen", millis(r.last_seen)}};
}

}  // namespace

Result<Sessions::Opened> Sessions::open(const std::string& account_id, int epoch, bool setup,
                                        bool trust_device) {
  const auto now = clock_.now();
  Opened o{random_token(), now + limits_.absolute, {}};
  if (auto s = store_.put_secret("session/" + digest(o.token),
                                 to_json({account_id, epoch, setup, now, now}).dump());
      !s)
    return s;
  if (trust_device) {
    o.device_token = random_token();
    // Trusted within the account's session epoch: what ends its sessions (a password or binding
    // reset, a password change, disabling) ends the trust too.
    const json device = {{"account_id", account_id}, {"epoch", epoch},
                         {"until", millis(now + limits_.device_trust)}};
    if (auto s = store_.put_secret("device/" + digest(o.device_token), device.dump()); !s) return s;
  }
  return o;
}

std::optional<SessionRecord> Sessions::record(const std::string& id, const std::string& raw) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = parsed_.find(id); it != parsed_.end() && it->second.first == raw)
      return it->second.second;
  }
  const auto j = json::parse(raw, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  SessionRecord r{j.value("account_id", ""), j.value("epoch", -1), j.value("setup", false),
                  from_millis(j.value("created_at", std::int64_t{0})),
                  from_millis(j.value("last_seen", std::int64_t{0}))};
  std::lock_guard lock(mutex_);
  if (parsed_.size() >= kParsed) parsed_.clear();
  parsed_[id] = {raw, r};
  return r;
}

Result<std::optional<std::pair<std::string, SessionRecord>>> Sessions::find(std::string_view token) {
  using Found = std::optional<std::pair<std::string, SessionRecord>>;
  if (token.empty() || token.size() > 100) return Found{};
  return find_id(digest(token));
}

Result<std::optional<std::pair<std::string, SessionRecord>>> Sessions::find_id(const std::string& id) {
  using Found = std::optional<std::pair<std::string, SessionRecord>>;
  if (id.size() != 64) return Found{};
  auto raw = store_.get_secret("session/" + id);
  if (!raw) return raw.status();
  if (!*raw) return Found{};
  auto r = record(id, **raw);
  if (!r) return Found{};
  Timestamp seen = r->last_seen;
  {
    std::lock_guard lock(mutex_);
    if (auto it = last_seen_.find(id); it != last_seen_.end()) seen = std::max(seen, it->second);
  }
  const auto now = clock_.now();
  if (now >= r->created_at + limits_.absolute || now >= seen + limits_.idle) {
    (void)end(id);
    return Found{};
  }
  return Found{{id, std::move(*r)}};
}

void Sessions::touch(const std::string& id, const SessionRecord& r) {
  const auto now = clock_.now();
  {
    std::lock_guard lock(mutex_);
    last_seen_[id] = now;
  }
  if (now - r.last_seen < std::chrono::minutes(1)) return;
  SessionRecord updated = r;
  updated.last_seen = now;
  (void)store_.put_secret("session/" + id, to_json(updated).dump());
}

Status Sessions::end(const std::string& id) {
  {
    std::lock_guard lock(mutex_);
    last_seen_.erase(id);
  }
  return store_.erase_secret("session/" + id);
}

bool Sessions::trusted(std::string_view device_token, const std::string& account_id, int epoch) {
  if (device_token.empty() || device_token.size() > 100) return false;
  auto raw = store_.get_secret("device/" + digest(device_token));
  if (!raw || !*raw) return false;
  const auto d = json::parse(**raw, nullptr, false);
  return d.is_object() && d.value("account_id", "") == account_id && d.value("epoch", -1) == epoch &&
         clock_.now() < from_millis(d.value("until", std::int64_t{0}));
}

}  // namespace onex::security
