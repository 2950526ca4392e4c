// The members of a declaration's view, listed once: its JSON in the read model and in the API
// (engine/described.h), and later its OpenAPI schema. `history` is not among them: get() adds it.
#pragma once

#include "engine/described.h"
#include "onex/declaration.h"

namespace onex {

BOOST_DESCRIBE_STRUCT(DeclarationView, (),
                      (id, stream, version, status, plan_id, institution_id, province_code,
                       city_code, certificate_id, year, majors, planned_trainees, teachers_html,
                       venue_html, file_ids, approved_trainees, rejection_reason, rejected_by))

}  // namespace onex
