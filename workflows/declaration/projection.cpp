#include "declaration/projection.h"

#include <fmt/format.h>

#include "declaration/decide.h"

namespace onex::declaration {
namespace {

using nlohmann::json;

std::string seq(std::uint64_t position) { return fmt::format("{:020}", position); }

json read(const ReadModelTxn& txn, const std::string& key) {
  auto v = txn.get(key);
  return v ? json::parse(*v, nullptr, false) : json();
}

void set_fields(json& view, const Fields& f) {
  view["majors"] = f.majors;
  view["planned_trainees"] = f.planned_trainees;
  view["teachers_html"] = f.teachers_html;
  view["venue_html"] = f.venue_html;
  view["file_ids"] = f.file_ids;
}

class DeclarationsProjection final : public Projection {
 public:
  std::string_view name() const override { return kDeclarations; }

  void apply(const RecordedEvent& e, ReadModelTxn& txn) const override {
    if (!e.stream.starts_with("declaration-")) return;
    auto event = Workflow::decode(e);
    if (!event) return;
    const std::string id = e.stream.substr(std::string_view("declaration-").size());
    const std::string key = "d/" + id;
    json view = std::holds_alternative<Drafted>(*event) ? json::object() : read(txn, key);
    if (!view.is_object()) return;  // events of a record the model never saw: nothing to fold
    const std::string before = view.value("status", "");
    std::visit([&](const auto& ev) { fold(view, ev, e); }, *event);
    view["version"] = e.version;
    const std::string after = view.value("status", "");
    const std::string institution = view.value("institution_id", "");
    txn.put(key, view.dump());
    if (before != after) count(txn, institution, before, after);
    const std::string index = "i/" + institution + "/" + view.value("seq", "");
    if (after == "deleted")
      txn.erase(index);
    else if (before.empty())
      txn.put(index, id);
  }

 private:
  static void fold(json& v, const Drafted& d, const RecordedEvent& e) {
    v = {{"id", d.declaration_id}, {"stream", e.stream}, {"status", "draft"},
         {"plan_id", d.plan_id},   {"institution_id", d.institution_id},
         {"province_code", d.province_code}, {"city_code", d.city_code},
         {"certificate_id", d.certificate_id}, {"year", d.year}, {"approved_trainees", 0},
         {"rejection_reason", ""}, {"rejected_by", ""}, {"seq", seq(e.position)}};
    set_fields(v, d.fields);
  }
  static void fold(json& v, const Edited& d, const RecordedEvent&) {
    set_fields(v, d.fields);
    v["status"] = "draft";
  }
  static void fold(json& v, const Deleted&, const RecordedEvent&) { v["status"] = "deleted"; }
  static void fold(json& v, const Submitted& s, const RecordedEvent&) {
    v["status"] = s.city_review ? "city_review" : "province_review";
    v["rejection_reason"] = "";
    v["rejected_by"] = "";
  }
  static void fold(json& v, const CityApproved&, const RecordedEvent&) {
    v["status"] = "province_review";
  }
  static void fold(json& v, const CityRejected& r, const RecordedEvent&) {
    v["status"] = "rejected";
    v["rejection_reason"] = r.reason;
    v["rejected_by"] = "city";
  }
  static void fold(json& v, const Approved& a, const RecordedEvent&) {
    v["status"] = "approved";
    v["approved_trainees"] = a.approved_trainees;
  }
  static void fold(json& v, const Rejected& r, const RecordedEvent&) {
    v["status"] = "rejected";
    v["rejection_reason"] = r.reason;
    v["rejected_by"] = "province";
  }

  static void count(ReadModelTxn& txn, const std::string& institution, const std::string& before,
                    const std::string& after) {
    const std::string key = "c/" + institution;
    json counts = read(txn, key);
    if (!counts.is_object()) counts = json::object();
    if (!before.empty()) counts[before] = counts.value(before, 0) - 1;
    counts[after] = counts.value(after, 0) + 1;
    txn.put(key, counts.dump());
  }
};

class PlansProjection final : public Projection {
 public:
  std::string_view name() const override { return kPlans; }

  void apply(const RecordedEvent& e, ReadModelTxn& txn) const override {
    if (!e.stream.starts_with("declaration_plan-")) return;
    auto event = PlanWorkflow::decode(e);
    if (!event) return;
    const auto& p = std::get<PlanPublished>(*event);
    json j = {{"id", p.plan_id},
              {"stream", e.stream},
              {"version", e.version},
              {"province_code", p.province_code},
              {"year", p.year},
              {"batch_name", p.batch_name},
              {"starts_at", p.starts_at},
              {"ends_at", p.ends_at},
              {"majors_required", p.majors_required},
              {"city_review_required", p.city_review_required}};
    txn.put("p/" + p.province_code + "/" + seq(e.position), j.dump());
  }
};

}  // namespace

Projections projections() {
  return {std::make_shared<DeclarationsProjection>(), std::make_shared<PlansProjection>()};
}

DeclarationView view_from_json(const json& j) {
  DeclarationView v;
  v.id = j.value("id", "");
  v.stream = j.value("stream", "");
  v.version = j.value("version", std::uint64_t{0});
  v.status = j.value("status", "");
  v.plan_id = j.value("plan_id", "");
  v.institution_id = j.value("institution_id", "");
  v.province_code = j.value("province_code", "");
  v.city_code = j.value("city_code", "");
  v.certificate_id = j.value("certificate_id", "");
  v.year = j.value("year", 0);
  v.majors = j.value("majors", std::vector<std::string>{});
  v.planned_trainees = j.value("planned_trainees", 0);
  v.teachers_html = j.value("teachers_html", "");
  v.venue_html = j.value("venue_html", "");
  v.file_ids = j.value("file_ids", std::vector<std::string>{});
  v.approved_trainees = j.value("approved_trainees", 0);
  v.rejection_reason = j.value("rejection_reason", "");
  v.rejected_by = j.value("rejected_by", "");
  return v;
}

json to_json(const DeclarationView& v) {
  return {{"id", v.id},
          {"stream", v.stream},
          {"version", v.version},
          {"status", v.status},
          {"plan_id", v.plan_id},
          {"institution_id", v.institution_id},
          {"province_code", v.province_code},
          {"city_code", v.city_code},
          {"certificate_id", v.certificate_id},
          {"year", v.year},
          {"majors", v.majors},
          {"planned_trainees", v.planned_trainees},
          {"teachers_html", v.teachers_html},
          {"venue_html", v.venue_html},
          {"file_ids", v.file_ids},
          {"approved_trainees", v.approved_trainees},
          {"rejection_reason", v.rejection_reason},
          {"rejected_by", v.rejected_by}};
}

PlanView plan_from_json(const json& j) {
  PlanView p;
  p.id = j.value("id", "");
  p.stream = j.value("stream", "");
  p.version = j.value("version", std::uint64_t{0});
  p.province_code = j.value("province_code", "");
  p.year = j.value("year", 0);
  p.batch_name = j.value("batch_name", "");
  if (auto t = parse_time(j.value("starts_at", ""))) p.starts_at = *t;
  if (auto t = parse_time(j.value("ends_at", ""))) p.ends_at = *t;
  p.majors_required = j.value("majors_required", false);
  p.city_review_required = j.value("city_review_required", false);
  return p;
}

json to_json(const PlanView& p) {
  return {{"id", p.id},
          {"stream", p.stream},
          {"version", p.version},
          {"province_code", p.province_code},
          {"year", p.year},
          {"batch_name", p.batch_name},
          {"starts_at", format_china(p.starts_at)},
          {"ends_at", format_china(p.ends_at)},
          {"majors_required", p.majors_required},
          {"city_review_required", p.city_review_required},
          {"status", p.status}};
}

}  // namespace onex::declaration
