// The rules of declarations (SPEC.md §5): pure functions from the current state, a
// command and its context to the events it yields, or the refusal. No I/O, no clock but `now`.
#pragma once

#include "declaration/state.h"
#include "engine/codec.h"
#include "common/lookups.h"
#include "engine/command.h"
#include "util/identifiers.h"
#include "onex/declaration.h"

namespace onex {
// The list's tabs are DeclarationCounts' members: its counts, its status filter and their schema.
BOOST_DESCRIBE_STRUCT(DeclarationCounts, (), (all, draft, pending, approved, rejected))
}  // namespace onex

namespace onex::declaration {

struct Workflow : engine::Codec<declaration::Event> {
  static constexpr std::string_view kind = "declaration";
  using Event = declaration::Event;
  using Machine = declaration::Machine;
  using View = DeclarationView;
  // The read model (engine/records.h) and its list keys; the view (projection.cpp).
  static constexpr std::string_view read_model = "declaration_records";
  static std::vector<std::string> index(const Machine& m, std::string_view seq);
  static DeclarationView view(const Machine& m, std::uint64_t version);
};

using Decision = engine::Decision<Workflow>;
using Context = engine::Context;

// The commands, as their decides take them (DeclarationInput is the form's fields).
struct Create {
  DeclarationInput form;
  bool submit = false;  // and submit it, all or nothing
};
struct Edit {
  std::string id;
  DeclarationInput form;
};
struct Target {  // delete, submit
  std::string id;
};
struct CityReview {
  std::string id;
  bool approve = false;
  std::string reason{};
};
struct ProvinceReview {
  std::string id;
  bool approve = false;
  std::optional<int> approved_trainees{};  // default: the planned number
  std::string reason{};
};

// What the service looked up for a command about an institution's declaration: where the
// institution is (which decides who reviews it), whether its basic info is complete, and the
// field errors of references that do not resolve (an unknown certificate, a file that is not the
// institution's declaration attachment).
struct Facts {
  lookup::PlanRef plan{};  // the declaration's plan (create, submit)
  std::string province_code, city_code;
  bool profile_complete = false;
  std::vector<FieldError> reference_errors;
};

using util::plain_id;  // ids made by onex and the catalogue (util/identifiers.h)

// The unique key that keeps one live declaration per institution × plan × certificate.
std::string slot_key(const State& s);

// teachers_html and venue_html are sanitised here (lib/html), so the events hold the safe text.
// A creation drafts under the context's id.
Result<Decision> decide_create(const Machine& m, const Create& in, const Context& ctx,
                               const Facts& facts);
Result<Decision> decide_edit(const Machine& m, const Edit& in, const Context& ctx,
                             const Facts& facts);
Result<Decision> decide_delete(const Machine& m, const Target& in, const Context& ctx);
Result<Decision> decide_submit(const Machine& m, const Target& in, const Context& ctx,
                               const Facts& facts);
Result<Decision> decide_city_review(const Machine& m, const CityReview& in, const Context& ctx);
Result<Decision> decide_province_review(const Machine& m, const ProvinceReview& in,
                                        const Context& ctx);

// The SMS text that tells the institution of a decision (approved or rejected); "" for none.
std::string notice(const Machine& m, std::string_view certificate_name);

// THE rule of who sees a declaration, for get, list, counts, history and files alike: its
// institution's accounts (a scoped staff only its certificates'); its city and province once
// submitted (any state but draft). Nobody sees one that does not exist or was deleted. Others
// get 404, as if it did not exist (check_visible).
bool sees(const Actor& actor, const Machine& declaration);
Status check_visible(const Machine& m, const Actor& actor);

// Whether a declaration in `status` is listed under the tab `tab`: every one under "all", one in
// either review under "pending", any other under its status.
bool listed_under(std::string_view tab, std::string_view status);

}  // namespace onex::declaration
