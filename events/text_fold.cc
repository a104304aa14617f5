#include "events/text_fold.h"

#include <utf8proc.h>

#include <cstdlib>

#include "events/values.h"

namespace crm {
namespace {

bool IsAscii(std::string_view text) {
  for (const char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

}  // namespace

std::string FoldForSearch(std::string_view text) {
  if (IsAscii(text)) return Lower(text);
  utf8proc_uint8_t* folded = nullptr;
  const utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                                          static_cast<utf8proc_ssize_t>(text.size()), &folded,
                                          static_cast<utf8proc_option_t>(UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |
                                                                         UTF8PROC_STRIPMARK));
  if (n < 0) return Lower(text);  // not UTF-8: compare its bytes
  std::string out(reinterpret_cast<const char*>(folded), static_cast<size_t>(n));
  std::free(folded);
  return out;
}

bool ContainsFolded(std::string_view text, std::string_view folded_needle) {
  if (folded_needle.empty()) return true;
  return FoldForSearch(text).find(folded_needle) != std::string::npos;
}

}  // namespace crm
