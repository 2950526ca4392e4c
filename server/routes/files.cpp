// Files and download tokens (API.md "Reference data", "Conventions"): uploads as raw bodies
// checked by their content, downloads by bearer token or single-use download token.
#include <algorithm>

#include "files/blobs.h"
#include "http/problem.h"
#include "http/schema.h"
#include "routes/body.h"
#include "routes/routes.h"
#include "security/secrets.h"

namespace onex::routes {

using http::Request;
using http::Response;
using nlohmann::json;

namespace {

constexpr std::string_view kFilesPath = "/api/v1/files/";
constexpr std::size_t kSpoolAbove = std::size_t{4} << 20;

// Upload refusals that have their own HTTP status: 413 and 415.
Response file_problem(const Status& s) {
  const int status = s.code() == "file.type_mismatch" ? 415
                     : s.code() == "file.too_large"   ? 413
                                                      : 0;
  if (status == 0) return http::problem(s);
  return http::detail::problem_response(status, s.code(), s.message(), s.errors());
}

json to_json(const FileView& v) {
  json j = json::object();
  j["file_id"] = v.file_id;
  j["id"] = v.file_id;
  j["stream"] = v.stream;
  j["version"] = v.version;
  j["sha256"] = v.sha256;
  j["size"] = v.size;
  j["content_type"] = v.content_type;
  j["purpose"] = v.purpose;
  return j;
}

Response unauthenticated(const std::string& detail) {
  Response r = http::problem(Status::make(StatusKind::unauthenticated, "auth.unauthenticated", detail));
  r.headers.emplace_back("WWW-Authenticate", "Bearer");
  return r;
}

}  // namespace

// ---- download tokens ----

void DownloadTokens::add_path(std::string prefix, MayRead may_read) {
  std::lock_guard lock(mutex_);
  paths_.emplace_back(std::move(prefix), std::move(may_read));
}

Status DownloadTokens::caller(Request& request) {
  if (request.principal) {
    if (request.principal->setup_required)
      return Status::forbidden("account.setup_required", "the account must finish its setup first");
    return {};
  }
  auto token = request.query_value("download_token");
  if (!token || token->empty()) {
    const bool bearer = !request.header("Authorization").empty();
    return Status::make(StatusKind::unauthenticated, "auth.unauthenticated",
                        bearer ? "the token is unknown or expired"
                               : "a bearer token or a download_token is required");
  }
  const std::string key = security::digest(*token);
  std::lock_guard lock(mutex_);
  auto it = grants_.find(key);
  if (it == grants_.end())
    return Status::make(StatusKind::unauthenticated, "auth.unauthenticated",
                        "the download token is unknown, used or expired");
  Grant grant = std::move(it->second);
  grants_.erase(it);  // single use, whatever happens next
  if (clock_.now() > grant.expires_at || grant.path != request.path)
    return Status::make(StatusKind::unauthenticated, "auth.unauthenticated",
                        "the download token is unknown, used or expired");
  if (alive_)
    if (auto s = alive_(grant.principal); !s)
      return Status::make(StatusKind::unauthenticated, "auth.unauthenticated",
                          "the session that asked for the download token has ended");
  request.principal = std::move(grant.principal);
  return {};
}

http::Route DownloadTokens::route(Idempotency& idempotency) {
  // Issues a token for `path` to the request's principal, once the path checks out.
  auto issue = [this](const Request& r, const std::string& path) -> Result<json> {
    if (path.empty() || path.size() > 1024 || path.find_first_of("?#") != std::string::npos)
      return Status::unprocessable("download.bad_path", "not a download path",
                                   {{"path", "download.bad_path", "a download path, without a query"}});
    MayRead check;
    {
      std::lock_guard lock(mutex_);
      for (const auto& [prefix, may_read] : paths_)
        if (path.starts_with(prefix) && path.size() > prefix.size()) check = may_read;
    }
    if (!check)
      return Status::unprocessable("download.bad_path", "not a download path",
                                   {{"path", "download.bad_path", "a path of a file or PDF download"}});
    if (auto s = check(session_of(r), path); !s) return s;
    const std::string token = security::random_token();
    const Timestamp now = clock_.now();
    const Timestamp expires = now + kLifetime;
    std::lock_guard lock(mutex_);
    std::erase_if(grants_, [&](const auto& g) { return g.second.expires_at < now; });
    grants_[security::digest(token)] = Grant{*r.principal, path, expires};
    json j = json::object();
    j["token"] = token;
    j["expires_at"] = format_china(expires);
    j["path"] = path;
    return j;
  };
  http::Route route{
      .method = "POST",
      .pattern = "/api/v1/download-tokens",
      .roles = {"*"},
      .summary = "A single-use token (60 s) to download one path without a bearer token",
      .handler = [issue](Request& r) -> Response {
        ONEX_TRY(body, Body::parse(r, {"path"}));
        ONEX_TRY(path, body->text("path", 1024));
        ONEX_TRY(issued, issue(r, *path));
        return http::json(201, *issued);
      },
      .request_schema = {{"type", "object"},
                         {"required", {"path"}},
                         {"properties", {{"path", {{"type", "string"}}}}}},
      .success_status = 201};
  // A replay never shows the first token again (it is a secret): it gets a fresh one.
  return idempotency.wrap(
      std::move(route), [](json& body) { body.erase("token"); },
      [issue](const Request& r, json& body) {
        auto again = issue(r, body.value("path", std::string()));
        if (again) body = std::move(*again);
      });
}

// ---- files ----

std::vector<http::Route> file_routes(FileService& files, DownloadTokens& downloads,
                                     Idempotency& idempotency) {
  downloads.add_path(std::string(kFilesPath), [&files](const Session& s, std::string_view path) {
    const auto id = path.substr(kFilesPath.size());
    if (id.find('/') != std::string_view::npos || !files.may_read(s.actor, id))
      return Status::not_found("file.not_found", "no such file");
    return Status{};
  });

  std::vector<http::Route> routes;
  routes.push_back(downloads.route(idempotency));
  // Bodies past 4 MiB go to a temp file beside the blobs, and become a blob by a hard link.
  auto spool = files.spool_dir();
  http::Route upload = idempotency.wrap({
      .method = "POST",
      .pattern = "/api/v1/files",
      .roles = {"*"},
      // The purpose's limit; an unknown purpose gets 1 MiB to be refused with 422.
      .body_limit_for =
          [](const Request& r) -> std::size_t {
            auto purpose = r.query_value("purpose");
            auto limit = purpose ? FileService::limit_of(*purpose) : std::nullopt;
            return limit.value_or(std::size_t{1} << 20);
          },
      .spool_above = spool ? kSpoolAbove : 0,
      .spool_dir = spool ? *spool : std::string(),
      .content_types = {"*/*"},
      .summary = "Upload a file for a purpose: the raw body, its type checked from the content",
      .handler = [&files](Request& r) -> Response {
        auto purpose = r.query_value("purpose");
        if (!purpose)
          return http::problem(Status::unprocessable(
              "file.unknown_purpose", "say what the file is for",
              {{"purpose", "required", "?purpose= names what the file is for"}}));
        auto v = r.body_file.empty()
                     ? files.upload(session_of(r).actor, *purpose, r.header("Content-Type"), r.body)
                     : files.upload_file(session_of(r).actor, *purpose, r.header("Content-Type"),
                                         r.body_file);
        if (!v) return file_problem(v.status());
        Response out = versioned(201, to_json(*v), v->version);
        out.headers.emplace_back("Location", std::string(kFilesPath) + v->file_id);
        return out;
      },
      .response_schema = {{"type", "object"},
                          {"required", {"file_id", "sha256", "size", "content_type", "purpose"}}},
      .success_status = 201});
  // A spooled body is fingerprinted for Idempotency-Key by its hash.
  upload.handler = [inner = std::move(upload.handler)](Request& r) -> Response {
    if (!r.body_file.empty() && r.body_sha256.empty() && !r.header("Idempotency-Key").empty()) {
      auto sha = files::sha256_file(r.body_file);
      if (!sha) return http::problem(sha.status());
      r.body_sha256 = *sha;
    }
    return inner(r);
  };
  routes.push_back(std::move(upload));

  routes.push_back({
      .method = "GET",
      .pattern = "/api/v1/files/{file_id}",
      // Public in the table: a bearer token or a download token, checked here.
      .is_public = true,
      .content_types = {},
      .summary = "A file's bytes, as an attachment (bearer token or ?download_token=)",
      .handler = [&files, &downloads](Request& r) -> Response {
        if (auto s = downloads.caller(r); !s) {
          if (s.kind() == StatusKind::unauthenticated) return unauthenticated(s.message());
          return http::problem(s);
        }
        const auto& actor = session_of(r).actor;
        const auto& id = r.params.at("file_id");
        // Small files are read (and checked against their hash); large ones streamed from disk.
        auto meta = files.get(actor, id);
        if (!meta) return http::problem(meta.status());
        auto content = meta->size > kSpoolAbove ? files.locate(actor, id) : files.open(actor, id);
        if (!content) return http::problem(content.status());
        Response out;
        out.content_type = content->view.content_type;
        out.body = std::move(content->bytes);
        out.body_file = std::move(content->path);
        out.headers.emplace_back("Content-Disposition", "attachment; filename=\"" +
                                                            content->view.file_id + "." +
                                                            content->extension + "\"");
        out.headers.emplace_back("ETag", "\"" + content->view.sha256 + "\"");
        return out;
      }});

  // ---- the contract (OpenAPI) ----
  namespace s = http::schema;
  s::document(routes, {
      {"POST /api/v1/download-tokens",
       {.request = s::object("DownloadTokenRequest", {{"path", s::text("/api/v1/files/{file_id} or a PDF route")}}),
        .response = s::object("DownloadToken", {{"token", s::text()}, {"expires_at", s::time()}, {"path", s::text()}}),
        .errors = {"download.bad_path", "file.not_found"}}},
      {"POST /api/v1/files",
       {.request = {{"type", "string"}, {"contentMediaType", "application/octet-stream"},
                    {"description", "the file's bytes; its type is read from them"}},
        .response = s::object("File", {{"file_id", s::text()}, {"id", s::text("the same as file_id")},
                                       {"stream", s::text()}, {"version", s::integer()}, {"sha256", s::text()},
                                       {"size", s::integer()}, {"content_type", s::text()}, {"purpose", s::text()}}),
        .query = {{"purpose", s::text(), "what the file is for: declaration_attachment, seal, …"}},
        .errors = {"file.unknown_purpose", "file.empty", "file.too_large", "file.type_mismatch", "file.unreadable",
                   "file.dimensions_too_large", "file.not_square", "file.not_transparent"}}},
      {"GET /api/v1/files/{file_id}",
       {.response = {{"type", "string"}, {"contentMediaType", "application/octet-stream"}},
        .query = {{"download_token", s::text(), "instead of a bearer token (POST /api/v1/download-tokens)"}},
        .errors = {"auth.unauthenticated", "file.not_found", "files.blob_missing"},
        .response_media = "application/octet-stream"}},
  });
  return routes;
}

}  // namespace onex::routes
