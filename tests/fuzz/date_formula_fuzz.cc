// libFuzzer target for date formulas (aggregates/date_formula.h).
//
// Input: a formula's text. Properties checked (a violation traps):
//  - parsing never crashes; a failure is kInvalidArgument;
//  - a parsed formula's Canonical() parses to an equal formula with the same canonical text;
//  - Apply from the calendar's first and last days and from ordinary dates never crashes, gives
//    a date inside 0001-01-01..9999-12-31 or kInvalidArgument, and the canonical formula gives
//    the same answer.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "aggregates/date_formula.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto f = crm::DateFormula::Parse(text);
  if (!f.ok()) {
    if (f.status().code() != crm::StatusCode::kInvalidArgument || f.status().message().empty()) __builtin_trap();
    return 0;
  }
  auto again = crm::DateFormula::Parse(f->Canonical());
  if (!again.ok() || !(*again == *f) || again->Canonical() != f->Canonical()) __builtin_trap();
  const crm::Date first = crm::ParseDate("0001-01-01").value(), last = crm::ParseDate("9999-12-31").value();
  for (const char* from : {"0001-01-01", "1999-12-31", "2028-02-29", "2027-02-04", "9999-12-31"}) {
    const crm::Date d = crm::ParseDate(from).value();
    auto a = f->Apply(d);
    auto b = again->Apply(d);
    if (a.ok() != b.ok()) __builtin_trap();
    if (!a.ok()) {
      if (a.status().code() != crm::StatusCode::kInvalidArgument) __builtin_trap();
      continue;
    }
    if (*a != *b || a->value() < first.value() || a->value() > last.value()) __builtin_trap();
  }
  return 0;
}
