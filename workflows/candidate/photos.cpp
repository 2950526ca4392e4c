// CandidateService, photos: a ZIP of <ID number>.jpg|png, each photo checked (files/photos.h),
// matched to one of the institution's own candidates, kept as a content-addressed file and set;
// then the real-name check on it. Each file is answered on its own.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "candidate/service_impl.h"
#include "files/photos.h"

namespace onex {

using candidate::Workflow;

void CandidateService::Impl::check_identity(const Caller& caller, const std::string& id) {
  auto loaded = candidates.load(engine::stream_of<Workflow>(id));
  if (!loaded || loaded->machine.phase() != candidate::Phase::unverified) return;
  const auto c = loaded->machine.data();
  if (c.photo_file_id.empty() || !c.last_check.empty()) return;  // nothing to ask, or asked
  auto photo = files.open(caller.actor, c.photo_file_id);
  if (!photo) return;
  using Answer = IdentityVerifier::Answer;
  const Answer answer = options.verifier->verify(c.name, c.id_number, photo->bytes);
  const std::string result = answer == Answer::verified ? "verified" : answer == Answer::failed ? "failed" : "unavailable";
  static const engine::Command<Workflow, Impl, candidate::RecordCheck> kCheck{
      .id = engine::input_id<candidate::RecordCheck>, .decide = candidate::decide_check};
  // Without the caller's idempotency key: the check is the service's own step.
  (void)engine::run_command(candidates, *this, kCheck, Caller{.actor = caller.actor, .correlation_id = caller.correlation_id},
                            {id, result, c.photo_file_id});
}

Result<PhotoUpload> CandidateService::upload_photos(const Caller& caller, std::string_view zip) {
  if (auto s = engine::authorize(caller.actor, {"leader", "staff"}); !s) return s;
  auto batch = files::read_photos(zip);
  if (!batch) return batch.status();
  static const engine::Command<Workflow, Impl, candidate::SetPhoto> kPhoto{
      .id = engine::input_id<candidate::SetPhoto>, .decide = candidate::decide_photo};
  PhotoUpload out;
  for (const auto& e : batch->errors) out.errors.push_back({e.file, e.code});
  for (const auto& photo : batch->photos) {
    const std::string id = impl_->holder(photo.id_number);
    auto row = id.empty() ? std::nullopt : engine::row<Workflow>(impl_->store, id);
    if (!row || !candidate::sees(caller.actor, row->machine.data())) {  // nobody's, or another's
      out.errors.push_back({photo.file, "photo.unknown_candidate"});
      continue;
    }
    auto file = impl_->files.upload(caller.actor, "candidate_photo", photo.content_type, photo.bytes);
    if (!file) return file.status();  // the photo passed the checks: a store or disk failure
    Caller each{.actor = caller.actor, .correlation_id = caller.correlation_id};
    auto ran = engine::run_command(impl_->candidates, *impl_, kPhoto, each, {id, file->file_id, file->sha256});
    if (!ran) return ran.status();
    ++out.matched;
    impl_->check_identity(each, id);
  }
  std::sort(out.errors.begin(), out.errors.end(), [](const PhotoError& a, const PhotoError& b) { return a.file < b.file; });
  return out;
}

Result<PhotoUpload> CandidateService::upload_photos_file(const Caller& caller, const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::make(StatusKind::io_error, "files.io_error", "cannot open the spooled archive");
  struct stat st{};
  if (::fstat(fd, &st) != 0 || st.st_size <= 0) {
    ::close(fd);
    return upload_photos(caller, {});
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  void* mapped = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (mapped == MAP_FAILED) return Status::make(StatusKind::io_error, "files.io_error", "cannot map the spooled archive");
  auto out = upload_photos(caller, {static_cast<const char*>(mapped), size});
  ::munmap(mapped, size);
  return out;
}

Result<std::string> CandidateService::spool_dir() const { return impl_->files.spool_dir(); }

}  // namespace onex
