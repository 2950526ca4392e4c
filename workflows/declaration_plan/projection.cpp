#include "declaration_plan/projection.h"

#include <fmt/format.h>

#include "declaration_plan/decide.h"

namespace onex::declaration_plan {
namespace {

using nlohmann::json;

class PlansProjection final : public Projection {
 public:
  std::string_view name() const override { return kPlans; }

  void apply(const RecordedEvent& e, ReadModelTxn& txn) const override {
    if (!e.stream.starts_with("declaration_plan-")) return;
    auto event = Workflow::decode(e);
    if (!event) return;
    const auto& p = std::get<Published>(*event);
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
    txn.put_json(fmt::format("p/{}/{:020}", p.province_code, e.position), std::move(j));
  }
};

}  // namespace

Projections projections() { return {std::make_shared<PlansProjection>()}; }

PlanView view_of(const State& p, std::uint64_t version, std::string status) {
  return PlanView{p.id,        engine::stream_of<Workflow>(p.id), version,
                  p.province_code, p.year, p.batch_name, p.starts_at, p.ends_at,
                  p.majors_required, p.city_review_required, std::move(status)};
}

PlanView from_json(const json& j) {
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

}  // namespace onex::declaration_plan

namespace onex {

nlohmann::json json_of(const PlanView& p) {
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

}  // namespace onex
