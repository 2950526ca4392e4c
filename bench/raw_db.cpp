#include "raw_db.h"

#include <rocksdb/options.h>

#include <stdexcept>

#include "store/schema.h"

namespace onex::bench {

RawDb::RawDb(const std::string& path, bool read_only) {
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = !read_only;
  db_options.create_missing_column_families = !read_only;
  db_options.IncreaseParallelism(2);
  db_options.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  db_options.keep_log_file_num = 3;
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  families.emplace_back(rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions());
  for (auto n : store::kFamilies) {
    rocksdb::ColumnFamilyOptions cfo;
    if (n == store::kLog) cfo.write_buffer_size = 64 << 20;
    families.emplace_back(std::string(n), cfo);
  }
  rocksdb::DB* raw = nullptr;
  auto s = read_only ? rocksdb::DB::OpenForReadOnly(db_options, path, families, &handles, &raw)
                     : rocksdb::DB::Open(db_options, path, families, &handles, &raw);
  if (!s.ok()) throw std::runtime_error("open " + path + ": " + s.ToString());
  db.reset(raw);
  for (auto* h : handles) by_name[h->GetName()] = h;
}

RawDb::~RawDb() {
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  db->Close();
}

void RawDb::flush() {
  rocksdb::FlushOptions fo;
  fo.wait = true;
  auto s = db->Flush(fo, handles);
  if (!s.ok()) throw std::runtime_error("flush: " + s.ToString());
}

}  // namespace onex::bench
