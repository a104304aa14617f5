// Tables read from files for import: a header naming the columns, then rows of cells, each row
// with the place it came from. One interface for every format (CSV, XLSX, XLS, vCard, JSON Lines), so
// the import does not care which one it reads.
//
// Contract: Next() hands out rows in file order (FirstThese below: in two parts, each in file
// order) until it returns false; an error (a malformed
// file) names the file and the place, after which the source is spent. Cells are UTF-8 (a source
// refuses text that is not). A row may have fewer cells than the header (missing cells are
// empty) or more (the import reports that row). Blank rows are not rows.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "events/status.h"

namespace crm::io {

// The text encoding a file was read in, as the import reports it.
struct TextEncoding {
  std::string name = "UTF-8";  // as iconv names it
  bool detected = false;       // guessed from the text, not given
};

struct TableRow {
  uint64_t line = 0;  // where the row starts: a line (CSV, vCard) or a sheet row (XLSX, XLS)
  std::vector<std::string> cells;
};

class RowSource {
 public:
  virtual ~RowSource() = default;
  // The file's name as errors and reports cite it.
  virtual const std::string& file() const = 0;
  // The column names (a header row, or the fields a format defines).
  virtual const std::vector<std::string>& header() const = 0;
  // The next row into *row; false after the last.
  virtual Result<bool> Next(TableRow* row) = 0;
  // How far reading has come, in bytes of the file, and the file's size (progress bars).
  virtual uint64_t position() const = 0;
  virtual uint64_t size() const = 0;
  // The text encoding the file was read in (formats whose encoding is fixed: UTF-8).
  virtual TextEncoding encoding() const { return {}; }
};

// The format of a file to import: `format` when given, else from the file name (.xlsx; .xls; .vcf
// or .vcard; .jsonl or .ndjson; anything else is csv).
std::string FormatOf(const std::string& path, const std::string& format);

// Reads `path` as `format` (csv, xlsx, xls, vcf or jsonl; "" takes it from the file name). For CSV,
// `separator` is one character, "tab", or "" to detect it from the header line, and `encoding`
// the text's encoding ("" to detect it). InvalidArgument for another format or separator, or an
// encoding given for a format whose encoding is fixed.
Result<std::unique_ptr<RowSource>> OpenRows(const std::string& path, const std::string& format,
                                            const std::string& separator, const std::string& encoding = "");

// The rows `first` takes, then the others, each part in file order (an import of a contact list
// whose persons name companies later in the file: the companies first). Reads the file twice:
// `a` and `b` are two sources of the same file.
std::unique_ptr<RowSource> FirstThese(std::unique_ptr<RowSource> a, std::unique_ptr<RowSource> b,
                                      std::function<bool(const TableRow&)> first);

}  // namespace crm::io
