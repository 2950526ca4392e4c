// Read models of files.
//   "files":     key "<file_id>" → {"id","sha256","size","content_type","purpose","owner_kind",
//                "owner_id","uploaded_by","uploaded_at"} (the shape lookups.h documents)
//   "file_refs": key "r/<file_id>/<stream>" → "" for every stream (other than the file's own)
//                with an event whose data names the file: a member "file_id" or "…_file_id" (a
//                string) or "file_ids" or "…_file_ids" (an array of strings), at any depth up to
//                4, outside "pii". Who may read such a stream may read the file. A reference is
//                never taken back: the stream's history keeps naming the file.
#pragma once

#include "onex/rebuild.h"

namespace onex::file {

inline constexpr std::string_view kFiles = "files";
inline constexpr std::string_view kFileRefs = "file_refs";

Projections projections();

}  // namespace onex::file
