// libFuzzer target for merging Word documents (io/docx_zip.cc, libzip and pugixml underneath).
//
// Input: the bytes of a document. Properties checked (a violation traps):
//  - merging never crashes; a refusal is kInvalidArgument (not a Word document) or
//    kFailedPrecondition (a section tag);
//  - a merged document is a Word document again: its text reads, and merging it a second time
//    changes nothing of its text (no placeholder is left, the values hold no braces).
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "io/docx_plugin.h"

namespace {

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 1 << 17) return 0;
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  const std::map<std::string, std::string> fields = {{"name", "Åse & <Berg>"}, {"city", "Tromsø\nNorway"}, {"date", ""}};
  auto merged = CrmMergeDocx(bytes, fields);
  if (!merged.ok()) {
    const auto code = merged.status().code();
    Check(code == crm::StatusCode::kInvalidArgument || code == crm::StatusCode::kFailedPrecondition);
    return 0;
  }
  auto text = CrmDocxText(*merged);
  Check(text.ok());
  auto again = CrmMergeDocx(*merged, fields);
  Check(again.ok());
  auto again_text = CrmDocxText(*again);
  Check(again_text.ok() && *again_text == *text);
  return 0;
}
