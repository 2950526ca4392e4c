// declaration_round: a certificate pilot declaration round, driven through the onex library the
// way an education platform embeds it (no server).
//
// A province (41 河南省) publishes a plan; two institutions declare; one is approved, the other
// is rejected, edited and resubmitted, then approved. Every record's history is printed under
// its stream's name, and the store stays on disk for `onex audit`.
//
//   declaration_round [--data-dir DIR]     (default: a fresh temporary directory)
#include <filesystem>
#include <iostream>
#include <random>

#include "onex/declaration.h"
#include "onex/event_store.h"
#include "onex/workflows.h"

namespace {

int fail(const onex::Status& s) {
  std::cerr << "declaration_round: " << s.to_string() << "\n";
  return 1;
}

void print_history(onex::EventStore& store, const std::string& stream) {
  std::cout << "\n" << stream << "\n";
  auto events = store.read_stream(stream);
  if (!events) return;
  for (const auto& e : *events)
    std::cout << "  v" << e.version << " @" << e.position << "  " << onex::format_china(e.recorded_at)
              << "  " << e.type << " by " << e.actor_role << "  " << e.data.dump() << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::string data_dir;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--data-dir" && i + 1 < argc) {
      data_dir = argv[++i];
    } else if (arg.rfind("--data-dir=", 0) == 0) {
      data_dir = arg.substr(11);
    } else {
      std::cerr << "usage: declaration_round [--data-dir DIR]\n";
      return 2;
    }
  }
  if (data_dir.empty())
    data_dir = (std::filesystem::temp_directory_path() /
                ("onex-declaration-round-" + std::to_string(std::random_device{}())))
                   .string();

  // 1. Open the store with every workflow's projections; they update with each append.
  onex::StoreOptions options;
  options.path = data_dir;
  options.inline_projections = onex::all_projections();
  auto opened = onex::open_store(options);
  if (!opened) return fail(opened.status());
  onex::EventStore& store = **opened;

  // 2. The platform's clock; here, a day inside the declaration window.
  onex::ManualClock clock(*onex::parse_time("2020-04-02T09:30:00+08:00"));
  onex::DeclarationService declarations(store, clock);

  // 3. Who acts. The embedding platform authenticates them; onex authorizes by role and scope.
  const onex::Actor province{"henan-edu", "province", "41", "", "", ""};
  const onex::Actor city{"zhengzhou-edu", "city", "41", "4101", "", ""};
  const onex::Actor school_a{"zzrc-leader", "leader", "41", "4101", "4141010001", ""};
  const onex::Actor school_b{"kfvc-leader", "leader", "41", "4102", "4141020002", ""};
  auto as = [](const onex::Actor& a) { return onex::Request{a, "", "", std::nullopt}; };

  auto plan = declarations.publish_plan(
      as(province), {2020, "2020年第一次", *onex::parse_time("2020-04-01T00:00:00+08:00"),
                     *onex::parse_time("2020-04-04T23:59:59+08:00"), true, true});
  if (!plan) return fail(plan.status());

  onex::DeclarationInput a_input{plan->id, "600002", {"新能源汽车技术", "汽车检测与维修技术"}, 60,
                                 "<p>双师型教师 12 名</p>", "<p>新能源汽车实训中心</p>", {}};
  auto a = declarations.create(as(school_a), a_input, /*submit=*/true);
  if (!a) return fail(a.status());
  onex::DeclarationInput b_input{plan->id, "560010", {"工业机器人技术"}, 40,
                                 "<p>教师 6 名</p>", "<p>待建</p>", {}};
  auto b = declarations.create(as(school_b), b_input, /*submit=*/true);
  if (!b) return fail(b.status());

  // City first, then province.
  const onex::Actor city_b{"kaifeng-edu", "city", "41", "4102", "", ""};
  for (auto* step : {&a, &b}) {
    const auto& reviewer = (*step)->city_code == "4101" ? city : city_b;
    if (auto r = declarations.city_review(as(reviewer), (*step)->id, true); !r) return fail(r.status());
  }
  if (auto r = declarations.province_review(as(province), a->id, true, 50); !r) return fail(r.status());
  if (auto r = declarations.province_review(as(province), b->id, false, {}, "实训场地未落实"); !r)
    return fail(r.status());

  // The rejected institution improves its declaration and submits again the next day.
  clock.advance(std::chrono::hours(24));
  b_input.venue_html = "<p>工业机器人实训室已建成，工位 20 个</p>";
  if (auto r = declarations.edit(as(school_b), b->id, b_input); !r) return fail(r.status());
  if (auto r = declarations.submit(as(school_b), b->id); !r) return fail(r.status());
  if (auto r = declarations.city_review(as(city_b), b->id, true); !r) return fail(r.status());
  if (auto r = declarations.province_review(as(province), b->id, true); !r) return fail(r.status());

  std::cout << "onex declaration round in " << data_dir << "\n";
  print_history(store, plan->stream);
  print_history(store, a->stream);
  print_history(store, b->stream);
  print_history(store, "quota-4141010001-600002-2020");
  print_history(store, "quota-4141020002-560010-2020");

  for (const auto* school : {&school_a, &school_b}) {
    auto list = declarations.list_by_institution(*school, school->institution_id);
    if (!list) return fail(list.status());
    std::cout << "\ninstitution " << school->institution_id << ": " << list->counts.all
              << " declaration(s), " << list->counts.approved << " approved\n";
  }
  auto chain = store.verify_chain();
  if (!chain) return fail(chain.status());
  std::cout << "\nchain verified: " << chain->events << " events, head " << chain->head_hash
            << "\ninspect it with: onex audit verify --data-dir " << data_dir << "\n";
  return chain->ok() ? 0 : 1;
}
