#include "quota/projection.h"

#include <tuple>

#include <nlohmann/json.hpp>

#include "quota/state.h"

namespace onex::quota {
namespace {

class QuotasProjection final : public Projection {
 public:
  std::string_view name() const override { return kQuotas; }

  void apply(const RecordedEvent& e, ReadModelTxn& txn) const override {
    if (!e.stream.starts_with("quota-")) return;
    auto event = Workflow::decode(e);
    if (!event) return;
    const auto identity = std::visit(
        [](const auto& ev) {
          return std::tuple{ev.institution_id, ev.province_code, ev.certificate_id, ev.year};
        },
        *event);
    const auto& [institution_id, province_code, certificate_id, year] = identity;
    const std::string key =
        "q/" + institution_id + "/" + certificate_id + "/" + std::to_string(year);
    nlohmann::json* q = txn.find_json(key);
    nlohmann::json first;  // the quota's first event (member by member: an initializer list copies)
    if (!q || !q->is_object()) {
      first["institution_id"] = institution_id;
      first["province_code"] = province_code;
      first["certificate_id"] = certificate_id;
      first["year"] = year;
      first["used"] = 0;
      q = &first;
    }
    if (const auto* g = std::get_if<Granted>(&*event))
      (*q)["approved_trainees"] = q->value("approved_trainees", 0) + g->trainees;
    else
      (*q)["approved_trainees"] = std::get<Adjusted>(*event).approved_trainees;
    txn.put_json(key, std::move(*q));
  }
};

}  // namespace

Projections projections() { return {std::make_shared<QuotasProjection>()}; }

}  // namespace onex::quota
