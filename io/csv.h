// CSV files (RFC 4180), read and written through libcsv: quoted fields with embedded separators,
// quotes ("") and line breaks; CRLF or LF; `,` or `;` as the separator (detected from the header
// line unless given). Text in UTF-8 (with or without a byte-order mark) or, converted to UTF-8 as
// it is read, any encoding iconv knows: given, or detected from the first MiB
// (io/text_encoding.h: Windows-1252 for the Latin-1 files Excel saves in western European locales).
//
// Reading streams the file in fixed-size blocks (memory does not grow with the file) and counts
// lines itself, so every row and every error names its line: a row's line is where it starts.
// Malformed input (a quote inside an unquoted field, text after a closing quote, a quoted field
// never closed, text that is not UTF-8) is InvalidArgument "FILE:LINE: what".
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "io/rows.h"

namespace crm::io {

// `separator` 0: detect (the one of `,` `;` tab that occurs most in the header line, outside
// quotes; `,` when none does). The header is the first row. `encoding` "": detect it; else as
// iconv names it (InvalidArgument for one it does not know). Text that is not in the encoding is
// InvalidArgument "FILE:LINE: ...".
Result<std::unique_ptr<RowSource>> OpenCsv(const std::string& path, char separator = 0,
                                           const std::string& encoding = "");
// The same over an open stream (takes it; `name` is what errors cite, `size` its length).
Result<std::unique_ptr<RowSource>> OpenCsv(std::string name, std::FILE* stream, uint64_t size, char separator = 0,
                                           const std::string& encoding = "");

// Writes rows as RFC 4180 CSV with CRLF line ends; a field is quoted only when it must be (it
// holds the separator, a quote, a line break, or leading or trailing spaces, which readers trim,
// or starts with a byte-order mark, which readers drop at the start of a file).
class CsvWriter {
 public:
  explicit CsvWriter(std::FILE* out, char separator = ',') : out_(out), separator_(separator) {}
  // False when the stream failed (the caller checks ferror and reports the path).
  bool Write(const std::vector<std::string>& cells);

 private:
  std::FILE* out_;
  char separator_;
};

}  // namespace crm::io
