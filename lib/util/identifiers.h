// Identifier checks of SPEC §3: resident ID numbers (GB 11643-1999), unified social credit codes
// (GB 32100-2015), mainland mobile phones and registry institution codes. Pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace onex::util {

// 18 characters, a real birth date (1900-01-01 onwards), and the ISO 7064 MOD 11-2 check
// character ('X' upper case): "11010519491231002X".
bool valid_resident_id(std::string_view id);
// An id as onex makes them and the catalogue names them: 1 to 64 letters, digits, '-' and '_'.
// Anything else is refused before it can reach a stream name or a read-model key.
bool plain_id(std::string_view id);
// 18 characters from 0-9 A-H J-N P-R T U W-Y with the GB 32100 check character:
// "91110000101623741K".
bool valid_credit_code(std::string_view code);
// ^1[3-9]\d{9}$, optionally after "+86".
bool valid_mobile(std::string_view phone);
// The phone without "+86".
std::string_view plain_mobile(std::string_view phone);
// The 10-digit registry institution code (学校标识码): "4111010028".
bool valid_institution_code(std::string_view code);
// A resident ID as lists show it, as the manual does: the first 6 and last 4 characters around
// five stars ("370285*****5910"), whatever the length hidden.
std::string mask_resident_id(std::string_view id);


// Text checks the workflows' decides share.
// Empty, or only white space.
bool blank(std::string_view s);
// Not blank, at most `max_bytes`, no control characters: a name, a title, an address line.
bool plain_text(std::string_view s, std::size_t max_bytes);
// An account name people type: 3 to 32 of [A-Za-z0-9_.@-].
bool valid_account_name(std::string_view name);
// local@domain.tld, at most 254 bytes, no spaces or control characters.
bool valid_email(std::string_view email);
// The code points of valid UTF-8 text (simdjson validates it); nullopt when it is not UTF-8.
std::optional<std::size_t> utf8_length(std::string_view s);

}  // namespace onex::util
