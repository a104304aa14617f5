// Value types that cross every layer: exact money, percentages, dates and timestamps.
//
// Money is an integer count of minor units (cents); text is a plain decimal with at most two
// fraction digits ("1250.50", "-3", "0.5"); no thousands separators, no currency sign. Percentages
// are kept in thousandths of a percent ("12.5" -> 12500), text at most three fraction digits
// (parsing checks the format only; ranges are domain rules, checked in aggregates/).
// Dates are ISO 8601 calendar dates ("2027-01-10"), kept as days since 1970-01-01. Timestamps are
// microseconds since the Unix epoch, UTC, written "2027-01-10T09:00:00Z" (fraction when non-zero).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "events/ids.h"
#include "events/status.h"

namespace crm {

using Money = NamedType<int64_t, struct MoneyTag>;        // minor units
using Percent = NamedType<int64_t, struct PercentTag>;    // thousandths of a percent
using Date = NamedType<int32_t, struct DateTag>;          // days since epoch
using Timestamp = NamedType<int64_t, struct TimestampTag>;  // microseconds since epoch, UTC

Result<Money> ParseMoney(std::string_view text);
std::string FormatMoney(Money m);
Result<Percent> ParsePercent(std::string_view text);
std::string FormatPercent(Percent p);
// A rate as a JSON number in percent (40.0).
double PercentAsDouble(Percent p);
// The inverse of PercentAsDouble, exact for what it printed (read models keep percent numbers).
Percent PercentFromDouble(double percent);

Result<Date> ParseDate(std::string_view text);
std::string FormatDate(Date d);
// Accepts "2027-01-10T09:00:00Z", "2027-01-10T09:00:00.123456Z", "2027-01-10T09:00:00+01:00" and a
// bare date (midnight UTC).
Result<Timestamp> ParseTimestamp(std::string_view text);
std::string FormatTimestamp(Timestamp t);
Date DateOf(Timestamp t);

// Fixed-point decimal parsing shared by money and percentages: at most `scale` fraction digits.
Result<int64_t> ParseFixed(std::string_view text, int scale, std::string_view what);
std::string FormatFixed(int64_t value, int scale, bool trim_zero_fraction);

// Whether `s` is well-formed UTF-8 (no overlong forms, surrogates or values past U+10FFFF).
bool IsValidUtf8(std::string_view s);

// ASCII letters lower-cased (other bytes as they are), and compared that way: names, codes, file
// extensions and encoding names (events/text_fold.h folds Unicode text for searches).
std::string Lower(std::string_view s);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace crm
