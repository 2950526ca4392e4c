#include "quota/projection.h"

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
    const auto& g = std::get<Granted>(*event);
    const std::string key =
        "q/" + g.institution_id + "/" + g.certificate_id + "/" + std::to_string(g.year);
    nlohmann::json* q = txn.find_json(key);
    nlohmann::json first;  // the quota's first grant (member by member: an initializer list copies)
    if (!q || !q->is_object()) {
      first["institution_id"] = g.institution_id;
      first["province_code"] = g.province_code;
      first["certificate_id"] = g.certificate_id;
      first["year"] = g.year;
      first["used"] = 0;
      q = &first;
    }
    (*q)["approved_trainees"] = q->value("approved_trainees", 0) + g.trainees;
    txn.put_json(key, std::move(*q));
  }
};

}  // namespace

Projections projections() { return {std::make_shared<QuotasProjection>()}; }

}  // namespace onex::quota
