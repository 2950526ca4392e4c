// Read model of accounts, for managers' lists. "accounts":
//   a/<id> → the account as lists show it (AccountView as JSON; phone masked)
//   by/<manager scope>/<seq> → <id>, where the scope is "operator" (province, city, org and
//   auditor accounts), "province:<code>" (its leader and city accounts) or
//   "institution:<id>" (its staff); <seq> orders by creation.
#pragma once

#include <nlohmann/json.hpp>

#include "onex/accounts.h"
#include "onex/rebuild.h"

namespace onex::account {

inline constexpr std::string_view kAccounts = "accounts";

Projections projections();

// The manager scopes that list an account of `role` with these ids.
std::vector<std::string> manager_scopes(std::string_view role, std::string_view province_code,
                                        std::string_view institution_id);

AccountView view_from_json(const nlohmann::json& j);

}  // namespace onex::account
