#include "util/json.h"

#include <simdjson.h>

#include <charconv>

namespace onex::util {
namespace {

using nlohmann::json;

template <class Int>
void append_integer(std::string& out, Int v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

// False, having written part of `out`, on a value it leaves to nlohmann (floats, binary).
bool append_json(std::string& out, const json& j) {
  switch (j.type()) {
    case json::value_t::null:
      out.append("null");
      return true;
    case json::value_t::boolean:
      out.append(j.get<bool>() ? "true" : "false");
      return true;
    case json::value_t::number_integer:
      append_integer(out, j.get<json::number_integer_t>());
      return true;
    case json::value_t::number_unsigned:
      append_integer(out, j.get<json::number_unsigned_t>());
      return true;
    case json::value_t::string:
      append_json_string(out, j.get_ref<const json::string_t&>());
      return true;
    case json::value_t::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& v : j.get_ref<const json::array_t&>()) {
        if (!first) out.push_back(',');
        first = false;
        if (!append_json(out, v)) return false;
      }
      out.push_back(']');
      return true;
    }
    case json::value_t::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& [k, v] : j.get_ref<const json::object_t&>()) {
        if (!first) out.push_back(',');
        first = false;
        append_json_string(out, k);
        out.push_back(':');
        if (!append_json(out, v)) return false;
      }
      out.push_back('}');
      return true;
    }
    default:
      return false;
  }
}

}  // namespace

bool plain_string(std::string_view s) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(s.data());
  unsigned char escaped = 0, high = 0;  // written so that the compiler vectorises the loop
  for (std::size_t i = 0; i < s.size(); ++i) {
    escaped |= (bytes[i] < 0x20) | (bytes[i] == '"') | (bytes[i] == '\\');
    high |= bytes[i];
  }
  if (escaped) return false;
  return high < 0x80 || simdjson::validate_utf8(s.data(), s.size());  // ASCII is valid UTF-8
}

void append_json_string(std::string& out, std::string_view s) {
  if (plain_string(s)) {
    out.push_back('"');
    out.append(s);
    out.push_back('"');
  } else {
    out.append(json(s).dump());  // escapes, or throws on invalid UTF-8, as dump() does
  }
}

std::string dump_json(const json& j) {
  std::string out;
  out.reserve(512);
  if (!append_json(out, j)) return j.dump();
  return out;
}

}  // namespace onex::util
