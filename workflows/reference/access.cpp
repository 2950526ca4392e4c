// Reference data (SPEC.md §3): the registry imports, orgs, certificates and standards are read
// by every signed-in account.
#include "common/access.h"
#include "engine/engine.h"
#include "files/sniff.h"
#include "reference/state.h"

namespace onex::reference {
namespace {

template <class W>
bool exists(const EventStore& store, const Actor&, std::string_view id) {
  return !access::first_data(store, engine::stream_of<W>(id)).is_null();
}

Result<nlohmann::json> registry_state(const std::string& stream,
    const std::vector<RecordedEvent>& events) {
  auto m = access::replay<RegistryWorkflow>(events);
  if (!m) return m.status();
  const auto& r = m->data();
  return access::shown_record(stream, events, m->state_name(),
               {{"import_id", r.import_id}, {"rows", r.rows}, {"chunks", r.chunks}});
}

Result<nlohmann::json> org_state(const std::string& stream,
    const std::vector<RecordedEvent>& events) {
  auto m = access::replay<OrgWorkflow>(events);
  if (!m) return m.status();
  const auto& o = m->data().org;
  return access::shown_record(stream, events, m->state_name(),
               {{"id", o.org_id},
                {"code", o.code},
                {"name", o.name},
                {"credit_code", o.credit_code},
                {"contact_name", o.contact_name},
                {"contact_phone", o.contact_phone}});
}

Result<nlohmann::json> certificate_state(const std::string& stream,
    const std::vector<RecordedEvent>& events) {
  auto m = access::replay<CertificateWorkflow>(events);
  if (!m) return m.status();
  const auto& c = m->data().certificate;
  return access::shown_record(stream, events, m->state_name(),
               {{"id", c.certificate_id},
                {"code", c.code},
                {"name", c.name},
                {"levels", c.levels},
                {"org_id", c.org_id}});
}

Result<nlohmann::json> standard_state(const std::string& stream,
    const std::vector<RecordedEvent>& events) {
  auto m = access::replay<StandardWorkflow>(events);
  if (!m) return m.status();
  const auto& s = m->data();
  return access::shown_record(stream, events, m->state_name(),
               {{"id", s.id},
                {"org_id", s.org_id},
                {"code", s.fields.code},
                {"name", s.fields.name},
                {"version", s.fields.edition},
                {"kind", s.fields.kind},
                {"certificate_ids", s.fields.certificate_ids},
                {"file_id", s.fields.file_id},
                {"status", s.fields.status}});
}

}  // namespace

std::vector<RecordKind> record_kinds() {
  return {{.kind = RegistryWorkflow::kind, .visible = exists<RegistryWorkflow>, .state = registry_state},
          {.kind = OrgWorkflow::kind, .visible = exists<OrgWorkflow>, .state = org_state},
          {.kind = CertificateWorkflow::kind, .visible = exists<CertificateWorkflow>,
           .state = certificate_state},
          {.kind = StandardWorkflow::kind, .visible = exists<StandardWorkflow>, .state = standard_state}};
}

std::vector<files::Purpose> file_purposes() {
  return {{"standard_document", 20 * files::kMiB, {files::Kind::pdf}}};
}

}  // namespace onex::reference
