// Accounts at the library level: snapshots keep loading short; the machine's rows.
#include <doctest/doctest.h>

#include "account/decide.h"
#include "engine/engine.h"
#include "engine/scratch.h"
#include "onex/accounts.h"
#include "onex/workflows.h"
#include "security/secrets.h"
#include "support/temp_dir.h"

using namespace onex;
using namespace onex::testing;

namespace {

struct NoSms final : SmsGateway {
  Status send(const SmsMessage&) override { return {}; }
};

struct AccountWorld {
  TempDir dir;
  ManualClock clock{*parse_time("2026-01-05T09:00:00+08:00")};
  std::unique_ptr<EventStore> store;
  NoSms sms;

  AccountWorld() {
    StoreOptions o;
    o.path = dir.str();
    o.sync = false;
    o.inline_projections = all_projections();
    auto opened = open_store(o);
    REQUIRE(opened.is_ok());
    store = std::move(opened.value());
  }
};

std::string events_of(EventStore& store, const std::string& stream) {
  std::string out;
  const auto events = store.read_stream(stream);  // kept: the loop reads into it
  for (const auto& e : *events) out += e.type.substr(8) + " ";
  return out;
}

}  // namespace

TEST_CASE("an account's machine is snapshotted every 50 events and loads from the snapshot") {
  AccountWorld w;
  AccountService accounts(*w.store, w.clock, w.sms, AccountOptions{.captcha = false});
  auto op = accounts.create_operator("admin");
  REQUIRE(op.is_ok());
  const std::string stream = "account-" + op->account.id;
  // given 60 first logins (no phone yet: no SMS step), each one event
  for (int i = 0; i < 60; ++i) {
    auto r = accounts.sign_in().login({"admin", op->initial_password, "", "", "", ""});
    REQUIRE_MESSAGE(r.is_ok(), r.status().to_string());
  }
  auto head = w.store->stream_head(stream);
  REQUIRE(head->version == 61);
  // then a snapshot holds version 50
  auto snap = w.store->get_snapshot(stream);
  REQUIRE(snap.is_ok());
  REQUIRE(snap->has_value());
  CHECK((*snap)->first == 50);

  // when a fresh engine loads the account, it starts from the snapshot and replays 11 events
  engine::Engine<account::Workflow> fresh(*w.store, w.clock);
  auto loaded = fresh.load(stream);
  REQUIRE(loaded.is_ok());
  CHECK(loaded->version == 61);
  CHECK(loaded->machine.data().account == "admin");
  CHECK(loaded->machine.data().setup_required);
  CHECK(loaded->machine.state_name() == "active");
  // and it equals a replay from the start
  auto replayed = record_state(stream, *w.store->read_stream(stream));
  REQUIRE(replayed.is_ok());
  CHECK((*replayed)["state"] == "provisioned");
}

TEST_CASE("a damaged snapshot is ignored and the stream replays from the start") {
  AccountWorld w;
  AccountService accounts(*w.store, w.clock, w.sms, AccountOptions{.captcha = false});
  auto op = accounts.create_operator("admin");
  REQUIRE(op.is_ok());
  const std::string stream = "account-" + op->account.id;
  REQUIRE(w.store->put_snapshot(stream, 1, "{not json").is_ok());
  engine::Engine<account::Workflow> fresh(*w.store, w.clock);
  auto loaded = fresh.load(stream);
  REQUIRE(loaded.is_ok());
  CHECK(loaded->version == 1);
  CHECK(loaded->machine.data().account == "admin");
  // a snapshot of a version the stream does not have cannot be kept: a snapshot is bound to the
  // record at its version (its position and hash)
  CHECK_FALSE(w.store->put_snapshot(stream, 9, engine::snapshot<account::Workflow>(loaded->machine).dump()).is_ok());
  engine::Engine<account::Workflow> again(*w.store, w.clock);
  CHECK(again.load(stream)->version == 1);
}

TEST_CASE("three wrong passwords lock for 15 minutes, the lock ends by its own event") {
  AccountWorld w;
  AccountService accounts(*w.store, w.clock, w.sms, AccountOptions{.captcha = false});
  auto op = accounts.create_operator("admin");
  REQUIRE(op.is_ok());
  const std::string stream = "account-" + op->account.id;
  for (int i = 0; i < 3; ++i)
    CHECK(accounts.sign_in().login({"admin", "wrong-password-1", "", "", "", ""}).status().code() ==
          "auth.invalid_credentials");
  CHECK(accounts.sign_in().login({"admin", op->initial_password, "", "", "", ""}).status().code() ==
        "account.locked");
  w.clock.advance(std::chrono::minutes(15));
  CHECK(accounts.sign_in().login({"admin", op->initial_password, "", "", "", ""}).is_ok());
  CHECK(events_of(*w.store, stream) ==
        "created login_failed login_failed login_failed locked unlocked login_succeeded ");
}

TEST_CASE("every row of the account machine accepts its event and refuses the others, the "
          "projection's phase_after reads the same table") {
  using namespace onex::account;
  auto machine_in = [](Phase phase) {
    Machine m;
    REQUIRE(m.apply(Created{"a1", "user1", "staff"}));
    if (phase == Phase::locked) REQUIRE(m.apply(Locked{"2026-01-01T00:00:00.000Z"}));
    if (phase == Phase::disabled || phase == Phase::deleted) REQUIRE(m.apply(Disabled{"manager"}));
    if (phase == Phase::deleted) REQUIRE(m.apply(Deleted{}));
    REQUIRE(m.phase() == phase);
    return m;
  };
  struct Row { Phase from; Event event; bool accepted; Phase to; };
  const std::vector<Row> rows{
      {Phase::active, SetupCompleted{}, true, Phase::active},
      {Phase::active, LoginSucceeded{}, true, Phase::active},
      {Phase::active, LoginFailed{1}, true, Phase::active},
      {Phase::active, Locked{}, true, Phase::locked},
      {Phase::active, Disabled{"manager"}, true, Phase::disabled},
      {Phase::active, Enabled{}, false, Phase::active},
      {Phase::active, Deleted{}, false, Phase::active},
      {Phase::active, Edited{}, false, Phase::active},
      {Phase::active, PasswordReset{"h", "manager", false, "m1"}, true, Phase::active},
      {Phase::active, BindingReset{}, true, Phase::active},
      {Phase::active, PasswordChanged{"h"}, true, Phase::active},
      {Phase::active, ProfileChanged{}, true, Phase::active},
      {Phase::active, PhoneChanged{}, true, Phase::active},
      {Phase::locked, BindingReset{}, true, Phase::locked},
      {Phase::disabled, BindingReset{}, true, Phase::disabled},
      {Phase::locked, Unlocked{}, true, Phase::active},
      {Phase::locked, LoginSucceeded{}, false, Phase::locked},
      {Phase::locked, LoginFailed{4}, false, Phase::locked},
      {Phase::locked, Disabled{"manager"}, true, Phase::disabled},
      {Phase::locked, PasswordReset{"h", "sms", false}, true, Phase::active},
      {Phase::disabled, Enabled{}, true, Phase::active},
      {Phase::disabled, Edited{}, true, Phase::disabled},
      {Phase::disabled, Deleted{}, true, Phase::deleted},
      {Phase::disabled, PasswordReset{"h", "sms", true}, true, Phase::active},
      {Phase::disabled, PasswordReset{"h", "manager", false}, true, Phase::disabled},
      {Phase::disabled, LoginSucceeded{}, false, Phase::disabled},
      {Phase::deleted, Enabled{}, false, Phase::deleted},
      {Phase::deleted, PasswordReset{"h", "sms", true}, false, Phase::deleted},
  };
  for (const auto& row : rows) {
    auto m = machine_in(row.from);
    CAPTURE(engine::enum_name(row.from));
    CAPTURE(Workflow::encode(row.event).type);
    CHECK(m.apply(row.event) == row.accepted);
    CHECK(m.phase() == row.to);
    const auto after = phase_after(row.from, row.event);
    CHECK(after.has_value() == row.accepted);
    if (after) CHECK(*after == row.to);
  }
  CHECK(phase_after(Phase::none, Created{"a2", "user2", "staff"}) == Phase::active);
  CHECK_FALSE(phase_after(Phase::none, Enabled{}).has_value());
}

TEST_CASE("unknown names' machines: kept while used, never evicted for a newcomer, refused when full") {
  ManualClock clock(parse_time("2024-03-01T08:00:00Z").value());
  account::Machine active;
  REQUIRE(active.restore(account::Restored{account::Phase::active, account::State{}}));
  engine::Scratch<account::Workflow> table(2, std::chrono::hours(1), clock, active);
  auto failures = [&](const std::string& key) {
    return table.with(key, [](account::Machine& m) { return m.data().consecutive_failures; });
  };
  auto fail = [&](const std::string& key) {
    return table.with(key, [](account::Machine& m) {
      (void)m.apply(account::LoginFailed{m.data().consecutive_failures + 1, 0});
      return m.data().consecutive_failures;
    });
  };
  CHECK(fail("a") == 1);
  CHECK(fail("b") == 1);
  // Full: a third name is refused rather than "a" or "b" forgotten (issue 9: FIFO eviction
  // used to let 10,000 other names reset a locked name).
  CHECK_FALSE(failures("c").has_value());
  CHECK(failures("a") == 1);
  // An hour after its last use a machine goes, and makes room.
  clock.advance(std::chrono::minutes(59));
  CHECK(fail("a") == 2);
  clock.advance(std::chrono::minutes(2));  // "b" idle 61 minutes, "a" 2
  CHECK(failures("c") == 0);
  CHECK(failures("a") == 2);
  CHECK_FALSE(failures("d").has_value());
}
