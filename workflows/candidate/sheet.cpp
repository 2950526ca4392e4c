// CandidateService, tables (API.md "Templates and details"): the template, the import and the
// batch update (XLSX or CSV, all rows or none, every bad row answered), and the export, whose
// columns are the template's so that an edited export can be sent back as a batch update.
#include <charconv>

#include "candidate/service_impl.h"
#include "common/access.h"
#include "sheet/sheet.h"

namespace onex {

using candidate::Workflow;

namespace {

// The template's columns, in order, and the member each fills.
struct Column {
  const char* header;
  const char* member;
};
constexpr Column kColumns[] = {{"考生类型", "kind"},       {"姓名", "name"},       {"姓名拼音", "name_pinyin"},
                               {"身份证号", "id_number"},  {"手机号", "phone"},    {"就读专业", "major"},
                               {"专业层次", "major_level"}, {"入学年份", "enrolment_year"}};
constexpr const char* kExportOnly[] = {"核验状态", "照片"};
constexpr std::string_view kStudent = "院校考生", kSocial = "社会考生";

std::vector<std::string> header(bool with_export_columns) {
  std::vector<std::string> h;
  for (const auto& c : kColumns) h.emplace_back(c.header);
  if (with_export_columns)
    for (auto c : kExportOnly) h.emplace_back(c);
  return h;
}

Status invalid_rows(std::vector<FieldError> errors) {
  const auto n = errors.size();
  return Status::unprocessable("candidate.invalid_rows",
                               std::to_string(n) + (n == 1 ? " error" : " errors") + "; nothing was written",
                               std::move(errors));
}

// One template row as a candidate's input; cell errors (a type or year that is none) go to
// `errors`.
CandidateInput input_of(const sheet::Row& row, std::vector<FieldError>& errors) {
  auto cell = [&](std::size_t i) { return i < row.cells.size() ? row.cells[i] : std::string(); };
  CandidateInput in;
  const auto kind = cell(0);
  in.kind = kind == kStudent ? "student" : kind == kSocial ? "social" : kind;
  if (in.kind != "student" && in.kind != "social")
    errors.push_back({"kind", "invalid", "院校考生 or 社会考生", row.number});
  in.name = cell(1), in.name_pinyin = cell(2), in.id_number = cell(3), in.phone = cell(4);
  in.major = cell(5), in.major_level = cell(6);
  if (const auto year = cell(7); !year.empty()) {
    auto [end, ec] = std::from_chars(year.data(), year.data() + year.size(), in.enrolment_year);
    if (ec != std::errc{} || end != year.data() + year.size())
      errors.push_back({"enrolment_year", "invalid", "a year such as 2024", row.number});
  }
  return in;
}

// The table's rows as inputs, or its refusal: an unreadable table, a header that is not the
// template's, no rows, or bad cells.
struct Rows {
  std::vector<CandidateInput> inputs;
  std::vector<std::size_t> numbers;  // each input's row
};
Result<Rows> rows_of(std::string_view table, std::size_t max_rows) {
  Rows rows;
  std::vector<FieldError> errors;
  bool header_seen = false;
  sheet::Limits limits;
  limits.max_rows = max_rows;
  auto read = sheet::read_table(table, limits, [&](sheet::Row&& row) -> Status {
    if (!header_seen) {
      header_seen = true;
      for (std::size_t i = 0; i < std::size(kColumns); ++i)
        if (i >= row.cells.size() || row.cells[i] != kColumns[i].header)
          errors.push_back({kColumns[i].member, "missing_column",
                            "column " + std::to_string(i + 1) + " must be " + kColumns[i].header, row.number});
      return {};
    }
    rows.inputs.push_back(input_of(row, errors));
    rows.numbers.push_back(row.number);
    return {};
  });
  if (!read) return read;
  if (errors.empty() && rows.inputs.empty())
    errors.push_back({"file", "no_rows", "the table has no candidate rows below its header"});
  if (!errors.empty()) return invalid_rows(std::move(errors));
  return rows;
}

// The field a refusal without field errors is about.
std::string field_of(std::string_view code) {
  return code == "candidate.already_exists" || code == "candidate.not_found" ? "id_number" : "";
}

// A batch's refusals as row errors, or ok when it had none.
Status refused_rows(const engine::BatchRan& ran, const Rows& rows) {
  std::vector<FieldError> errors;
  for (const auto& r : ran.outcome.refusals) {
    const auto row = rows.numbers[r.index];
    if (r.same_as)
      errors.push_back({"id_number", "duplicate", "the same person as row " + std::to_string(rows.numbers[*r.same_as]), row});
    else if (r.status.errors().empty())
      errors.push_back({field_of(r.status.code()), r.status.code(), r.status.message(), row});
    else
      for (const auto& e : r.status.errors()) errors.push_back({e.field, e.code, e.message, row});
  }
  if (errors.empty()) return {};
  return invalid_rows(std::move(errors));
}

std::size_t rows_written(const engine::BatchRan& ran, std::size_t rows) {
  // A replay of the same request answers what the first did.
  return ran.outcome.replayed ? std::stoul("0" + ran.outcome.outcome) : rows;
}

}  // namespace

Result<std::string> CandidateService::template_xlsx() const { return sheet::write_xlsx("考生", header(false), {}); }

Result<CandidateBatch> CandidateService::import(const Caller& caller, std::string_view table) {
  if (auto s = engine::authorize(caller.actor, {"leader", "staff"}); !s) return s;
  auto rows = rows_of(table, impl_->options.max_rows);
  if (!rows) return rows.status();
  auto ran = engine::run_batch(impl_->candidates, *impl_, Impl::kCreate, caller, rows->inputs,
                               std::to_string(rows->inputs.size()));
  if (!ran) return ran.status();
  if (auto s = refused_rows(*ran, *rows); !s) return s;
  return CandidateBatch{rows_written(*ran, rows->inputs.size())};
}

Result<CandidateBatch> CandidateService::batch_update(const Caller& caller, std::string_view table) {
  if (auto s = engine::authorize(caller.actor, {"leader", "staff"}); !s) return s;
  auto rows = rows_of(table, impl_->options.max_rows);
  if (!rows) return rows.status();
  // Each row names its candidate by the ID number; every column is the new value.
  std::vector<candidate::Edit> edits;
  for (const auto& in : rows->inputs) {
    candidate::Edit e{impl_->holder(in.id_number), {in, {}}};
    boost::mp11::mp_for_each<engine::described_members<CandidateInput>>(
        [&](auto m) { e.patch.members.emplace_back(m.name); });
    edits.push_back(std::move(e));
  }
  auto ran = engine::run_batch(impl_->candidates, *impl_, Impl::kEdit, caller, edits,
                               std::to_string(edits.size()));
  if (!ran) return ran.status();
  if (auto s = refused_rows(*ran, *rows); !s) return s;
  if (!ran->outcome.replayed)
    for (const auto& e : edits) impl_->check_identity(caller, e.id);
  return CandidateBatch{rows_written(*ran, edits.size())};
}

Result<std::string> CandidateService::export_xlsx(const Actor& actor) {
  if (!access::institution_side(actor))
    return Status::forbidden("auth.forbidden", "the role " + actor.role + " keeps no candidates");
  std::vector<std::vector<std::string>> rows;
  auto read = engine::views<Workflow>(impl_->store, "i/" + actor.institution_id + "/", [&](const candidate::Machine& m) {
    const auto& c = m.data();
    if (!candidate::sees(actor, c)) return false;
    rows.push_back({c.kind == "student" ? std::string(kStudent) : std::string(kSocial), c.name, c.name_pinyin,
                    c.id_number, c.phone, c.major, c.major_level,
                    c.enrolment_year ? std::to_string(c.enrolment_year) : std::string(),
                    std::string(m.state_name()), c.photo_file_id.empty() ? "无" : "有"});
    return false;  // the rows are all this needs, not the views
  });
  if (!read) return read.status();
  return sheet::write_xlsx("考生", header(true), rows);
}

}  // namespace onex
