// SHA-256 (OpenSSL) and hex helpers.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace onex::util {

using Digest = std::array<unsigned char, 32>;

Digest sha256(std::string_view bytes);
Digest sha256(std::string_view a, std::string_view b);  // of the concatenation a ‖ b

std::string to_hex(const unsigned char* bytes, std::size_t n);
inline std::string to_hex(const Digest& d) { return to_hex(d.data(), d.size()); }
// Lowercase hex of exactly 2*N digits → bytes; false on anything else.
bool from_hex(std::string_view hex, unsigned char* out, std::size_t n);

// Cryptographically secure random bytes (OpenSSL RAND_bytes). Aborts if the CSPRNG fails.
void random_bytes(unsigned char* out, std::size_t n);

// A random identifier: 32 lowercase hex digits (128 bits from the CSPRNG).
std::string random_id();

}  // namespace onex::util
