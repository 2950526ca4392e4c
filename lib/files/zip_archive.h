// A ZIP archive opened by libzip over bytes already in memory, read-only. Internal to onex_files:
// sniff.cpp asks which entries an archive has, photos.cpp reads them.
#pragma once

#include <zip.h>

#include <memory>
#include <string_view>

namespace onex::files {

struct ZipDiscard {
  void operator()(zip_t* archive) const { zip_discard(archive); }
};
using ZipArchive = std::unique_ptr<zip_t, ZipDiscard>;

// The archive in `bytes`, which must outlive it; null when libzip finds no readable archive
// there. Nothing is copied and nothing is inflated until an entry is opened.
inline ZipArchive open_zip(std::string_view bytes) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  zip_t* archive = source ? zip_open_from_source(source, ZIP_RDONLY, &error) : nullptr;
  if (source && !archive) zip_source_free(source);  // an open archive frees its source itself
  zip_error_fini(&error);
  return ZipArchive(archive);
}

}  // namespace onex::files
