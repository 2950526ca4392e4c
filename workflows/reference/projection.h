// Read models of reference data.
//
// "registry":     code/<code> → {"code","name","province_code","city_code","type"} (the shape
//                 workflows/common/lookups.h documents)
//                 p/<province_code>/<city_code>/<code> → "" (listing by province and city)
// "orgs":         <org_id> → {"id","code","name","credit_code","contact_name","contact_phone"}
// "certificates": <certificate_id> → {"id","code","name","levels":[...],"org_id"}
// "standards":    <standard_id> → StandardView as JSON (with "edition" for the API's version)
#pragma once

#include <nlohmann/json.hpp>

#include "onex/rebuild.h"
#include "onex/reference.h"

namespace onex::reference {

inline constexpr std::string_view kRegistry = "registry";
inline constexpr std::string_view kOrgs = "orgs";
inline constexpr std::string_view kCertificates = "certificates";
inline constexpr std::string_view kStandards = "standards";

Projections projections();

RegistryEntryView registry_from_json(const nlohmann::json& j);
OrgView org_from_json(const nlohmann::json& j);
CertificateView certificate_from_json(const nlohmann::json& j);
StandardView standard_from_json(const nlohmann::json& j);

}  // namespace onex::reference
