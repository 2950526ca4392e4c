// JSON coding for described structs: a struct whose members are listed once with
// BOOST_DESCRIBE_STRUCT(T, (), (member, ...)) is read and written by nlohmann::json member by
// member under the members' own names. Reading takes a missing member's default (so fields
// added later read their defaults from old events); a member of the wrong type is a
// json::type_error, as with any nlohmann conversion. Events and their parts are described this
// way: the one list of a struct's members is also what an OpenAPI schema can be made from.
// A struct described with bases (BOOST_DESCRIBE_STRUCT(T, (Base), (...))) codes the bases'
// members too, flat. A Timestamp codes as milliseconds since the epoch (machine snapshots; the
// API writes times as text: api_json). Enums described with BOOST_DESCRIBE_ENUM name their values
// (a machine's phases): engine::enum_name, engine::enum_named.
#pragma once

#include <optional>
#include <string_view>
#include <algorithm>
#include <climits>
#include <cstdint>
#include <initializer_list>
#include <type_traits>
#include <vector>

#include <boost/describe.hpp>
#include <boost/mp11/algorithm.hpp>
#include <nlohmann/json.hpp>

#include "onex/clock.h"
#include "onex/status.h"

namespace onex::engine {

template <class T>
inline constexpr bool is_described =
    boost::describe::has_describe_members<T>::value && std::is_class_v<T>;

template <class T>
struct is_vector : std::false_type {};
template <class T>
struct is_vector<std::vector<T>> : std::true_type {};
template <class T>
struct is_list_of_described : std::false_type {};
template <class T>
struct is_list_of_described<std::vector<T>> : std::bool_constant<boost::describe::has_describe_members<T>::value> {};
template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

// The members coded: public ones, the bases' included.
template <class T>
using described_members =
    boost::describe::describe_members<T, boost::describe::mod_public | boost::describe::mod_inherited>;

// A described enum value's name ("draft"); "" for a value that has none.
template <class E>
std::string_view enum_name(E value) {
  return boost::describe::enum_to_string(value, "");
}
// The value of a name; nullopt for a name that is none.
template <class E>
std::optional<E> enum_named(std::string_view name) {
  std::optional<E> found;
  boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto e) {
    if (name == e.name) found = e.value;
  });
  return found;
}

// Copies into `to` every member that `from` has under the same name and of the same type
// (described structs, bases included): a record's state from its creating event, a view from
// the state, each field named once. Names are matched at compile time. Two conversions are
// made on the way, as events keep times as UTC text (format_utc): a Timestamp member from a
// text one (parse_time) and back, and a list of described structs from a list of others,
// item by item (a view's sittings from an event's). Same-named members of other types are left.
constexpr bool same_name(const char* a, const char* b) {
  return std::string_view(a) == std::string_view(b);
}
template <class To, class From>
void assign(To& to, const From& from);
template <class T, class F>
void assign_member(T& to, const F& from) {
  if constexpr (std::is_same_v<T, F>) {
    to = from;
  } else if constexpr (std::is_same_v<T, Timestamp> && std::is_same_v<F, std::string>) {
    if (auto t = parse_time(from)) to = *t;
  } else if constexpr (std::is_same_v<T, std::string> && std::is_same_v<F, Timestamp>) {
    to = format_utc(from);
  } else if constexpr (is_list_of_described<T>::value && is_list_of_described<F>::value) {
    to.clear();
    for (const auto& item : from) assign(to.emplace_back(), item);
  }
}
template <class To, class From>
void assign(To& to, const From& from) {
  boost::mp11::mp_for_each<described_members<To>>([&](auto t) {
    boost::mp11::mp_for_each<described_members<From>>([&](auto f) {
      if constexpr (same_name(std::remove_cvref_t<decltype(t)>::name, std::remove_cvref_t<decltype(f)>::name))
        assign_member(to.*t.pointer, from.*f.pointer);
    });
  });
}

// Whether `j` already holds `value` as the coding above writes it, without allocating: so a
// read model can rewrite only the members an event changed (patch).
inline bool holds(const nlohmann::json& j, const std::string& v) {
  return j.is_string() && j.get_ref<const std::string&>() == v;
}
inline bool holds(const nlohmann::json& j, bool v) { return j.is_boolean() && j.get<bool>() == v; }
inline bool holds(const nlohmann::json& j, int v) {
  return j.is_number_integer() && j.get<long long>() == v;
}
inline bool holds(const nlohmann::json& j, const Timestamp& t) {
  return j.is_number_integer() && j.get<long long>() == t.time_since_epoch().count();
}
template <class T>
bool holds(const nlohmann::json& j, const std::vector<T>& v);
template <class T>
  requires is_described<T>
bool holds(const nlohmann::json& j, const T& v) {
  if (!j.is_object()) return false;
  bool all = true;
  boost::mp11::mp_for_each<described_members<T>>([&](auto m) {
    if (!all) return;
    auto it = j.find(m.name);
    all = it != j.end() && holds(*it, v.*m.pointer);
  });
  return all;
}
template <class T>
bool holds(const nlohmann::json& j, const std::vector<T>& v) {
  if (!j.is_array() || j.size() != v.size()) return false;
  for (std::size_t i = 0; i < v.size(); ++i)
    if (!holds(j[i], v[i])) return false;
  return true;
}

// Makes `j` the coding of `value` (as `j = value` would), writing only the members it does not
// already hold.
template <class T>
void patch(nlohmann::json& j, const T& value) {
  if (!j.is_object()) {
    j = value;
    return;
  }
  boost::mp11::mp_for_each<described_members<T>>([&](auto m) {
    const auto& member = value.*m.pointer;
    auto it = j.find(m.name);
    if (it == j.end())
      j[m.name] = member;
    else if (!holds(*it, member))
      *it = member;
  });
}

// A request's members are a contract: 422 validation.failed with an `unknown_field` error for
// each member of object `j` that `known(name)` does not know (a misspelt one is refused, never
// ignored). The one refusal of Body::parse (server) and read_strict.
template <class Known>
Status refuse_unknown(const nlohmann::json& j, Known&& known) {
  std::vector<FieldError> unknown;
  for (const auto& [key, member] : j.items())
    if (!known(std::string_view(key))) unknown.push_back({key, "unknown_field", "not a member of this request"});
  if (unknown.empty()) return {};
  std::string message = unknown.front().field + " is not a member of this request";
  return Status::unprocessable("validation.failed", std::move(message), std::move(unknown));
}

// One scalar of a request body, typed strictly (no number for a text, no fraction or flag for
// an integer); false: the wrong type. An integer past what an int holds reads as the int's
// limit, which the range rules in decide refuse (422 naming the field), not a 400.
inline bool read_member(const nlohmann::json& v, std::string& out) {
  if (!v.is_string()) return false;
  out = v.get<std::string>();
  return true;
}
inline bool read_member(const nlohmann::json& v, int& out) {
  if (!v.is_number_integer()) return false;
  out = v.is_number_unsigned() ? static_cast<int>(std::min<std::uint64_t>(v.get<std::uint64_t>(), INT_MAX))
                               : static_cast<int>(std::clamp<long long>(v.get<long long>(), INT_MIN, INT_MAX));
  return true;
}
inline bool read_member(const nlohmann::json& v, bool& out) {
  if (!v.is_boolean()) return false;
  out = v.get<bool>();
  return true;
}
template <class T>
bool read_member(const nlohmann::json& v, std::vector<T>& out) {
  if (!v.is_array()) return false;
  out.clear();
  for (const auto& item : v)
    if (!read_member(item, out.emplace_back())) return false;
  return true;
}
inline const char* expected(const std::string*) { return "a string"; }
inline const char* expected(const int*) { return "an integer"; }
inline const char* expected(const bool*) { return "true or false"; }
inline const char* expected(const std::vector<std::string>*) { return "a list of strings"; }

// What reading a body found wrong so far, each at its member's path ("fee.per",
// "sittings[0].starts_at"): 422 field errors (unknown_field, required, invalid_time), and the
// first member of the wrong type (400 request.wrong_type).
struct Reading {
  std::vector<FieldError> errors;
  Status wrong;
  void wrong_type(const std::string& at, std::string_view expected) {
    if (wrong) wrong = Status::bad_request("request.wrong_type", at + " must be " + std::string(expected));
  }
  // The body's refusal: its wrong type first, then every field error together; ok when none.
  Status status() && {
    if (!wrong) return std::move(wrong);
    if (errors.empty()) return {};
    std::string message = errors.front().field + ": " + errors.front().message;
    return Status::unprocessable("validation.failed", std::move(message), std::move(errors));
  }
};

template <class T>
void read_value(const nlohmann::json& v, T& out, Reading& r, const std::string& at);

// The members of object `j` into `value`: a member T does not describe is unknown_field; an
// absent (or null) one is `required` unless it is a std::optional (nested objects, and bodies
// read whole) or, with `absent` given, listed there and left as it is (read_strict).
template <class T>
void read_object(const nlohmann::json& j, T& value, Reading& r, const std::string& prefix,
                 std::vector<std::string>* absent = nullptr) {
  for (const auto& [key, member] : j.items()) {
    bool known = false;
    boost::mp11::mp_for_each<described_members<T>>([&](auto m) { known = known || key == m.name; });
    if (!known) r.errors.push_back({prefix + key, "unknown_field", "not a member of this request"});
  }
  boost::mp11::mp_for_each<described_members<T>>([&](auto m) {
    using M = std::remove_cvref_t<decltype(value.*m.pointer)>;
    auto it = j.find(m.name);
    if (it != j.end() && !it->is_null()) return read_value(*it, value.*m.pointer, r, prefix + m.name);
    if (absent) absent->push_back(m.name);
    else if (!is_optional<M>::value) r.errors.push_back({prefix + m.name, "required", std::string(m.name) + " is required"});
  });
}

// One member's value at path `at`: scalars strictly (read_member), a time as RFC 3339 text
// with its offset (invalid_time otherwise), an optional as its value, a list of described
// structs item by item ("sittings[1].ends_at"), a described struct as a nested object.
template <class T>
void read_value(const nlohmann::json& v, T& out, Reading& r, const std::string& at) {
  if constexpr (std::is_same_v<T, Timestamp>) {
    if (!v.is_string()) return r.wrong_type(at, "an RFC 3339 time");
    if (auto t = parse_time(v.get<std::string>())) out = *t;
    else r.errors.push_back({at, "invalid_time", "an RFC 3339 time with its offset: 2026-03-02T09:00:00+08:00"});
  } else if constexpr (is_optional<T>::value) {
    typename T::value_type value{};
    read_value(v, value, r, at);
    out = std::move(value);
  } else if constexpr (is_described<T>) {
    if (!v.is_object()) return r.wrong_type(at, "an object");
    read_object(v, out, r, at + ".");
  } else if constexpr (is_list_of_described<T>::value) {
    if (!v.is_array()) return r.wrong_type(at, "a list of objects");
    out.clear();
    for (std::size_t i = 0; i < v.size(); ++i) read_value(v[i], out.emplace_back(), r, at + "[" + std::to_string(i) + "]");
  } else {
    if (!read_member(v, out)) r.wrong_type(at, expected(&out));
  }
}

// Reads a request body into the described members of `value` strictly: each member of `j` that
// T does not describe is an `unknown_field` error (unless listed in `also`: members the caller
// reads itself; 422 validation.failed lists every one, before anything else is judged), and a
// member of the wrong type a 400 `request.wrong_type` naming it. An absent (or null) member
// keeps its value and is named in `absent`: for a PUT, which replaces the record, decide
// refuses each as `required`. Nested objects are read whole (read_value).
template <class T>
Status read_strict(const nlohmann::json& j, T& value, std::initializer_list<std::string_view> also = {},
                   std::vector<std::string>* absent = nullptr) {
  if (!j.is_object()) return Status::bad_request("request.malformed_json", "the body must be a JSON object");
  auto refused = refuse_unknown(j, [&](std::string_view key) {
    bool known = std::find(also.begin(), also.end(), key) != also.end();
    boost::mp11::mp_for_each<described_members<T>>([&](auto m) { known = known || key == m.name; });
    return known;
  });
  if (!refused) return refused;
  Reading r;
  std::vector<std::string> left;
  boost::mp11::mp_for_each<described_members<T>>([&](auto m) {
    auto it = j.find(m.name);
    if (it == j.end() || it->is_null()) left.push_back(m.name);
    else read_value(*it, value.*m.pointer, r, m.name);
  });
  if (absent) absent->insert(absent->end(), left.begin(), left.end());
  return std::move(r).status();
}

// Reads a body that holds a whole form: every member of T but its std::optional ones, at every
// depth. Unknown, absent and invalid members are all listed in one 422 validation.failed (a
// wrong type is 400 first).
template <class T>
Status read_whole(const nlohmann::json& j, T& value) {
  if (!j.is_object()) return Status::bad_request("request.malformed_json", "the body must be a JSON object");
  Reading r;
  read_object(j, value, r, "");
  return std::move(r).status();
}

// A value as the API shows it: a described struct as the object of its members (an empty
// std::optional left out), a list item by item, a Timestamp as China time text (format_china),
// anything else as nlohmann codes it. (Snapshots and read models code Timestamps as
// milliseconds: this is for the API's views only.)
template <class T>
nlohmann::json api_json(const T& value) {
  if constexpr (std::is_same_v<T, Timestamp>) {
    return format_china(value);
  } else if constexpr (is_vector<T>::value) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& item : value) items.push_back(api_json(item));
    return items;
  } else if constexpr (is_described<T>) {
    nlohmann::json object = nlohmann::json::object();
    boost::mp11::mp_for_each<described_members<T>>([&](auto m) {
      const auto& member = value.*m.pointer;
      if constexpr (is_optional<std::remove_cvref_t<decltype(member)>>::value) {
        if (member) object[m.name] = api_json(*member);
      } else {
        object[m.name] = api_json(member);
      }
    });
    return object;
  } else {
    return value;
  }
}

}  // namespace onex::engine

namespace nlohmann {

template <class T>
struct adl_serializer<T, std::enable_if_t<onex::engine::is_described<T>>> {
  using Members = onex::engine::described_members<T>;

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

template <>
struct adl_serializer<onex::Timestamp> {
  static void to_json(json& j, const onex::Timestamp& t) { j = t.time_since_epoch().count(); }
  static void from_json(const json& j, onex::Timestamp& t) {
    t = onex::Timestamp{std::chrono::milliseconds{j.get<long long>()}};
  }
};

}  // namespace nlohmann
