// Sample files for the file tests, made with the real libraries: ZIP archives with libzip, PNG
// images with stb_image_write. Header-only; link libzip and stb.
#pragma once

#include <stb/stb_image_write.h>
#include <zip.h>

#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace onex::testing::samples {

inline std::string pdf() {
  return "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
}
inline std::string jpeg() {
  return std::string("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", 20) +
         std::string(64, '\x11') + std::string("\xff\xd9", 2);
}
inline std::string doc() {
  return std::string("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) + std::string(504, '\0');
}

// A ZIP archive of these entries, written by libzip into memory.
inline std::string zip(const std::vector<std::pair<std::string, std::string>>& entries) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_source_keep(buffer);
  zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  std::vector<std::string> kept(entries.size());  // libzip reads entry data at zip_close
  for (std::size_t i = 0; i < entries.size(); ++i) {
    kept[i] = entries[i].second;
    zip_source_t* data = zip_source_buffer(archive, kept[i].data(), kept[i].size(), 0);
    zip_file_add(archive, entries[i].first.c_str(), data, ZIP_FL_ENC_UTF_8);
  }
  zip_close(archive);
  std::string out;
  zip_stat_t st;
  if (zip_source_stat(buffer, &st) == 0 && zip_source_open(buffer) == 0) {
    out.resize(st.size);
    zip_int64_t n = zip_source_read(buffer, out.data(), st.size);
    out.resize(n < 0 ? 0 : static_cast<std::size_t>(n));
    zip_source_close(buffer);
  }
  zip_source_free(buffer);
  zip_error_fini(&error);
  return out;
}

enum class Background { transparent, opaque, no_alpha };

// A red disc on a `background`, width × height, as PNG (RGBA, or RGB for no_alpha).
inline std::string png(int width, int height, Background background) {
  const int channels = background == Background::no_alpha ? 3 : 4;
  std::vector<unsigned char> pixels(static_cast<std::size_t>(width * height * channels));
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      unsigned char* p = &pixels[static_cast<std::size_t>((y * width + x) * channels)];
      const int dx = 2 * x - width, dy = 2 * y - height;
      const bool inside = dx * dx + dy * dy < width * height / 2;
      p[0] = inside ? 200 : 255;
      p[1] = inside ? 20 : 255;
      p[2] = inside ? 20 : 255;
      if (channels == 4) p[3] = inside || background == Background::opaque ? 255 : 0;
    }
  std::string out;
  stbi_write_png_to_func(
      [](void* context, void* data, int size) {
        static_cast<std::string*>(context)->append(static_cast<const char*>(data),
                                                   static_cast<std::size_t>(size));
      },
      &out, width, height, channels, pixels.data(), width * channels);
  return out;
}

}  // namespace onex::testing::samples
