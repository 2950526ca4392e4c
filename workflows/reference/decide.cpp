#include "reference/decide.h"

#include <algorithm>
#include <array>
#include <set>

#include "util/identifiers.h"

namespace onex::reference {
namespace {

using Errors = std::vector<FieldError>;

Status invalid(Errors errors) {
  std::string message = "invalid fields:";
  for (const auto& e : errors) message += " " + e.field;
  return Status::unprocessable("validation.failed", std::move(message), std::move(errors));
}

// A required text of 1 to `max_chars` characters of valid UTF-8.
void check_text(Errors& errors, const char* field, std::string_view value, std::size_t max_chars) {
  if (value.empty()) {
    errors.push_back({field, "required", std::string(field) + " is required"});
    return;
  }
  auto n = utf8_length(value);
  if (!n)
    errors.push_back({field, "invalid", std::string(field) + " is not valid UTF-8"});
  else if (*n > max_chars)
    errors.push_back({field, "too_long", "at most " + std::to_string(max_chars) + " characters"});
}

// A code of 1 to 32 letters, digits, '-' and '_'.
void check_code(Errors& errors, const char* field, std::string_view value) {
  if (value.empty()) {
    errors.push_back({field, "required", std::string(field) + " is required"});
    return;
  }
  if (value.size() > 32 || !plain_id(value))
    errors.push_back({field, "invalid", "1 to 32 letters, digits, '-' or '_'"});
}

constexpr std::array<std::string_view, 3> kLevels{"junior", "intermediate", "senior"};

void check_standard(Errors& errors, const StandardFields& f, const std::string& org_id,
                    const StandardFacts& facts) {
  check_text(errors, "name", f.name, kMaxNameChars);
  check_text(errors, "version", f.edition, 32);
  if (f.kind != "skill_level" && f.kind != "site_construction")
    errors.push_back({"kind", f.kind.empty() ? "required" : "invalid",
                      "kind is skill_level or site_construction"});
  if (f.status != "enabled" && f.status != "disabled")
    errors.push_back({"status", f.status.empty() ? "required" : "invalid",
                      "status is enabled or disabled"});
  if (f.certificate_ids.empty())
    errors.push_back({"certificate_ids", "required", "at least one certificate of the org"});
  std::set<std::string> seen;
  for (std::size_t i = 0; i < f.certificate_ids.size(); ++i) {
    const std::string field = "certificate_ids[" + std::to_string(i) + "]";
    const auto& owner = i < facts.certificate_orgs.size() ? facts.certificate_orgs[i] : std::nullopt;
    if (!seen.insert(f.certificate_ids[i]).second)
      errors.push_back({field, "duplicate", "this certificate is listed already"});
    else if (!owner)
      errors.push_back({field, "not_found", "no such certificate"});
    else if (*owner != org_id)
      errors.push_back({field, "not_own", "a standard covers only its org's own certificates"});
  }
  if (!facts.file)
    for (const auto& e : facts.file.errors()) errors.push_back(e);
}

}  // namespace

Result<RegistryDecision> decide_import(const RegistryMachine& m, const Import& in, const Context& ctx) {
  const auto& rows = in.rows;
  const std::string import_id(ctx.id);
  if (auto s = engine::authorize(ctx.actor, {"operator"}); !s) return s;
  RegistryDecision d;
  if (m.phase()) return d;  // this import is in already
  for (std::size_t start = 0; start < rows.size(); start += kRowsPerChunk) {
    const auto end = std::min(rows.size(), start + kRowsPerChunk);
    d.events.push_back(RowsImported{import_id, static_cast<int>(start / kRowsPerChunk),
                                    {rows.begin() + start, rows.begin() + end}});
  }
  return d;
}

Result<OrgDecision> decide_create_org(const OrgMachine& m, const OrgInput& in, const Context& ctx) {
  const std::string id(ctx.id);
  if (auto s = engine::authorize(ctx.actor, {"operator"}); !s) return s;
  Errors errors;
  check_code(errors, "code", in.code);
  check_text(errors, "name", in.name, kMaxNameChars);
  if (!util::valid_credit_code(in.credit_code))
    errors.push_back({"credit_code", in.credit_code.empty() ? "required" : "invalid",
                      "a unified social credit code (GB 32100-2015), e.g. 91110000101623741K"});
  check_text(errors, "contact_name", in.contact_name, 50);
  if (!util::valid_mobile(in.contact_phone))
    errors.push_back({"contact_phone", in.contact_phone.empty() ? "required" : "invalid",
                      "a mainland mobile number"});
  if (!errors.empty()) return invalid(std::move(errors));
  OrgDecision d;
  if (m.phase()) return d;
  d.events.push_back(OrgCreated{id, in.code, in.name, in.credit_code, in.contact_name,
                                std::string(util::plain_mobile(in.contact_phone))});
  d.claims.push_back({"org.code:" + in.code, "org.duplicate", "an org with this code exists"});
  return d;
}

Result<CertificateDecision> decide_create_certificate(const CertificateMachine& m,
                                                      const CertificateInput& in,
                                                      const Context& ctx,
                                                      const CertificateFacts& facts) {
  const std::string id(ctx.id);
  const bool org_exists = facts.org_exists;
  if (auto s = engine::authorize(ctx.actor, {"operator"}); !s) return s;
  Errors errors;
  check_code(errors, "code", in.code);
  check_text(errors, "name", in.name, kMaxNameChars);
  std::vector<std::string> levels;
  if (in.levels.empty()) errors.push_back({"levels", "required", "at least one level"});
  for (std::size_t i = 0; i < in.levels.size(); ++i) {
    const std::string field = "levels[" + std::to_string(i) + "]";
    if (std::find(kLevels.begin(), kLevels.end(), in.levels[i]) == kLevels.end())
      errors.push_back({field, "invalid", "junior, intermediate or senior"});
    else if (std::find(in.levels.begin(), in.levels.begin() + i, in.levels[i]) !=
             in.levels.begin() + i)
      errors.push_back({field, "duplicate", "each level once"});
  }
  for (auto level : kLevels)
    if (std::find(in.levels.begin(), in.levels.end(), level) != in.levels.end())
      levels.emplace_back(level);
  if (in.org_id.empty())
    errors.push_back({"org_id", "required", "the org that owns the certificate"});
  else if (!org_exists)
    errors.push_back({"org_id", "not_found", "no such org"});
  if (!errors.empty()) return invalid(std::move(errors));
  CertificateDecision d;
  if (m.phase()) return d;
  d.events.push_back(CertificateCreated{id, in.code, in.name, std::move(levels), in.org_id});
  d.claims.push_back({"certificate.code:" + in.code, "certificate.duplicate",
                      "a certificate with this code exists"});
  return d;
}

Result<StandardDecision> decide_publish_standard(const StandardMachine& m,
                                                 const StandardInput& in, const Context& ctx,
                                                 const StandardFacts& facts) {
  const std::string id(ctx.id);
  if (auto s = engine::authorize(ctx.actor, {"org"}); !s) return s;
  if (ctx.actor.org_id.empty())
    return Status::forbidden("auth.forbidden", "the account acts for no org");
  StandardFields f{in.code, in.name, in.edition, in.kind, in.certificate_ids, in.file_id, in.status};
  Errors errors;
  check_code(errors, "code", f.code);
  check_standard(errors, f, ctx.actor.org_id, facts);
  if (!errors.empty()) return invalid(std::move(errors));
  StandardDecision d;
  if (m.phase() != StandardPhase::none) return d;
  d.events.push_back(StandardPublished{id, ctx.actor.org_id, std::move(f)});
  return d;
}

StandardFields patched(const StandardFields& current, const StandardPatch& p) {
  StandardFields f = current;
  if (p.name) f.name = *p.name;
  if (p.edition) f.edition = *p.edition;
  if (p.status) f.status = *p.status;
  if (p.file_id) f.file_id = *p.file_id;
  if (p.certificate_ids) f.certificate_ids = *p.certificate_ids;
  return f;
}

Result<StandardDecision> decide_revise_standard(const StandardMachine& m, const Revise& in,
                                                const Context& ctx, const StandardFacts& facts) {
  const StandardPatch& patch = in.patch;
  if (auto s = engine::authorize(ctx.actor, {"org"}); !s) return s;
  const auto& s = m.data();
  if (m.phase() == StandardPhase::none || s.org_id != ctx.actor.org_id)
    return Status::not_found("standard.not_found", "no such standard");
  StandardFields f = patched(s.fields, patch);
  Errors errors;
  check_standard(errors, f, s.org_id, facts);
  if (!errors.empty()) return invalid(std::move(errors));
  StandardDecision d;
  if (f == s.fields) return d;  // nothing changes
  d.events.push_back(StandardRevised{std::move(f)});
  return d;
}

}  // namespace onex::reference
