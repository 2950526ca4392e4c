// FileService: uploads checked by their content, blobs by content address, one event per file;
// reads by the uploader's party, the operator and auditor, and the readers of referring records.
#include <algorithm>
#include <filesystem>
#include <fstream>

#include "common/lookups.h"
#include "common/purposes.h"
#include "engine/engine.h"
#include "file/projection.h"
#include "file/state.h"
#include "files/blobs.h"
#include "files/sniff.h"
#include "onex/files.h"
#include "util/hash.h"

namespace onex {

using namespace file;

namespace {

Status not_found() { return Status::not_found("file.not_found", "no such file"); }

Status invalid(const char* field, const char* code, const std::string& message) {
  return Status::unprocessable(code, message, {{field, code, message}});
}

FileView view_of(const lookup::FileRef& f, std::uint64_t version) {
  return FileView{f.id, "file-" + f.id, version, f.sha256, f.size, f.content_type, f.purpose};
}

std::string kinds_text(const files::Purpose& p) {
  std::string out;
  for (auto k : p.kinds) out += (out.empty() ? "" : ", ") + std::string(files::extension_of(k));
  return out;
}

}  // namespace

struct FileService::Impl {
  EventStore& store;
  const Clock& clock;
  files::BlobStore blobs;
  engine::Engine<Workflow> engine;

  Impl(EventStore& s, const Clock& c, std::string data_dir)
      : store(s), clock(c), blobs(std::move(data_dir)), engine(s, c) {
    // Temp files of uploads that were being received when the process ended.
    if (auto dir = blobs.temp_dir()) {
      std::error_code ec;
      for (const auto& e : std::filesystem::directory_iterator(*dir, ec))
        std::filesystem::remove(e.path(), ec);
    }
  }

  // Appends file.uploaded for bytes stored at `sha`.
  Result<FileView> record(const Actor& actor, const files::Purpose& purpose, files::Kind kind,
                          std::uint64_t size, const std::string& sha);

  // The file's metadata when `actor` may see it (file/access.cpp).
  std::optional<lookup::FileRef> visible(const Actor& actor, std::string_view file_id) const {
    return visible_file(store, actor, file_id);
  }
};

FileService::FileService(EventStore& store, const Clock& clock, std::string data_dir)
    : impl_(std::make_unique<Impl>(store, clock, std::move(data_dir))) {}
FileService::~FileService() = default;

std::optional<std::size_t> FileService::limit_of(std::string_view purpose) {
  const auto* p = find_file_purpose(purpose);
  if (!p) return std::nullopt;
  return p->limit;
}

namespace {

// What an upload is, checked against its purpose before anything is written.
struct Checked {
  const files::Purpose* purpose = nullptr;
  files::Kind kind = files::Kind::unknown;
};

Result<Checked> check_upload(const Actor& actor, std::string_view purpose_name,
                             std::string_view declared_type, std::uint64_t size,
                             files::Kind kind) {
  if (actor.account_id.empty())
    return Status::make(StatusKind::unauthenticated, "auth.unauthenticated", "sign in first");
  const auto* purpose = find_file_purpose(purpose_name);
  if (!purpose)
    return invalid("purpose", "file.unknown_purpose", [] {
      std::string names;
      for (const auto& p : file_purposes()) names += (names.empty() ? "one of " : ", ") + std::string(p.name);
      return names;
    }());
  if (size == 0) return invalid("file", "file.empty", "the file is empty");
  if (size > purpose->limit)
    return invalid("file", "file.too_large",
                   "a " + std::string(purpose->name) + " file is at most " +
                       std::to_string(purpose->limit >> 20) + " MiB");
  if (std::find(purpose->kinds.begin(), purpose->kinds.end(), kind) == purpose->kinds.end())
    return invalid("file", "file.type_mismatch",
                   "a " + std::string(purpose->name) + " file is " + kinds_text(*purpose));
  if (!files::declared_type_agrees(declared_type, kind))
    return invalid("file", "file.type_mismatch",
                   "the declared type " + std::string(declared_type) + " is not what the file is (" +
                       std::string(files::content_type_of(kind)) + ")");
  return Checked{purpose, kind};
}

}  // namespace

Result<FileView> FileService::Impl::record(const Actor& actor, const files::Purpose& purpose,
                                           files::Kind kind, std::uint64_t size,
                                           const std::string& sha) {
  const auto owner = lookup::party_of(actor);
  Uploaded u;
  u.file_id = util::random_id();
  u.sha256 = sha;
  u.size = size;
  u.content_type = std::string(files::content_type_of(kind));
  u.purpose = std::string(purpose.name);
  u.owner_kind = owner.kind;
  u.owner_id = owner.id;
  engine::CommandMeta meta;
  meta.actor = actor;
  auto outcome = engine.execute(
      engine::stream_of<Workflow>(u.file_id), meta,
      [&](const Machine&, std::uint64_t version, Timestamp) -> Result<engine::Decision<Workflow>> {
        if (version != 0) return Status::conflict("file.exists", "the file id is taken");
        engine::Decision<Workflow> d;
        d.events.push_back(u);
        return d;
      });
  if (!outcome) return outcome.status();
  return FileView{u.file_id, "file-" + u.file_id, outcome->version, u.sha256,
                  u.size,    u.content_type,      u.purpose};
}

Result<FileView> FileService::upload(const Actor& actor, std::string_view purpose,
                                     std::string_view declared_type, std::string_view bytes) {
  auto checked = check_upload(actor, purpose, declared_type, bytes.size(),
                              bytes.empty() ? files::Kind::unknown : files::sniff(bytes).kind);
  if (!checked) return checked.status();
  if (checked->purpose->transparent_square)
    if (auto s = files::check_transparent_square(bytes); !s) return s;
  auto sha = impl_->blobs.put(bytes);
  if (!sha) return sha.status();
  return impl_->record(actor, *checked->purpose, checked->kind, bytes.size(), *sha);
}

Result<FileView> FileService::upload_file(const Actor& actor, std::string_view purpose,
                                          std::string_view declared_type, const std::string& path) {
  std::error_code ec;
  const std::uint64_t size = std::filesystem::file_size(path, ec);
  if (ec) return Status::make(StatusKind::io_error, "files.io_error", "cannot read " + path);
  const auto* known = find_file_purpose(purpose);
  // Sniff only what the purpose could take: a file past the limit is refused unread.
  const files::Kind kind = size == 0 || !known || size > known->limit
                               ? files::Kind::unknown
                               : files::sniff_file(path).kind;
  auto checked = check_upload(actor, purpose, declared_type, size, kind);
  if (!checked) return checked.status();
  if (checked->purpose->transparent_square) {
    std::ifstream in(path, std::ios::binary);
    std::string bytes(static_cast<std::size_t>(size), '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(size));
    if (auto s = files::check_transparent_square(bytes); !s) return s;
  }
  auto sha = impl_->blobs.put_file(path);
  if (!sha) return sha.status();
  return impl_->record(actor, *checked->purpose, checked->kind, size, *sha);
}

Result<std::string> FileService::spool_dir() const { return impl_->blobs.temp_dir(); }

bool FileService::may_read(const Actor& actor, std::string_view file_id) const {
  return impl_->visible(actor, file_id).has_value();
}

Result<FileView> FileService::get(const Actor& actor, std::string_view file_id) const {
  auto f = impl_->visible(actor, file_id);
  if (!f) return not_found();
  return view_of(*f, 1);
}

Result<FileContent> FileService::open(const Actor& actor, std::string_view file_id) const {
  auto f = impl_->visible(actor, file_id);
  if (!f) return not_found();
  auto bytes = impl_->blobs.read(f->sha256);
  if (!bytes) return bytes.status();
  return FileContent{view_of(*f, 1),
                     std::string(files::extension_of(files::kind_of(f->content_type))),
                     std::move(*bytes), {}};
}

Result<FileContent> FileService::locate(const Actor& actor, std::string_view file_id) const {
  auto f = impl_->visible(actor, file_id);
  if (!f) return not_found();
  std::string path = impl_->blobs.path_of(f->sha256);
  std::error_code ec;
  if (path.empty() || !std::filesystem::is_regular_file(path, ec))
    return Status::make(StatusKind::io_error, "files.blob_missing", "no blob for " + f->sha256);
  return FileContent{view_of(*f, 1),
                     std::string(files::extension_of(files::kind_of(f->content_type))), {},
                     std::move(path)};
}

std::string FileService::blob_path(std::string_view sha256) const {
  return impl_->blobs.path_of(sha256);
}

}  // namespace onex
