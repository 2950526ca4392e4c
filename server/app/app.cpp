#include "app/app.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "onex/candidates.h"
#include "onex/exams.h"
#include "onex/invigilators.h"
#include "onex/sites.h"
#include "onex/exam_rooms.h"
#include "onex/workflows.h"
#include "routes/routes.h"
#include "security/secrets.h"
#include "util/identifiers.h"
#include "sms/webhook_gateway.h"

namespace onex::app {
namespace {

namespace fs = std::filesystem;

fs::path key_path(const std::string& data_dir) { return fs::path(data_dir) / "secret.key"; }

}  // namespace

Result<std::string> read_secret_key(const std::string& data_dir) {
  // Whoever may read the key may forge sessions' and snapshots' seals: its owner only.
  struct stat st {};
  if (::stat(key_path(data_dir).c_str(), &st) == 0 && (st.st_mode & 077) != 0)
    return Status::make(StatusKind::io_error, "app.secret_key_exposed",
                        key_path(data_dir).string() + " may be read by others than its owner: "
                        "chmod 600 it");
  std::ifstream in(key_path(data_dir), std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string key = buffer.str();
  if (!in.good() && !in.eof()) key.clear();
  if (key.size() != 32)
    return Status::make(StatusKind::io_error, "app.no_secret_key",
                        "no readable secret key at " + key_path(data_dir).string());
  return key;
}

namespace {

Status write_key(const std::string& data_dir, const std::string& key) {
  const auto path = key_path(data_dir);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Status::io_error("cannot create " + path.string());
  const bool ok = ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) &&
                  ::fsync(fd) == 0;
  ::close(fd);
  return ok ? Status{} : Status::io_error("cannot write " + path.string());
}

Result<std::unique_ptr<SmsGateway>> make_gateway(const AppOptions& o) {
  if (o.sms_gateway == "outbox")
    return make_outbox_gateway((fs::path(o.data_dir) / "sms-outbox.jsonl").string());
  if (o.sms_gateway.starts_with("webhook:")) {
    const std::string url = o.sms_gateway.substr(8);
    if (auto s = check_webhook_url(url); !s) return s;
    return make_webhook_gateway(url);
  }
  return Status::bad_request("app.bad_sms_gateway", "--sms-gateway is outbox or webhook:URL");
}

// The writer's group commits by size, as a Prometheus histogram.
std::string batch_histogram(const StoreStats& s) {
  std::string out =
      "# HELP onex_store_batch_appends Appends per group commit.\n"
      "# TYPE onex_store_batch_appends histogram\n";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < StoreStats::kBatchBounds.size(); ++i) {
    cumulative += s.batch_sizes[i];
    out += fmt::format("onex_store_batch_appends_bucket{{le=\"{}\"}} {}\n", StoreStats::kBatchBounds[i],
                       cumulative);
  }
  cumulative += s.batch_sizes.back();
  out += fmt::format("onex_store_batch_appends_bucket{{le=\"+Inf\"}} {}\n", cumulative);
  out += fmt::format("onex_store_batch_appends_sum {}\nonex_store_batch_appends_count {}\n",
                     s.appends, s.batches);
  return out;
}

}  // namespace

struct App::Impl {
  std::unique_ptr<EventStore> store;
  std::unique_ptr<SmsGateway> sms;
  std::unique_ptr<AccountService> accounts;
  std::unique_ptr<ReferenceService> reference;
  std::unique_ptr<InstitutionService> institutions;
  std::unique_ptr<routes::SessionAuthenticator> authenticator;
  std::unique_ptr<routes::Idempotency> idempotency;
  std::unique_ptr<FileService> files;
  std::unique_ptr<routes::DownloadTokens> downloads;
  std::unique_ptr<DeclarationService> declarations;
  std::unique_ptr<WeeklyReportService> weekly_reports;
  std::unique_ptr<ExamService> exams;
  std::unique_ptr<CandidateService> candidates;
  std::unique_ptr<InvigilatorService> invigilators;
  std::unique_ptr<SiteService> sites;
  std::unique_ptr<ExamRoomService> rooms;
};

Result<std::unique_ptr<App>> App::open(const AppOptions& options, const Clock& clock) {
  StoreOptions so;
  so.path = options.data_dir;
  so.create_if_missing = false;
  so.sync = options.sync;
  so.inline_projections = all_projections();
  auto key = read_secret_key(options.data_dir);
  if (!key) return key.status();
  so.secret_key = *key;
  auto store = open_store(so);
  if (!store) return store.status();
  auto sms = make_gateway(options);
  if (!sms) return sms.status();
  std::unique_ptr<App> app(new App());
  app->impl_ = std::make_unique<Impl>();
  auto& I = *app->impl_;
  I.store = std::move(*store);
  I.sms = std::move(*sms);
  AccountOptions ao;
  ao.captcha = options.captcha;
  ao.secret_key = *key;
  ao.log = [](std::string_view line) { std::fprintf(stderr, "onex: %.*s\n", int(line.size()), line.data()); };
  I.accounts = std::make_unique<AccountService>(*I.store, clock, *I.sms, ao);
  I.reference = std::make_unique<ReferenceService>(*I.store, clock);
  I.institutions = std::make_unique<InstitutionService>(*I.store, clock, *I.sms, *I.accounts);
  I.authenticator = std::make_unique<routes::SessionAuthenticator>(*I.accounts);
  I.idempotency = std::make_unique<routes::Idempotency>(*I.store, clock);
  I.files = std::make_unique<FileService>(*I.store, clock, options.data_dir);
  I.downloads = std::make_unique<routes::DownloadTokens>(
      clock, [accounts = I.accounts.get()](const http::Principal& p) {
        return accounts->sign_in().resume(p.session_id).status();
      });
  // Decisions on declarations are sent by SMS to the institution's leader and the submitter.
  I.declarations = std::make_unique<DeclarationService>(
      *I.store, clock, [accounts = I.accounts.get()](const std::string& account, const std::string& text) {
        (void)accounts->notify(account, text);
      });
  I.weekly_reports = std::make_unique<WeeklyReportService>(*I.store, clock);
  I.exams = std::make_unique<ExamService>(*I.store, clock);
  // The ID numbers' keyed hashes take the store's key: the same person is the same claim for
  // as long as the store lives.
  I.candidates = std::make_unique<CandidateService>(*I.store, clock, *I.files, CandidateOptions{.secret_key = *key});
  I.invigilators = std::make_unique<InvigilatorService>(*I.store, clock, *key);
  I.sites = std::make_unique<SiteService>(*I.store, clock);
  I.rooms = std::make_unique<ExamRoomService>(*I.store, clock);
  return app;
}

App::~App() = default;
EventStore& App::store() { return *impl_->store; }
AccountService& App::accounts() { return *impl_->accounts; }
http::Authenticator& App::authenticator() { return *impl_->authenticator; }

std::vector<http::Route> App::routes() {
  auto all = routes::account_routes(*impl_->accounts, *impl_->idempotency);
  for (auto& r : routes::audit_routes(*impl_->store)) all.push_back(std::move(r));
  for (auto& r : routes::reference_routes(*impl_->reference, *impl_->idempotency))
    all.push_back(std::move(r));
  for (auto& r : routes::file_routes(*impl_->files, *impl_->downloads, *impl_->idempotency))
    all.push_back(std::move(r));
  for (auto& r : routes::institution_routes(*impl_->institutions)) all.push_back(std::move(r));
  for (auto& r : routes::declaration_routes(*impl_->declarations, *impl_->idempotency))
    all.push_back(std::move(r));
  for (auto& r : routes::exam_routes(*impl_->exams, *impl_->idempotency)) all.push_back(std::move(r));
  for (auto& r : routes::candidate_routes(*impl_->candidates, *impl_->idempotency)) all.push_back(std::move(r));
  for (auto& r : routes::invigilator_routes(*impl_->invigilators, *impl_->idempotency)) all.push_back(std::move(r));
  for (auto& r : routes::site_routes(*impl_->sites, *impl_->idempotency)) all.push_back(std::move(r));
  for (auto& r : routes::exam_room_routes(*impl_->rooms, *impl_->idempotency)) all.push_back(std::move(r));
  for (auto& r : routes::weekly_report_routes(*impl_->weekly_reports, *impl_->idempotency))
    all.push_back(std::move(r));
  return all;
}

std::string App::metrics() const {
  const auto s = impl_->store->stats();
  return fmt::format(
      "# HELP onex_store_appends_total Appends committed since start.\n"
      "# TYPE onex_store_appends_total counter\nonex_store_appends_total {}\n"
      "# HELP onex_store_batches_total Group commits (one write batch and sync each).\n"
      "# TYPE onex_store_batches_total counter\nonex_store_batches_total {}\n"
      "# HELP onex_store_max_batch_appends The most appends one group commit carried.\n"
      "# TYPE onex_store_max_batch_appends gauge\nonex_store_max_batch_appends {}\n"
      "# HELP onex_store_head_position Position of the last event in the log.\n"
      "# TYPE onex_store_head_position gauge\nonex_store_head_position {}\n",
      s.appends, s.batches, s.max_batch, s.head_position) +
         batch_histogram(s) +
         fmt::format("# HELP onex_auth_unknown_account_attempts_total Sign-in attempts on account "
                     "names that do not exist.\n"
                     "# TYPE onex_auth_unknown_account_attempts_total counter\n"
                     "onex_auth_unknown_account_attempts_total {}\n",
                     impl_->accounts->sign_in().unknown_name_attempts());
}

Result<std::optional<CreatedAccount>> adopt_store(const std::string& data_dir,
                                                  const std::string& operator_account,
                                                  const Clock& clock) {
  std::error_code ec;
  if (!fs::exists(fs::path(data_dir) / "CURRENT", ec))
    return Status::not_found("store.not_found", "there is no store at " + data_dir);
  if (fs::exists(key_path(data_dir), ec))
    return Status::conflict("app.secret_key_exists", data_dir + " has its secret key already");
  // A name the operator cannot have is refused before anything changes.
  if (!operator_account.empty() && !util::valid_account_name(operator_account))
    return Status::unprocessable("validation.failed", "not an account name",
                                 {{"operator", "invalid", "3 to 32 letters, digits and _ . @ -"}});
  StoreOptions so;
  so.path = data_dir;
  so.create_if_missing = false;
  so.inline_projections = all_projections();
  so.secret_key = security::random_key();
  // Opened before the key is written: a store in use is refused with nothing changed.
  auto store = open_store(so);
  if (!store) return store.status();
  if (auto s = write_key(data_dir, so.secret_key); !s) return s;
  fs::permissions(data_dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  if (ec) return Status::io_error("cannot make " + data_dir + " its owner's alone: " + ec.message());
  if (auto s = (*store)->drop_snapshots(); !s) return s;
  if (operator_account.empty()) return std::optional<CreatedAccount>{};
  auto sms = make_outbox_gateway((fs::path(data_dir) / "sms-outbox.jsonl").string());
  AccountOptions ao;
  ao.secret_key = so.secret_key;
  AccountService accounts(**store, clock, *sms, ao);
  auto created = accounts.create_operator(operator_account);
  if (!created) return created.status();
  return std::optional<CreatedAccount>{std::move(*created)};
}

Result<CreatedAccount> init_store(const std::string& data_dir, const std::string& operator_account,
                                  const Clock& clock) {
  std::error_code ec;
  if (fs::exists(fs::path(data_dir) / "CURRENT", ec))
    return Status::conflict("store.exists", "there is a store at " + data_dir + " already");
  // The data directory is its owner's alone: the store's files, the key, the SMS outbox.
  if (!fs::exists(data_dir, ec)) {
    fs::create_directories(data_dir, ec);
    if (!ec) fs::permissions(data_dir, fs::perms::owner_all, fs::perm_options::replace, ec);
    if (ec) return Status::io_error("cannot create " + data_dir + ": " + ec.message());
  }
  const std::string key = security::random_key();
  if (auto s = write_key(data_dir, key); !s) return s;
  StoreOptions so;
  so.path = data_dir;
  so.inline_projections = all_projections();
  so.secret_key = key;
  auto store = open_store(so);
  if (!store) return store.status();
  auto sms = make_outbox_gateway((fs::path(data_dir) / "sms-outbox.jsonl").string());
  AccountOptions ao;
  ao.secret_key = key;
  AccountService accounts(**store, clock, *sms, ao);
  return accounts.create_operator(operator_account);
}

}  // namespace onex::app
