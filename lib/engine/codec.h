// Encoding a workflow's event variant to stored events and back.
//
// Each event struct declares its wire name, and its schema version once it is past 1:
//   struct Submitted { static constexpr std::string_view type = "declaration.submitted"; ... };
//   (a later shape: `static constexpr int schema_version = 2;` and an `upcast`)
// and is (de)serialised by nlohmann::json: its members are listed once with
// BOOST_DESCRIBE_STRUCT (engine/described.h), so that fields added later read their defaults
// from old events. An event stored with an older schema_version is upcast first by
// `static void upcast(nlohmann::json& data, int from_version)` when the struct has one.
#pragma once

#include <string>
#include <variant>

#include "onex/event.h"
#include "onex/status.h"

namespace onex::engine {

// An event's schema version: its `schema_version`, 1 when it has none.
template <class T>
inline constexpr int schema_version_of = [] {
  if constexpr (requires { T::schema_version; }) return int{T::schema_version};
  else return 1;
}();

template <class T>
concept Upcastable = requires(nlohmann::json& j) { T::upcast(j, 1); };

template <class Variant, std::size_t I = 0>
Result<Variant> decode_event(const RecordedEvent& e) {
  if constexpr (I == std::variant_size_v<Variant>) {
    return Status::corruption("unknown event type " + e.type);
  } else {
    using T = std::variant_alternative_t<I, Variant>;
    if (e.type != T::type) return decode_event<Variant, I + 1>(e);
    if (e.schema_version > schema_version_of<T>)
      return Status::corruption(e.type + " has schema version " + std::to_string(e.schema_version) +
                                ", newer than this build reads");
    try {
      if constexpr (Upcastable<T>) {
        if (e.schema_version < schema_version_of<T>) {
          nlohmann::json data = e.data;
          T::upcast(data, e.schema_version);
          return Variant{std::in_place_index<I>, data.get<T>()};
        }
      }
      return Variant{std::in_place_index<I>, e.data.get<T>()};
    } catch (const nlohmann::json::exception& ex) {
      return Status::corruption(e.type + ": " + ex.what());
    }
  }
}

template <class Variant>
NewEvent encode_event(const Variant& v) {
  return std::visit(
      [](const auto& e) {
        using T = std::decay_t<decltype(e)>;
        return NewEvent{std::string(T::type), schema_version_of<T>, nlohmann::json(e)};
      },
      v);
}

template <class Variant>
std::string_view event_type(const Variant& v) {
  return std::visit([](const auto& e) { return std::string_view(std::decay_t<decltype(e)>::type); },
                    v);
}

// A workflow's wire coding of its events: `struct Workflow : engine::Codec<Event> {...}`.
template <class Event>
struct Codec {
  static Result<Event> decode(const RecordedEvent& e) { return decode_event<Event>(e); }
  static NewEvent encode(const Event& e) { return encode_event(e); }
};

}  // namespace onex::engine
