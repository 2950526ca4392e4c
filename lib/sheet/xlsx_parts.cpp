#include "sheet/xlsx_parts.h"

#include <mutex>
#include <vector>

#include "sheet/rows.h"

namespace onex::sheet::detail {
namespace {

// The relationship namespaces of transitional and strict Office Open XML.
constexpr const char* kRelationshipNamespaces[] = {
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships"};

// No network, no DTD loading, no entity substitution (XML_PARSE_NOENT is off, so an entity is
// never expanded, external or not), and no error text on stderr: a failure is a return value.
constexpr int kParseOptions = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;

void init_libxml() {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
}

// One part's bytes as libxml2 pulls them: unpacked by libzip and counted against the budget.
struct PartInput {
  zip_file_t* file = nullptr;
  Budget* budget = nullptr;
  bool over_budget = false;
  bool broken = false;

  static int read(void* self, char* buffer, int len) {
    auto& in = *static_cast<PartInput*>(self);
    const zip_int64_t got = zip_fread(in.file, buffer, static_cast<zip_uint64_t>(len));
    if (got < 0) {
      in.broken = true;
      return -1;
    }
    if (static_cast<zip_uint64_t>(got) > in.budget->left) {
      in.over_budget = true;
      return -1;
    }
    in.budget->left -= static_cast<std::size_t>(got);
    return static_cast<int>(got);
  }
};

struct ZipFileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};
struct ReaderFreer {
  void operator()(xmlTextReaderPtr r) const { xmlFreeTextReader(r); }
};

Status over_budget(const Budget& budget) {
  return too_large("the workbook's XML unpacks to more than " + std::to_string(budget.limit) +
                   " bytes");
}

// "worksheets/sheet2.xml" from xl/_rels/workbook.xml.rels is xl/worksheets/sheet2.xml;
// "/xl/worksheets/sheet2.xml" is absolute. nullopt when ".." climbs out of the package.
std::optional<std::string> resolve_target(std::string_view target) {
  std::string joined = target.starts_with('/') ? std::string(target.substr(1))
                                               : "xl/" + std::string(target);
  std::vector<std::string> segments;
  std::size_t start = 0;
  while (start <= joined.size()) {
    std::size_t end = joined.find('/', start);
    if (end == std::string::npos) end = joined.size();
    std::string segment = joined.substr(start, end - start);
    if (segment == "..") {
      if (segments.empty()) return std::nullopt;
      segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(std::move(segment));
    }
    start = end + 1;
  }
  std::string path;
  for (const auto& segment : segments) path += (path.empty() ? "" : "/") + segment;
  if (path.empty()) return std::nullopt;
  return path;
}

// The r:id of the workbook's first <sheet>; empty when it names none.
Status first_sheet_id(Package& package, Budget& budget, std::string& id) {
  return package.stream("xl/workbook.xml", budget, [&](xmlTextReaderPtr r) -> Status {
    if (!id.empty() || xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT) return {};
    if (local_name(r) != "sheet") return {};
    for (const char* ns : kRelationshipNamespaces) {
      xmlChar* value = xmlTextReaderGetAttributeNs(r, BAD_CAST "id", BAD_CAST ns);
      if (!value) continue;
      id = reinterpret_cast<const char*>(value);
      xmlFree(value);
      break;
    }
    if (id.empty()) return unreadable("the workbook's first sheet has no relationship id");
    return {};
  });
}

}  // namespace

std::string_view local_name(xmlTextReaderPtr reader) {
  const xmlChar* name = xmlTextReaderConstLocalName(reader);
  return name ? std::string_view(reinterpret_cast<const char*>(name)) : std::string_view();
}

std::string_view node_value(xmlTextReaderPtr reader) {
  const xmlChar* value = xmlTextReaderConstValue(reader);
  return value ? std::string_view(reinterpret_cast<const char*>(value)) : std::string_view();
}

std::optional<std::string> attribute(xmlTextReaderPtr reader, const char* name) {
  xmlChar* value = xmlTextReaderGetAttribute(reader, BAD_CAST name);
  if (!value) return std::nullopt;
  std::string out(reinterpret_cast<const char*>(value));
  xmlFree(value);
  return out;
}

Status Package::open(std::string_view bytes, std::unique_ptr<Package>& out) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  zip_t* archive = source ? zip_open_from_source(source, ZIP_RDONLY, &error) : nullptr;
  zip_error_fini(&error);
  if (!archive) {
    if (source) zip_source_free(source);
    return unreadable("the file is neither an XLSX workbook nor a ZIP archive libzip can open");
  }
  out.reset(new Package(archive));
  if (!out->has("xl/workbook.xml"))
    return unreadable("the ZIP archive is not an XLSX workbook: it has no xl/workbook.xml");
  return {};
}

Package::~Package() { zip_discard(archive_); }  // frees the source too; nothing was written

bool Package::has(const std::string& part) const {
  return zip_name_locate(archive_, part.c_str(), ZIP_FL_NOCASE) >= 0;
}

Status Package::stream(const std::string& name, Budget& budget,
                       const std::function<Status(xmlTextReaderPtr)>& on_node) {
  init_libxml();
  const zip_int64_t index = zip_name_locate(archive_, name.c_str(), ZIP_FL_NOCASE);
  if (index < 0) return unreadable("the workbook has no part " + name);
  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_stat_index(archive_, static_cast<zip_uint64_t>(index), 0, &stat) != 0)
    return unreadable("the part " + name + " cannot be read");
  if ((stat.valid & ZIP_STAT_SIZE) && stat.size > budget.left) return over_budget(budget);
  std::unique_ptr<zip_file_t, ZipFileCloser> file(
      zip_fopen_index(archive_, static_cast<zip_uint64_t>(index), 0));
  if (!file) return unreadable("the part " + name + " does not unpack");

  PartInput input{file.get(), &budget};
  std::unique_ptr<xmlTextReader, ReaderFreer> reader(
      xmlReaderForIO(PartInput::read, nullptr, &input, nullptr, nullptr, kParseOptions));
  if (!reader) return unreadable("the XML reader could not start on " + name);
  int step = 0;
  while ((step = xmlTextReaderRead(reader.get())) == 1) {
    const int type = xmlTextReaderNodeType(reader.get());
    // Office files never carry a DTD; one here can only be an attempt at entity tricks.
    if (type == XML_READER_TYPE_DOCUMENT_TYPE || type == XML_READER_TYPE_ENTITY_REFERENCE)
      return unreadable("the part " + name + " has a DOCTYPE or an entity reference");
    if (Status s = on_node(reader.get()); !s) return s;
  }
  if (input.over_budget) return over_budget(budget);
  if (step != 0 || input.broken) return unreadable("the part " + name + " is not well-formed XML");
  return {};
}

Status locate_parts(Package& package, Budget& budget, WorkbookParts& out) {
  std::string id;
  if (Status s = first_sheet_id(package, budget, id); !s) return s;
  if (id.empty()) return unreadable("the workbook has no sheet");
  const std::string rels = "xl/_rels/workbook.xml.rels";
  if (!package.has(rels)) {
    out.first_sheet = "xl/worksheets/sheet1.xml";
    if (package.has("xl/sharedStrings.xml")) out.shared_strings = "xl/sharedStrings.xml";
    return {};
  }
  std::optional<std::string> sheet_target, strings_target;
  Status s = package.stream(rels, budget, [&](xmlTextReaderPtr r) -> Status {
    if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT || local_name(r) != "Relationship")
      return {};
    const auto type = attribute(r, "Type").value_or("");
    const bool external = attribute(r, "TargetMode") == "External";
    if (attribute(r, "Id") == id && !sheet_target) {
      if (external) return unreadable("the workbook's first sheet is outside the file");
      sheet_target = attribute(r, "Target");
      if (!sheet_target) return unreadable("the workbook's first sheet has no target");
    } else if (type.ends_with("/sharedStrings") && !external && !strings_target) {
      strings_target = attribute(r, "Target");
    }
    return {};
  });
  if (!s) return s;
  if (!sheet_target) return unreadable("the workbook's first sheet has no relationship");
  auto sheet = resolve_target(*sheet_target);
  if (!sheet) return unreadable("the workbook's first sheet is outside the package");
  out.first_sheet = *sheet;
  if (strings_target) out.shared_strings = resolve_target(*strings_target).value_or("");
  else if (package.has("xl/sharedStrings.xml")) out.shared_strings = "xl/sharedStrings.xml";
  return {};
}

}  // namespace onex::sheet::detail
