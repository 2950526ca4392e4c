// Who sees an institution (SPEC.md §4): its accounts, its province, its city and the operator;
// its principal seal (institution.seal_set: the image and the principal) only its leader.
#include "common/access.h"
#include "files/sniff.h"
#include "institution/state.h"
#include "institution/decide.h"

namespace onex::institution {
namespace {

bool visible(const EventStore& store, const Actor& a, std::string_view id) {
  const auto registered = access::first_data(store, "institution-" + std::string(id));
  return !registered.is_null() &&
         sees_institution(a, id, access::text_of(registered, "province_code"),
                          access::text_of(registered, "city_code"));
}

void redact(const EventStore&, const Actor& a, std::string_view id, const RecordedEvent& e,
            nlohmann::json& data, std::vector<std::string>& redacted) {
  if (e.type != SealSet::type || sees_seal(a, id)) return;
  data = nlohmann::json::object();
  redacted.push_back("seal");
}

Result<nlohmann::json> institution_state(const std::string& stream,
    const std::vector<RecordedEvent>& events) {
  auto m = access::replay<Workflow>(events);
  if (!m) return m.status();
  const auto& i = m->data();
  nlohmann::json profile = nullptr;
  if (i.profile)
    profile = {{"type", i.profile->kind},
               {"credit_code", i.profile->credit_code},
               {"website", i.profile->website},
               {"district", i.profile->district},
               {"address", i.profile->address},
               {"contact_name", i.profile->contact.contact_name},
               {"contact_phone", i.profile->contact.contact_phone},
               {"contact_email", i.profile->contact.contact_email}};
  nlohmann::json seal = nullptr;
  if (i.seal)
    seal = {{"file_id", i.seal->file_id},
            {"sha256", i.seal->sha256},
            {"principal_name", i.seal->principal_name},
            {"principal_title", i.seal->principal_title},
            {"agreement_accepted_at", i.seal->agreement_accepted_at}};
  return access::shown_record(stream, events, m->state_name(),
               {{"id", i.id},
                {"code", i.code},
                {"name", i.name},
                {"province_code", i.province_code},
                {"city_code", i.city_code},
                {"type", i.institution_type},
                {"registered_by", i.registered_by},
                {"leader_account_id", i.leader_account_id},
                {"profile", profile},
                {"seal", seal}});
}

}  // namespace

std::vector<RecordKind> record_kinds() {
  return {{.kind = "institution", .visible = visible, .redact = redact, .state = institution_state}};
}

std::vector<files::Purpose> file_purposes() {
  return {{"seal", 1 * files::kMiB, {files::Kind::png}, true}};
}

}  // namespace onex::institution
