// Events of candidates (考生, SPEC.md §6): the people an institution enters for exams, imported
// once ever, their photos and their real-name check.
//
// STORAGE FORMAT. These structs are how candidates are kept for as long as the log lives. Add
// fields with defaults, add event types, or raise schema_version with an upcast; never change
// what a stored field means. Name, ID number and phone are personal data (`pii`): erasable
// without breaking the hash chain.
#pragma once

#include <string>
#include <variant>

#include "engine/described.h"
#include "onex/event.h"

namespace onex::candidate {

struct Person {
  std::string name, id_number, phone;
};
BOOST_DESCRIBE_STRUCT(Person, (), (name, id_number, phone))

// What a candidate holds besides the person: the template's other columns.
struct Details {
  std::string kind;  // "student" (院校考生), "social" (社会考生)
  std::string name_pinyin, major, major_level;
  int enrolment_year = 0;  // 0: not given
};
BOOST_DESCRIBE_STRUCT(Details, (), (kind, name_pinyin, major, major_level, enrolment_year))

// stream "candidate-<id>"
struct Imported : Details {
  static constexpr std::string_view type = "candidate.imported";
  std::string candidate_id, institution_id;
  // The keyed hash of the ID number the store claims (candidate/<person_key>): the person is
  // a candidate once, ever. Not the ID number: the key cannot be turned back into it.
  std::string person_key;
  Person pii;
};
BOOST_DESCRIBE_STRUCT(Imported, (Details), (candidate_id, institution_id, person_key, pii))

// New details and person, whole (a form's changes, or a batch update's row). A changed name,
// ID number or photo needs the real-name check again: that is a separate event.
struct Edited : Details {
  static constexpr std::string_view type = "candidate.edited";
  std::string person_key;  // of the ID number after the edit
  Person pii;
};
BOOST_DESCRIBE_STRUCT(Edited, (Details), (person_key, pii))

// The name or ID number changed, or the photo: the earlier check no longer says anything.
struct IdentityReset {
  static constexpr std::string_view type = "candidate.identity_reset";
  std::string reason;  // "person", "photo"
};
BOOST_DESCRIBE_STRUCT(IdentityReset, (), (reason))

struct PhotoSet {
  static constexpr std::string_view type = "candidate.photo_set";
  std::string file_id, sha256;
};
BOOST_DESCRIBE_STRUCT(PhotoSet, (), (file_id, sha256))

// What the identity verifier answered on name, ID number and photo.
struct IdentityChecked {
  static constexpr std::string_view type = "candidate.identity_checked";
  std::string result;  // "verified", "failed", "unavailable"
  std::string photo_file_id;  // the photo checked
};
BOOST_DESCRIBE_STRUCT(IdentityChecked, (), (result, photo_file_id))

// The institution confirmed the person by hand (after a failed or impossible check).
struct IdentityConfirmed {
  static constexpr std::string_view type = "candidate.identity_confirmed";
  std::string photo_file_id;
};
BOOST_DESCRIBE_STRUCT(IdentityConfirmed, (), (photo_file_id))

using Event = std::variant<Imported, Edited, IdentityReset, PhotoSet, IdentityChecked, IdentityConfirmed>;

}  // namespace onex::candidate
