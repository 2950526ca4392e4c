#include "security/codes.h"

#include "security/secrets.h"
#include "util/identifiers.h"

namespace onex::security {
namespace {

using nlohmann::json;
using std::chrono::hours;
using std::chrono::minutes;

constexpr auto kCodeLife = minutes(5);
constexpr int kCodeTries = 5;

}  // namespace

Status check_mobile(std::string_view field, std::string_view phone) {
  if (util::valid_mobile(phone)) return {};
  return Status::unprocessable("validation.failed", "not a mobile phone number",
                               {{std::string(field), "invalid", "a mainland mobile number, 1[3-9] and 9 digits"}});
}

Result<CodeSent> Codes::send(const std::string& key, const std::string& phone,
                             const std::string& purpose, const std::string& client_address,
                             const std::string& account_id, json extra) {
  const auto now = clock_.now();
  auto d = limiter_.hit("sms:" + purpose + ":" + phone, {{1, minutes(1)}, {10, hours(24)}});
  if (d.allowed && !account_id.empty()) d = limiter_.hit("sms-account:" + account_id, {{20, hours(24)}});
  if (d.allowed && !client_address.empty())
    d = limiter_.hit("sms-client:" + client_address, {{200, hours(1)}});
  if (!d.allowed) return sms_rate_limited(d.retry_after);
  const std::string code = random_digits(6);
  const auto expires = now + kCodeLife;
  extra["code_hash"] = keyed_digest(key_, code);
  extra["phone"] = phone;
  extra["tries"] = 0;
  extra["expires_at"] = millis(expires);
  if (auto s = store_.put_secret(key, extra.dump()); !s) return s;
  if (auto s = sms_.send(SmsMessage{now, phone, purpose, code,
                                    "【onex】验证码 " + code + "，5 分钟内有效。请勿告诉他人。"});
      !s)
    return s;
  return CodeSent{phone.size() >= 4 ? phone.substr(phone.size() - 4) : phone, expires};
}

Result<json> Codes::check(const std::string& key, const std::string& code,
                          const std::string& phone, bool consume) {
  auto raw = store_.get_secret(key);
  if (!raw) return raw.status();
  if (!*raw) return code_invalid();
  json c = json::parse(**raw, nullptr, false);
  if (!c.is_object()) return code_invalid();
  const bool expired = clock_.now() >= from_millis(c.value("expires_at", std::int64_t{0}));
  if (expired || c.value("tries", 0) >= kCodeTries) {
    (void)store_.erase_secret(key);
    return code_invalid();
  }
  if (!equal(c.value("code_hash", ""), keyed_digest(key_, code)) ||
      (!phone.empty() && c.value("phone", "") != phone)) {
    c["tries"] = c.value("tries", 0) + 1;
    (void)store_.put_secret(key, c.dump());
    return code_invalid();
  }
  if (consume)
    if (auto s = store_.erase_secret(key); !s) return s;
  return c;
}

}  // namespace onex::security
