// A fresh directory under the system temporary directory, removed with its contents at the end.
#pragma once

#include <filesystem>
#include <random>
#include <string>

namespace onex::testing {

class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("onex-test-" + std::to_string(rd()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string str(const std::string& sub = "db") const { return (path_ / sub).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace onex::testing
