// Date formulas: parsing, canonical text and the calendar arithmetic (std::chrono's civil calendar).
#include "aggregates/date_formula.h"

#include <chrono>

namespace crm {
namespace {

namespace ch = std::chrono;

constexpr size_t kMaxTerms = 16;
constexpr int kMaxDigits = 4;

// The range FormatDate writes with four-digit years; checked after every term, so that no step
// starts from a date chrono's year type cannot hold.
bool InRange(ch::sys_days d) {
  static const ch::sys_days first = ch::year(1) / ch::January / 1;
  static const ch::sys_days last = ch::year(9999) / ch::December / 31;
  return d >= first && d <= last;
}

// Calendar months forward or back; a day the month lacks becomes its last day (Jan 31 + 1 month
// = Feb 28 or 29).
ch::sys_days AddMonths(ch::sys_days d, int64_t months) {
  const ch::year_month_day ymd{d};
  const ch::year_month_day moved = ymd + ch::months(months);
  if (moved.ok()) return moved;
  return ch::year_month_day_last(moved.year(), ch::month_day_last(moved.month()));
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
char Upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

}  // namespace

Result<DateFormula> DateFormula::Parse(std::string_view text) {
  auto error = [&](size_t at, std::string_view what) {
    return Status::InvalidArgument("date formula '" + std::string(text) + "': " + std::string(what) +
                                   " at position " + std::to_string(at + 1) +
                                   " (write terms like 1W, -2D, CM+5D; units D W M Q Y)");
  };
  DateFormula f;
  size_t i = 0;
  while (i < text.size()) {
    const size_t start = i;
    Term t;
    if (text[i] == '+' || text[i] == '-') t.minus = text[i++] == '-';
    if (i < text.size() && Upper(text[i]) == 'C') {
      t.current = true;
      ++i;
    } else {
      const size_t digits = i;
      while (i < text.size() && IsDigit(text[i])) {
        if (i - digits == kMaxDigits) return error(i, "a count has at most 4 digits");
        t.count = t.count * 10 + (text[i++] - '0');
      }
      if (i == digits) return error(i, "expected a count or C");
    }
    if (i == text.size()) return error(i, "expected a unit");
    switch (Upper(text[i])) {
      case 'D': t.unit = Unit::kDay; break;
      case 'W': t.unit = Unit::kWeek; break;
      case 'M': t.unit = Unit::kMonth; break;
      case 'Q': t.unit = Unit::kQuarter; break;
      case 'Y': t.unit = Unit::kYear; break;
      default: return error(i, "expected a unit");
    }
    if (t.current && t.unit == Unit::kDay) return error(i, "C goes with W, M, Q or Y");
    ++i;
    if (f.terms_.size() == kMaxTerms) return error(start, "more than 16 terms");
    f.terms_.push_back(t);
  }
  return f;
}

std::string DateFormula::Canonical() const {
  std::string out;
  for (const Term& t : terms_) {
    if (t.minus) {
      out += '-';
    } else if (!out.empty()) {
      out += '+';
    }
    out += t.current ? "C" : std::to_string(t.count);
    out += static_cast<char>(t.unit);
  }
  return out;
}

Result<Date> DateFormula::Apply(Date from) const {
  ch::sys_days d{ch::days(from.value())};
  auto outside = [&] {
    return Status::InvalidArgument("date formula " + Canonical() + " from " + FormatDate(from) +
                                   " gives a date outside 0001-01-01..9999-12-31");
  };
  if (!InRange(d)) return outside();
  for (const Term& t : terms_) {
    const ch::year_month_day ymd{d};
    if (t.current) {
      switch (t.unit) {
        case Unit::kDay:
          break;  // refused by Parse
        case Unit::kWeek: {
          const unsigned iso = ch::weekday(d).iso_encoding();  // Monday 1 .. Sunday 7
          d = t.minus ? d - ch::days(iso - 1) : d + ch::days(7 - iso);
          break;
        }
        case Unit::kMonth:
          d = t.minus ? ch::sys_days(ymd.year() / ymd.month() / 1) : ch::sys_days(ymd.year() / ymd.month() / ch::last);
          break;
        case Unit::kQuarter: {
          const unsigned first = (static_cast<unsigned>(ymd.month()) - 1) / 3 * 3 + 1;
          d = t.minus ? ch::sys_days(ymd.year() / ch::month(first) / 1)
                      : ch::sys_days(ymd.year() / ch::month(first + 2) / ch::last);
          break;
        }
        case Unit::kYear:
          d = t.minus ? ch::sys_days(ymd.year() / ch::January / 1) : ch::sys_days(ymd.year() / ch::December / 31);
          break;
      }
    } else {
      const int64_t n = t.minus ? -t.count : t.count;
      switch (t.unit) {
        case Unit::kDay: d += ch::days(n); break;
        case Unit::kWeek: d += ch::days(7 * n); break;
        case Unit::kMonth: d = AddMonths(d, n); break;
        case Unit::kQuarter: d = AddMonths(d, 3 * n); break;
        case Unit::kYear: d = AddMonths(d, 12 * n); break;
      }
    }
    if (!InRange(d)) return outside();
  }
  return Date(static_cast<int32_t>(d.time_since_epoch().count()));
}

}  // namespace crm
