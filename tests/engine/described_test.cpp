// The kit's coding of described structs for the API (lib/engine/described.h, schema.h): bodies
// read strictly at every depth (unknown, absent and mistyped members named by their path), times
// as RFC 3339 text, optionals left out, views written with times as China time text, state
// copied into views with times converted, and the schema made from the same description.
#include <doctest/doctest.h>

#include "engine/codec.h"
#include "engine/described.h"
#include "engine/schema.h"

namespace onex::testing {

struct Window {
  std::string name;
  Timestamp opens_at{}, closes_at{};
};
struct Rule {
  std::string kind;
  std::optional<int> limit;
};
struct Form {
  std::string title;
  std::vector<Window> windows;
  Rule rule;
};
// How an event keeps a window: its times as UTC text.
struct StoredWindow {
  std::string name, opens_at, closes_at;
};
struct Stored {
  std::string title;
  std::vector<StoredWindow> windows;
  std::string rule;  // the same name, another type: left alone
};
BOOST_DESCRIBE_STRUCT(Window, (), (name, opens_at, closes_at))
BOOST_DESCRIBE_STRUCT(Rule, (), (kind, limit))
BOOST_DESCRIBE_STRUCT(Form, (), (title, windows, rule))
BOOST_DESCRIBE_STRUCT(StoredWindow, (), (name, opens_at, closes_at))
BOOST_DESCRIBE_STRUCT(Stored, (), (title, windows, rule))

namespace {

using nlohmann::json;

json valid() {
  return {{"title", "第一批"},
          {"windows", {{{"name", "报名"}, {"opens_at", "2026-03-02T09:00:00+08:00"}, {"closes_at", "2026-03-09T18:00:00+08:00"}}}},
          {"rule", {{"kind", "total"}, {"limit", 6000}}}};
}

std::vector<std::string> fields_of(const Status& s) {
  std::vector<std::string> out;
  for (const auto& e : s.errors()) out.push_back(e.field + ":" + e.code);
  return out;
}

}  // namespace

TEST_CASE("a whole form is read at every depth, its times as RFC 3339 text") {
  // Given a body with every member, when it is read whole, then each nested member holds its value.
  Form form;
  REQUIRE(engine::read_whole(valid(), form).is_ok());
  CHECK(form.title == "第一批");
  REQUIRE(form.windows.size() == 1);
  CHECK(form.windows[0].opens_at == *parse_time("2026-03-02T01:00:00Z"));
  CHECK(form.rule.limit == 6000);
  // An optional member may be left out; nothing else may.
  json body = valid();
  body["rule"].erase("limit");
  Form without;
  REQUIRE(engine::read_whole(body, without).is_ok());
  CHECK_FALSE(without.rule.limit.has_value());
}

TEST_CASE("a body's faults are named by their paths: unknown, absent and invalid together, a wrong type first") {
  json body = valid();
  body["extra"] = 1;
  body["rule"]["x"] = true;
  body["windows"][0].erase("closes_at");
  body["windows"][0]["opens_at"] = "next monday";
  Form form;
  const Status refused = engine::read_whole(body, form);
  CHECK(refused.code() == "validation.failed");
  CHECK(fields_of(refused) == std::vector<std::string>{"extra:unknown_field", "windows[0].opens_at:invalid_time",
                                                       "windows[0].closes_at:required", "rule.x:unknown_field"});
  body["windows"][0]["name"] = 7;
  const Status wrong = engine::read_whole(body, form);
  CHECK(wrong.code() == "request.wrong_type");
  CHECK(wrong.message().find("windows[0].name") != std::string::npos);
  CHECK(engine::read_whole(json{{"title", "t"}, {"windows", json::object()}, {"rule", valid()["rule"]}}, form).code() ==
        "request.wrong_type");
}

TEST_CASE("read_strict keeps its top level: unknown members alone first, absent ones listed, nested ones whole") {
  Form form;
  std::vector<std::string> absent;
  REQUIRE(engine::read_strict(json{{"title", "t"}}, form, {}, &absent).is_ok());
  CHECK(absent == std::vector<std::string>{"windows", "rule"});
  json body = valid();
  body["bogus"] = 1;
  body["rule"]["x"] = 1;
  CHECK(fields_of(engine::read_strict(body, form)) == std::vector<std::string>{"bogus:unknown_field"});
  body.erase("bogus");
  CHECK(fields_of(engine::read_strict(body, form)) == std::vector<std::string>{"rule.x:unknown_field"});
}

TEST_CASE("a view shows times as China time text and leaves an empty optional out, and its state converts") {
  // Given a form as an event keeps it (UTC text), when a view is copied from it,
  Stored stored{"第一批", {{"报名", "2026-03-02T01:00:00.000Z", "2026-03-09T10:00:00.000Z"}}, "total"};
  Form view;
  engine::assign(view, stored);
  // then the times are instants again, and a same-named member of another type is left alone;
  REQUIRE(view.windows.size() == 1);
  CHECK(view.windows[0].closes_at == *parse_time("2026-03-09T18:00:00+08:00"));
  CHECK(view.rule.kind.empty());
  // and back: the instants as UTC text.
  Stored again;
  engine::assign(again, view);
  CHECK(again.windows[0].opens_at == format_utc(view.windows[0].opens_at));
  // The API shows the view with China time text, without the empty optional.
  const json shown = engine::api_json(view);
  CHECK(shown["windows"][0]["opens_at"] == "2026-03-02T09:00:00+08:00");
  CHECK_FALSE(shown["rule"].contains("limit"));
  view.rule.limit = 5;
  CHECK(engine::api_json(view)["rule"]["limit"] == 5);
  // What the API shows reads back as the same form.
  Form read;
  view.rule.kind = "total";
  REQUIRE(engine::read_whole(engine::api_json(view), read).is_ok());
  CHECK(read.windows[0].opens_at == view.windows[0].opens_at);
}

TEST_CASE("the schema comes from the same description: times as date-time, optionals never required") {
  const json schema = engine::schema_of<Form>();
  CHECK(schema["properties"]["windows"]["items"]["properties"]["opens_at"] ==
        json{{"type", "string"}, {"format", "date-time"}});
  CHECK(schema["properties"]["rule"]["required"] == json::array({"kind"}));
  CHECK(schema["required"] == json::array({"title", "windows", "rule"}));
}

enum class Stage { none, draft, under_review, decided };
BOOST_DESCRIBE_ENUM(Stage, none, draft, under_review, decided)

TEST_CASE("a status's values are the machine's state names, none left out, in the machine's order") {
  CHECK(engine::phases_of<Stage>() ==
        json{{"type", "string"}, {"enum", {"draft", "under_review", "decided"}}});
  CHECK(engine::phases_of<Stage>("by the clock")["description"] == "by the clock");
  static constexpr std::string_view kinds[] = {"every_subject", "total"};
  CHECK(engine::one_of(kinds)["enum"] == json::array({"every_subject", "total"}));
}

struct Plain {
  static constexpr std::string_view type = "test.plain";
  std::string name;
};
BOOST_DESCRIBE_STRUCT(Plain, (), (name))
struct Second {
  static constexpr std::string_view type = "test.second";
  static constexpr int schema_version = 2;
  std::string name;
};
BOOST_DESCRIBE_STRUCT(Second, (), (name))

TEST_CASE("an event is stored with schema version 1 unless it says otherwise, and a newer one is refused") {
  using Event = std::variant<Plain, Second>;
  CHECK(engine::encode_event(Event{Plain{"a"}}).schema_version == 1);
  CHECK(engine::encode_event(Event{Second{"b"}}).schema_version == 2);
  RecordedEvent newer;
  newer.type = "test.plain";
  newer.schema_version = 2;
  newer.data = {{"name", "c"}};
  CHECK(engine::decode_event<Event>(newer).status().code() == "store.corruption");
  newer.schema_version = 1;
  CHECK(std::get<Plain>(*engine::decode_event<Event>(newer)).name == "c");
}

}  // namespace onex::testing
