#include "files/blobs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "util/hash.h"

namespace onex::files {
namespace {

namespace fs = std::filesystem;

Status io_error(const std::string& what) {
  return Status::make(StatusKind::io_error, "files.io_error", what + ": " + std::strerror(errno));
}

bool is_hash(std::string_view h) {
  return h.size() == 64 && h.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

Status fsync_path(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return io_error("cannot open " + path);
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok ? Status{} : io_error("cannot fsync " + path);
}

// Makes `dir` if it is missing, and makes its entry in `parent` durable.
Status ensure_dir(const std::string& dir, const std::string& parent) {
  if (::mkdir(dir.c_str(), 0700) == 0) return fsync_path(parent, O_RDONLY | O_DIRECTORY);
  if (errno == EEXIST) return {};
  return io_error("cannot create " + dir);
}

}  // namespace

BlobStore::BlobStore(std::string data_dir) : root_((fs::path(data_dir) / "files").string()) {}

std::string BlobStore::path_of(std::string_view sha256) const {
  if (!is_hash(sha256)) return {};
  return root_ + "/" + std::string(sha256.substr(0, 2)) + "/" + std::string(sha256);
}

Result<std::string> BlobStore::put(std::string_view bytes) const {
  const std::string sha = util::to_hex(util::sha256(bytes));
  const std::string dir = root_ + "/" + sha.substr(0, 2);
  const std::string path = dir + "/" + sha;
  struct stat existing {};
  if (::stat(path.c_str(), &existing) == 0 && static_cast<std::uint64_t>(existing.st_size) == bytes.size())
    return sha;
  if (auto s = ensure_dir(root_, fs::path(root_).parent_path().string()); !s) return s;
  if (auto s = ensure_dir(dir, root_); !s) return s;

  const std::string temp = path + ".tmp-" + util::random_id();
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return io_error("cannot create " + temp);
  std::string_view rest = bytes;
  bool ok = true;
  while (ok && !rest.empty()) {
    const ssize_t n = ::write(fd, rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) rest.remove_prefix(static_cast<std::size_t>(n));
  }
  ok = ok && ::fsync(fd) == 0;
  Status failed = ok ? Status{} : io_error("cannot write " + temp);
  ::close(fd);
  if (ok && ::rename(temp.c_str(), path.c_str()) != 0) {
    ok = false;
    failed = io_error("cannot rename " + temp);
  }
  if (!ok) {
    ::unlink(temp.c_str());
    return failed;
  }
  if (auto s = fsync_path(dir, O_RDONLY | O_DIRECTORY); !s) return s;
  return sha;
}

Result<std::string> BlobStore::read(std::string_view sha256) const {
  const std::string path = path_of(sha256);
  int fd = path.empty() ? -1 : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return Status::make(StatusKind::io_error, "files.blob_missing",
                        "no blob for " + std::string(sha256));
  std::string bytes;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && st.st_size > 0) bytes.reserve(static_cast<std::size_t>(st.st_size));
  char chunk[65536];
  for (;;) {
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return io_error("cannot read " + path);
    }
    if (n == 0) break;
    bytes.append(chunk, static_cast<std::size_t>(n));
  }
  ::close(fd);
  if (util::to_hex(util::sha256(bytes)) != sha256)
    return Status::corruption("the blob at " + path + " does not match its hash");
  return bytes;
}

}  // namespace onex::files
