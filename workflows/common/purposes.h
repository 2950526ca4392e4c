// The purposes files are uploaded for (API.md "File purposes and limits"): each workflow
// registers the purposes of the files its records use, with their limits and kinds
// (workflows/registry.cpp collects them, in the registry's order); the file workflow checks
// uploads against them.
#pragma once

#include <string_view>
#include <vector>

#include "files/sniff.h"

namespace onex {

const std::vector<files::Purpose>& file_purposes();
// nullptr for a purpose no workflow registered.
const files::Purpose* find_file_purpose(std::string_view name);

}  // namespace onex
