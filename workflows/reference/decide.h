// The rules of reference data (SPEC.md §3): reading the registry CSV, and pure functions from a
// record's state, a command and the facts the service looked up to the events it yields, or the
// refusal. No I/O, no clock but `now`.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/command.h"
#include "util/identifiers.h"
#include "onex/reference.h"
#include "reference/state.h"

namespace onex::reference {

using RegistryDecision = engine::Decision<RegistryWorkflow>;
using OrgDecision = engine::Decision<OrgWorkflow>;
using CertificateDecision = engine::Decision<CertificateWorkflow>;
using StandardDecision = engine::Decision<StandardWorkflow>;

inline constexpr std::size_t kRowsPerChunk = 500;
inline constexpr std::size_t kMaxNameChars = 100;

using Context = engine::Context;

using util::plain_id;     // ids made by onex (util/identifiers.h)
using util::utf8_length;  // code points of valid UTF-8 text

// ---- registry CSV ----

// A registry row and the file line it starts on.
struct CsvRow {
  std::size_t line = 0;
  RegistryRow row;
};
struct ParsedRegistry {
  std::vector<CsvRow> rows;                 // only meaningful when there are no errors
  std::vector<RegistryImportError> errors;  // the first kMaxImportErrors, in file order
  std::size_t error_count = 0;
};
// Reads and checks an import file with libcsv (RFC 4180): a UTF-8 BOM is skipped, the header
// names the five columns (in any order, each once), every line is checked (code: a registry
// institution code whose digits 3–4 are province_code; name: 1 to 100 characters; province_code:
// one of the 34; city_code: a city of that province; type: 1 to 50 characters; a code only once
// in the file). Lines are counted as in the file, the header being line 1.
ParsedRegistry parse_registry_csv(std::string_view csv);

// The events of an import (under the context's id): rows in chunks of kRowsPerChunk.
struct Import {
  std::vector<RegistryRow> rows;
};
Result<RegistryDecision> decide_import(const RegistryMachine& m, const Import& in, const Context& ctx);

// ---- orgs and certificates ----

Result<OrgDecision> decide_create_org(const OrgMachine& m, const OrgInput& input, const Context& ctx);

struct CertificateFacts {
  bool org_exists = false;  // whether input.org_id names an org
};
Result<CertificateDecision> decide_create_certificate(const CertificateMachine& m,
                                                      const CertificateInput& input,
                                                      const Context& ctx,
                                                      const CertificateFacts& facts);

// ---- standards ----

// What the service looked up for a standard's certificates and document.
struct StandardFacts {
  // The org of each of certificate_ids, in order (nullopt: no such certificate).
  std::vector<std::optional<std::string>> certificate_orgs;
  Status file;  // ok, or why file_id cannot be used (file.not_usable)
};

Result<StandardDecision> decide_publish_standard(const StandardMachine& m,
                                                 const StandardInput& input, const Context& ctx,
                                                 const StandardFacts& facts);
// The standard after applying `patch` to `current`.
StandardFields patched(const StandardFields& current, const StandardPatch& patch);
struct Revise {
  std::string id;
  StandardPatch patch;
};
Result<StandardDecision> decide_revise_standard(const StandardMachine& m, const Revise& in,
                                                const Context& ctx, const StandardFacts& facts);

}  // namespace onex::reference
