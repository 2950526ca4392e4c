// Events of the reference data (SPEC.md §3): institution registry imports, training orgs
// (培训评价组织), certificates and standards.
//
// STORAGE FORMAT. These structs are how reference data is kept for as long as the log lives.
// Add fields with defaults, add event types, or raise schema_version with an upcast; never
// change what a stored field means.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "engine/described.h"

namespace onex::reference {

// ---- registry import stream: "registry-<import id>" ----

// One registry entry as imported (学校标识码 and where the institution is).
struct RegistryRow {
  std::string code;           // 10 digits
  std::string name;
  std::string province_code;  // two digits, equal to the code's digits 3–4
  std::string city_code;      // four digits beginning with the province code
  std::string type;
  bool operator==(const RegistryRow&) const = default;
};
BOOST_DESCRIBE_STRUCT(RegistryRow, (), (code, name, province_code, city_code, type))

// A chunk of one import (at most kRowsPerChunk rows); an import is all its chunks, appended
// atomically. A code imported again replaces its entry.
struct RowsImported {
  static constexpr std::string_view type = "registry.rows_imported";
  std::string import_id;
  int chunk = 0;  // 0, 1, 2, ... within the import
  std::vector<RegistryRow> rows;
};
BOOST_DESCRIBE_STRUCT(RowsImported, (), (import_id, chunk, rows))

using RegistryEvent = std::variant<RowsImported>;

// ---- org stream: "org-<id>" ----

struct OrgCreated {
  static constexpr std::string_view type = "org.created";
  std::string org_id;
  std::string code;
  std::string name;
  std::string credit_code;  // unified social credit code (GB 32100)
  std::string contact_name;
  std::string contact_phone;  // without +86
};
BOOST_DESCRIBE_STRUCT(OrgCreated, (), (org_id, code, name, credit_code, contact_name,
                                       contact_phone))

using OrgEvent = std::variant<OrgCreated>;

// ---- certificate stream: "certificate-<id>" ----

struct CertificateCreated {
  static constexpr std::string_view type = "certificate.created";
  std::string certificate_id;
  std::string code;
  std::string name;
  std::vector<std::string> levels;  // "junior", "intermediate", "senior", in that order
  std::string org_id;
};
BOOST_DESCRIBE_STRUCT(CertificateCreated, (), (certificate_id, code, name, levels, org_id))

using CertificateEvent = std::variant<CertificateCreated>;

// ---- standard stream: "standard-<id>" ----

// What a standard says; both events carry all of it, so the last one is the standard.
struct StandardFields {
  std::string code;     // "600002"
  std::string name;
  std::string edition;  // the API's `version`: "2020版"
  std::string kind;     // "skill_level" | "site_construction"
  std::vector<std::string> certificate_ids;
  std::string file_id;  // "" when none
  std::string status;   // "enabled" | "disabled"
  bool operator==(const StandardFields&) const = default;
};
BOOST_DESCRIBE_STRUCT(StandardFields, (), (code, name, edition, kind, certificate_ids, file_id,
                                           status))

struct StandardPublished {
  static constexpr std::string_view type = "standard.published";
  std::string standard_id;
  std::string org_id;  // the publishing org
  StandardFields fields;
};
BOOST_DESCRIBE_STRUCT(StandardPublished, (), (standard_id, org_id, fields))

struct StandardRevised {
  static constexpr std::string_view type = "standard.revised";
  StandardFields fields;  // the standard after the revision
};
BOOST_DESCRIBE_STRUCT(StandardRevised, (), (fields))

using StandardEvent = std::variant<StandardPublished, StandardRevised>;

}  // namespace onex::reference
