// FileService: uploads checked by their content, blobs by content address, one event per file;
// reads by the uploader's party, the operator and auditor, and the readers of referring records.
#include <algorithm>
#include <filesystem>
#include <fstream>

#include "common/lookups.h"
#include "common/purposes.h"
#include "file/projection.h"
#include "file/decide.h"
#include "files/blobs.h"
#include "files/sniff.h"
#include "onex/files.h"
#include "util/hash.h"

namespace onex {

using namespace file;

namespace {

Status not_found() { return engine::not_found<Workflow>(); }

FileView view_of(const lookup::FileRef& f, std::uint64_t version) {
  return FileView{f.id, "file-" + f.id, version, f.sha256, f.size, f.content_type, f.purpose};
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

  // Appends file.uploaded for bytes stored at `upload.sha256`.
  Result<FileView> record(const Actor& actor, const Upload& upload) {
    static const engine::Command<Workflow, Impl, Upload> kUpload{.decide = decide_upload};
    return engine::run(engine, *this, kUpload, {.actor = actor}, upload);
  }

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

Result<FileView> FileService::upload(const Actor& actor, std::string_view purpose,
                                     std::string_view declared_type, std::string_view bytes) {
  Upload upload{std::string(purpose), std::string(declared_type), bytes.size(),
                bytes.empty() ? files::Kind::unknown : files::sniff(bytes).kind};
  auto checked = check_upload(actor, upload);
  if (!checked) return checked.status();
  if (checked->purpose->transparent_square)
    if (auto s = files::check_transparent_square(bytes); !s) return s;
  auto sha = impl_->blobs.put(bytes);
  if (!sha) return sha.status();
  upload.sha256 = *sha;
  return impl_->record(actor, upload);
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
  Upload upload{std::string(purpose), std::string(declared_type), size, kind};
  auto checked = check_upload(actor, upload);
  if (!checked) return checked.status();
  if (checked->purpose->transparent_square) {
    std::ifstream in(path, std::ios::binary);
    std::string bytes(static_cast<std::size_t>(size), '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(size));
    if (auto s = files::check_transparent_square(bytes); !s) return s;
  }
  auto sha = impl_->blobs.put_file(path);
  if (!sha) return sha.status();
  upload.sha256 = *sha;
  return impl_->record(actor, upload);
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
