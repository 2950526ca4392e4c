// File contents, kept by content address beside the store: <data_dir>/files/<first 2 hex>/<sha256>.
// A blob is written once (temp file, fsync, rename, fsync of the directory) and never changed;
// events refer to it by file id and hash only.
#pragma once

#include <string>
#include <string_view>

#include "onex/status.h"

namespace onex::files {

class BlobStore {
 public:
  explicit BlobStore(std::string data_dir);

  // The SHA-256 of `bytes` (64 lowercase hex digits), once they are durably on disk at its
  // address. An existing blob of that hash is left as it is. Fails with files.io_error (io_error),
  // leaving at most a temp file behind. Thread-safe.
  Result<std::string> put(std::string_view bytes) const;

  // Where the blob of `sha256` is (whether or not it exists); "" for a malformed hash.
  std::string path_of(std::string_view sha256) const;

  // The blob's bytes. Fails with files.blob_missing (io_error) when it is not there, or with
  // store.corruption when its bytes no longer hash to `sha256`.
  Result<std::string> read(std::string_view sha256) const;

 private:
  std::string root_;  // <data_dir>/files
};

}  // namespace onex::files
