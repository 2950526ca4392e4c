// The Chinese texts of every error code the library and the workflows answer (onex/messages.h).
// A new code gets its line here; tests/server/messages_test.cpp finds every code in the
// sources and fails on one without a text. Details say what to do, never a key or an event.
#include "onex/messages.h"

#include <algorithm>
#include <array>

namespace onex {
namespace {

// clang-format off
constexpr std::array kTexts = {
  // requests and bodies
  CodeText{"validation.failed", 422, "请求内容有误", "部分字段不符合要求，请按 errors 中的说明修改后重试。"},
  CodeText{"request.malformed_json", 400, "请求格式错误", "请求体不是有效的 JSON 对象。"},
  CodeText{"request.wrong_type", 400, "字段类型错误", "某个字段的类型不正确，请按接口说明填写。"},
  CodeText{"concurrency.version_conflict", 409, "记录已被修改", "该记录已被他人修改，请刷新后再操作。"},
  CodeText{"idempotency.key_reused", 422, "幂等键已被使用", "该 Idempotency-Key 已用于另一个请求，请换一个新的键。"},
  CodeText{"idempotency.bad_key", 400, "幂等键无效", "Idempotency-Key 须为 1 到 255 个可见字符。"},
  CodeText{"workflow.unknown_kind", 404, "未知的记录类型", "没有哪类业务记录使用该名称。"},
  CodeText{"stream.not_found", 404, "记录不存在", "该记录不存在，或您无权查看。"},
  // sign-in and accounts
  CodeText{"auth.unauthenticated", 401, "未登录", "未登录或登录已过期，请重新登录。"},
  CodeText{"auth.forbidden", 403, "无权操作", "当前账号无权执行此操作。"},
  CodeText{"auth.invalid_credentials", 401, "账号或密码错误", "账号或密码错误，请重新输入。"},
  CodeText{"auth.captcha_required", 401, "请输入图形验证码", "请获取图形验证码并正确填写后再试。"},
  CodeText{"auth.step_up_required", 403, "需要短信验证", "此操作须先获取短信验证码，并在请求中填写。"},
  CodeText{"auth.rate_limited", 429, "操作过于频繁", "请求过于频繁，请稍后再试（等待时间见 Retry-After）。"},
  CodeText{"account.locked", 403, "账号已临时锁定", "密码连续输错多次，账号已临时锁定，请在锁定结束后再试。"},
  CodeText{"account.disabled", 403, "账号已停用", "该账号已被停用，请联系您的管理员。"},
  CodeText{"account.setup_required", 403, "请先完成首次登录设置", "首次登录须先绑定手机并修改初始密码。"},
  CodeText{"account.setup_done", 409, "已完成首次登录设置", "该账号已完成首次登录设置，无须重复操作。"},
  CodeText{"account.name_taken", 409, "账号名已被使用", "该账号名已被使用，请换一个。"},
  CodeText{"account.not_disabled", 409, "账号未停用", "请先停用该账号，再进行此操作。"},
  CodeText{"account.password_already_changed", 409, "初始密码已失效", "用户已修改初始密码，无法再查看；如有需要请重置密码。"},
  CodeText{"sms.code_invalid", 422, "短信验证码错误", "短信验证码错误或已过期，请重新获取。"},
  CodeText{"sms.rate_limited", 429, "短信发送过于频繁", "同一手机号每分钟只能获取一次验证码，请稍后再试。"},
  CodeText{"sms.delivery_failed", 500, "短信发送失败", "短信暂时无法发送，请稍后再试。"},
  CodeText{"sms.webhook_invalid_url", 400, "短信网关地址无效", "短信网关地址须为 https 网址（本机测试可用 http）。"},
  CodeText{"sms.webhook_insecure", 400, "短信网关不安全", "短信网关须使用 https，http 只允许本机地址。"},
  CodeText{"sms.webhook_no_trust", 400, "无法校验短信网关证书", "无法读取用于校验短信网关证书的 CA 文件。"},
  CodeText{"security.undecryptable", 500, "无法解密", "保存的密文无法用本存储的密钥解开。"},
  // reference data
  CodeText{"org.duplicate", 409, "评价组织已存在", "已有相同代码的评价组织。"},
  CodeText{"certificate.duplicate", 409, "证书已存在", "已有相同代码的证书。"},
  CodeText{"registry.invalid_rows", 422, "名录文件有错误", "名录文件中有不符合要求的行，全部未导入；请按 errors 修改后重新导入。"},
  // institutions
  CodeText{"institution.not_in_registry", 422, "名录中无此院校", "请填写本省院校名录中的 10 位院校代码。"},
  CodeText{"institution.name_mismatch", 422, "院校名称与名录不符", "院校名称须与名录中该代码的名称一致。"},
  CodeText{"institution.already_registered", 409, "院校已注册", "该院校已注册，请联系院校负责人。"},
  CodeText{"institution.leader_exists", 409, "院校已有负责人", "该院校已有负责人账号。"},
  CodeText{"institution.profile_incomplete", 409, "院校信息不完整", "请先补全院校基本信息。"},
  CodeText{"institution.seal_not_found", 404, "尚未上传公章", "该院校尚未上传公章。"},
  // declarations and quotas
  CodeText{"declaration.window_closed", 409, "不在申报时间内", "当前不在该申报计划的申报时间内。"},
  CodeText{"declaration.duplicate", 409, "重复申报", "本院校在该年度已申报过此证书。"},
  CodeText{"declaration.incomplete", 422, "申报信息不完整", "请补全申报信息后再提交。"},
  CodeText{"declaration.already_decided", 409, "申报已审核", "该申报已审核完毕，不能再次审核。"},
  CodeText{"declaration.approved_exceeds_planned", 422, "核定人数超过申报人数", "核定的培训人数不能超过申报的人数。"},
  CodeText{"quota.below_used", 422, "名额不能低于已用数", "调整后的名额不能少于已经使用的名额。"},
  CodeText{"weekly_report.duplicate", 409, "本周周报已提交", "该周的周报已经提交过。"},
  CodeText{"weekly_report.not_configured", 409, "未设置周报要求", "省级教育行政部门尚未设置周报要求。"},
  // exams
  CodeText{"exam_plan.registration_closed", 409, "报名已截止", "该计划的报名时间已过，不能再发布，请重新制定计划。"},
  CodeText{"exam_subject.duplicate", 409, "科目代码重复", "该证书的这一等级已有相同代码的科目。"},
  CodeText{"candidate.already_exists", 409, "考生已存在", "该身份证号的考生已经导入过，同一个人只能导入一次。"},
  CodeText{"candidate.invalid_rows", 422, "表格内容有误", "表格中有错误的行，没有导入任何数据；请按 errors 中的行号和说明修改后重新上传。"},
  CodeText{"invigilator.already_submitted", 409, "监考人员已提交", "此人已作为监考人员提交给该评价组织，正在审核或已认证；被驳回后可重新提交。"},
  CodeText{"candidate.photo_missing", 409, "考生没有照片", "请先导入考生照片，再人工确认身份。"},
  CodeText{"site.part_decided", 409, "已审核", "该证书的考点申报已经审核过。"},
  CodeText{"site.not_approved", 409, "考点未获批准", "该考点尚未获准承担此证书的考试，不能借给其他院校。"},
  CodeText{"site.has_own_site", 409, "院校已有考点", "该院校已有获批的考点，无须借考。"},
  CodeText{"site.already_assigned", 409, "已分配借考考点", "该院校在本考试计划中已分配了借考考点。"},
  CodeText{"exam_room.duplicate", 409, "考场名称重复", "该考点在本考试计划中已有同名考场。"},
  CodeText{"exam_room.invalid_copy", 422, "考场无法复制", "部分考场不能复制到新的考试计划，未复制任何考场；请按 errors 修改后重试。"},
  CodeText{"photo.unreadable_archive", 422, "无法读取压缩包", "请上传 ZIP 格式的照片压缩包。"},
  CodeText{"photo.too_many_files", 422, "照片数量过多", "压缩包中的文件数量超过上限，请分批导入。"},
  CodeText{"photo.too_large", 422, "照片过大", "照片须在 5 MB 以内，压缩包解压后的总大小也有上限。"},
  CodeText{"photo.bad_name", 422, "照片命名不正确", "照片须命名为“身份证号.jpg”或“身份证号.png”，且不带目录。"},
  CodeText{"photo.bad_type", 422, "照片格式不正确", "照片须为 JPG 或 PNG，且与扩展名一致。"},
  CodeText{"photo.bad_dimensions", 422, "照片像素不符", "照片须为 295×413 像素的小一寸照片。"},
  CodeText{"photo.bad_background", 422, "照片底色不符", "照片须为红色底色。"},
  CodeText{"photo.duplicate", 422, "照片重复", "压缩包中有同一身份证号的多张照片。"},
  CodeText{"photo.unknown_candidate", 422, "找不到考生", "本校没有该身份证号的考生，请先导入考生信息。"},
  // tables (imports)
  CodeText{"batch.same_record", 409, "重复的行", "同一条记录在表格中出现了两次，请合并为一行。"},
  CodeText{"sheet.unreadable", 422, "无法读取表格", "请上传按模板填写的 XLSX 或 UTF-8 编码的 CSV 文件。"},
  CodeText{"sheet.too_many_rows", 422, "表格行数过多", "一次导入的行数超过上限，请分批导入。"},
  CodeText{"sheet.unwritable", 500, "无法生成表格", "服务器生成表格文件时出错，请稍后再试。"},
  CodeText{"sheet.too_large", 422, "表格过大", "表格的内容超过允许的大小（单元格过长、列过多或解压后过大）。"},
  // files
  CodeText{"file.empty", 422, "文件为空", "上传的文件没有内容。"},
  CodeText{"file.too_large", 413, "文件过大", "文件超过该用途允许的大小。"},
  CodeText{"file.type_mismatch", 415, "文件类型不符", "文件内容不是该用途允许的类型。"},
  CodeText{"file.unknown_purpose", 422, "未知的文件用途", "请使用接口说明中列出的文件用途。"},
  CodeText{"file.unreadable", 422, "无法读取图片", "图片无法解码，请上传完好的 PNG 或 JPEG 文件。"},
  CodeText{"file.dimensions_too_large", 422, "图片尺寸过大", "图片的宽高超过允许的像素数。"},
  CodeText{"file.not_square", 422, "图片不是正方形", "公章图片的宽和高须相等。"},
  CodeText{"file.not_transparent", 422, "图片背景不透明", "公章图片须为透明背景的 PNG。"},
  CodeText{"file.not_usable", 422, "文件不可用", "只能使用您本人为此用途上传的文件。"},
  CodeText{"file.exists", 409, "文件已存在", "该文件编号已被使用。"},
  CodeText{"files.blob_missing", 500, "文件内容缺失", "服务器找不到该文件的内容。"},
  CodeText{"files.io_error", 500, "文件存储错误", "服务器读写文件时出错。"},
  // the store
  CodeText{"store.claim_taken", 409, "已被占用", "该名称或编号已被另一条记录使用。"},
  CodeText{"store.not_found", 404, "存储不存在", "数据目录中没有存储，请先用 onex init 创建。"},
  CodeText{"store.exists", 409, "存储已存在", "数据目录中已有存储。"},
  CodeText{"store.in_use", 500, "存储正被使用", "另一个进程正在使用该存储。"},
  CodeText{"store.read_only", 403, "存储为只读", "该存储以只读方式打开，不能写入。"},
  CodeText{"store.invalid_append", 400, "写入内容无效", "要写入的事件不符合存储的要求。"},
  CodeText{"store.corruption", 500, "存储已损坏", "存储的数据未通过完整性校验，请联系管理员并运行 onex audit verify。"},
  CodeText{"store.io_error", 500, "存储读写错误", "服务器读写存储时出错，请稍后再试。"},
};

// The record kinds' names, for `<kind>.not_found` and `<kind>.illegal_transition`.
constexpr std::array<std::pair<std::string_view, std::string_view>, 18> kKinds = {{
  {"account", "账号"}, {"institution", "院校"}, {"declaration", "申报"},
  {"declaration_plan", "申报计划"}, {"quota", "名额"}, {"weekly_report", "周报"},
  {"weekly_report_settings", "周报设置"}, {"registry", "院校名录条目"}, {"org", "评价组织"},
  {"certificate", "证书"}, {"standard", "职业技能等级标准"}, {"file", "文件"},
  {"exam_subject", "考试科目"}, {"exam_plan", "考试计划"}, {"candidate", "考生"},
  {"invigilator", "监考人员"}, {"site", "考核站点"},
  {"exam_room", "考场"},
}};

// Field errors' own codes.
constexpr std::array<std::pair<std::string_view, std::string_view>, 23> kFields = {{
  {"required", "必填"}, {"invalid", "格式不正确"}, {"too_long", "太长"},
  {"unknown_field", "不是此请求的字段"}, {"out_of_range", "超出允许的范围"},
  {"not_found", "不存在"}, {"too_many", "数量过多"}, {"must_be_positive", "须大于 0"},
  {"duplicate", "重复"}, {"wrong", "不正确"}, {"reused", "不能与原来的相同"},
  {"out_of_scope", "超出您的管理范围"}, {"not_started", "尚未开始"}, {"not_own", "不属于您的单位"},
  {"invalid_level", "该证书没有此等级"}, {"in_the_past", "不能早于现在"}, {"immutable", "不能修改"},
  {"exceeds_planned", "不能超过申报人数"}, {"before_start", "不能早于开始时间"},
  {"ambiguous", "不明确"}, {"wrong_type", "类型不正确"}, {"missing_column", "缺少该列或列名不符"},
  {"no_rows", "没有数据行"},
}};
// clang-format on

}  // namespace

std::optional<ErrorText> chinese_error_text(std::string_view code) {
  if (auto t = find_text(kTexts, code)) return t;
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
