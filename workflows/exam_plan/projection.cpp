// An exam plan's read model and views. The read model is its machine's (engine/records.h):
// "exam_plan_records" r/<id> → the machine; c/<certificate>/<seq> and o/<org>/<seq> list them.
// The API's JSON of a plan (times as RFC 3339 text, pass rule and fee as objects) is written and
// read here.
#include "engine/records.h"
#include "exam_plan/decide.h"
#include "onex/rebuild.h"

namespace onex {
namespace exam_plan {

std::vector<std::string> Workflow::index(const Machine& m, std::string_view seq) {
  if (m.phase() == Phase::none) return {};
  const auto& p = m.data();
  const std::string at = "/" + std::string(seq);
  return {"c/" + p.certificate_id + at, "o/" + p.org_id + at};
}

ExamPlanView Workflow::view(const Machine& m, std::uint64_t version) {
  const auto& p = m.data();
  auto t = [](const std::string& utc) {
    auto parsed = parse_time(utc);  // stored by format_utc, so it parses
    return parsed ? *parsed : Timestamp{};
  };
  ExamPlanView v;
  v.name = p.name;
  v.certificate_id = p.certificate_id;
  v.level = p.level;
  v.subject_ids = p.subject_ids;
  v.registration_opens_at = t(p.registration_opens_at);
  v.registration_closes_at = t(p.registration_closes_at);
  for (const auto& s : p.sittings) v.sittings.push_back({s.subject_id, t(s.starts_at), t(s.ends_at)});
  v.score_entry_opens_at = t(p.score_entry_opens_at);
  v.score_entry_closes_at = t(p.score_entry_closes_at);
  v.publicity_starts_at = t(p.publicity_starts_at);
  v.publicity_ends_at = t(p.publicity_ends_at);
  v.pass_rule = p.pass_rule;
  v.total_pass = p.total_pass;
  v.fee_on_platform = p.fee_on_platform;
  v.fee_per = p.fee_per;
  v.fee_amount_cents = p.fee_amount_cents;
  v.id = p.id;
  v.stream = engine::stream_of<Workflow>(p.id);
  v.version = version;
  v.org_id = p.org_id;
  v.year = m.phase() == Phase::none ? 0 : year_of(p);
  v.status = std::string(m.state_name());
  return v;
}

Projections projections() { return {std::make_shared<engine::RecordProjection<Workflow>>()}; }

}  // namespace exam_plan

nlohmann::json json_of(const ExamPlanView& v) {
  nlohmann::json sittings = nlohmann::json::array();
  for (const auto& s : v.sittings)
    sittings.push_back({{"subject_id", s.subject_id}, {"starts_at", format_china(s.starts_at)},
                        {"ends_at", format_china(s.ends_at)}});
  nlohmann::json pass_rule = {{"kind", v.pass_rule}};
  if (v.pass_rule == "total") pass_rule["total_pass"] = v.total_pass;
  return {{"id", v.id},
          {"stream", v.stream},
          {"version", v.version},
          {"org_id", v.org_id},
          {"name", v.name},
          {"certificate_id", v.certificate_id},
          {"level", v.level},
          {"year", v.year},
          {"subject_ids", v.subject_ids},
          {"registration_opens_at", format_china(v.registration_opens_at)},
          {"registration_closes_at", format_china(v.registration_closes_at)},
          {"sittings", std::move(sittings)},
          {"score_entry_opens_at", format_china(v.score_entry_opens_at)},
          {"score_entry_closes_at", format_china(v.score_entry_closes_at)},
          {"publicity_starts_at", format_china(v.publicity_starts_at)},
          {"publicity_ends_at", format_china(v.publicity_ends_at)},
          {"pass_rule", std::move(pass_rule)},
          {"fee", {{"collected_on_platform", v.fee_on_platform}, {"per", v.fee_per}, {"amount_cents", v.fee_amount_cents}}},
          {"status", v.status},
          {"phase", v.phase}};
}

Result<ExamPlanInput> exam_plan_input_of(const nlohmann::json& body) {
  using nlohmann::json;
  if (!body.is_object()) return Status::bad_request("request.malformed_json", "the body must be a JSON object");
  std::vector<FieldError> errors;
  Status wrong;
  // Members: unknown ones and missing ones are field errors; a wrong type is 400.
  auto object = [&](const json& j, const std::string& at, std::initializer_list<std::string_view> known,
                    std::initializer_list<std::string_view> optional = {}) {
    for (const auto& [key, value] : j.items())
      if (std::find(known.begin(), known.end(), key) == known.end())
        errors.push_back({at + key, "unknown_field", "not a member of this request"});
    for (auto key : known)
      if ((!j.contains(key) || j[std::string(key)].is_null()) &&
          std::find(optional.begin(), optional.end(), key) == optional.end())
        errors.push_back({at + std::string(key), "required", std::string(key) + " is required"});
  };
  auto read = [&](const json& j, const char* key, auto& out, const std::string& at, const char* expected) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return;
    try {
      it->get_to(out);
    } catch (const json::exception&) {
      if (wrong) wrong = Status::bad_request("request.wrong_type", at + key + " must be " + expected);
    }
  };
  auto time = [&](const json& j, const char* key, Timestamp& out, const std::string& at) {
    std::string text;
    read(j, key, text, at, "an RFC 3339 time");
    if (text.empty()) return;
    if (auto t = parse_time(text)) out = *t;
    else errors.push_back({at + key, "invalid_time", "an RFC 3339 time with its offset"});
  };
  ExamPlanInput in;
  object(body, "", {"name", "certificate_id", "level", "subject_ids", "registration_opens_at",
                    "registration_closes_at", "sittings", "score_entry_opens_at", "score_entry_closes_at",
                    "publicity_starts_at", "publicity_ends_at", "pass_rule", "fee"});
  read(body, "name", in.name, "", "a string");
  read(body, "certificate_id", in.certificate_id, "", "a string");
  read(body, "level", in.level, "", "a string");
  read(body, "subject_ids", in.subject_ids, "", "a list of strings");
  for (const char* key : {"registration_opens_at", "registration_closes_at", "score_entry_opens_at",
                          "score_entry_closes_at", "publicity_starts_at", "publicity_ends_at"}) {
    Timestamp* target = std::string_view(key) == "registration_opens_at"    ? &in.registration_opens_at
                        : std::string_view(key) == "registration_closes_at" ? &in.registration_closes_at
                        : std::string_view(key) == "score_entry_opens_at"   ? &in.score_entry_opens_at
                        : std::string_view(key) == "score_entry_closes_at"  ? &in.score_entry_closes_at
                        : std::string_view(key) == "publicity_starts_at"    ? &in.publicity_starts_at
                                                                            : &in.publicity_ends_at;
    time(body, key, *target, "");
  }
  if (auto s = body.find("sittings"); s != body.end() && !s->is_null()) {
    if (!s->is_array()) {
      if (wrong) wrong = Status::bad_request("request.wrong_type", "sittings must be a list of sittings");
    } else {
      for (std::size_t i = 0; i < s->size(); ++i) {
        const auto& item = (*s)[i];
        const std::string at = "sittings[" + std::to_string(i) + "].";
        if (!item.is_object()) {
          if (wrong) wrong = Status::bad_request("request.wrong_type", "sittings[" + std::to_string(i) + "] must be an object");
          continue;
        }
        ExamSitting sitting;
        object(item, at, {"subject_id", "starts_at", "ends_at"});
        read(item, "subject_id", sitting.subject_id, at, "a string");
        time(item, "starts_at", sitting.starts_at, at);
        time(item, "ends_at", sitting.ends_at, at);
        in.sittings.push_back(std::move(sitting));
      }
    }
  }
  if (auto r = body.find("pass_rule"); r != body.end() && !r->is_null()) {
    if (!r->is_object()) {
      if (wrong) wrong = Status::bad_request("request.wrong_type", "pass_rule must be an object");
    } else {
      object(*r, "pass_rule.", {"kind", "total_pass"}, {"total_pass"});
      read(*r, "kind", in.pass_rule, "pass_rule.", "a string");
      read(*r, "total_pass", in.total_pass, "pass_rule.", "an integer (hundredths)");
    }
  }
  if (auto f = body.find("fee"); f != body.end() && !f->is_null()) {
    if (!f->is_object()) {
      if (wrong) wrong = Status::bad_request("request.wrong_type", "fee must be an object");
    } else {
      object(*f, "fee.", {"collected_on_platform", "per", "amount_cents"});
      read(*f, "collected_on_platform", in.fee_on_platform, "fee.", "true or false");
      read(*f, "per", in.fee_per, "fee.", "a string");
      read(*f, "amount_cents", in.fee_amount_cents, "fee.", "an integer");
    }
  }
  if (!wrong) return wrong;
  if (!errors.empty()) {
    std::string message = errors.front().field + ": " + errors.front().message;
    return Status::unprocessable("validation.failed", std::move(message), std::move(errors));
  }
  return in;
}

}  // namespace onex
