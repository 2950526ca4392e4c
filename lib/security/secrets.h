// Passwords, tokens, codes and encryption, from libsodium and OpenSSL: nothing here is
// hand-made cryptography, only choices of parameters.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "onex/clock.h"
#include "onex/status.h"

namespace onex::security {

// Call once before any other function here (thread-safe; later calls do nothing).
void init();

// argon2id (libsodium crypto_pwhash_str): t=2, m=19 MiB, the OWASP baseline. The result holds
// its own parameters and salt.
std::string hash_password(std::string_view password);
bool verify_password(std::string_view hash, std::string_view password);
// As long as a real verification, for unknown account names.
void dummy_password_check(std::string_view password);

// SPEC §2: at least 8 characters, with letters and digits, at most 128 bytes.
// Fails with validation.failed naming `field`.
Status check_password_rules(std::string_view password, std::string_view field = "new_password");

// 12 random letters and digits (initial passwords), from the CSPRNG, without look-alikes.
std::string random_password();
// A uniform random number in [0, upper_bound) from the CSPRNG (0 when upper_bound < 2).
std::uint32_t random_uniform(std::uint32_t upper_bound);
// n random decimal digits (SMS codes).
std::string random_digits(int n);
// n random characters of "23456789abcdefghjkmnpqrstuvwxyz" (no 0/o, 1/l/i): what makes an
// account name nobody can derive from public data (a leader's).
std::string random_letters(int n);
// 256 random bits as URL-safe base64 without padding (bearer and device tokens).
std::string random_token();
// Standard base64 with padding (libsodium), e.g. for data: URLs.
std::string to_base64(std::string_view bytes);

// SHA-256 of a token, lowercase hex: what is stored instead of it (tokens have 256 random
// bits; nobody can guess one from its digest).
std::string digest(std::string_view secret);
// BLAKE2b-256 of a short secret keyed with `key` (32 bytes), lowercase hex: what is stored
// instead of an SMS code, so that a copy of the store without the key does not give up the
// live codes (a million guesses would undo a plain digest of 6 digits).
std::string keyed_digest(std::string_view key, std::string_view secret);
// Constant-time comparison of equal-length strings.
bool equal(std::string_view a, std::string_view b);

// Authenticated encryption (XChaCha20-Poly1305) with a 32-byte key, for secrets that must be
// shown again (initial passwords). Output: nonce ‖ ciphertext, as base64.
std::string seal(std::string_view key, std::string_view plaintext);
// Fails with security.undecryptable when the box was not made with this key or was changed.
Result<std::string> open(std::string_view key, std::string_view box);
std::string random_key();  // 32 raw bytes

// A time as the stored secrets (codes, sessions) keep it: milliseconds since the epoch.
inline std::int64_t millis(Timestamp t) { return t.time_since_epoch().count(); }
inline Timestamp from_millis(std::int64_t v) { return Timestamp{std::chrono::milliseconds{v}}; }

}  // namespace onex::security
