// libFuzzer target for the CSV reader and writer (io/csv.h).
//
// Input: the bytes of a file, read with its encoding detected and read as UTF-16. Properties
// checked (a violation traps):
//  - reading never crashes; a failure is kInvalidArgument naming the file and a line;
//  - rows come in file order (lines never go back), with UTF-8 cells;
//  - what was read, written back by CsvWriter and read again, is the same header and rows.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "events/values.h"
#include "io/csv.h"

namespace {

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

// nullopt-like: false when the input is refused (a well-formed refusal).
bool Read(const std::string& bytes, char separator, Table* out, const std::string& encoding = "") {
  std::FILE* f = fmemopen(const_cast<char*>(bytes.data()), bytes.size(), "rb");
  if (bytes.empty()) f = std::fopen("/dev/null", "rb");
  Check(f != nullptr);
  auto src = crm::io::OpenCsv("in.csv", f, bytes.size(), separator, encoding);
  if (!src.ok()) {
    Check(src.status().code() == crm::StatusCode::kInvalidArgument);
    Check(src.status().message().rfind("in.csv:", 0) == 0);
    return false;
  }
  out->header = (*src)->header();
  crm::io::TableRow row;
  uint64_t line = 0;
  for (;;) {
    auto more = (*src)->Next(&row);
    if (!more.ok()) {
      Check(more.status().code() == crm::StatusCode::kInvalidArgument);
      Check(more.status().message().rfind("in.csv:", 0) == 0);
      return false;
    }
    if (!*more) break;
    Check(row.line >= line && row.line >= 1);
    line = row.line;
    for (const auto& cell : row.cells) Check(crm::IsValidUtf8(cell));
    out->rows.push_back(row.cells);
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 1 << 16) return 0;
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  Table utf16;
  (void)Read(bytes, 0, &utf16, "UTF-16");
  Table first;
  if (!Read(bytes, 0, &first)) return 0;
  char* buf = nullptr;
  size_t len = 0;
  std::FILE* out = open_memstream(&buf, &len);
  Check(out != nullptr);
  {
    crm::io::CsvWriter w(out);
    Check(w.Write(first.header));
    for (const auto& r : first.rows) Check(w.Write(r));
  }
  std::fclose(out);
  const std::string written(buf, len);
  free(buf);
  Table second;
  Check(Read(written, ',', &second));
  Check(second.header == first.header);
  Check(second.rows == first.rows);
  return 0;
}
