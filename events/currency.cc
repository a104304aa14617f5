// IsCurrencyCode (events/currency.h): a binary search of the generated, sorted list.
#include "events/currency.h"

#include <algorithm>
#include <cstddef>

namespace crm {

extern const std::string_view kIso4217Codes[];  // iso4217_codes.cc, from events/iso4217.cmake
extern const size_t kIso4217Count;

bool IsCurrencyCode(std::string_view code) {
  if (code == "XTS" || code == "XXX") return false;
  return std::binary_search(kIso4217Codes, kIso4217Codes + kIso4217Count, code);
}

}  // namespace crm
