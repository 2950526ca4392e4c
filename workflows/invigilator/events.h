// Events of invigilators (监考人员, SPEC.md §6): teachers an institution submits for the exams of
// certificates it pilots; the certificates' org certifies or rejects them.
//
// STORAGE FORMAT. These structs are how invigilators are kept for as long as the log lives. Add
// fields with defaults, add event types, or raise schema_version with an upcast; never change
// what a stored field means. Name, ID number and phone are personal data (`pii`).
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "engine/described.h"
#include "onex/event.h"

namespace onex::invigilator {

struct Person {
  std::string name, id_number, phone;
};
BOOST_DESCRIBE_STRUCT(Person, (), (name, id_number, phone))

// stream "invigilator-<id>"
struct Submitted {
  static constexpr std::string_view type = "invigilator.submitted";
  std::string invigilator_id, institution_id, org_id;
  std::vector<std::string> certificate_ids;  // all of one org
  Person pii;
  // The ID number's keyed hash (BLAKE2b keyed with the store's secret key): the claim that
  // makes a person one invigilator per org ("" in events recorded before it).
  std::string person_key;
};
BOOST_DESCRIBE_STRUCT(Submitted, (), (invigilator_id, institution_id, org_id, certificate_ids, pii, person_key))

struct Certified {
  static constexpr std::string_view type = "invigilator.certified";
  std::string note;
};
BOOST_DESCRIBE_STRUCT(Certified, (), (note))

struct Rejected {
  static constexpr std::string_view type = "invigilator.rejected";
  std::string reason;
};
BOOST_DESCRIBE_STRUCT(Rejected, (), (reason))

using Event = std::variant<Submitted, Certified, Rejected>;

}  // namespace onex::invigilator
