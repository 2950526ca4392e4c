// Replay: a store filled through DeclarationService with a realistic mix of plans and
// declarations (many institutions; draft, edit, submit, city and province review, approval with
// its quota, rejection, deletion), then, on the store reopened read-only:
//   read_all        the whole log through EventStore::read_all, nothing else (the floor);
//   machines        read_all, then each declaration event through Workflow::decode into its
//                   stream's declaration::Machine (fresh per stream), every apply checked;
//   machines only   the same on events already read into memory (decode + apply);
//   rebuild         rebuild_read_models(store, all_projections()), checked against the live
//                   read models once; then, to show where its time goes, a rebuild with no
//                   projection and one with each projection alone.
// The store is flushed to SST files before it is read, as a store that has run for a while is.
#include <algorithm>
#include <array>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "bench.h"
#include "raw_db.h"
#include "declaration/decide.h"
#include "onex/declaration.h"
#include "onex/event_store.h"
#include "onex/rebuild.h"
#include "onex/workflows.h"
#include "util/hash.h"

namespace onex::bench {
namespace {

using Steady = std::chrono::steady_clock;

Timestamp at(std::string_view rfc3339) {
  auto t = parse_time(rfc3339);
  if (!t) throw std::logic_error(t.status().to_string());
  return *t;
}

template <class T>
T must(Result<T> r, std::string_view what) {
  if (!r) throw std::runtime_error(std::string(what) + ": " + r.status().to_string());
  return std::move(*r);
}

void must(const Status& s, std::string_view what) {
  if (!s) throw std::runtime_error(std::string(what) + ": " + s.to_string());
}

struct Province {
  std::string code;
  std::vector<std::string> cities;
  Actor reviewer;
  std::vector<Actor> city_reviewers;
  std::vector<PlanView> plans;  // [0] asks for city review and majors, [1] neither
};

class Filler {
 public:
  Filler(EventStore& store, ManualClock& clock) : store_(store), clock_(clock), service_(store, clock) {}

  // What declarations read of other workflows, appended as those workflows write it: the
  // certificates cert-0 … cert-5 of the catalogue.
  void seed_catalogue() {
    for (int d = 0; d < 6; ++d) {
      const std::string id = "cert-" + std::to_string(d);
      seed("certificate-" + id,
           {{"certificate.created", 1,
             {{"certificate_id", id}, {"code", id}, {"name", "证书 " + id},
              {"levels", {"junior", "intermediate", "senior"}}, {"org_id", "org-1"}}}});
    }
  }

  void publish_plans() {
    const std::vector<std::pair<std::string, std::vector<std::string>>> codes = {
        {"44", {"4401", "4403", "4406"}}, {"32", {"3201", "3205"}}, {"33", {"3301", "3302"}},
        {"51", {"5101"}}};
    for (const auto& [code, cities] : codes) {
      Province p;
      p.code = code;
      p.cities = cities;
      p.reviewer = actor("province", code, "");
      for (const auto& c : cities) p.city_reviewers.push_back(actor("city", code, c));
      for (int k = 0; k < 2; ++k) {
        PlanInput in;
        in.year = 2020;
        in.batch_name = k == 0 ? "2020年第一次" : "2020年第二次";
        in.starts_at = at("2020-04-01T00:00:00+08:00");
        in.ends_at = at("2020-12-31T23:59:59+08:00");
        in.majors_required = k == 0;
        in.city_review_required = k == 0;
        p.plans.push_back(must(service_.publish_plan(request(p.reviewer), in), "publish_plan"));
      }
      provinces_.push_back(std::move(p));
    }
  }

  // One institution's declarations, six of them in different scenarios.
  void institution() {
    auto& p = provinces_[institutions_ % provinces_.size()];
    const std::size_t city = (institutions_ / provinces_.size()) % p.cities.size();
    Actor leader = actor("leader", p.code, p.cities[city]);
    leader.institution_id = util::random_id();
    const auto files = seed_institution(leader);
    const Actor& city_reviewer = p.city_reviewers[city];
    for (int d = 0; d < 6; ++d) {
      const PlanView& plan = p.plans[d % 2];
      const bool by_city = plan.city_review_required;
      DeclarationInput in;
      in.plan_id = plan.id;
      in.certificate_id = "cert-" + std::to_string(d);
      in.majors = kMajors;
      in.planned_trainees = 60 + (institutions_ * 7 + d) % 90;
      in.teachers_html = kTeachersHtml;
      in.venue_html = kVenueHtml;
      in.file_ids = {files[0]};
      auto edited = [&](int n) {
        DeclarationInput e = in;
        e.planned_trainees += 10 * n;
        e.teachers_html += "<p>补充：王强，实训指导教师。</p>";
        if (n > 1) e.file_ids.push_back(files[1]);
        return e;
      };
      auto city_ok = [&](const std::string& id) {
        if (by_city) must(service_.city_review(request(city_reviewer), id, true), "city_review");
      };
      auto province = [&](const std::string& id, bool approve, std::optional<int> trainees = {}) {
        must(service_.province_review(request(p.reviewer), id, approve, trainees,
                                      approve ? "" : "师资材料不完整，请补充考评员证书。"),
             "province_review");
      };
      switch ((institutions_ + d) % 6) {
        case 0: {  // draft, two edits, submit, reviews, approved
          auto id = must(service_.create(request(leader), in), "create").id;
          must(service_.edit(request(leader), id, edited(1)), "edit");
          must(service_.edit(request(leader), id, edited(2)), "edit");
          must(service_.submit(request(leader), id), "submit");
          city_ok(id);
          province(id, true);
          break;
        }
        case 1: {  // submitted, rejected by the province, fixed, approved for fewer trainees
          auto id = must(service_.create(request(leader), in, true), "create").id;
          city_ok(id);
          province(id, false);
          must(service_.edit(request(leader), id, edited(1)), "edit");
          must(service_.submit(request(leader), id), "submit");
          city_ok(id);
          province(id, true, in.planned_trainees - 5);
          break;
        }
        case 2: {  // a draft thrown away
          auto id = must(service_.create(request(leader), in), "create").id;
          must(service_.remove(request(leader), id), "remove");
          break;
        }
        case 3: {  // rejected first (by the city when it reviews), fixed, waiting again
          auto id = must(service_.create(request(leader), in, true), "create").id;
          if (by_city)
            must(service_.city_review(request(city_reviewer), id, false, "场地面积不足。"),
                 "city_review");
          else
            province(id, false);
          must(service_.edit(request(leader), id, edited(1)), "edit");
          must(service_.submit(request(leader), id), "submit");
          break;
        }
        case 4: {  // still a draft
          auto id = must(service_.create(request(leader), in), "create").id;
          must(service_.edit(request(leader), id, edited(1)), "edit");
          break;
        }
        default: {  // submitted at once and approved
          auto id = must(service_.create(request(leader), in, true), "create").id;
          city_ok(id);
          province(id, true);
          break;
        }
      }
    }
    ++institutions_;
  }

  std::uint64_t institutions() const { return institutions_; }
  std::uint64_t plans() const { return provinces_.size() * 2; }

 private:
  void seed(const std::string& stream, std::vector<NewEvent> events) {
    AppendRequest request;
    request.streams.push_back({stream, ExpectedVersion::no_stream(), std::move(events)});
    request.actor = Actor{"acc-seed", "operator"};
    request.recorded_at = clock_.now();
    must(store_.append(std::move(request)).status(), "seed " + stream);
  }

  // The institution of `leader` (registered, its leader, complete basic info) and two
  // declaration attachments it uploaded, as the institution and file workflows write them.
  std::array<std::string, 2> seed_institution(const Actor& leader) {
    const std::string& id = leader.institution_id;
    seed("institution-" + id,
         {{"institution.registered", 1,
           {{"institution_id", id}, {"code", id}, {"name", "院校 " + id.substr(0, 6)},
            {"province_code", leader.province_code}, {"city_code", leader.city_code},
            {"institution_type", "高职"}, {"by", "province"}}},
          {"institution.leader_assigned", 1, {{"account_id", leader.account_id}, {"account", "L" + id}}},
          {"institution.profile_updated", 1,
           {{"kind", "高等职业学校"}, {"credit_code", "91110000101623741K"},
            {"website", "https://www.example.edu.cn"}, {"district", "金水区"},
            {"address", "文化路 80 号"},
            {"pii", {{"contact_name", "联系人"}, {"contact_phone", "13800000000"},
                     {"contact_email", "contact@example.edu.cn"}}}}}});
    std::array<std::string, 2> files;
    for (auto& f : files) {
      f = util::random_id();
      seed("file-" + f, {{"file.uploaded", 1,
                          {{"file_id", f}, {"sha256", std::string(64, 'a')}, {"size", 4096},
                           {"content_type", "application/pdf"},
                           {"purpose", "declaration_attachment"}, {"owner_kind", "institution"},
                           {"owner_id", id}}}});
    }
    return files;
  }

  Actor actor(std::string role, std::string province, std::string city) {
    Actor a;
    a.account_id = util::random_id();
    a.role = std::move(role);
    a.province_code = std::move(province);
    a.city_code = std::move(city);
    return a;
  }

  Request request(const Actor& a) {
    clock_.advance(std::chrono::milliseconds{250});
    Request r;
    r.actor = a;
    r.command_id = util::random_id();
    r.correlation_id = util::random_id();
    return r;
  }

  EventStore& store_;
  ManualClock& clock_;
  DeclarationService service_;
  std::vector<Province> provinces_;
  std::uint64_t institutions_ = 0;
};

constexpr std::size_t kChunk = 4096;

template <class F>
std::uint64_t for_each_event(const EventStore& store, F&& f) {
  const std::uint64_t head = store.head_position();
  std::uint64_t n = 0;
  for (std::uint64_t next = 1; next <= head;) {
    auto events = must(store.read_all(next, kChunk), "read_all");
    if (events.empty()) break;
    for (const auto& e : events) {
      f(e);
      ++n;
    }
    next = events.back().position + 1;
  }
  return n;
}

bool is_declaration(const RecordedEvent& e) { return e.stream.starts_with("declaration-"); }

void apply(declaration::Machine& m, const RecordedEvent& e) {
  auto event = declaration::Workflow::decode(e);
  if (!event) throw std::runtime_error("decode: " + event.status().to_string());
  if (!m.apply(*event))
    throw std::runtime_error(e.stream + " v" + std::to_string(e.version) + ": " + e.type +
                             " is not a transition from " + std::string(m.state_name()));
}

}  // namespace

ReplayFigures run_replay(const Config& config) {
  ReplayFigures f;
  const std::string path = (config.root / "replay").string();
  {
    StoreOptions options;
    options.path = path;
    options.sync = false;  // the fill is not what is measured
    options.inline_projections = all_projections();
    auto store = must(open_store(options), "open_store");
    ManualClock clock(at("2020-05-01T09:00:00+08:00"));
    Filler filler(*store, clock);
    const auto t0 = Steady::now();
    filler.seed_catalogue();
    filler.publish_plans();
    while (store->head_position() < config.replay_events) filler.institution();
    f.fill_seconds = seconds_since(t0);
    f.institutions = filler.institutions();
    f.plans = filler.plans();
  }
  RawDb(path, false).flush();  // the log in SST files, as in a store that has run for a while

  StoreOptions options;
  options.path = path;
  options.read_only = true;  // as `onex audit` opens a store
  auto store = must(open_store(options), "open_store (read-only)");
  f.events = store->head_position();

  // The counts and the mean record size.
  {
    std::unordered_set<std::string> streams;
    std::uint64_t bytes = 0;
    for_each_event(*store, [&](const RecordedEvent& e) {
      bytes += to_json(e).dump().size();
      if (!is_declaration(e)) return;
      streams.insert(e.stream);
      ++f.declaration_events;
    });
    f.declaration_streams = streams.size();
    f.record_bytes = f.events ? double(bytes) / f.events : 0;
  }

  const auto projections = all_projections();
  for (int run = 0; run < config.repeats; ++run) {
    {
      const auto t0 = Steady::now();
      const auto n = for_each_event(*store, [](const RecordedEvent&) {});
      f.read_all_eps.push_back(n / seconds_since(t0));
    }
    {
      const auto t0 = Steady::now();
      std::unordered_map<std::string, declaration::Machine> machines;
      std::uint64_t n = 0;
      for_each_event(*store, [&](const RecordedEvent& e) {
        if (!is_declaration(e)) return;
        apply(machines[e.stream], e);
        ++n;
      });
      f.machines_eps.push_back(n / seconds_since(t0));
    }
    {
      const auto t0 = Steady::now();
      auto image = must(rebuild_read_models(*store, projections), "rebuild_read_models");
      const double s = seconds_since(t0);
      f.rebuild_seconds.push_back(s);
      f.rebuild_eps.push_back(f.events / s);
      if (run == 0) {
        auto live = must(live_read_models(*store, projections), "live_read_models");
        f.rebuild_differences = compare_read_models(image, live, 1000).size();
      }
    }
    {
      auto t0 = Steady::now();
      must(rebuild_read_models(*store, {}), "rebuild_read_models");
      const double read = seconds_since(t0);
      f.rebuild_read_seconds.push_back(read);
      for (const auto& p : projections) {
        t0 = Steady::now();
        must(rebuild_read_models(*store, {p}), "rebuild_read_models");
        f.rebuild_projection_seconds[std::string(p->name())].push_back(
            std::max(0.0, seconds_since(t0) - read));
      }
    }
  }

  // Last, so that holding every event in memory does not slow the figures above: decode and
  // apply alone, on each declaration stream's events read beforehand.
  std::vector<std::vector<RecordedEvent>> streams;
  {
    std::unordered_map<std::string, std::size_t> index;
    for_each_event(*store, [&](const RecordedEvent& e) {
      if (!is_declaration(e)) return;
      auto [it, added] = index.try_emplace(e.stream, streams.size());
      if (added) streams.emplace_back();
      streams[it->second].push_back(e);
    });
  }
  for (int run = 0; run < config.repeats; ++run) {
    {
      const auto t0 = Steady::now();
      std::uint64_t n = 0;
      for (const auto& events : streams) {
        declaration::Machine m;
        for (const auto& e : events) apply(m, e);
        n += events.size();
      }
      f.machines_only_eps.push_back(n / seconds_since(t0));
    }
  }
  return f;
}

}  // namespace onex::bench
