// Legacy Excel workbooks (.xls: BIFF 2-8, Excel 97-2003 and older, as Excel, LibreOffice and
// many exporting systems still write them), read through FreeXL: the first sheet, the first row
// its header.
//
// Cells as Excel shows them in the General format: text (converted to UTF-8 from the workbook's
// code page), whole numbers without a decimal point, other numbers with up to 15 significant
// digits ("1234.5"), dates as ISO 8601 ("2024-03-01", "2024-03-01T09:30:00"), times as "09:30:00",
// booleans as 1 or 0. A row's line is its sheet row number (1-based); empty rows are skipped, and
// a row's trailing empty cells. A file that is not a workbook, is protected by a password or has
// no sheet is InvalidArgument "FILE: ...".
//
// FreeXL runs in a child process of its own, which sends the rows through a pipe: the BIFF
// parsers (FreeXL's, libxls's, catdoc's alike) read past their buffers on crafted files, and
// FreeXL 1.0.6 does within seconds of fuzzing (tests/fuzz/xls_fuzz.cc). A workbook that makes the
// reader die (or run past a minute of CPU) is refused as damaged; crmctl's memory is never
// exposed to the parser. FreeXL reads the workbook whole (a sheet holds at most 65,536 rows).
#pragma once

#include <memory>
#include <string>

#include "io/rows.h"

namespace crm::io {

Result<std::unique_ptr<RowSource>> OpenXls(const std::string& path);

}  // namespace crm::io
