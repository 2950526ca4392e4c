// The rules of invigilators (SPEC.md §6): who submits them and what for, who certifies them,
// and who sees them. Pure functions; no I/O, no clock but the context's `now`.
#pragma once

#include <map>
#include <optional>

#include "common/lookups.h"
#include "engine/codec.h"
#include "engine/command.h"
#include "invigilator/state.h"
#include "onex/invigilators.h"

namespace onex {

BOOST_DESCRIBE_STRUCT(InvigilatorInput, (), (name, id_number, phone, certificate_ids))
BOOST_DESCRIBE_STRUCT(InvigilatorView, (), (id, stream, version, institution_id, org_id, name, id_number, phone,
                                            certificate_ids, status, reason))
BOOST_DESCRIBE_STRUCT(InvigilatorReview, (), (approve, reason))

}  // namespace onex

namespace onex::invigilator {

struct Workflow : engine::Codec<invigilator::Event> {
  static constexpr std::string_view kind = "invigilator";
  using Event = invigilator::Event;
  using Machine = invigilator::Machine;
  using View = InvigilatorView;
  // The read model (engine/records.h): i/<institution>/<seq> and o/<org>/<seq> list them.
  static constexpr std::string_view read_model = "invigilator_records";
  static std::vector<std::string> index(const Machine& m, std::string_view seq);
  // The view as lists show it: the ID number masked (projection.cpp).
  static InvigilatorView view(const Machine& m, std::uint64_t version);
};

using Decision = engine::Decision<Workflow>;
using Context = engine::Context;

// THE rule of who sees an invigilator, for get, list, history and lookups: its institution's
// accounts (a scoped staff when one of its certificates is in scope) and the org of its
// certificates. Both see its personal data.
bool sees(const Actor& actor, const State& invigilator);

// What submitting reads besides the command: each certificate named (those that exist),
// whether the institution pilots it, and the keyed hash of the ID number (the service keys it
// with the store's secret; no ID number is ever part of a key).
struct Facts {
  std::map<std::string, lookup::CertificateRef> certificates;
  std::map<std::string, bool> piloted;
  std::string person_key;
};
// The claim that makes a person one invigilator per org: held while submitted or certified,
// freed by a rejection (the institution may submit the person again).
std::string person_claim(std::string_view org_id, std::string_view person_key);
Result<Decision> decide_submit(const Machine& invigilator, const InvigilatorInput& input, const Context& ctx,
                               const Facts& facts);
struct Review {
  std::string id;
  InvigilatorReview review;
};
Result<Decision> decide_review(const Machine& invigilator, const Review& input, const Context& ctx);

}  // namespace onex::invigilator
