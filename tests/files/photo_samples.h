// ID photos for the photo tests, drawn here and encoded with stb_image_write (JPEG and PNG), and
// resident ID numbers with a correct check character. Header-only; link stb.
#pragma once

#include <stb/stb_image_write.h>

#include <cstdint>
#include <string>
#include <vector>

namespace onex::testing::photos {

struct Rgb {
  unsigned char r, g, b;
};
inline constexpr Rgb kRed{220, 0, 0};
inline constexpr Rgb kPureRed{255, 0, 0};
inline constexpr Rgb kBlue{67, 142, 219};
inline constexpr Rgb kWhite{255, 255, 255};

enum class Format { jpeg, png };

// A resident ID number born 1990-03-07 in Beijing's Dongcheng district with sequence `serial`
// (0..999) and its ISO 7064 MOD 11-2 check character, computed here rather than by onex.
inline std::string resident_id(int serial) {
  std::string id = "11010519900307";
  id += static_cast<char>('0' + serial / 100 % 10);
  id += static_cast<char>('0' + serial / 10 % 10);
  id += static_cast<char>('0' + serial % 10);
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (id[static_cast<std::size_t>(i)] - '0') * kWeights[i];
  id += "10X98765432"[sum % 11];
  return id;
}

// The same number with its check character changed to a wrong one.
inline std::string wrong_check(std::string id) {
  id.back() = id.back() == '0' ? '1' : '0';
  return id;
}

inline void append(void* context, void* data, int size) {
  static_cast<std::string*>(context)->append(static_cast<const char*>(data),
                                             static_cast<std::size_t>(size));
}

// RGB pixels, row by row, as a JPEG (quality 85, what phones and studios hand out) or a PNG.
inline std::string encode(Format format, int width, int height,
                          const std::vector<unsigned char>& rgb) {
  std::string out;
  if (format == Format::jpeg)
    stbi_write_jpg_to_func(append, &out, width, height, 3, rgb.data(), 85);
  else
    stbi_write_png_to_func(append, &out, width, height, 3, rgb.data(), width * 3);
  return out;
}

// A sitter on a `background`: a head (an ellipse of skin) and shoulders (dark clothes) in the
// lower middle, reaching neither the top 15% nor the side eighths above the shoulders.
inline std::vector<unsigned char> sitter(Rgb background, int width = 295, int height = 413) {
  std::vector<unsigned char> rgb(static_cast<std::size_t>(width) * height * 3);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      const double hx = (x - width * 0.5) / (width * 0.25), hy = (y - height * 0.4) / (height * 0.24);
      const double sx = (x - width * 0.5) / (width * 0.5), sy = (y - height) / (height * 0.3);
      Rgb colour = background;
      if (sx * sx + sy * sy < 1.0) colour = Rgb{30, 30, 60};
      else if (hx * hx + hy * hy < 1.0) colour = Rgb{235, 195, 165};
      unsigned char* p = &rgb[(static_cast<std::size_t>(y) * width + x) * 3];
      p[0] = colour.r;
      p[1] = colour.g;
      p[2] = colour.b;
    }
  return rgb;
}

inline std::string id_photo(Format format, Rgb background = kRed, int width = 295,
                            int height = 413) {
  return encode(format, width, height, sitter(background, width, height));
}

}  // namespace onex::testing::photos
