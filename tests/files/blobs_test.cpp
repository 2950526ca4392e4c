// Content-addressed blobs (lib/files/blobs.h) in a temporary data directory.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <doctest/doctest.h>

#include "files/blobs.h"
#include "support/temp_dir.h"
#include "util/hash.h"

TEST_CASE("a blob is written once at its content address and read back only while it matches") {
  onex::testing::TempDir dir;
  onex::files::BlobStore blobs(dir.str("data"));
  std::filesystem::create_directories(dir.str("data"));
  const std::string bytes = "%PDF-1.4 some bytes";
  const std::string sha = onex::util::to_hex(onex::util::sha256(bytes));

  // When the bytes are put, they are at <data>/files/<2 hex>/<sha256>, with no temp file left;
  auto put = blobs.put(bytes);
  REQUIRE(put.is_ok());
  CHECK(*put == sha);
  const std::string path = dir.str("data") + "/files/" + sha.substr(0, 2) + "/" + sha;
  CHECK(blobs.path_of(sha) == path);
  CHECK(std::distance(std::filesystem::directory_iterator(dir.str("data") + "/files/" + sha.substr(0, 2)),
                      std::filesystem::directory_iterator()) == 1);
  auto read = blobs.read(sha);
  REQUIRE(read.is_ok());
  CHECK(*read == bytes);

  // putting them again leaves the blob as it is;
  struct stat before {};
  REQUIRE(::stat(path.c_str(), &before) == 0);
  REQUIRE(blobs.put(bytes).is_ok());
  struct stat after {};
  REQUIRE(::stat(path.c_str(), &after) == 0);
  CHECK(before.st_ino == after.st_ino);

  // a blob changed on disk is corruption, a missing one says so, a malformed hash has no path.
  std::ofstream(path, std::ios::binary | std::ios::app) << "x";
  auto changed = blobs.read(sha);
  REQUIRE_FALSE(changed.is_ok());
  CHECK(changed.status().code() == "store.corruption");
  std::filesystem::remove(path);
  auto missing = blobs.read(sha);
  REQUIRE_FALSE(missing.is_ok());
  CHECK(missing.status().code() == "files.blob_missing");
  CHECK(blobs.path_of("../../secret.key").empty());
  CHECK_FALSE(blobs.read("../../secret.key").is_ok());
}
