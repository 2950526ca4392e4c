#include "file/decide.h"

#include "common/lookups.h"
#include "common/purposes.h"

namespace onex::file {
namespace {

Status invalid(const char* field, const char* code, const std::string& message) {
  return Status::unprocessable(code, message, {{field, code, message}});
}

std::string kinds_text(const files::Purpose& p) {
  std::string out;
  for (auto k : p.kinds) out += (out.empty() ? "" : ", ") + std::string(files::extension_of(k));
  return out;
}

}  // namespace

Result<Checked> check_upload(const Actor& actor, const Upload& upload) {
  const std::string_view purpose_name = upload.purpose, declared_type = upload.declared_type;
  const std::uint64_t size = upload.size;
  const files::Kind kind = upload.kind;
  if (actor.account_id.empty())
    return Status::make(StatusKind::unauthenticated, "auth.unauthenticated", "sign in first");
  const auto* purpose = find_file_purpose(purpose_name);
  if (!purpose)
    return invalid("purpose", "file.unknown_purpose", [] {
      std::string names;
      for (const auto& p : file_purposes()) names += (names.empty() ? "one of " : ", ") + std::string(p.name);
      return names;
    }());
  if (size == 0) return invalid("file", "file.empty", "the file is empty");
  if (size > purpose->limit)
    return invalid("file", "file.too_large",
                   "a " + std::string(purpose->name) + " file is at most " +
                       std::to_string(purpose->limit >> 20) + " MiB");
  if (std::find(purpose->kinds.begin(), purpose->kinds.end(), kind) == purpose->kinds.end())
    return invalid("file", "file.type_mismatch",
                   "a " + std::string(purpose->name) + " file is " + kinds_text(*purpose));
  if (!files::declared_type_agrees(declared_type, kind))
    return invalid("file", "file.type_mismatch",
                   "the declared type " + std::string(declared_type) + " is not what the file is (" +
                       std::string(files::content_type_of(kind)) + ")");
  return Checked{purpose, kind};
}

Result<Decision> decide_upload(const Machine& m, const Upload& upload, const Context& ctx) {
  auto checked = check_upload(ctx.actor, upload);
  if (!checked) return checked.status();
  if (m.phase() != Phase::none) return Status::conflict("file.exists", "the file id is taken");
  const auto owner = lookup::party_of(ctx.actor);
  Decision d;
  d.events.push_back(Uploaded{std::string(ctx.id), upload.sha256, upload.size,
                              std::string(files::content_type_of(checked->kind)),
                              std::string(checked->purpose->name), owner.kind, owner.id});
  return d;
}

FileView Workflow::view(const Machine& m, std::uint64_t version) {
  const auto& u = m.data().uploaded;
  return FileView{u.file_id, engine::stream_of<Workflow>(u.file_id), version, u.sha256,
                  u.size,    u.content_type,                         u.purpose};
}

}  // namespace onex::file
