// The rules of files (SPEC.md §3, API.md "Files"): what an upload may be, by its purpose.
// Pure functions; the bytes are sniffed and stored by the service.
#pragma once

#include <cstdint>
#include <string>

#include "engine/command.h"
#include "file/state.h"
#include "files/sniff.h"
#include "onex/files.h"

namespace onex::file {

using Decision = engine::Decision<Workflow>;
using Context = engine::Context;

// An upload as the service saw it: the purpose asked for, the type the client declared, the
// size and kind of the bytes, and (once stored) their content address.
struct Upload {
  std::string purpose, declared_type;
  std::uint64_t size = 0;
  files::Kind kind = files::Kind::unknown;
  std::string sha256{};
};

// What an upload is, checked against its purpose: before anything is written, and again in
// decide_upload.
struct Checked {
  const files::Purpose* purpose = nullptr;
  files::Kind kind = files::Kind::unknown;
};
Result<Checked> check_upload(const Actor& actor, const Upload& upload);

// file.uploaded under the context's id, owned by the uploader's party.
Result<Decision> decide_upload(const Machine& m, const Upload& upload, const Context& ctx);

}  // namespace onex::file
