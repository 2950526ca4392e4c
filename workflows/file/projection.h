// Read models of files.
//   "files":     key "<file_id>" → {"id","sha256","size","content_type","purpose","owner_kind",
//                "owner_id","uploaded_by","uploaded_at"} (the shape lookups.h documents)
//   "file_refs": key "r/<file_id>/<stream>" → "" for every stream (other than the file's own)
//                with an event whose data names the file: a member "file_id" or "…_file_id" (a
//                string) or "file_ids" or "…_file_ids" (an array of strings), at any depth up to
//                4, outside "pii". A reference is never taken back: the stream's history keeps
//                naming the file. Who may read the file: file/access.cpp.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/lookups.h"
#include "onex/rebuild.h"

namespace onex::file {

inline constexpr std::string_view kFiles = "files";
inline constexpr std::string_view kFileRefs = "file_refs";

Projections projections();

// The file ids an event's data names, as file_refs reads them.
std::vector<std::string> file_ids_in(const nlohmann::json& data);

// THE rule of who sees a file, for its download, metadata and history: the auditor; the account
// that uploaded it; while no record refers to it, its owner party (institution, org, province);
// once records refer to it, whoever sees a record's event that names it, under that record's
// rule and its narrower parts (an institution's seal: its leader only). The file's metadata
// when visible.
std::optional<lookup::FileRef> visible_file(const EventStore& store, const Actor& actor,
                                            std::string_view file_id);

}  // namespace onex::file
