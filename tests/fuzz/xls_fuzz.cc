// libFuzzer target for the legacy Excel reader (io/xls.h, FreeXL underneath).
//
// Input: the bytes of a file. Properties checked (a violation traps):
//  - reading never crashes (ASan and UBSan watch FreeXL's parsing too);
//  - a failure is kInvalidArgument naming the file;
//  - rows come in sheet order (lines only go up, from 2), their cells UTF-8, the last one not empty.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "events/values.h"
#include "io/xls.h"

namespace {

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 1 << 18) return 0;
  // FreeXL opens a path only.
  static const std::string path = "/tmp/crm-xls-fuzz-" + std::to_string(::getpid()) + ".xls";
  std::FILE* f = std::fopen(path.c_str(), "wb");
  Check(f != nullptr);
  Check(std::fwrite(data, 1, size, f) == size);
  std::fclose(f);
  auto src = crm::io::OpenXls(path);
  if (!src.ok()) {
    Check(src.status().code() == crm::StatusCode::kInvalidArgument);
    Check(src.status().message().rfind(path + ": ", 0) == 0);
    return 0;
  }
  crm::io::TableRow row;
  uint64_t line = 1;
  for (;;) {
    auto more = (*src)->Next(&row);
    if (!more.ok()) {
      Check(more.status().code() == crm::StatusCode::kInvalidArgument);
      Check(more.status().message().rfind(path + ": ", 0) == 0);
      break;
    }
    if (!*more) break;
    Check(row.line > line);
    line = row.line;
    Check(!row.cells.empty() && !row.cells.back().empty());
    for (const auto& cell : row.cells) Check(crm::IsValidUtf8(cell));
  }
  std::remove(path.c_str());
  return 0;
}
