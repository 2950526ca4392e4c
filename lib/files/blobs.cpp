#include "files/blobs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <openssl/evp.h>

#include <memory>

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

Result<std::string> sha256_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return io_error("cannot open " + path);
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  bool ok = ctx && EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) == 1;
  static thread_local char chunk[1 << 16];
  for (;;) {
    if (!ok) break;
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) ok = false;
    if (n <= 0) break;
    ok = EVP_DigestUpdate(ctx.get(), chunk, static_cast<std::size_t>(n)) == 1;
  }
  ::close(fd);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!ok || EVP_DigestFinal_ex(ctx.get(), digest, &length) != 1 || length != 32)
    return io_error("cannot read " + path);
  return util::to_hex(digest, length);
}

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

Result<std::string> BlobStore::temp_dir() const {
  if (auto s = ensure_dir(root_, fs::path(root_).parent_path().string()); !s) return s;
  const std::string dir = root_ + "/tmp";
  if (auto s = ensure_dir(dir, root_); !s) return s;
  return dir;
}

Result<std::string> BlobStore::put_file(const std::string& source) const {
  auto hashed = sha256_file(source);
  if (!hashed) return hashed.status();
  const std::string sha = *hashed;
  const std::string dir = root_ + "/" + sha.substr(0, 2);
  const std::string path = dir + "/" + sha;
  struct stat existing {}, incoming {};
  if (::stat(source.c_str(), &incoming) != 0) return io_error("cannot stat " + source);
  if (::stat(path.c_str(), &existing) == 0 && existing.st_size == incoming.st_size) return sha;
  if (auto s = ensure_dir(root_, fs::path(root_).parent_path().string()); !s) return s;
  if (auto s = ensure_dir(dir, root_); !s) return s;
  if (auto s = fsync_path(source, O_RDONLY); !s) return s;
  // Same file system: a hard link, atomic; an existing blob of that name stays.
  if (::link(source.c_str(), path.c_str()) == 0 || errno == EEXIST) {
    if (auto s = fsync_path(dir, O_RDONLY | O_DIRECTORY); !s) return s;
    return sha;
  }
  if (errno != EXDEV) return io_error("cannot link " + source);
  // Another file system: copy through a temp file beside the blob.
  std::error_code ec;
  const std::string temp = path + ".tmp-" + util::random_id();
  fs::copy_file(source, temp, ec);
  if (ec) {
    ::unlink(temp.c_str());
    errno = ec.value();
    return io_error("cannot copy " + source);
  }
  if (auto s = fsync_path(temp, O_RDONLY); !s) {
    ::unlink(temp.c_str());
    return s;
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    ::unlink(temp.c_str());
    return io_error("cannot rename " + temp);
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
