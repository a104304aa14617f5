// Currencies: a data set's amounts are in one ISO 4217 currency, fixed at `init`
// (aggregates/reference.h). The codes are the standard's as Debian's iso-codes lists them
// (iso_4217.json), compiled in at build time by events/iso4217.cmake.
#pragma once

#include <string_view>

namespace crm {

// Whether `code` (upper case) is an ISO 4217 currency: listed by the standard, less XTS
// (reserved for testing) and XXX (no currency involved).
bool IsCurrencyCode(std::string_view code);

}  // namespace crm
