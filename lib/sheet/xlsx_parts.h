// The parts of an XLSX package: the ZIP opened from memory with libzip, each XML part streamed
// through libxml2's xmlTextReader with what it unpacks counted against one budget, and where the
// workbook keeps its first sheet and its shared strings.
#pragma once

#include <libxml/xmlreader.h>
#include <zip.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "sheet/sheet.h"

namespace onex::sheet::detail {

// The bytes every part of one package may still unpack to.
struct Budget {
  std::size_t limit = 0;  // Limits::max_unpacked_bytes
  std::size_t left = 0;
};

// An XLSX package opened over bytes that it does not copy: they must outlive it.
class Package {
 public:
  // Opens `bytes` as a ZIP archive holding xl/workbook.xml; sheet.unreadable when it is not one.
  static Status open(std::string_view bytes, std::unique_ptr<Package>& out);
  ~Package();
  Package(const Package&) = delete;
  Package& operator=(const Package&) = delete;

  bool has(const std::string& part) const;

  // Streams the XML part `name`, calling on_node at each node the reader stops at; a Status
  // on_node returns that is not ok stops the stream and is returned. sheet.too_large when the
  // part's declared or real unpacked size passes what is left of `budget` (reading stops there),
  // sheet.unreadable when it is missing, does not unpack, is malformed XML or has a DOCTYPE.
  Status stream(const std::string& name, Budget& budget,
                const std::function<Status(xmlTextReaderPtr)>& on_node);

 private:
  explicit Package(zip_t* archive) : archive_(archive) {}
  zip_t* archive_;
};

// Where the workbook's parts are: its first sheet and its shared strings (empty when it has none).
struct WorkbookParts {
  std::string first_sheet;
  std::string shared_strings;
};
// Reads xl/workbook.xml and xl/_rels/workbook.xml.rels. Without the relationships part, the
// first sheet is taken to be xl/worksheets/sheet1.xml and the shared strings
// xl/sharedStrings.xml (when there). sheet.unreadable when the workbook names no sheet or its
// relationship is missing or points outside the package.
Status locate_parts(Package& package, Budget& budget, WorkbookParts& out);

// A node's local name ("row" for <x:row>) and its text value, as views into the reader's
// memory, valid until the reader moves on.
std::string_view local_name(xmlTextReaderPtr reader);
std::string_view node_value(xmlTextReaderPtr reader);
// The value of the unprefixed attribute `name`; nullopt when absent.
std::optional<std::string> attribute(xmlTextReaderPtr reader, const char* name);

}  // namespace onex::sheet::detail
