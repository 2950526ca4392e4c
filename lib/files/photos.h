// Candidates' ID photos (SPEC: 1+X exam candidates, 证件照): a ZIP archive an institution uploads
// with one photo per candidate, named by the candidate's resident ID number, and the checks each
// photo must pass. Matching photos to candidates is the caller's; this reads the archive and
// judges each image, entirely in memory: no entry name ever reaches the filesystem.
//
// A photo passes when, in this order:
//   photo.bad_name        its name is exactly <resident ID>.jpg, .jpeg or .png: 18 characters
//                         that util::valid_resident_id accepts once upper-cased, a dot and the
//                         extension in any case; no directory part, no "..", no leading '/', no
//                         backslash, nothing else;
//   photo.duplicate       (archives only) no earlier entry with a good name has the same ID
//                         number, whatever became of that entry: two photos of one candidate
//                         leave the choice to the institution, so the second is refused;
//   photo.too_large       its size is at most max_photo_bytes: in an archive the size the
//                         central directory declares is judged before anything is inflated, and
//                         then at most max_photo_bytes + 1 bytes are inflated, so a header that
//                         lies cannot pass more;
//   photo.bad_type        it is a JPEG (FF D8, a frame header) or a PNG (signature, IHDR) whose
//                         kind agrees with the extension (a PNG named .jpg is refused), that
//                         stb_image reads; an encrypted entry, or one whose data libzip cannot
//                         inflate or whose CRC is wrong, is refused with this code too;
//   photo.bad_dimensions  exactly width × height pixels (295 × 413: one inch at 300 dpi), read
//                         from the header (PNG IHDR, JPEG SOFn) and confirmed by
//                         stbi_info_from_memory before any pixel is decoded;
//   photo.bad_background  a red background, by the rule below.
//
// The red background rule. Only border pixels a sitter does not cover are judged:
//   - the top band: the top 8% of the rows (integer division: 33 of 413), across the full width;
//   - the side bands: the left and the right 8% of the columns (23 of 295 each) in the rows below
//     the top band and above 60% of the height (rows 33 to 246) — beside the head, above the
//     shoulders.
// A pixel is red when it is opaque (alpha ≥ 128; images without alpha are opaque), R ≥ 150,
// R − G ≥ 70 and R − B ≥ 70. At least 90% of the judged pixels must be red. Common ID-photo reds,
// (255,0,0) and (220,0,0), pass, also after JPEG compression; the blue background (67,142,219),
// white and grey fail. A little hair or a collar inside the bands is tolerated up to the 10%.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "onex/status.h"

namespace onex::files {

struct PhotoLimits {
  std::size_t max_entries = 5'000;           // more entries: the whole archive is refused
  std::size_t max_photo_bytes = 5u << 20;    // per photo, declared and actual
  std::size_t max_total_bytes = 512u << 20;  // all entries unpacked together
  int width = 295, height = 413;             // pixels, exactly (a 1-inch ID photo at 300 dpi)
};

struct Photo {
  std::string file;          // the entry's name as in the archive
  std::string id_number;     // the name's stem, upper-cased ("…x" → "…X")
  std::string content_type;  // "image/jpeg" or "image/png"
  std::string bytes;         // the image exactly as it was in the archive
};

// One refused entry: its name and one of the photo.* codes above.
struct PhotoError {
  std::string file, code;
};

// The entries of one archive, each in archive order.
struct PhotoBatch {
  std::vector<Photo> photos;
  std::vector<PhotoError> errors;
};

// Reads every entry of the ZIP archive in `zip_bytes`. Each entry is answered on its own: a good
// photo goes to `photos`, a bad one to `errors` with the code of its first failure. Directory
// entries, anything under "__MACOSX/" and dot-files (".DS_Store", "._x.jpg") are skipped
// silently, unless their names are unsafe (a "..", a leading '/', a backslash): those are
// photo.bad_name like any other. An entry's `file` is its name as libzip gives it in UTF-8 (names
// in the legacy code page are converted from CP437); bytes that are still not UTF-8 are shown as
// U+FFFD, so the name can go into JSON as it is.
//
// Fails as a whole (Status::unprocessable with one field error, field "file", of the same code)
// only when:
//   photo.unreadable_archive  the bytes are empty or not a ZIP archive libzip can read;
//   photo.too_many_files      the central directory lists more than max_entries entries (skipped
//                             ones included), refused before any entry is read;
//   photo.too_large           the bytes inflated so far (each entry at most max_photo_bytes + 1)
//                             pass max_total_bytes.
// Everything read is held in memory: up to max_total_bytes, plus the archive itself. Thread-safe;
// `zip_bytes` is only read.
Result<PhotoBatch> read_photos(std::string_view zip_bytes, const PhotoLimits& limits = {});

// One photo's checks, for a single upload too: the code of the first failure in the order above
// (photo.bad_name, photo.too_large, photo.bad_type, photo.bad_dimensions,
// photo.bad_background), or nullopt when the photo passes. `file_name` is judged as an archive
// entry's name would be (so no directory part). Decodes pixels only of an image of exactly the
// required size. Thread-safe.
std::optional<std::string> check_photo(std::string_view file_name, std::string_view bytes,
                                       const PhotoLimits& limits = {});

}  // namespace onex::files
