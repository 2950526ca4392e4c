// The routes' and the command line's error codes in Chinese; the library's come from
// onex/messages.h, the HTTP layer's from http/messages.cpp.
#include <array>

#include "app/app.h"
#include "http/dispatch.h"
#include "onex/messages.h"

namespace onex::app {
namespace {

// clang-format off
constexpr std::array kTexts = {
  CodeText{"request.bad_query", 400, "查询参数有误", "查询参数不符合要求，见 parameter。"},
  CodeText{"request.bad_if_match", 400, "If-Match 无效", "If-Match 须为该记录的 ETag 或版本号。"},
  CodeText{"download.bad_path", 422, "不能下载该地址", "下载令牌只能用于文件和 PDF 的下载地址。"},
  CodeText{"app.no_secret_key", 500, "缺少存储密钥", "数据目录中没有可读的 secret.key；请用 onex init 创建存储，或用 onex init --adopt 为已有存储生成密钥。"},
  CodeText{"app.secret_key_exists", 409, "存储已有密钥", "该存储已有 secret.key，可以直接用 onex serve 提供服务。"},
  CodeText{"app.secret_key_exposed", 500, "存储密钥权限过宽", "secret.key 只能由其所有者读取（权限 0600）。"},
  CodeText{"app.bad_sms_gateway", 400, "短信网关设置无效", "--sms-gateway 须为 outbox 或 webhook:网址。"},
  CodeText{"cli.usage", 400, "命令用法有误", "请用 --help 查看该命令的用法。"},
};
// clang-format on

}  // namespace

void answer_in_chinese(http::ServerOptions& options) {
  options.chinese = [](std::string_view code) {
    if (auto t = find_text(kTexts, code)) return t;
    return chinese_error_text(code);
  };
  options.chinese_field = [](std::string_view code) { return chinese_field_message(code); };
}

std::vector<std::string> error_codes() {
  std::vector<std::string> out = onex::error_codes();
  for (auto& c : http::detail::server_error_codes()) out.push_back(std::move(c));
  for (const auto& t : kTexts) out.emplace_back(t.code);
  return out;
}

}  // namespace onex::app
