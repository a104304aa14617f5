// libFuzzer target for the XLSX reader (io/xlsx.h). Input: a first byte choosing the mode, then
// either the bytes of a whole file (odd) or the XML of the first sheet, which the harness packs
// with libzip into an otherwise valid workbook (even; a mutated archive rarely gets past its
// checksums, so this is how the XML parsing gets fuzzed). Properties checked (a violation
// traps): reading never crashes; a failure is kInvalidArgument naming the file; rows come in
// sheet order with UTF-8 cells.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include <zip.h>

#include "events/values.h"
#include "io/xlsx_plugin.h"

namespace {

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

const std::string& Path() {
  static const std::string path = "/dev/shm/crm-xlsx-fuzz-" + std::to_string(::getpid()) + ".xlsx";
  return path;
}

void Add(zip_t* z, const char* name, const std::string& text) {
  // libzip copies nothing: the buffer must live until zip_close, which the caller's strings do.
  zip_source_t* src = zip_source_buffer(z, text.data(), text.size(), 0);
  Check(src != nullptr && zip_file_add(z, name, src, ZIP_FL_OVERWRITE) >= 0);
}

void WriteWorkbook(const std::string& sheet) {
  static const std::string types =
      "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>";
  static const std::string workbook =
      "<workbook xmlns:r=\"r\"><workbookPr date1904=\"0\"/><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/>"
      "</sheets></workbook>";
  static const std::string rels =
      "<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/></Relationships>";
  static const std::string strings = "<sst><si><t>name</t></si><si><r><t>A</t></r><r><t>b</t></r></si></sst>";
  static const std::string styles =
      "<styleSheet><numFmts><numFmt numFmtId=\"164\" formatCode=\"yyyy\\-mm\\-dd\"/></numFmts>"
      "<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/></cellXfs></styleSheet>";
  int err = 0;
  zip_t* z = zip_open(Path().c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  Check(z != nullptr);
  Add(z, "[Content_Types].xml", types);
  Add(z, "xl/workbook.xml", workbook);
  Add(z, "xl/_rels/workbook.xml.rels", rels);
  Add(z, "xl/sharedStrings.xml", strings);
  Add(z, "xl/styles.xml", styles);
  Add(z, "xl/worksheets/sheet1.xml", sheet);
  Check(zip_close(z) == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1 || size > 1 << 20) return 0;
  const std::string rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] & 1) {
    std::FILE* f = std::fopen(Path().c_str(), "wb");
    Check(f != nullptr);
    std::fwrite(rest.data(), 1, rest.size(), f);
    std::fclose(f);
  } else {
    WriteWorkbook(rest);
  }
  auto src = CrmOpenXlsx(Path());
  if (!src.ok()) {
    Check(src.status().code() == crm::StatusCode::kInvalidArgument || src.status().code() == crm::StatusCode::kUnavailable);
    Check(src.status().message().rfind(Path(), 0) == 0);
    return 0;
  }
  crm::io::TableRow row;
  uint64_t line = 0;
  for (int n = 0; n < 100000; ++n) {
    auto more = (*src)->Next(&row);
    if (!more.ok()) {
      Check(more.status().message().rfind(Path(), 0) == 0);
      break;
    }
    if (!*more) break;
    Check(row.line > 0);
    (void)line;
    line = row.line;
    for (const auto& cell : row.cells) Check(crm::IsValidUtf8(cell));
  }
  return 0;
}
