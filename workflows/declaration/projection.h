// Read models of declarations (plans: declaration_plan/projection.h).
//
// "declarations":      d/<id> → the declaration as lists show it (DeclarationView as JSON)
//                      i/<institution>/<seq> → <id>, live declarations in creation order
//                      (an institution's counts by status are counted from its list, not kept)
// "declaration_regions": p/<province>/<seq> → <id>, c/<city>/<seq> → <id>: live declarations
//                      by the institution's province and city, for reviewers' lists;
//                      x/<id> → {"province_code","city_code","seq"} to find them again
// <seq> is the position of the record's first event, 20 digits, so keys sort by age.
#pragma once

#include <nlohmann/json.hpp>

#include "declaration/state.h"
#include "onex/declaration.h"
#include "onex/rebuild.h"

namespace onex::declaration {

inline constexpr std::string_view kDeclarations = "declarations";
inline constexpr std::string_view kRegions = "declaration_regions";

Projections projections();

// A declaration's view: from its machine (service answers, `onex audit as-of`), and as JSON
// (the read model's d/<id> and the API body), both by the one description in view.h.
DeclarationView view_of(const Machine& m, std::uint64_t version);
DeclarationView view_from_json(const nlohmann::json& j);

}  // namespace onex::declaration
