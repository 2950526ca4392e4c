// Events of files: one per upload, in the stream "file-<id>". The bytes are not here: they live
// at their content address (<data_dir>/files/<2 hex>/<sha256>), and the event names them by id
// and hash only.
//
// STORAGE FORMAT: add fields with defaults and new event types; never change a stored meaning.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include "engine/described.h"

namespace onex::file {

struct Uploaded {
  static constexpr std::string_view type = "file.uploaded";
  std::string file_id;
  std::string sha256;        // 64 lowercase hex digits of the bytes
  std::uint64_t size = 0;    // bytes
  std::string content_type;  // what the bytes are (sniffed), not what the client said
  std::string purpose;       // "seal", "declaration_attachment", ...
  std::string owner_kind;    // lookup::party_of(uploader): "institution", "org", "province", ...
  std::string owner_id;
};
BOOST_DESCRIBE_STRUCT(Uploaded, (), (file_id, sha256, size, content_type, purpose, owner_kind,
                                     owner_id))

using Event = std::variant<Uploaded>;

}  // namespace onex::file
