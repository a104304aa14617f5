// XLSX workbooks (Office Open XML spreadsheets, as Excel and LibreOffice write them): the first
// sheet read through libzip (the archive) and pugixml (the XML); rows written through
// libxlsxwriter. Both run in the xlsx plugin (io/xlsx_plugin.h), loaded on first use: those
// libraries (and the libcrypto libzip and libxlsxwriter link) are not loaded by the commands that
// never touch a workbook.
//
// Reading: shared strings (rich-text runs joined), inline strings, formula results, numbers,
// booleans ("true"/"false") and dates: a number whose cell format is a date or time (built-in
// formats 14-22 and 45-47, or a custom format with day, month, year, hour or second codes)
// reads as ISO 8601 ("2027-01-10", "2027-01-10T09:30:00"), in the 1900 or the 1904 date
// system. Missing cells are empty; a row's line is its sheet row number. The sheet's XML is
// streamed out of the archive and each <row> parsed alone, so memory holds the shared strings
// and one row, not the sheet. A file that is not a workbook (not a ZIP archive, truncated, no
// sheet) or XML that does not parse is InvalidArgument "FILE: ..." / "FILE: sheet row N: ...".
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "io/rows.h"

namespace crm::io {

Result<std::unique_ptr<RowSource>> OpenXlsx(const std::string& path);

// Writes rows, in order, as the first sheet ("Sheet1") of a new workbook at `path`, in
// constant memory (each row goes to a temporary file as the next begins). Every cell is text.
class XlsxWriter {
 public:
  static Result<std::unique_ptr<XlsxWriter>> Open(const std::string& path);
  virtual ~XlsxWriter() = default;  // unclosed: abandoned, the caller discards the file
  // InvalidArgument past the sheet's last row (1,048,576) or for a cell over 32,767 characters.
  virtual Status Write(const std::vector<std::string>& cells) = 0;
  // Writes the workbook out; nothing is complete before.
  virtual Status Close() = 0;
};

}  // namespace crm::io
