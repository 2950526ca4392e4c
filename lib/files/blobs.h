// File contents, kept by content address beside the store: <data_dir>/files/<first 2 hex>/<sha256>.
// A blob is written once (temp file, fsync, rename, fsync of the directory) and never changed;
// events refer to it by file id and hash only.
#pragma once

#include <string>
#include <string_view>

#include "onex/status.h"

namespace onex::files {

// The SHA-256 of a file's bytes (lowercase hex), read in chunks. Fails with files.io_error.
Result<std::string> sha256_file(const std::string& path);

class BlobStore {
 public:
  explicit BlobStore(std::string data_dir);

  // The SHA-256 of `bytes` (64 lowercase hex digits), once they are durably on disk at its
  // address. An existing blob of that hash is left as it is. Fails with files.io_error (io_error),
  // leaving at most a temp file behind. Thread-safe.
  Result<std::string> put(std::string_view bytes) const;

  // The same for bytes already in a file (a spooled request body): the file is hashed as it is
  // read, then linked (or, across file systems, copied) to its address; it is never moved or
  // removed, that is the caller's.
  Result<std::string> put_file(const std::string& path) const;

  // A directory on the blobs' file system for temp files (request bodies), made if missing:
  // <data_dir>/files/tmp. Whatever is in it when the store opens is left over from a crash.
  Result<std::string> temp_dir() const;

  // Where the blob of `sha256` is (whether or not it exists); "" for a malformed hash.
  std::string path_of(std::string_view sha256) const;

  // The blob's bytes. Fails with files.blob_missing (io_error) when it is not there, or with
  // store.corruption when its bytes no longer hash to `sha256`.
  Result<std::string> read(std::string_view sha256) const;

 private:
  std::string root_;  // <data_dir>/files
};

}  // namespace onex::files
