// libFuzzer target for the vCard reader (io/vcard.h): the bytes of a file. Properties checked (a
// violation traps): reading never crashes; a failure is kInvalidArgument naming the file and a
// line; rows come in file order, each with a name and UTF-8 cells.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "events/values.h"
#include "io/vcard_plugin.h"

namespace {

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 1 << 16) return 0;
  static const std::string path = "/dev/shm/crm-vcard-fuzz-" + std::to_string(::getpid()) + ".vcf";
  std::FILE* f = std::fopen(path.c_str(), "wb");
  Check(f != nullptr);
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  auto src = CrmOpenVcard(path);
  Check(src.ok());
  crm::io::TableRow row;
  uint64_t line = 0;
  for (;;) {
    auto more = (*src)->Next(&row);
    if (!more.ok()) {
      Check(more.status().code() == crm::StatusCode::kInvalidArgument);
      Check(more.status().message().rfind(path + ":", 0) == 0);
      break;
    }
    if (!*more) break;
    Check(row.line > line);
    line = row.line;
    Check(!row.cells.empty() && !row.cells[0].empty());
    for (const auto& cell : row.cells) Check(crm::IsValidUtf8(cell));
  }
  return 0;
}
