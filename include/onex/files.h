// Files (附件): uploads checked by their content, kept by content address, and read back by those
// who may see them (API.md "Reference data", "File purposes and limits"). Records refer to files
// by id; lookup::usable_file (workflows/common/lookups.h) says which a record may refer to.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "onex/clock.h"
#include "onex/event.h"
#include "onex/event_store.h"
#include "onex/status.h"

namespace onex {

// A stored file, as the API shows it.
struct FileView {
  std::string file_id;       // 32 lowercase hex digits (128 random bits)
  std::string stream;        // "file-<file_id>"
  std::uint64_t version = 0;
  std::string sha256;        // 64 lowercase hex digits of the bytes
  std::uint64_t size = 0;
  std::string content_type;  // what the bytes are, e.g. "image/png"
  std::string purpose;
};

// A file's metadata and its bytes.
struct FileContent {
  FileView view;
  std::string extension;  // "pdf", "png", ... for a download's file name
  std::string bytes;      // empty from locate()
  std::string path;       // the blob on disk, from locate()
};

// Thread-safe. The store and clock must outlive the service; `data_dir` is the store's
// directory: blobs go to <data_dir>/files/<first 2 hex>/<sha256>.
class FileService {
 public:
  FileService(EventStore& store, const Clock& clock, std::string data_dir);
  ~FileService();
  FileService(const FileService&) = delete;
  FileService& operator=(const FileService&) = delete;

  // The size limit of a purpose in bytes; nullopt for an unknown purpose.
  static std::optional<std::size_t> limit_of(std::string_view purpose);

  // Stores `bytes` uploaded by `actor` for `purpose`, owned by lookup::party_of(actor). The type
  // is what the bytes are; `declared_type` (the request's Content-Type, "" when absent) must
  // agree with it. Success writes the blob (unless one with that hash is there already) and the
  // event file.uploaded in a new stream "file-<id>". Fails, with the store unchanged, with
  // (422 unless said otherwise):
  //   file.unknown_purpose  (field "purpose")
  //   file.empty, file.too_large (field "file"; a server answers 413 for the latter)
  //   file.type_mismatch    (field "file"; a server answers 415): a type the purpose does not
  //                         take, or a declared type that disagrees with the bytes
  //   file.not_square, file.not_transparent, file.dimensions_too_large, file.unreadable
  //                         (field "file"): a seal or signature that is no square PNG on a
  //                         transparent background
  //   files.io_error (io_error) when the blob cannot be written; store errors.
  Result<FileView> upload(const Actor& actor, std::string_view purpose,
                          std::string_view declared_type, std::string_view bytes);

  // The same for bytes already in a file, e.g. a request body the server spooled to disk: it is
  // read in chunks (only small files are read whole), linked or copied to its content address,
  // and left where it is for the caller to remove.
  Result<FileView> upload_file(const Actor& actor, std::string_view purpose,
                               std::string_view declared_type, const std::string& path);

  // A directory for temp files on the blobs' file system (<data_dir>/files/tmp), made if
  // missing, so that a spooled upload becomes a blob by a hard link. Files left in it by a
  // crash are removed when the service is made.
  Result<std::string> spool_dir() const;

  // Whether `actor` may see the file: the auditor; the account that uploaded it; its owner
  // party (institution, org, province) while no record refers to it; once records do, whoever
  // sees a record's event naming it under that record's rule (a seal: its leader only).
  bool may_read(const Actor& actor, std::string_view file_id) const;

  // The metadata and bytes of a file `actor` may see. Fails with file.not_found (404) for an
  // unknown id or one the actor may not see, files.blob_missing (io_error) or store.corruption
  // when the bytes on disk are gone or no longer match their hash.
  Result<FileContent> open(const Actor& actor, std::string_view file_id) const;

  // The same with the blob's path instead of its bytes, to stream a large file; the bytes are
  // not read, so not checked against their hash. Fails with files.blob_missing when the blob
  // is not there.
  Result<FileContent> locate(const Actor& actor, std::string_view file_id) const;

  // The metadata alone, under the same rule as open().
  Result<FileView> get(const Actor& actor, std::string_view file_id) const;

  // Where the bytes of a file with this hash are kept; "" for a malformed hash.
  std::string blob_path(std::string_view sha256) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace onex
