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
    nlohmann::json q = {{"institution_id", g.institution_id},
                        {"province_code", g.province_code},
                        {"certificate_id", g.certificate_id},
                        {"year", g.year},
                        {"approved_trainees", 0},
                        {"used", 0}};
    if (auto old = txn.get(key)) {
      auto j = nlohmann::json::parse(*old, nullptr, false);
      if (j.is_object()) q = std::move(j);
    }
    q["approved_trainees"] = q.value("approved_trainees", 0) + g.trainees;
    txn.put(key, q.dump());
  }
};

}  // namespace

Projections projections() { return {std::make_shared<QuotasProjection>()}; }

}  // namespace onex::quota
