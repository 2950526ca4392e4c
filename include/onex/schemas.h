// JSON Schemas of the records' views and inputs that the library describes member by member
// (the descriptions that also code them), for the OpenAPI document: a route's schema is one of
// these where the library has it, so the document cannot drift from the JSON.
#pragma once

#include <nlohmann/json.hpp>

namespace onex {

// {"Declaration": the view (GET /api/v1/declarations/{id} without its history),
//  "DeclarationInput": a create's fields, any of which a draft may leave out,
//  "DeclarationEdit": an edit's (every field; plan_id and certificate_id optional),
//  "DeclarationCounts": a list's counts by tab, "DeclarationTab": the tabs (its status filter)}.
nlohmann::json described_schemas();

// {"AccountStatus": an account's status (its machine's states, and provisioned: active with its
//  setup pending), "Role": every role, "NewRole": the roles a manager creates (all but operator)}.
nlohmann::json account_schemas();

// {"ExamSubject": the view, "ExamSubjectInput": a create's body}.
nlohmann::json exam_schemas();
// {"ExamPlan": a plan's view, "ExamPlanInput": its create's body (every member required but
//  pass_rule.total_pass)}.
nlohmann::json exam_plan_schemas();

}  // namespace onex
