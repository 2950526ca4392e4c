// SMS gateways: the outbox file and the webhook (SPEC §2).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <doctest/doctest.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "onex/sms_gateway.h"
#include "sms/outbox_gateway.h"
#include "sms/webhook_gateway.h"
#include "support/temp_dir.h"

using namespace std::chrono_literals;
using onex::SmsMessage;
using onex::Timestamp;

namespace {

Timestamp t0() { return Timestamp{std::chrono::milliseconds{1585670400123}}; }

std::vector<std::string> lines_of(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

unsigned mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

// A one-thread HTTP server on 127.0.0.1 for the webhook tests: answers each request with
// `status` (or never answers when `silent`) and keeps what it received.
class TinyServer {
 public:
  explicit TinyServer(int status, bool silent = false) : status_(status), silent_(silent) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(fd_, 16) == 0);
    socklen_t len = sizeof addr;
    REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { loop(); });
  }
  ~TinyServer() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);  // wakes accept()
    ::close(fd_);
    thread_.join();
  }

  int port() const { return port_; }
  std::string url(const std::string& path = "/sms") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::vector<std::string> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  void loop() {
    while (!stop_) {
      const int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) return;
      std::string got;
      char buf[4096];
      std::size_t need = std::string::npos;  // total bytes once the head is known
      while (got.size() < need) {
        const ssize_t n = ::read(c, buf, sizeof buf);
        if (n <= 0) break;
        got.append(buf, static_cast<std::size_t>(n));
        const auto head_end = got.find("\r\n\r\n");
        if (need == std::string::npos && head_end != std::string::npos) {
          std::size_t length = 0;
          std::string lower = got.substr(0, head_end);
          for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
          if (auto at = lower.find("content-length:"); at != std::string::npos)
            length = std::stoul(lower.substr(at + 15));
          need = head_end + 4 + length;
        }
      }
      {
        std::lock_guard lock(mu_);
        requests_.push_back(got);
      }
      if (silent_) {
        // Hold the connection without answering until the client gives up.
        while (::read(c, buf, sizeof buf) > 0) {
        }
      } else {
        const std::string answer = "HTTP/1.1 " + std::to_string(status_) +
                                   " Whatever\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
        (void)!::write(c, answer.data(), answer.size());
      }
      ::close(c);
    }
  }

  int status_;
  bool silent_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  mutable std::mutex mu_;
  std::vector<std::string> requests_;
};

// The request's head (lower-cased header names and values) and body.
struct Request {
  std::string request_line;
  std::map<std::string, std::string> headers;
  std::string body;
};

Request parse(const std::string& raw) {
  Request r;
  const auto head_end = raw.find("\r\n\r\n");
  REQUIRE(head_end != std::string::npos);
  r.body = raw.substr(head_end + 4);
  std::istringstream head(raw.substr(0, head_end));
  std::string line;
  std::getline(head, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  r.request_line = line;
  while (std::getline(head, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    r.headers[name] = value;
  }
  return r;
}

SmsMessage message(const std::string& phone = "13800000000", const std::string& code = "123456") {
  return SmsMessage{t0(), phone, "login", code, "【onex】验证码 " + code + "，5 分钟内有效。"};
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Outbox

TEST_CASE("outbox: one JSON line per message with exactly the contract's keys") {
  onex::testing::TempDir dir;
  const std::string path = dir.str("sms-outbox.jsonl");
  auto gateway = onex::make_outbox_gateway(path);
  REQUIRE(gateway->send(message()).is_ok());
  REQUIRE(gateway->send(message("13900000000", "654321")).is_ok());

  const auto lines = lines_of(path);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].rfind("{\"at\":\"2020-03-31T16:00:00.123Z\",\"phone\":\"13800000000\","
                       "\"purpose\":\"login\",\"code\":\"123456\",\"text\":",
                       0) == 0);
  const auto all = onex::read_outbox(path);
  REQUIRE(all.size() == 2);
  for (const auto& j : all) {
    REQUIRE(j.is_object());
    CHECK(j.size() == 5);
    for (const char* key : {"at", "phone", "purpose", "code", "text"}) {
      REQUIRE(j.contains(key));
      CHECK(j[key].is_string());
    }
  }
  CHECK(all[1]["phone"] == "13900000000");
  CHECK(all[1]["code"] == "654321");
  CHECK(all[1]["text"] == "【onex】验证码 654321，5 分钟内有效。");
  CHECK(all[0]["at"] == "2020-03-31T16:00:00.123Z");

  CHECK(onex::last_code(path, "13900000000", "login") == "654321");
  CHECK(onex::last_code(path, "13800000000", "login") == "123456");
  CHECK_FALSE(onex::last_code(path, "13800000000", "step_up").has_value());
  CHECK(onex::read_outbox(dir.str("missing.jsonl")).empty());
}

TEST_CASE("outbox: the file is 0600, and an existing file is put back to 0600") {
  onex::testing::TempDir dir;
  const std::string path = dir.str("sms-outbox.jsonl");
  const mode_t old = ::umask(0);  // the most permissive umask must not matter
  auto gateway = onex::make_outbox_gateway(path);
  REQUIRE(gateway->send(message()).is_ok());
  ::umask(old);
  CHECK(mode_of(path) == 0600);

  REQUIRE(::chmod(path.c_str(), 0644) == 0);
  REQUIRE(gateway->send(message()).is_ok());
  CHECK(mode_of(path) == 0600);
  CHECK(lines_of(path).size() == 2);
}

TEST_CASE("outbox: concurrent sends from 8 threads give whole lines") {
  onex::testing::TempDir dir;
  const std::string path = dir.str("sms-outbox.jsonl");
  auto gateway = onex::make_outbox_gateway(path);
  const std::string long_text(2000, 'x');  // longer lines make interleaving likelier
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) {
        SmsMessage m = message("1380000000" + std::to_string(t), std::to_string(i));
        m.text = long_text;
        CHECK(gateway->send(m).is_ok());
      }
    });
  for (auto& t : threads) t.join();

  const auto lines = lines_of(path);
  REQUIRE(lines.size() == 800);
  std::map<std::string, int> per_phone;
  for (const auto& line : lines) {
    const auto j = nlohmann::json::parse(line, nullptr, false);
    REQUIRE_FALSE(j.is_discarded());
    CHECK(j["text"] == long_text);
    ++per_phone[j["phone"].get<std::string>()];
  }
  CHECK(per_phone.size() == 8);
  for (const auto& [phone, n] : per_phone) CHECK(n == 100);
}

TEST_CASE("outbox: a path that cannot be written fails with sms.delivery_failed") {
  onex::testing::TempDir dir;
  auto gateway = onex::make_outbox_gateway(dir.str("no-such-dir/sms-outbox.jsonl"));
  const auto s = gateway->send(message());
  CHECK(s.code() == "sms.delivery_failed");
  CHECK(s.kind() == onex::StatusKind::io_error);
}

// ---------------------------------------------------------------------------------------------
// Webhook

TEST_CASE("webhook: POSTs the message as JSON") {
  TinyServer server(200);
  auto gateway = onex::make_webhook_gateway(server.url("/hooks/sms?tenant=1"));
  REQUIRE(gateway->send(message()).is_ok());
  REQUIRE(gateway->send(message("13900000000", "000111")).is_ok());

  const auto got = server.requests();
  REQUIRE(got.size() == 2);
  const auto r = parse(got[0]);
  CHECK(r.request_line == "POST /hooks/sms?tenant=1 HTTP/1.1");
  CHECK(r.headers.at("content-type") == "application/json");
  CHECK(r.headers.at("host") == "127.0.0.1:" + std::to_string(server.port()));
  CHECK(r.headers.at("content-length") == std::to_string(r.body.size()));
  CHECK(r.body.rfind("{\"at\":", 0) == 0);
  const auto j = nlohmann::json::parse(r.body);
  CHECK(j == nlohmann::json{{"at", "2020-03-31T16:00:00.123Z"},
                            {"phone", "13800000000"},
                            {"purpose", "login"},
                            {"code", "123456"},
                            {"text", "【onex】验证码 123456，5 分钟内有效。"}});
  CHECK(nlohmann::json::parse(parse(got[1]).body)["code"] == "000111");
}

TEST_CASE("webhook: any 2xx is success") {
  TinyServer server(204);
  auto gateway = onex::make_webhook_gateway(server.url("/"));
  CHECK(gateway->send(message()).is_ok());
}

TEST_CASE("webhook: a 500 answer is sms.delivery_failed") {
  TinyServer server(500);
  auto gateway = onex::make_webhook_gateway(server.url());
  const auto s = gateway->send(message());
  CHECK(s.code() == "sms.delivery_failed");
  CHECK(s.kind() == onex::StatusKind::io_error);
  CHECK(s.message().find("500") != std::string::npos);
  CHECK(s.message().find("123456") == std::string::npos);  // no code in logs
  CHECK(server.requests().size() == 1);
}

TEST_CASE("webhook: nobody listening is sms.delivery_failed") {
  int port = 0;
  {
    TinyServer gone(200);
    port = gone.port();
  }  // closed: the port now refuses connections
  auto gateway =
      onex::make_webhook_gateway("http://127.0.0.1:" + std::to_string(port) + "/sms");
  const auto s = gateway->send(message());
  CHECK(s.code() == "sms.delivery_failed");
  CHECK(s.kind() == onex::StatusKind::io_error);
}

TEST_CASE("webhook: no answer within the timeout is sms.delivery_failed") {
  TinyServer server(200, /*silent=*/true);
  auto gateway = onex::make_webhook_gateway(server.url(), 1s);
  const auto start = std::chrono::steady_clock::now();
  const auto s = gateway->send(message());
  const auto took = std::chrono::steady_clock::now() - start;
  CHECK(s.code() == "sms.delivery_failed");
  CHECK(s.message().find("in time") != std::string::npos);
  CHECK(took >= 900ms);
  CHECK(took < 5s);
}

TEST_CASE("webhook: URLs") {
  CHECK(onex::check_webhook_url("https://sms.example.com/send").is_ok());
  CHECK(onex::check_webhook_url("http://127.0.0.1:8080").is_ok());
  CHECK(onex::check_webhook_url("HTTP://[::1]:9000/x?y=1").is_ok());
  // Messages carry codes and initial passwords: clear text only to this machine (issue 9).
  CHECK(onex::check_webhook_url("http://sms.example.com/send").code() == "sms.webhook_insecure");
  for (const char* bad : {"", "ftp://x/", "https://", "https:///path", "https://host:0/",
                          "https://host:70000/", "https://host:8a/", "https://user@host/",
                          "https://[::1/", "https://ho st/", "sms.example.com"})
    CHECK_MESSAGE(onex::check_webhook_url(bad).code() == "sms.webhook_invalid_url", bad);

  auto insecure = onex::make_webhook_gateway("http://sms.example.com/send");
  CHECK(insecure->send(message()).code() == "sms.webhook_insecure");
}

// ---- https ----------------------------------------------------------------------------------

namespace {

// A self-signed certificate for `name` (CN and subjectAltName, IP or DNS), made with OpenSSL,
// and its key; PEM.
struct Certificate {
  std::string cert_pem, key_pem;
};

Certificate self_signed(const std::string& alt_name) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  REQUIRE(key != nullptr);
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
  X509_gmtime_adj(X509_getm_notBefore(x), -60);
  X509_gmtime_adj(X509_getm_notAfter(x), 3600);
  X509_set_pubkey(x, key);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("onex test"), -1, -1, 0);
  X509_set_issuer_name(x, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
  for (auto [nid, value] : {std::pair{NID_subject_alt_name, alt_name},
                            std::pair{NID_basic_constraints, std::string("critical,CA:TRUE")}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    REQUIRE(ext != nullptr);
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
  }
  REQUIRE(X509_sign(x, key, EVP_sha256()) > 0);
  auto pem = [](auto write) {
    BIO* bio = BIO_new(BIO_s_mem());
    write(bio);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    std::string out(data, static_cast<std::size_t>(n));
    BIO_free(bio);
    return out;
  };
  Certificate c{pem([&](BIO* b) { PEM_write_bio_X509(b, x); }),
                pem([&](BIO* b) { PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr); })};
  X509_free(x);
  EVP_PKEY_free(key);
  return c;
}

// One TLS connection at a time on 127.0.0.1: reads a request, answers 200, keeps the request.
class TlsServer {
 public:
  explicit TlsServer(const Certificate& c) : ctx_(SSL_CTX_new(TLS_server_method())) {
    BIO* cb = BIO_new_mem_buf(c.cert_pem.data(), static_cast<int>(c.cert_pem.size()));
    BIO* kb = BIO_new_mem_buf(c.key_pem.data(), static_cast<int>(c.key_pem.size()));
    X509* cert = PEM_read_bio_X509(cb, nullptr, nullptr, nullptr);
    EVP_PKEY* key = PEM_read_bio_PrivateKey(kb, nullptr, nullptr, nullptr);
    REQUIRE(SSL_CTX_use_certificate(ctx_, cert) == 1);
    REQUIRE(SSL_CTX_use_PrivateKey(ctx_, key) == 1);
    X509_free(cert);
    EVP_PKEY_free(key);
    BIO_free(cb);
    BIO_free(kb);
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(fd_, 4) == 0);
    socklen_t len = sizeof addr;
    REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { loop(); });
  }
  ~TlsServer() {
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
    SSL_CTX_free(ctx_);
  }
  std::string url(const std::string& host) const {
    return "https://" + host + ":" + std::to_string(port_) + "/sms";
  }
  int served() const { return served_; }
  std::string last() const {
    std::lock_guard lock(mu_);
    return last_;
  }

 private:
  void loop() {
    for (;;) {
      const int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) return;
      SSL* ssl = SSL_new(ctx_);
      SSL_set_fd(ssl, c);
      if (SSL_accept(ssl) == 1) {
        std::string got;
        char buf[4096];
        while (got.find("\r\n\r\n") == std::string::npos || got.find("}") == std::string::npos) {
          const int n = SSL_read(ssl, buf, sizeof buf);
          if (n <= 0) break;
          got.append(buf, static_cast<std::size_t>(n));
        }
        {
          std::lock_guard lock(mu_);
          last_ = got;
        }
        const std::string answer = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        SSL_write(ssl, answer.data(), static_cast<int>(answer.size()));
        SSL_shutdown(ssl);
        ++served_;
      }
      SSL_free(ssl);
      ::close(c);
    }
  }
  SSL_CTX* ctx_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<int> served_{0};
  mutable std::mutex mu_;
  std::string last_;
  std::thread thread_;
};

}  // namespace

TEST_CASE("webhook: https verifies the provider's certificate and its name") {
  const Certificate cert = self_signed("IP:127.0.0.1");
  TlsServer server(cert);
  onex::testing::TempDir dir;
  const std::string ca = dir.str("ca.pem");
  std::ofstream(ca) << cert.cert_pem;

  // Trusted (the test's CA) and naming the host: delivered, encrypted.
  auto trusted = onex::make_webhook_gateway(server.url("127.0.0.1"), 5s, ca);
  const auto sent = trusted->send(message());
  CHECK_MESSAGE(sent.is_ok(), sent.to_string());
  CHECK(server.last().find("POST /sms HTTP/1.1") == 0);
  CHECK(server.last().find("\"code\":\"123456\"") != std::string::npos);

  // Not trusted (the system's store does not know it): refused before anything is sent.
  const int before = server.served();
  auto untrusted = onex::make_webhook_gateway(server.url("127.0.0.1"), 5s);
  const auto refused = untrusted->send(message());
  CHECK(refused.code() == "sms.delivery_failed");
  CHECK(refused.message().find("TLS handshake") != std::string::npos);
  CHECK(server.served() == before);
  // Trusted, but made out to another name than the URL's host: refused too.
  const Certificate elsewhere = self_signed("DNS:sms.example.test");
  TlsServer other(elsewhere);
  const std::string other_ca = dir.str("other.pem");
  std::ofstream(other_ca) << elsewhere.cert_pem;
  auto wrong_name = onex::make_webhook_gateway(other.url("127.0.0.1"), 5s, other_ca);
  const auto mismatch = wrong_name->send(message());
  CHECK(mismatch.code() == "sms.delivery_failed");
  CHECK(mismatch.message().find("TLS handshake") != std::string::npos);
  CHECK(other.served() == 0);
}
