// libFuzzer target for the JSON Lines reader (io/jsonl.h).
//
// Input: the bytes of a file. Properties checked (a violation traps):
//  - opening and reading never crash; a failure is kInvalidArgument naming the file (and, for a
//    bad line, the line);
//  - rows come in file order, each with as many cells as the header has columns, which are
//    distinct and every one a key of some line.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <set>
#include <string>

#include "io/jsonl.h"

namespace {

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

// The file each input is written to (the reader opens paths), removed when the fuzzer exits.
const std::string& Path() {
  static const std::string path = "/tmp/jsonl_fuzz_" + std::to_string(::getpid()) + ".jsonl";
  static const struct Remove {
    ~Remove() { std::remove(path.c_str()); }
  } remove_at_exit;
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::FILE* f = std::fopen(Path().c_str(), "wb");
  Check(f != nullptr);
  Check(std::fwrite(data, 1, size, f) == size);
  std::fclose(f);
  auto src = crm::io::OpenJsonl(Path());
  if (!src.ok()) {
    Check(src.status().code() == crm::StatusCode::kInvalidArgument);
    Check(src.status().message().rfind(Path(), 0) == 0);
    return 0;
  }
  const auto& header = (*src)->header();
  Check(!header.empty());
  Check(std::set<std::string>(header.begin(), header.end()).size() == header.size());
  crm::io::TableRow row;
  uint64_t line = 0;
  for (;;) {
    auto more = (*src)->Next(&row);
    // Opening read every line already: reading them again cannot fail.
    Check(more.ok());
    if (!*more) break;
    Check(row.line > line);
    line = row.line;
    Check(row.cells.size() == header.size());
  }
  return 0;
}
