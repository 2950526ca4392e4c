// A RocksDB database opened as open_store (lib/store/rocks_store.cpp) opens a store: the same
// column families and options. Keep in step with open_store.
#pragma once

#include <rocksdb/db.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace onex::bench {

struct RawDb {
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;  // default, then store::kFamilies
  std::unordered_map<std::string, rocksdb::ColumnFamilyHandle*> by_name;

  // Creates the database when it is missing (unless read_only). Throws std::runtime_error.
  RawDb(const std::string& path, bool read_only);
  ~RawDb();
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  rocksdb::ColumnFamilyHandle* cf(std::string_view name) const { return by_name.at(std::string(name)); }
  // Writes every memtable to SST files, as a store that has run for a while has its log.
  void flush();
};

}  // namespace onex::bench
