// declaration_round: a certificate pilot declaration round, driven through the onex library the
// way an education platform embeds it (no server).
//
// The operator loads the institution registry and the certificate catalogue; two schools of
// 41 河南省 register themselves against the registry (the platform's SMS provider delivers their
// codes) and fill in their basic info; the province publishes a plan; both declare; one is
// approved, the other is rejected, edited and resubmitted, then approved. Every record's history
// is printed under its stream's name, and the store stays on disk for `onex audit`.
//
//   declaration_round [--data-dir DIR]     (default: a fresh temporary directory)
#include <filesystem>
#include <iostream>
#include <map>
#include <random>

#include "onex/accounts.h"
#include "onex/declaration.h"
#include "onex/event_store.h"
#include "onex/institutions.h"
#include "onex/reference.h"
#include "onex/workflows.h"

namespace {

int fail(const onex::Status& s) {
  std::cerr << "declaration_round: " << s.to_string() << "\n";
  return 1;
}

// The platform's SMS provider. onex hands it every message; here it keeps the last code per phone
// so that the example can type it in, as the school's staff would.
struct PlatformSms final : onex::SmsGateway {
  std::map<std::string, std::string> last_code;
  onex::Status send(const onex::SmsMessage& m) override {
    if (!m.code.empty()) last_code[m.phone] = m.code;
    return {};
  }
};

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
  PlatformSms sms;
  onex::AccountOptions account_options;
  account_options.captcha = false;                   // the platform checks people itself
  account_options.secret_key = std::string(32, 'k');  // keep a real random key in production
  onex::AccountService accounts(store, clock, sms, account_options);
  onex::ReferenceService reference(store, clock);
  onex::InstitutionService institutions(store, clock, sms, accounts);
  onex::DeclarationService declarations(store, clock);

  // 3. Who acts. The embedding platform authenticates them; onex authorizes by role and scope.
  const onex::Actor province{"henan-edu", "province", "41", "", "", ""};
  const onex::Actor city{"zhengzhou-edu", "city", "41", "4101", "", ""};
  const onex::Actor platform{"platform-admin", "operator", "", "", "", ""};
  auto as = [](const onex::Actor& a) { return onex::Caller{.actor = a}; };

  // The registry (from the Ministry's list) and the catalogue: one org, two certificates.
  auto imported = reference.import_registry(
      as(platform),
      "code,name,province_code,city_code,type\n"
      "4141010001,郑州铁路职业技术学院,41,4101,高等职业学校\n"
      "4141020002,开封大学,41,4102,高等职业学校\n");
  if (!imported) return fail(imported.status());
  auto org = reference.create_org(as(platform), {"ORG-ZCX", "北京中车行高新技术有限公司",
                                                 "91110000101623741K", "王志强", "13900000001"});
  if (!org) return fail(org.status());
  auto newenergy = reference.create_certificate(
      as(platform), {"600002", "智能新能源汽车职业技能等级证书", {"junior", "intermediate", "senior"}, org->id});
  auto robots = reference.create_certificate(
      as(platform), {"560010", "工业机器人装调职业技能等级证书", {"junior", "intermediate"}, org->id});
  if (!newenergy) return fail(newenergy.status());
  if (!robots) return fail(robots.status());

  // Each school registers itself against the registry and fills in its basic info.
  auto register_school = [&](const std::string& code, const std::string& name,
                             const std::string& phone) -> onex::Result<onex::Actor> {
    if (auto sent = institutions.send_registration_code(phone, "", "", "127.0.0.1"); !sent)
      return sent.status();
    auto registered = institutions.register_institution({"41", code, name, phone, sms.last_code[phone]});
    if (!registered) return registered.status();
    auto view = institutions.get(onex::Actor{registered->account_id, "leader", "", "", code, ""}, code);
    if (!view) return view.status();
    onex::Actor leader{registered->account_id, "leader", view->province_code, view->city_code, code, ""};
    auto profile = institutions.update_profile(
        leader, code, {"公办", "12410000415803961W", "https://www.example.edu.cn", "二七区",
                       "郑州市二七区航海中路 100 号", "张老师", phone, "office@example.edu.cn"});
    if (!profile) return profile.status();
    return leader;
  };
  auto a_leader = register_school("4141010001", "郑州铁路职业技术学院", "13800000011");
  if (!a_leader) return fail(a_leader.status());
  clock.advance(std::chrono::minutes(1));
  auto b_leader = register_school("4141020002", "开封大学", "13800000012");
  if (!b_leader) return fail(b_leader.status());
  const onex::Actor school_a = *a_leader, school_b = *b_leader;

  auto plan = declarations.publish_plan(
      as(province), {2020, "2020年第一次", *onex::parse_time("2020-04-01T00:00:00+08:00"),
                     *onex::parse_time("2020-04-04T23:59:59+08:00"), true, true});
  if (!plan) return fail(plan.status());

  onex::DeclarationInput a_input{{{"新能源汽车技术", "汽车检测与维修技术"}, 60,
                                  "<p>双师型教师 12 名</p>", "<p>新能源汽车实训中心</p>", {}},
                                 plan->id, newenergy->id};
  auto a = declarations.create(as(school_a), a_input, /*submit=*/true);
  if (!a) return fail(a.status());
  onex::DeclarationInput b_input{{{"工业机器人技术"}, 40, "<p>教师 6 名</p>", "<p>待建</p>", {}},
                                 plan->id, robots->id};
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
  print_history(store, "institution-4141010001");
  print_history(store, "quota-4141010001-" + newenergy->id + "-2020");
  print_history(store, "quota-4141020002-" + robots->id + "-2020");

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
