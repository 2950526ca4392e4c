// JSON coding for described structs: a struct whose members are listed once with
// BOOST_DESCRIBE_STRUCT(T, (), (member, ...)) is read and written by nlohmann::json member by
// member under the members' own names. Reading takes a missing member's default (so fields
// added later read their defaults from old events); a member of the wrong type is a
// json::type_error, as with any nlohmann conversion. Events and their parts are described this
// way: the one list of a struct's members is also what an OpenAPI schema can be made from.
#pragma once

#include <type_traits>

#include <boost/describe.hpp>
#include <boost/mp11/algorithm.hpp>
#include <nlohmann/json.hpp>

namespace onex::engine {

template <class T>
inline constexpr bool is_described =
    boost::describe::has_describe_members<T>::value && std::is_class_v<T>;

}  // namespace onex::engine

namespace nlohmann {

template <class T>
struct adl_serializer<T, std::enable_if_t<onex::engine::is_described<T>>> {
  using Members = boost::describe::describe_members<T, boost::describe::mod_public>;

  static void to_json(json& j, const T& value) {
    j = json::object();
    boost::mp11::mp_for_each<Members>([&](auto member) { j[member.name] = value.*member.pointer; });
  }

  static void from_json(const json& j, T& value) {
    (void)j.get_ref<const json::object_t&>();  // a type_error unless j is an object
    const T defaults{};
    boost::mp11::mp_for_each<Members>([&](auto member) {
      if (auto it = j.find(member.name); it != j.end())
        it->get_to(value.*member.pointer);
      else
        value.*member.pointer = defaults.*member.pointer;
    });
  }
};

}  // namespace nlohmann
