// The JSON Schema of a described struct, as engine/described.h codes it: the same one list of
// members gives a record's JSON and its OpenAPI schema, so the two cannot drift. Strings,
// integers, booleans, times (api_json's text), optionals (never required), lists and described
// structs (bases flat) are what the API's described views and inputs hold; anything else fails
// to compile here.
#pragma once

#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "engine/described.h"

namespace onex::engine {


// `required`: every member is (a view writes them all; an input that replaces a record needs
// them all); false: any may be absent (it keeps its default). No other members are allowed.
template <class T>
nlohmann::json schema_of(bool required = true) {
  if constexpr (std::is_same_v<T, std::string>) {
    return {{"type", "string"}};
  } else if constexpr (std::is_same_v<T, Timestamp>) {
    return {{"type", "string"}, {"format", "date-time"}};
  } else if constexpr (is_optional<T>::value) {
    return schema_of<typename T::value_type>(required);
  } else if constexpr (std::is_same_v<T, bool>) {
    return {{"type", "boolean"}};
  } else if constexpr (std::is_integral_v<T>) {
    return {{"type", "integer"}};
  } else if constexpr (is_vector<T>::value) {
    return {{"type", "array"}, {"items", schema_of<typename T::value_type>(required)}};
  } else {
    static_assert(is_described<T>, "schema_of: a type the API does not code");
    nlohmann::json properties = nlohmann::json::object(), names = nlohmann::json::array();
    boost::mp11::mp_for_each<described_members<T>>([&](auto m) {
      using M = std::remove_cvref_t<decltype(std::declval<T>().*m.pointer)>;
      properties[m.name] = schema_of<M>(required);
      if (!is_optional<M>::value) names.push_back(m.name);
    });
    nlohmann::json s = {{"type", "object"}, {"properties", properties}, {"additionalProperties", false}};
    if (required) s["required"] = names;
    return s;
  }
}

}  // namespace onex::engine
