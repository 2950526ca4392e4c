#include "sms/outbox_gateway.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>

#include "onex/sms_gateway.h"

namespace onex {

SmsGateway::~SmsGateway() = default;

namespace {

Status failed(const std::string& path, const char* what, int err) {
  return Status::make(StatusKind::io_error, "sms.delivery_failed",
                      std::string("sms outbox ") + path + ": " + what + ": " +
                          std::strerror(err));
}

class OutboxGateway final : public SmsGateway {
 public:
  explicit OutboxGateway(std::string path) : path_(std::move(path)) {}

  Status send(const SmsMessage& m) override {
    nlohmann::ordered_json j;
    j["at"] = format_utc(m.at);
    j["phone"] = m.phone;
    j["purpose"] = m.purpose;
    j["code"] = m.code;
    j["text"] = m.text;
    // Invalid UTF-8 must not throw here: it becomes U+FFFD.
    const std::string line =
        j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";

    std::lock_guard lock(mu_);
    // Opened for each message, so a deleted or rotated outbox is simply made again.
    const int fd = ::open(path_.c_str(), O_CREAT | O_APPEND | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0) return failed(path_, "open", errno);
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 07777) != 0600 &&
        ::fchmod(fd, 0600) != 0) {
      const int err = errno;
      ::close(fd);
      return failed(path_, "chmod", err);
    }
    // One write() per line; the loop only matters for a short write (disk full, signal).
    std::size_t done = 0;
    while (done < line.size()) {
      const ssize_t n = ::write(fd, line.data() + done, line.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        const int err = n < 0 ? errno : EIO;
        ::close(fd);
        return failed(path_, "write", err);
      }
      done += static_cast<std::size_t>(n);
    }
    if (::close(fd) != 0) return failed(path_, "close", errno);
    return {};
  }

 private:
  const std::string path_;
  std::mutex mu_;
};

}  // namespace

std::unique_ptr<SmsGateway> make_outbox_gateway(std::string path) {
  return std::make_unique<OutboxGateway>(std::move(path));
}

std::vector<nlohmann::json> read_outbox(const std::string& path) {
  std::vector<nlohmann::json> out;
  std::ifstream in(path, std::ios::binary);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!j.is_discarded()) out.push_back(std::move(j));
  }
  return out;
}

std::optional<std::string> last_code(const std::string& path, const std::string& phone,
                                     const std::string& purpose) {
  const auto all = read_outbox(path);
  for (auto it = all.rbegin(); it != all.rend(); ++it)
    if (it->is_object() && it->value("phone", "") == phone &&
        it->value("purpose", "") == purpose)
      return it->value("code", "");
  return std::nullopt;
}

}  // namespace onex
