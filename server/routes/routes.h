// The REST routes: one table per workflow, each line mapping HTTP onto one library call.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/server.h"
#include "onex/accounts.h"
#include "onex/event_store.h"
#include "onex/reference.h"
#include "onex/files.h"
#include "onex/institutions.h"
#include "onex/declaration.h"
#include "onex/weekly_reports.h"

namespace onex {
class ExamService;  // onex/exams.h
class CandidateService;  // onex/candidates.h
class InvigilatorService;  // onex/invigilators.h
class SiteService;  // onex/sites.h
class ExamRoomService;  // onex/exam_rooms.h
}

namespace onex::routes {

// The session behind a request's Principal (set by SessionAuthenticator).
const Session& session_of(const http::Request& request);
// The caller of a command: the session's actor, the request's X-Correlation-Id and its
// If-Match (400 request.bad_if_match when it is no version ETag), for every write route.
Result<Caller> caller_of(const http::Request& request);

// Bearer tokens → sessions, through SignIn::authenticate (AccountService::sign_in()).
class SessionAuthenticator final : public http::Authenticator {
 public:
  explicit SessionAuthenticator(AccountService& accounts) : accounts_(accounts) {}
  std::optional<http::Principal> authenticate(std::string_view token,
                                              const http::Request& request) override;

 private:
  AccountService& accounts_;
};

// `Idempotency-Key` on authenticated POSTs (API.md "Conventions"): a retry by the same account
// with the same key, method, full path and body answers the first result and changes nothing;
// the same key with another path or body is 422 idempotency.key_reused. Outcomes are kept in
// the store's secrets for 24 hours and hold no secrets: `rehydrate` puts them back on a replay
// (an initial password, read again while it is still viewable).
class Idempotency {
 public:
  explicit Idempotency(EventStore& store, const Clock& clock) : store_(store), clock_(clock) {}
  using Rehydrate = std::function<void(const http::Request&, nlohmann::json& body)>;
  using Redact = std::function<void(nlohmann::json& body)>;
  http::Route wrap(http::Route route, Redact redact = {}, Rehydrate rehydrate = {});

 private:
  EventStore& store_;
  const Clock& clock_;
  std::array<std::mutex, 64> locks_;
};

std::vector<http::Route> account_routes(AccountService& accounts, Idempotency& idempotency);

// Reference data: provinces, the institution registry (CSV import), orgs, certificates, standards.
std::vector<http::Route> reference_routes(ReferenceService& reference, Idempotency& idempotency);
nlohmann::json to_json(const OrgView& v);
nlohmann::json to_json(const CertificateView& v);
nlohmann::json to_json(const StandardView& v);

// Download tokens (API.md "Conventions"): `POST /api/v1/download-tokens {path}` gives a token for
// one download path the caller may read now; a GET of that path with `?download_token=` instead
// of a bearer token acts as the account that asked, once, within 60 seconds. Only the token's
// SHA-256 is kept, in memory (a restart forgets the tokens). Thread-safe.
//
// A download route is public in the table and calls `caller` first; routes with downloads
// register their path prefix and the check of who may read a path with `add_path` before the
// server starts.
class DownloadTokens {
 public:
  static constexpr std::chrono::seconds kLifetime{60};
  // `alive`: whether the session a grant was made for still stands when the token is used
  // (a token ends with its session).
  using Alive = std::function<Status(const http::Principal& principal)>;
  DownloadTokens(const Clock& clock, Alive alive) : clock_(clock), alive_(std::move(alive)) {}

  // Ok when the session may read `path` now (a path beginning with `prefix`); otherwise the
  // refusal to answer (404 for an id it may not see).
  using MayRead = std::function<Status(const Session& session, std::string_view path)>;
  void add_path(std::string prefix, MayRead may_read);

  // The caller of a download: the principal of its bearer token, or the account that got the
  // `download_token` in the query for exactly this path (the token is then used up). Sets
  // request.principal. Fails with 401 auth.unauthenticated (neither, or an unknown, used or
  // expired token), 403 account.setup_required for a setup session.
  Status caller(http::Request& request);

  // POST /api/v1/download-tokens.
  http::Route route(Idempotency& idempotency);

 private:
  struct Grant {
    http::Principal principal;
    std::string path;
    Timestamp expires_at;
  };
  const Clock& clock_;
  const Alive alive_;
  std::mutex mutex_;
  std::vector<std::pair<std::string, MayRead>> paths_;
  std::map<std::string, Grant> grants_;  // by the token's SHA-256
};

// Files: POST /api/v1/files?purpose=, GET /api/v1/files/{file_id}, and POST
// /api/v1/download-tokens (downloads.route); registers the file download path with `downloads`.
std::vector<http::Route> file_routes(FileService& files, DownloadTokens& downloads,
                                     Idempotency& idempotency);
// History and audit: GET /api/v1/streams/{stream_id}/events and GET /api/v1/audit/chain.
std::vector<http::Route> audit_routes(EventStore& store);

nlohmann::json to_json(const AccountView& v);

std::vector<http::Route> institution_routes(InstitutionService& institutions);

// Declaration plans, declarations and quotas; weekly-report settings and reports.
std::vector<http::Route> declaration_routes(DeclarationService& declarations,
                                            Idempotency& idempotency);
// Exam organisation (API.md "Exam organisation"): exam subjects so far.
std::vector<http::Route> exam_routes(ExamService& exams, Idempotency& idempotency);
// Candidates: records, tables (template, import, export, batch update) and photos.
std::vector<http::Route> candidate_routes(CandidateService& candidates, Idempotency& idempotency);
std::vector<http::Route> invigilator_routes(InvigilatorService& invigilators, Idempotency& idempotency);
std::vector<http::Route> site_routes(SiteService& sites, Idempotency& idempotency);
std::vector<http::Route> exam_room_routes(ExamRoomService& rooms, Idempotency& idempotency);

std::vector<http::Route> weekly_report_routes(WeeklyReportService& reports,
                                              Idempotency& idempotency);
nlohmann::json to_json(const InstitutionView& v);

}  // namespace onex::routes
