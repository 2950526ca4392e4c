// What quotas do when other workflows act: an approved declaration grants the quota of its
// institution × certificate × year, in the approval's append.
#include "common/reactions.h"
#include "quota/decide.h"

namespace onex::quota {
namespace {

// The declaration's creation (declaration.drafted) says whose quota it is.
Result<std::vector<StreamAppend>> on_approved(EventStore& store, const Clock& clock,
                                              const std::string& stream, const NewEvent& event) {
  const auto drafted = reactions::first_event(store, stream);
  if (!drafted.is_object()) return std::vector<StreamAppend>{};
  Granted g{drafted.value("institution_id", ""), drafted.value("province_code", ""),
            drafted.value("certificate_id", ""), drafted.value("year", 0),
            event.data.value("approved_trainees", 0), drafted.value("declaration_id", "")};
  engine::Engine<Workflow> quotas(store, clock);
  auto staged = quotas.stage(
      engine::stream_of<Workflow>(quota_id(g.institution_id, g.certificate_id, g.year)), {g});
  if (!staged) return staged.status();
  return std::vector<StreamAppend>{std::move(*staged)};
}

}  // namespace

std::vector<Reaction> reactions() { return {{"declaration.approved", on_approved}}; }

}  // namespace onex::quota
