// Events of declarations (证书试点申报); a plan's are in declaration_plan/events.h.
//
// STORAGE FORMAT. These structs are how plans and declarations are kept for as long as the log
// lives. Add fields with defaults, add event types, or raise schema_version with an upcast;
// never change what a stored field means. tests/corpus/declaration.jsonl replays old histories.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "engine/described.h"

#include "onex/declaration.h"
#include "onex/event.h"
#include "onex/status.h"

namespace onex {
BOOST_DESCRIBE_STRUCT(DeclarationFields, (), (majors, planned_trainees, teachers_html, venue_html, file_ids))
}  // namespace onex

namespace onex::declaration {

// ---- declaration stream: "declaration-<id>" ----

// What an institution fills in: the public record's fields (onex::DeclarationFields), described
// here once for the events, the form, the view and the read model.
using Fields = DeclarationFields;

struct Drafted {
  static constexpr std::string_view type = "declaration.drafted";
  std::string declaration_id;
  std::string plan_id;
  std::string institution_id;
  std::string province_code;  // the institution's, which decides who reviews
  std::string city_code;
  std::string certificate_id;
  int year = 0;
  Fields fields;
};
BOOST_DESCRIBE_STRUCT(Drafted, (), (declaration_id, plan_id, institution_id, province_code,
                                    city_code, certificate_id, year, fields))

struct Edited {
  static constexpr std::string_view type = "declaration.edited";
  Fields fields;
};
BOOST_DESCRIBE_STRUCT(Edited, (), (fields))

struct Deleted {
  static constexpr std::string_view type = "declaration.deleted";
  bool deleted = true;  // events carry an object; this keeps it from being empty
};
BOOST_DESCRIBE_STRUCT(Deleted, (), (deleted))

struct Submitted {
  static constexpr std::string_view type = "declaration.submitted";
  bool city_review = false;  // the plan asks its city to review first
};
BOOST_DESCRIBE_STRUCT(Submitted, (), (city_review))

struct CityApproved {
  static constexpr std::string_view type = "declaration.city_approved";
  bool approved = true;
};
BOOST_DESCRIBE_STRUCT(CityApproved, (), (approved))

struct CityRejected {
  static constexpr std::string_view type = "declaration.city_rejected";
  std::string reason;
};
BOOST_DESCRIBE_STRUCT(CityRejected, (), (reason))

struct Approved {
  static constexpr std::string_view type = "declaration.approved";
  int approved_trainees = 0;
};
BOOST_DESCRIBE_STRUCT(Approved, (), (approved_trainees))

struct Rejected {
  static constexpr std::string_view type = "declaration.rejected";
  std::string reason;
};
BOOST_DESCRIBE_STRUCT(Rejected, (), (reason))

using Event =
    std::variant<Drafted, Edited, Deleted, Submitted, CityApproved, CityRejected, Approved, Rejected>;

}  // namespace onex::declaration
