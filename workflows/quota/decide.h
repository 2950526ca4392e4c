// The rules of quotas (SPEC.md §5): pure functions from the quota's machine and a command to the
// events it yields, or the refusal. A quota exists only once an approval granted it.
#pragma once

#include <string>
#include <string_view>

#include "engine/engine.h"
#include "quota/state.h"

namespace onex::quota {

using Decision = engine::Decision<Workflow>;

// THE rule of who sees a quota, for its get, list and history: its institution's accounts (a
// scoped staff only its certificates') and its province; the auditor.
bool sees(const Actor& actor, std::string_view institution_id, std::string_view province_code,
          std::string_view certificate_id);

// The province sets the total, with a reason. 404 quota.not_found for a quota no approval has
// granted (or of another province); 422 quota.below_used under what is used; no event when the
// total is unchanged.
Result<Decision> decide_adjust(const Machine& m, const Actor& actor, int approved_trainees,
                               const std::string& reason);

}  // namespace onex::quota
