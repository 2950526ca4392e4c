#include "candidate/decide.h"

#include <algorithm>
#include <cctype>

#include "common/access.h"
#include "util/identifiers.h"

namespace onex::candidate {
namespace {

std::string trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// Every text trimmed, the ID number's check character upper-case, the phone without +86.
CandidateInput normalized(CandidateInput in) {
  for (auto* s : {&in.kind, &in.name, &in.name_pinyin, &in.phone, &in.major, &in.major_level}) *s = trimmed(*s);
  in.id_number = normal_id_number(in.id_number);
  if (util::valid_mobile(in.phone)) in.phone = std::string(util::plain_mobile(in.phone));
  return in;
}

int year_at(Timestamp now) { return std::stoi(format_china(now).substr(0, 4)); }

std::vector<FieldError> check(const CandidateInput& in, Timestamp now) {
  std::vector<FieldError> errors;
  if (in.kind != "student" && in.kind != "social")
    errors.push_back({"kind", "invalid", "student (院校考生) or social (社会考生)"});
  if (!util::plain_text(in.name, 100)) errors.push_back({"name", "required", "1 to 100 bytes"});
  const bool pinyin_ok = in.name_pinyin.size() <= 100 &&
                         std::all_of(in.name_pinyin.begin(), in.name_pinyin.end(), [](unsigned char c) {
                           return std::isalpha(c) || c == ' ' || c == '\'' || c == '-';
                         });
  if (!pinyin_ok) errors.push_back({"name_pinyin", "invalid", "letters and spaces, at most 100"});
  if (!util::valid_resident_id(in.id_number))
    errors.push_back({"id_number", "invalid", "an 18-character resident ID number (GB 11643) with its check character"});
  if (!in.phone.empty() && !util::valid_mobile(in.phone))
    errors.push_back({"phone", "invalid", "a mainland mobile number: 11 digits starting 13 to 19"});
  if (!in.major.empty() && !util::plain_text(in.major, 100)) errors.push_back({"major", "invalid", "at most 100 bytes"});
  if (!in.major_level.empty() && !util::plain_text(in.major_level, 32))
    errors.push_back({"major_level", "invalid", "at most 32 bytes"});
  if (in.enrolment_year != 0 && (in.enrolment_year < 1950 || in.enrolment_year > year_at(now) + 1))
    errors.push_back({"enrolment_year", "out_of_range", "a year from 1950 to next year"});
  return errors;
}

Status already_exists() {
  return Status::conflict("candidate.already_exists", "this person is already a candidate");
}

Claim person(std::string_view key) {
  return {person_claim(key), "candidate.already_exists", "this person is already a candidate"};
}

Details details_of(const CandidateInput& in) {
  return {in.kind, in.name_pinyin, in.major, in.major_level, in.enrolment_year};
}

Status visible_or_not_found(const Machine& m, const Context& ctx) {
  if (m.phase() == Phase::none || !sees(ctx.actor, m.data())) return engine::not_found<Workflow>();
  return {};
}

}  // namespace

std::string normal_id_number(std::string_view id_number) {
  auto id = trimmed(id_number);
  if (!id.empty() && id.back() == 'x') id.back() = 'X';
  return id;
}

bool sees(const Actor& a, const State& c) {
  return !c.id.empty() && access::institution_side(a) && a.institution_id == c.institution_id;
}

bool registrable(const Machine& m) {
  return (m.phase() == Phase::verified || m.phase() == Phase::confirmed) && !m.data().photo_file_id.empty();
}

std::string person_claim(std::string_view person_key) { return "candidate/" + std::string(person_key); }

Result<Decision> decide_create(const Machine&, const CandidateInput& raw, const Context& ctx, const Facts& facts) {
  if (auto s = engine::authorize(ctx.actor, {"leader", "staff"}); !s) return s;
  const auto in = normalized(raw);
  if (auto errors = check(in, ctx.now); !errors.empty())
    return Status::unprocessable("validation.failed", "the candidate has invalid fields", std::move(errors));
  if (facts.taken) return already_exists();
  Imported e;
  static_cast<Details&>(e) = details_of(in);
  e.candidate_id = std::string(ctx.id);
  e.institution_id = ctx.actor.institution_id;
  e.person_key = facts.person_key;
  e.pii = {in.name, in.id_number, in.phone};
  Decision d{{std::move(e)}};
  d.claims.push_back(person(facts.person_key));
  return d;
}

CandidateInput patched(const State& c, const CandidatePatch& p) {
  CandidateInput in;
  engine::assign(in, c);
  boost::mp11::mp_for_each<engine::described_members<CandidateInput>>([&](auto m) {
    if (std::find(p.members.begin(), p.members.end(), m.name) != p.members.end()) in.*m.pointer = p.values.*m.pointer;
  });
  return in;
}

Result<Decision> decide_edit(const Machine& m, const Edit& edit, const Context& ctx, const Facts& facts) {
  if (auto s = visible_or_not_found(m, ctx); !s) return s;
  const auto& c = m.data();
  const auto in = normalized(patched(c, edit.patch));
  if (auto errors = check(in, ctx.now); !errors.empty())
    return Status::unprocessable("validation.failed", "the candidate has invalid fields", std::move(errors));
  const bool same = in.kind == c.kind && in.name == c.name && in.name_pinyin == c.name_pinyin &&
                    in.id_number == c.id_number && in.phone == c.phone && in.major == c.major &&
                    in.major_level == c.major_level && in.enrolment_year == c.enrolment_year;
  if (same) return Decision{};
  Decision d;
  Edited e;
  static_cast<Details&>(e) = details_of(in);
  e.person_key = c.person_key;
  e.pii = {in.name, in.id_number, in.phone};
  if (in.id_number != c.id_number) {
    if (facts.taken) return already_exists();
    e.person_key = facts.person_key;
    d.claims.push_back(person(facts.person_key));
    d.releases.push_back(person_claim(c.person_key));
  }
  d.events.push_back(std::move(e));
  if ((in.name != c.name || in.id_number != c.id_number) && (m.phase() != Phase::unverified || !c.last_check.empty()))
    d.events.push_back(IdentityReset{"person"});
  return d;
}

Result<Decision> decide_photo(const Machine& m, const SetPhoto& in, const Context& ctx) {
  if (auto s = visible_or_not_found(m, ctx); !s) return s;
  if (m.data().photo_sha256 == in.sha256) return Decision{};  // the same picture again
  Decision d;
  if (m.phase() != Phase::unverified) d.events.push_back(IdentityReset{"photo"});
  d.events.push_back(PhotoSet{in.file_id, in.sha256});
  return d;
}

Result<Decision> decide_check(const Machine& m, const RecordCheck& in, const Context& ctx) {
  if (auto s = visible_or_not_found(m, ctx); !s) return s;
  if (in.result != "verified" && in.result != "failed" && in.result != "unavailable")
    return Status::unprocessable("validation.failed", "no such answer", {{"result", "invalid", "verified, failed or unavailable"}});
  // An answer on a photo since replaced, or after a decision, says nothing any more.
  if (m.phase() != Phase::unverified || m.data().photo_file_id != in.photo_file_id || !m.data().last_check.empty())
    return Decision{};
  return Decision{{IdentityChecked{in.result, in.photo_file_id}}};
}

Result<Decision> decide_confirm(const Machine& m, const Confirm&, const Context& ctx) {
  if (auto s = visible_or_not_found(m, ctx); !s) return s;
  if (m.data().photo_file_id.empty())
    return Status::conflict("candidate.photo_missing", "the candidate has no photo to confirm the person by");
  return Decision{{IdentityConfirmed{m.data().photo_file_id}}};
}

}  // namespace onex::candidate
