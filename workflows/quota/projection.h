// Read model of quotas. "quotas": q/<institution>/<certificate>/<year> →
// {institution_id, province_code, certificate_id, year, approved_trainees, used}
#pragma once

#include "onex/rebuild.h"

namespace onex::quota {

inline constexpr std::string_view kQuotas = "quotas";

Projections projections();

}  // namespace onex::quota
