#include "security/secrets.h"

#include <sodium.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "util/hash.h"

namespace onex::security {
namespace {

constexpr unsigned long long kOps = 2;
constexpr std::size_t kMem = 19u << 20;

void fatal(const char* what) {
  std::fprintf(stderr, "onex: %s\n", what);
  std::abort();
}

std::string to_base64(const unsigned char* bytes, std::size_t n, int variant) {
  std::string out(sodium_base64_encoded_len(n, variant), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes, n, variant);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

}  // namespace

void init() {
  static const bool ok = sodium_init() >= 0;
  if (!ok) fatal("libsodium failed to initialise");
}

std::string hash_password(std::string_view password) {
  init();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), kOps, kMem) != 0)
    fatal("out of memory hashing a password");
  return out;
}

bool verify_password(std::string_view hash, std::string_view password) {
  init();
  std::string h(hash);  // NUL-terminated
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

void dummy_password_check(std::string_view password) {
  static const std::string dummy = hash_password("onex-dummy-password-0");
  (void)verify_password(dummy, password);
}

Status check_password_rules(std::string_view password, std::string_view field) {
  const bool letters = std::any_of(password.begin(), password.end(),
                                   [](unsigned char c) { return std::isalpha(c); });
  const bool digits = std::any_of(password.begin(), password.end(),
                                  [](unsigned char c) { return std::isdigit(c); });
  if (password.size() >= 8 && password.size() <= 128 && letters && digits) return {};
  return Status::unprocessable(
      "validation.failed", "the password does not follow the rules",
      {{std::string(field), "weak_password",
        "at least 8 characters with letters and digits (at most 128 bytes)"}});
}

std::string random_password() {
  init();
  static constexpr char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
  constexpr std::uint32_t n = sizeof alphabet - 1;
  for (;;) {
    std::string out;
    for (int i = 0; i < 12; ++i) out.push_back(alphabet[randombytes_uniform(n)]);
    if (check_password_rules(out).is_ok()) return out;
  }
}

std::uint32_t random_uniform(std::uint32_t upper_bound) {
  init();
  return randombytes_uniform(upper_bound);
}

std::string random_digits(int n) {
  init();
  std::string out;
  for (int i = 0; i < n; ++i) out.push_back(static_cast<char>('0' + randombytes_uniform(10)));
  return out;
}

std::string random_token() {
  init();
  unsigned char b[32];
  randombytes_buf(b, sizeof b);
  return to_base64(b, sizeof b, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

std::string random_letters(int n) {
  static constexpr std::string_view kLetters = "23456789abcdefghjkmnpqrstuvwxyz";
  std::string out;
  for (int i = 0; i < n; ++i) out.push_back(kLetters[random_uniform(kLetters.size())]);
  return out;
}

std::string to_base64(std::string_view bytes) {
  init();
  return to_base64(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                   sodium_base64_VARIANT_ORIGINAL);
}

std::string digest(std::string_view secret) { return util::to_hex(util::sha256(secret)); }

std::string keyed_digest(std::string_view key, std::string_view secret) {
  init();
  if (key.size() != crypto_generichash_KEYBYTES) fatal("bad secret key size");
  unsigned char out[32];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(secret.data()),
                     secret.size(), reinterpret_cast<const unsigned char*>(key.data()), key.size());
  return util::to_hex(out, sizeof out);
}

bool equal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string random_key() {
  init();
  std::string k(crypto_aead_xchacha20poly1305_ietf_KEYBYTES, '\0');
  randombytes_buf(k.data(), k.size());
  return k;
}

std::string seal(std::string_view key, std::string_view plaintext) {
  init();
  if (key.size() != crypto_aead_xchacha20poly1305_ietf_KEYBYTES) fatal("bad secret key size");
  std::string box(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + plaintext.size() +
                      crypto_aead_xchacha20poly1305_ietf_ABYTES,
                  '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(box.data());
  randombytes_buf(nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  unsigned long long len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      nonce + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &len,
      reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(), nullptr, 0,
      nullptr, nonce, reinterpret_cast<const unsigned char*>(key.data()));
  return to_base64(nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + len,
                   sodium_base64_VARIANT_ORIGINAL);
}

Result<std::string> open(std::string_view key, std::string_view box64) {
  init();
  auto undecryptable = Status::make(StatusKind::corruption, "security.undecryptable",
                                    "the secret cannot be decrypted with this key");
  std::string box(box64.size(), '\0');
  std::size_t len = 0;
  if (key.size() != crypto_aead_xchacha20poly1305_ietf_KEYBYTES ||
      sodium_base642bin(reinterpret_cast<unsigned char*>(box.data()), box.size(), box64.data(),
                        box64.size(), nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      len < crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES)
    return undecryptable;
  const auto* nonce = reinterpret_cast<const unsigned char*>(box.data());
  const std::size_t clen = len - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  std::string plain(clen, '\0');
  unsigned long long plen = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plain.data()), &plen, nullptr,
          nonce + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, clen, nullptr, 0, nonce,
          reinterpret_cast<const unsigned char*>(key.data())) != 0)
    return undecryptable;
  plain.resize(plen);
  return plain;
}

}  // namespace onex::security
