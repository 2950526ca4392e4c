// The rules of quotas (SPEC.md §5): pure functions from the quota's machine and a command to the
// events it yields, or the refusal. A quota exists only once an approval granted it.
#pragma once

#include <string>
#include <string_view>

#include "engine/command.h"
#include "quota/state.h"

namespace onex::quota {

using Decision = engine::Decision<Workflow>;
using Context = engine::Context;
inline Status not_found() { return engine::not_found<Workflow>(); }

// The province's adjustment of one institution × certificate × year.
struct Adjust {
  std::string institution_id, certificate_id;
  int year = 0;
  int approved_trainees = 0;  // the new total
  std::string reason;
};
// The quota's id, or "" (no record: 404) for ids that are not plain or a year out of range.
std::string id_of(const Adjust& in);

// THE rule of who sees a quota, for its get, list and history: its institution's accounts (a
// scoped staff only its certificates') and its province; the auditor.
bool sees(const Actor& actor, std::string_view institution_id, std::string_view province_code,
          std::string_view certificate_id);

// The province sets the total, with a reason. 404 quota.not_found for a quota no approval has
// granted (or of another province); 422 quota.below_used under what is used; no event when the
// total is unchanged.
Result<Decision> decide_adjust(const Machine& m, const Adjust& in, const Context& ctx);

}  // namespace onex::quota
