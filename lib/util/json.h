// Writing JSON text: byte for byte what nlohmann's dump() gives, faster.
//
// nlohmann's serializer decodes every byte of every string as UTF-8, which dominates serialising
// a value with Chinese text. Strings that need no escaping and are valid UTF-8 are copied as they
// are; any other string, and any value other than null, booleans, integers, strings, arrays and
// objects, is left to nlohmann itself, so that escapes, errors and messages are its own.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace onex::util {

// j.dump(): the same text, and the same exception on a string that is not UTF-8.
std::string dump_json(const nlohmann::json& j);

// Appends `s` as a JSON string, as json(s).dump() would write it.
void append_json_string(std::string& out, std::string_view s);

// True when `s` is well-formed UTF-8 (Unicode 15, table 3-7: no overlong forms, no surrogates,
// nothing above U+10FFFF) and holds no byte that dump() escapes: '"', '\\' and U+0000..U+001F.
bool plain_string(std::string_view s);

}  // namespace onex::util
