// Date formulas (aggregates/date_formula.h): a table of known results (month ends, leap years,
// quarters, weeks starting on Monday), the canonical text, every parse error, and randomized
// properties over formulas drawn from the grammar. The expected dates are worked out by hand
// from the calendar, not by the code under test; weekdays are checked against 1970-01-01 being
// a Thursday.
#include "aggregates/date_formula.h"

#include <doctest/doctest.h>

#include <random>
#include <string>

namespace crm {
namespace {

Date D(std::string_view text) { return ParseDate(text).value(); }

std::string Calc(std::string_view formula, std::string_view from) {
  auto f = DateFormula::Parse(formula);
  REQUIRE_MESSAGE(f.ok(), f.status().message());
  auto d = f->Apply(D(from));
  if (!d.ok()) return "error: " + d.status().message();
  return FormatDate(*d);
}

// Monday 0 .. Sunday 6.
int Weekday(Date d) { return static_cast<int>(((d.value() + 3) % 7 + 7) % 7); }

TEST_CASE("date formulas: known results") {
  struct Row {
    const char* from;
    const char* formula;
    const char* expected;
  };
  const Row rows[] = {
      // SPEC scenario: an activity assigned on Thursday 2027-02-04.
      {"2027-02-04", "+1W", "2027-02-11"},
      {"2027-02-04", "CM+5D", "2027-03-05"},
      {"2027-02-04", "", "2027-02-04"},
      {"2027-02-04", "0D", "2027-02-04"},
      // Weeks start on Monday: CW is the Sunday, -CW the Monday of the date's week.
      {"2027-02-04", "CW", "2027-02-07"},
      {"2027-02-04", "-CW", "2027-02-01"},
      {"2027-02-07", "CW", "2027-02-07"},
      {"2027-02-07", "-CW", "2027-02-01"},
      {"2027-02-01", "-CW", "2027-02-01"},
      {"2027-02-01", "CW", "2027-02-07"},
      {"2027-12-30", "CW", "2028-01-02"},
      // Months: a missing day becomes the month's last; an existing one is kept.
      {"2027-01-31", "1M", "2027-02-28"},
      {"2028-01-31", "1M", "2028-02-29"},
      {"2027-03-31", "-1M", "2027-02-28"},
      {"2027-02-28", "1M", "2027-03-28"},
      {"2027-12-31", "2M", "2028-02-29"},
      {"2027-10-31", "1M", "2027-11-30"},
      {"2027-01-15", "-13M", "2025-12-15"},
      // Years and leap days.
      {"2028-02-29", "1Y", "2029-02-28"},
      {"2028-02-29", "4Y", "2032-02-29"},
      {"2028-02-29", "-1Y", "2027-02-28"},
      {"2024-02-29", "-1Y", "2023-02-28"},
      {"2100-02-28", "1D", "2100-03-01"},
      {"2000-02-28", "1D", "2000-02-29"},
      {"1900-02-28", "1D", "1900-03-01"},
      {"2027-12-25", "10D", "2028-01-04"},
      {"2027-03-01", "-1D", "2027-02-28"},
      {"2028-03-01", "-1D", "2028-02-29"},
      // Quarters.
      {"2027-05-15", "CQ", "2027-06-30"},
      {"2027-05-15", "-CQ", "2027-04-01"},
      {"2027-12-31", "CQ", "2027-12-31"},
      {"2027-01-01", "-CQ", "2027-01-01"},
      {"2027-02-14", "CQ", "2027-03-31"},
      {"2027-08-31", "1Q", "2027-11-30"},
      {"2027-11-30", "1Q", "2028-02-29"},
      {"2027-05-31", "-1Q", "2027-02-28"},
      // Years' ends.
      {"2027-05-15", "CY", "2027-12-31"},
      {"2027-05-15", "-CY", "2027-01-01"},
      // Months' ends and combinations, left to right.
      {"2027-03-17", "-CM", "2027-03-01"},
      {"2027-03-17", "CM+1D", "2027-04-01"},
      {"2027-03-17", "-CM-1D", "2027-02-28"},
      {"2027-07-03", "-1W+CQ", "2027-06-30"},
      {"2027-07-08", "-1W+CQ", "2027-09-30"},
      {"2027-02-04", "CM+1M", "2027-03-28"},
      {"2027-02-04", "1M+CM", "2027-03-31"},
      {"2027-02-04", "1W2D", "2027-02-13"},
      {"2027-02-04", "cm+5d", "2027-03-05"},
      {"2027-02-04", "9999D", "2054-06-21"},
      // The calendar's bounds.
      {"9999-12-24", "1W", "9999-12-31"},
      {"9999-12-30", "1W", "error: date formula 1W from 9999-12-30 gives a date outside 0001-01-01..9999-12-31"},
      {"0001-01-02", "-1W", "error: date formula -1W from 0001-01-02 gives a date outside 0001-01-01..9999-12-31"},
      {"2027-01-01", "9999Y-9999Y", "error: date formula 9999Y-9999Y from 2027-01-01 gives a date outside "
                                    "0001-01-01..9999-12-31"},
      {"0001-01-01", "CY", "0001-12-31"},
  };
  for (const Row& r : rows) {
    CAPTURE(r.from);
    CAPTURE(r.formula);
    CHECK(Calc(r.formula, r.from) == r.expected);
  }
}

TEST_CASE("date formulas: canonical text") {
  const std::pair<const char*, const char*> rows[] = {
      {"+1W", "1W"},         {"cm+5d", "CM+5D"}, {"-1w+cq", "-1W+CQ"}, {"1W2D", "1W+2D"},
      {"0012D", "12D"},      {"", ""},           {"-CM-1D", "-CM-1D"},
  };
  for (const auto& [text, canonical] : rows) {
    CAPTURE(text);
    auto f = DateFormula::Parse(text);
    REQUIRE(f.ok());
    CHECK(f->Canonical() == canonical);
    CHECK(DateFormula::Parse(f->Canonical()).value() == *f);
  }
}

TEST_CASE("date formulas: parse errors name the position") {
  const std::pair<const char*, const char*> rows[] = {
      {"1", "date formula '1': expected a unit at position 2"},
      {"W", "date formula 'W': expected a count or C at position 1"},
      {"CD", "date formula 'CD': C goes with W, M, Q or Y at position 2"},
      {"1X", "date formula '1X': expected a unit at position 2"},
      {"12345D", "date formula '12345D': a count has at most 4 digits at position 5"},
      {"+", "date formula '+': expected a count or C at position 2"},
      {"1W+", "date formula '1W+': expected a count or C at position 4"},
      {" 1W", "date formula ' 1W': expected a count or C at position 1"},
      {"1W ", "date formula '1W ': expected a count or C at position 3"},
      {"C", "date formula 'C': expected a unit at position 2"},
      {"--1D", "date formula '--1D': expected a count or C at position 2"},
      {"1D+1D+1D+1D+1D+1D+1D+1D+1D+1D+1D+1D+1D+1D+1D+1D+1D",
       "date formula '1D+1D+1D+1D+1D+1D+1D+1D+1D+1D+1D+1D+1D+1D+1D+1D+1D': more than 16 terms at position 48"},
  };
  for (const auto& [text, message] : rows) {
    CAPTURE(text);
    auto f = DateFormula::Parse(text);
    REQUIRE_FALSE(f.ok());
    CHECK(f.status().code() == StatusCode::kInvalidArgument);
    CHECK(f.status().message().starts_with(message));
  }
}

// Properties over random formulas from the grammar and random dates of 1600-2400: each unit
// agrees with its definition in smaller units, and C terms land where they should.
TEST_CASE("date formulas: randomized properties") {
  std::mt19937 rng(20270204);
  const int32_t lo = D("1600-01-01").value(), hi = D("2400-12-31").value();
  auto date = [&] { return Date(std::uniform_int_distribution<int32_t>(lo, hi)(rng)); };
  auto count = [&] { return std::uniform_int_distribution<int>(0, 99)(rng); };
  auto apply = [](const std::string& formula, Date from) {
    return DateFormula::Parse(formula).value().Apply(from).value();
  };
  for (int i = 0; i < 20000; ++i) {
    const Date from = date();
    const int n = count();
    const std::string ns = std::to_string(n);
    CAPTURE(FormatDate(from));
    CAPTURE(n);
    CHECK(apply(ns + "D", from).value() == from.value() + n);
    CHECK(apply("-" + ns + "D", from).value() == from.value() - n);
    CHECK(apply(ns + "W", from) == apply(std::to_string(7 * n) + "D", from));
    CHECK(apply(ns + "Q", from) == apply(std::to_string(3 * n) + "M", from));
    CHECK(apply(ns + "Y", from) == apply(std::to_string(12 * n) + "M", from));
    // A month step keeps the day when the month has it, else lands on the month's last day.
    const std::string f = FormatDate(from), m = FormatDate(apply(ns + "M", from));
    const Date end_of_target = apply(ns + "M+CM", from);
    CHECK((m.substr(8) == f.substr(8) || m == FormatDate(end_of_target)));
    CHECK(m.substr(8) <= f.substr(8));
    // Weeks: CW is the Sunday on or after, -CW the Monday on or before.
    const Date sunday = apply("CW", from), monday = apply("-CW", from);
    CHECK(Weekday(sunday) == 6);
    CHECK(Weekday(monday) == 0);
    CHECK(sunday.value() - from.value() == 6 - Weekday(from));
    CHECK(from.value() - monday.value() == Weekday(from));
    // Month, quarter and year ends: the next day starts a new one; starts: the day before ends one.
    CHECK(FormatDate(apply("CM+1D", from)).substr(8) == "01");
    CHECK(FormatDate(apply("-CM", from)).substr(0, 7) == f.substr(0, 7));
    const std::string q = FormatDate(apply("CQ+1D", from));
    CHECK(q.substr(8) == "01");
    CHECK((q.substr(5, 2) == "01" || q.substr(5, 2) == "04" || q.substr(5, 2) == "07" || q.substr(5, 2) == "10"));
    CHECK(FormatDate(apply("CY+1D", from)).substr(5) == "01-01");
    CHECK(FormatDate(apply("-CY", from)).substr(0, 4) == f.substr(0, 4));
    // The canonical text means the same formula.
    const std::string text = (rng() % 2 ? "-" : "+") + ns + "W" + (rng() % 2 ? "-CM" : "+cq") + "+" + ns + "d";
    const DateFormula parsed = DateFormula::Parse(text).value();
    CHECK(DateFormula::Parse(parsed.Canonical()).value().Apply(from).value() == parsed.Apply(from).value());
  }
}

}  // namespace
}  // namespace crm
