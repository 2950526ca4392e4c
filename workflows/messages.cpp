// The Chinese texts of every error code the library and the workflows answer (onex/messages.h).
// A new code gets its line here; tests/server/messages_test.cpp finds every code in the
// sources and fails on one without a text. Details say what to do, never a key or an event.
#include "onex/messages.h"

#include <algorithm>
#include <array>

namespace onex {
namespace {

struct Text {
  std::string_view code;
  int status;  // HTTP
  std::string_view title, detail;
};

// clang-format off
constexpr std::array kTexts = {
  // requests and bodies
  Text{"validation.failed", 422, "请求内容有误", "部分字段不符合要求，请按 errors 中的说明修改后重试。"},
  Text{"request.malformed_json", 400, "请求格式错误", "请求体不是有效的 JSON 对象。"},
  Text{"request.wrong_type", 400, "字段类型错误", "某个字段的类型不正确，请按接口说明填写。"},
  Text{"concurrency.version_conflict", 409, "记录已被修改", "该记录已被他人修改，请刷新后再操作。"},
  Text{"idempotency.key_reused", 422, "幂等键已被使用", "该 Idempotency-Key 已用于另一个请求，请换一个新的键。"},
  Text{"idempotency.bad_key", 400, "幂等键无效", "Idempotency-Key 须为 1 到 255 个可见字符。"},
  Text{"workflow.unknown_kind", 404, "未知的记录类型", "没有哪类业务记录使用该名称。"},
  Text{"stream.not_found", 404, "记录不存在", "该记录不存在，或您无权查看。"},
  // sign-in and accounts
  Text{"auth.unauthenticated", 401, "未登录", "未登录或登录已过期，请重新登录。"},
  Text{"auth.forbidden", 403, "无权操作", "当前账号无权执行此操作。"},
  Text{"auth.invalid_credentials", 401, "账号或密码错误", "账号或密码错误，请重新输入。"},
  Text{"auth.captcha_required", 401, "请输入图形验证码", "请获取图形验证码并正确填写后再试。"},
  Text{"auth.step_up_required", 403, "需要短信验证", "此操作须先获取短信验证码，并在请求中填写。"},
  Text{"auth.rate_limited", 429, "操作过于频繁", "请求过于频繁，请稍后再试（等待时间见 Retry-After）。"},
  Text{"account.locked", 403, "账号已临时锁定", "密码连续输错多次，账号已临时锁定，请在锁定结束后再试。"},
  Text{"account.disabled", 403, "账号已停用", "该账号已被停用，请联系您的管理员。"},
  Text{"account.setup_required", 403, "请先完成首次登录设置", "首次登录须先绑定手机并修改初始密码。"},
  Text{"account.setup_done", 409, "已完成首次登录设置", "该账号已完成首次登录设置，无须重复操作。"},
  Text{"account.name_taken", 409, "账号名已被使用", "该账号名已被使用，请换一个。"},
  Text{"account.not_disabled", 409, "账号未停用", "请先停用该账号，再进行此操作。"},
  Text{"account.password_already_changed", 409, "初始密码已失效", "用户已修改初始密码，无法再查看；如有需要请重置密码。"},
  Text{"sms.code_invalid", 422, "短信验证码错误", "短信验证码错误或已过期，请重新获取。"},
  Text{"sms.rate_limited", 429, "短信发送过于频繁", "同一手机号每分钟只能获取一次验证码，请稍后再试。"},
  Text{"sms.delivery_failed", 500, "短信发送失败", "短信暂时无法发送，请稍后再试。"},
  Text{"sms.webhook_invalid_url", 400, "短信网关地址无效", "短信网关地址须为 https 网址（本机测试可用 http）。"},
  Text{"sms.webhook_insecure", 400, "短信网关不安全", "短信网关须使用 https，http 只允许本机地址。"},
  Text{"sms.webhook_no_trust", 400, "无法校验短信网关证书", "无法读取用于校验短信网关证书的 CA 文件。"},
  Text{"security.undecryptable", 500, "无法解密", "保存的密文无法用本存储的密钥解开。"},
  // reference data
  Text{"org.duplicate", 409, "评价组织已存在", "已有相同代码的评价组织。"},
  Text{"certificate.duplicate", 409, "证书已存在", "已有相同代码的证书。"},
  Text{"registry.invalid_rows", 422, "名录文件有错误", "名录文件中有不符合要求的行，全部未导入；请按 errors 修改后重新导入。"},
  // institutions
  Text{"institution.not_in_registry", 422, "名录中无此院校", "请填写本省院校名录中的 10 位院校代码。"},
  Text{"institution.name_mismatch", 422, "院校名称与名录不符", "院校名称须与名录中该代码的名称一致。"},
  Text{"institution.already_registered", 409, "院校已注册", "该院校已注册，请联系院校负责人。"},
  Text{"institution.leader_exists", 409, "院校已有负责人", "该院校已有负责人账号。"},
  Text{"institution.profile_incomplete", 409, "院校信息不完整", "请先补全院校基本信息。"},
  Text{"institution.seal_not_found", 404, "尚未上传公章", "该院校尚未上传公章。"},
  // declarations and quotas
  Text{"declaration.window_closed", 409, "不在申报时间内", "当前不在该申报计划的申报时间内。"},
  Text{"declaration.duplicate", 409, "重复申报", "本院校在该年度已申报过此证书。"},
  Text{"declaration.incomplete", 422, "申报信息不完整", "请补全申报信息后再提交。"},
  Text{"declaration.already_decided", 409, "申报已审核", "该申报已审核完毕，不能再次审核。"},
  Text{"declaration.approved_exceeds_planned", 422, "核定人数超过申报人数", "核定的培训人数不能超过申报的人数。"},
  Text{"quota.below_used", 422, "名额不能低于已用数", "调整后的名额不能少于已经使用的名额。"},
  Text{"weekly_report.duplicate", 409, "本周周报已提交", "该周的周报已经提交过。"},
  Text{"weekly_report.not_configured", 409, "未设置周报要求", "省级教育行政部门尚未设置周报要求。"},
  // files
  Text{"file.empty", 422, "文件为空", "上传的文件没有内容。"},
  Text{"file.too_large", 413, "文件过大", "文件超过该用途允许的大小。"},
  Text{"file.type_mismatch", 415, "文件类型不符", "文件内容不是该用途允许的类型。"},
  Text{"file.unknown_purpose", 422, "未知的文件用途", "请使用接口说明中列出的文件用途。"},
  Text{"file.unreadable", 422, "无法读取图片", "图片无法解码，请上传完好的 PNG 或 JPEG 文件。"},
  Text{"file.dimensions_too_large", 422, "图片尺寸过大", "图片的宽高超过允许的像素数。"},
  Text{"file.not_square", 422, "图片不是正方形", "公章图片的宽和高须相等。"},
  Text{"file.not_transparent", 422, "图片背景不透明", "公章图片须为透明背景的 PNG。"},
  Text{"file.not_usable", 422, "文件不可用", "只能使用您本人为此用途上传的文件。"},
  Text{"file.exists", 409, "文件已存在", "该文件编号已被使用。"},
  Text{"files.blob_missing", 500, "文件内容缺失", "服务器找不到该文件的内容。"},
  Text{"files.io_error", 500, "文件存储错误", "服务器读写文件时出错。"},
  // the store
  Text{"store.claim_taken", 409, "已被占用", "该名称或编号已被另一条记录使用。"},
  Text{"store.not_found", 404, "存储不存在", "数据目录中没有存储，请先用 onex init 创建。"},
  Text{"store.exists", 409, "存储已存在", "数据目录中已有存储。"},
  Text{"store.in_use", 500, "存储正被使用", "另一个进程正在使用该存储。"},
  Text{"store.read_only", 403, "存储为只读", "该存储以只读方式打开，不能写入。"},
  Text{"store.invalid_append", 400, "写入内容无效", "要写入的事件不符合存储的要求。"},
  Text{"store.corruption", 500, "存储已损坏", "存储的数据未通过完整性校验，请联系管理员并运行 onex audit verify。"},
  Text{"store.io_error", 500, "存储读写错误", "服务器读写存储时出错，请稍后再试。"},
};

// The record kinds' names, for `<kind>.not_found` and `<kind>.illegal_transition`.
constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kKinds = {{
  {"account", "账号"}, {"institution", "院校"}, {"declaration", "申报"},
  {"declaration_plan", "申报计划"}, {"quota", "名额"}, {"weekly_report", "周报"},
  {"weekly_report_settings", "周报设置"}, {"registry", "院校名录条目"}, {"org", "评价组织"},
  {"certificate", "证书"}, {"standard", "职业技能等级标准"}, {"file", "文件"},
}};

// Field errors' own codes.
constexpr std::array<std::pair<std::string_view, std::string_view>, 21> kFields = {{
  {"required", "必填"}, {"invalid", "格式不正确"}, {"too_long", "太长"},
  {"unknown_field", "不是此请求的字段"}, {"out_of_range", "超出允许的范围"},
  {"not_found", "不存在"}, {"too_many", "数量过多"}, {"must_be_positive", "须大于 0"},
  {"duplicate", "重复"}, {"wrong", "不正确"}, {"reused", "不能与原来的相同"},
  {"out_of_scope", "超出您的管理范围"}, {"not_started", "尚未开始"}, {"not_own", "不属于您的单位"},
  {"invalid_level", "该证书没有此等级"}, {"in_the_past", "不能早于现在"}, {"immutable", "不能修改"},
  {"exceeds_planned", "不能超过申报人数"}, {"before_start", "不能早于开始时间"},
  {"ambiguous", "不明确"}, {"wrong_type", "类型不正确"},
}};
// clang-format on

}  // namespace

std::optional<ErrorText> chinese_error_text(std::string_view code) {
  for (const auto& t : kTexts)
    if (t.code == code) return ErrorText{t.status, std::string(t.title), std::string(t.detail)};
  const auto dot = code.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const auto kind = code.substr(0, dot), what = code.substr(dot + 1);
  for (const auto& [k, name] : kKinds) {
    if (k != kind) continue;
    const std::string n(name);
    if (what == "not_found") return ErrorText{404, n + "不存在", "该" + n + "不存在，或您无权查看。"};
    if (what == "illegal_transition")
      return ErrorText{409, "当前状态不允许此操作", "该" + n + "当前的状态（见 state）不允许此操作。"};
  }
  return std::nullopt;
}

std::optional<std::string> chinese_field_message(std::string_view code) {
  for (const auto& [c, text] : kFields)
    if (c == code) return std::string(text);
  if (auto t = chinese_error_text(code)) return t->title;
  return std::nullopt;
}

std::vector<std::string> error_codes() {
  std::vector<std::string> out;
  for (const auto& t : kTexts) out.emplace_back(t.code);
  for (const auto& [k, name] : kKinds) {
    out.push_back(std::string(k) + ".not_found");
    out.push_back(std::string(k) + ".illegal_transition");
  }
  return out;
}

}  // namespace onex
