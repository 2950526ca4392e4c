// Quotas through the library: read, listed and adjusted under quota::sees and decide_adjust.
// DeclarationService's quota calls are these (a quota is granted by a declaration's approval,
// in the same atomic append, so the approval's service owns the quota engine).
#pragma once

#include "onex/declaration.h"
#include "quota/decide.h"

namespace onex::quota {

// The quota of an institution, certificate and year; 0 trainees before any grant.
// quota.not_found (404) when `actor` may not see it.
Result<QuotaView> read(const EventStore& store, const Actor& actor,
                       const std::string& institution_id, const std::string& certificate_id,
                       int year);
// The quotas `actor` sees, by institution, certificate and year; auth.forbidden for roles
// that see none.
Result<QuotaPage> list(const EventStore& store, const Actor& actor, const QuotaQuery& query);
// The province sets a granted quota's total (decide_adjust); the quota as it is then.
Result<QuotaView> adjust(engine::Engine<Workflow>& quotas, const Caller& caller, const Adjust& in);

}  // namespace onex::quota
