// Date formulas (SPEC §4.8, Business Central's): how an activity step's due date follows from the
// date the activity is assigned on.
//
//   formula := term*                       the terms apply left to right; none: the date itself
//   term    := [sign] count unit           move by count units (sign '+' unless '-')
//            | [sign] 'C' unit             to the end ('+') or the start ('-') of the current unit
//   count   := 1 to 4 digits;  unit := 'D' | 'W' | 'M' | 'Q' | 'Y';  sign := '+' | '-'
// with no spaces, letters in either case, at most 16 terms; 'CD' (the current day) is not a term.
// Units: D a day, W 7 days, M a calendar month, Q 3 months, Y 12 months; a month or year step
// that lands past the end of the month lands on its last day (2027-01-31 +1M = 2027-02-28,
// 2028-02-29 +1Y = 2029-02-28), as BC's CALCDATE does. Weeks start on Monday: CW is the Sunday
// of the date's week, -CW its Monday; CM, CQ, CY the last day of the month, quarter and year,
// -CM, -CQ, -CY the first. So from Thursday 2027-02-04, 1W is 2027-02-11 and CM+5D 2027-03-05.
//
// Parse errors are kInvalidArgument naming the formula and the 1-based position; Apply refuses
// (kInvalidArgument) a result outside 0001-01-01..9999-12-31. Canonical() is the text events
// store: upper case, the first term's '+' dropped, every later term signed ("cm+5d" -> "CM+5D",
// "+1W" -> "1W"); Parse(Canonical()) gives an equal formula.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "events/status.h"
#include "events/values.h"

namespace crm {

class DateFormula {
 public:
  static Result<DateFormula> Parse(std::string_view text);

  Result<Date> Apply(Date from) const;
  std::string Canonical() const;
  bool empty() const { return terms_.empty(); }
  bool operator==(const DateFormula&) const = default;

 private:
  enum class Unit : char { kDay = 'D', kWeek = 'W', kMonth = 'M', kQuarter = 'Q', kYear = 'Y' };
  struct Term {
    bool minus = false;
    bool current = false;  // 'C' unit: to the end (start, with minus) of the current unit
    Unit unit = Unit::kDay;
    int32_t count = 0;  // unless current
    bool operator==(const Term&) const = default;
  };
  std::vector<Term> terms_;
};

}  // namespace crm
