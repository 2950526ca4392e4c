// The JSON Schema of a described struct, as engine/described.h codes it: the same one list of
// members gives a record's JSON and its OpenAPI schema, so the two cannot drift. Strings,
// integers, booleans, times (api_json's text), optionals (never required), lists and described
// structs (bases flat) are what the API's described views and inputs hold; anything else fails
// to compile here.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "engine/described.h"

namespace onex::engine {

// A text member that takes one of `names` ({"type": "string", "enum": names}).
template <class Names = std::initializer_list<std::string_view>>
nlohmann::json one_of(const Names& names, std::string_view description = {}) {
  nlohmann::json s = {{"type", "string"}, {"enum", nlohmann::json::array()}};
  for (const auto& n : names) s["enum"].push_back(std::string(n));
  if (!description.empty()) s["description"] = std::string(description);
  return s;
}

// A status member: the names of a machine's phases (a described enum), `none` left out, so that
// the contract names a record's states only as its machine does.
template <class Phase>
nlohmann::json phases_of(std::string_view description = {}) {
  std::vector<std::string_view> names;
  boost::mp11::mp_for_each<boost::describe::describe_enumerators<Phase>>([&](auto e) {
    if (std::string_view(e.name) != "none") names.push_back(e.name);
  });
  return one_of(names, description);
}

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
