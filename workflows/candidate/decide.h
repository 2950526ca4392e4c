// The rules of candidates (SPEC.md §6): who works on them, what a candidate must hold, when a
// person may be imported (once, ever), photos, the real-name check and its confirmation.
// Pure functions; no I/O, no clock but the context's `now`.
#pragma once

#include "candidate/state.h"
#include "engine/codec.h"
#include "engine/command.h"
#include "onex/candidates.h"

namespace onex {

// The members of a candidate's form and view, listed once: their JSON, their strict reading,
// their patching and their OpenAPI schemas.
BOOST_DESCRIBE_STRUCT(CandidateInput, (), (kind, name, name_pinyin, id_number, phone, major, major_level,
                                           enrolment_year))
BOOST_DESCRIBE_STRUCT(CandidateView, (), (id, stream, version, institution_id, kind, name, name_pinyin, id_number,
                                          phone, major, major_level, enrolment_year, verification, photo_file_id,
                                          registrable))

}  // namespace onex

namespace onex::candidate {

struct Workflow : engine::Codec<candidate::Event> {
  static constexpr std::string_view kind = "candidate";
  using Event = candidate::Event;
  using Machine = candidate::Machine;
  using View = CandidateView;
  // The read model (engine/records.h): i/<institution>/<seq> lists an institution's candidates.
  static constexpr std::string_view read_model = "candidate_records";
  static std::vector<std::string> index(const Machine& m, std::string_view seq);
  // The view as lists show it: the ID number masked (projection.cpp).
  static CandidateView view(const Machine& m, std::uint64_t version);
};

using Decision = engine::Decision<Workflow>;
using Context = engine::Context;

// THE rule of who sees a candidate, for get, list, history, photos and lookups: the accounts
// (leader, staff) of its institution. They see its personal data, the whole ID number included.
bool sees(const Actor& actor, const State& candidate);
// Whether registration may take the candidate: verified or confirmed, with a photo.
bool registrable(const Machine& candidate);
// The claim that makes a person a candidate once: "candidate/<person_key>".
std::string person_claim(std::string_view person_key);

// What creating or editing reads besides the command: the keyed hash of the ID number as
// given (normalized) and whether another record holds that person.
struct Facts {
  std::string person_key;
  bool taken = false;
};

Result<Decision> decide_create(const Machine& candidate, const CandidateInput& input, const Context& ctx,
                               const Facts& facts);
struct Edit {
  std::string id;
  CandidatePatch patch;
};
// The patch applied over the candidate's fields: the input an edit is checked as.
CandidateInput patched(const State& candidate, const CandidatePatch& patch);
Result<Decision> decide_edit(const Machine& candidate, const Edit& input, const Context& ctx, const Facts& facts);

struct SetPhoto {
  std::string id, file_id, sha256;
};
Result<Decision> decide_photo(const Machine& candidate, const SetPhoto& input, const Context& ctx);
struct RecordCheck {
  std::string id, result, photo_file_id;  // the verifier's answer on that photo
};
Result<Decision> decide_check(const Machine& candidate, const RecordCheck& input, const Context& ctx);
struct Confirm {
  std::string id;
};
Result<Decision> decide_confirm(const Machine& candidate, const Confirm& input, const Context& ctx);

// The ID number as kept: upper-case check character, no spaces around.
std::string normal_id_number(std::string_view id_number);

}  // namespace onex::candidate
