#include "declaration/projection.h"

#include <fmt/format.h>

#include "declaration/decide.h"
#include "declaration/view.h"

namespace onex::declaration {
namespace {

using nlohmann::json;

std::string seq(std::uint64_t position) { return fmt::format("{:020}", position); }

// view[key] = value. json::operator[] builds a new member, and drops it when the key is there.
void set(json& view, std::string_view key, json value) {
  if (auto it = view.find(key); it != view.end())
    *it = std::move(value);
  else
    view.emplace(key, std::move(value));
}

// The fields as members of the view, each under its own name (events.h describes them).
void set_fields(json& view, Fields&& f) {
  json fields = std::move(f);
  for (auto& [name, value] : fields.items()) set(view, name, std::move(value));
}

// A view's members read from JSON, where present (the read model's rows carry more).
void from_json(const json& j, DeclarationView& v) {
  boost::mp11::mp_for_each<boost::describe::describe_members<DeclarationView, boost::describe::mod_public>>(
      [&](auto member) {
        if (auto it = j.find(member.name); it != j.end()) it->get_to(v.*member.pointer);
      });
}

class DeclarationsProjection final : public Projection {
 public:
  std::string_view name() const override { return kDeclarations; }

  void apply(const RecordedEvent& e, ReadModelTxn& txn) const override {
    if (!e.stream.starts_with("declaration-")) return;
    auto event = Workflow::decode(e);
    if (!event) return;
    const auto id = std::string_view(e.stream).substr(std::string_view("declaration-").size());
    const std::string key = std::string("d/").append(id);
    json created = json::object();  // where a Drafted event's view is folded
    json* view = std::holds_alternative<Drafted>(*event) ? &created : txn.find_json(key);
    if (!view || !view->is_object()) return;  // events of a record the model never saw
    const bool drafted = view->value("status", "").empty();  // before this event
    // The status is the machine's: the phase its table reaches by this event.
    const auto from = drafted ? std::optional<Phase>(Phase::none)
                              : phase_named(view->value("status", ""));
    const auto to = from ? phase_after(*from, *event) : std::nullopt;
    if (!to) return;  // no transition: the engine never appends such an event
    std::visit([&](auto& ev) { fold(*view, std::move(ev), e); }, *event);
    set(*view, "status", phase_name(*to));
    set(*view, "version", e.version);
    const bool deleted = view->value("status", "") == "deleted";
    std::string index;  // the list entry, which only drafting and deleting change
    if (drafted || deleted)
      index = "i/" + view->value("institution_id", "") + "/" + view->value("seq", "");
    txn.put_json(key, std::move(*view));
    if (deleted)
      txn.erase(index);
    else if (drafted)
      txn.put(index, id);
  }

 private:
  // Member by member: a json initializer list would copy each member several times.
  static void fold(json& v, Drafted&& d, const RecordedEvent& e) {
    v = json::object();
    set(v, "id", std::move(d.declaration_id));
    set(v, "stream", e.stream);
    set(v, "plan_id", std::move(d.plan_id));
    set(v, "institution_id", std::move(d.institution_id));
    set(v, "province_code", std::move(d.province_code));
    set(v, "city_code", std::move(d.city_code));
    set(v, "certificate_id", std::move(d.certificate_id));
    set(v, "year", d.year);
    set(v, "approved_trainees", 0);
    set(v, "rejection_reason", "");
    set(v, "rejected_by", "");
    set(v, "seq", seq(e.position));
    set_fields(v, std::move(d.fields));
  }
  static void fold(json& v, Edited&& d, const RecordedEvent&) {
    set_fields(v, std::move(d.fields));
  }
  static void fold(json&, Deleted&&, const RecordedEvent&) {}
  static void fold(json& v, Submitted&&, const RecordedEvent&) {
    set(v, "rejection_reason", "");
    set(v, "rejected_by", "");
  }
  static void fold(json&, CityApproved&&, const RecordedEvent&) {}
  static void fold(json& v, CityRejected&& r, const RecordedEvent&) {
    set(v, "rejection_reason", std::move(r.reason));
    set(v, "rejected_by", "city");
  }
  static void fold(json& v, Approved&& a, const RecordedEvent&) {
    set(v, "approved_trainees", a.approved_trainees);
  }
  static void fold(json& v, Rejected&& r, const RecordedEvent&) {
    set(v, "rejection_reason", std::move(r.reason));
    set(v, "rejected_by", "province");
  }
};

class RegionsProjection final : public Projection {
 public:
  std::string_view name() const override { return kRegions; }

  void apply(const RecordedEvent& e, ReadModelTxn& txn) const override {
    if (!e.stream.starts_with("declaration-")) return;
    if (e.type != Drafted::type && e.type != Deleted::type) return;
    const std::string id(std::string_view(e.stream).substr(std::string_view("declaration-").size()));
    if (e.type == Drafted::type) {
      auto event = Workflow::decode(e);
      if (!event) return;
      const auto& d = std::get<Drafted>(*event);
      const std::string s = seq(e.position);
      json where = json::object();
      where["province_code"] = d.province_code;
      where["city_code"] = d.city_code;
      where["seq"] = s;
      txn.put("p/" + d.province_code + "/" + s, id);
      txn.put("c/" + d.city_code + "/" + s, id);
      txn.put_json("x/" + id, std::move(where));
      return;
    }
    const json* where = txn.find_json("x/" + id);
    if (!where || !where->is_object()) return;
    const std::string s = where->value("seq", "");
    const std::string p = "p/" + where->value("province_code", "") + "/" + s;
    const std::string c = "c/" + where->value("city_code", "") + "/" + s;
    txn.erase(p);
    txn.erase(c);
    txn.erase("x/" + id);
  }
};

}  // namespace

Projections projections() {
  return {std::make_shared<DeclarationsProjection>(), std::make_shared<RegionsProjection>()};
}

DeclarationView view_of(const Machine& m, std::uint64_t version) {
  const auto& s = m.data();
  DeclarationView v;
  v.id = s.id;
  v.stream = engine::stream_of<Workflow>(s.id);
  v.version = version;
  v.status = std::string(m.state_name());
  v.plan_id = s.plan_id;
  v.institution_id = s.institution_id;
  v.province_code = s.province_code;
  v.city_code = s.city_code;
  v.certificate_id = s.certificate_id;
  v.year = s.year;
  // The fields as JSON members, the way the read model holds them.
  from_json(json(s.fields), v);
  v.approved_trainees = s.approved_trainees;
  v.rejection_reason = s.rejection_reason;
  v.rejected_by = s.rejected_by;
  return v;
}

DeclarationView Workflow::view(const Machine& m, std::uint64_t version) {
  return view_of(m, version);
}

DeclarationView view_from_json(const json& j) {
  DeclarationView v;
  from_json(j, v);
  return v;
}

}  // namespace onex::declaration

namespace onex {

nlohmann::json json_of(const DeclarationView& v) {
  nlohmann::json j;
  nlohmann::adl_serializer<DeclarationView>::to_json(j, v);
  return j;
}

}  // namespace onex
