#include "events/values.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace crm {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

bool ParseDigits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

unsigned DaysInMonth(int y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

}  // namespace

Result<int64_t> ParseFixed(std::string_view text, int scale, std::string_view what) {
  auto bad = [&] {
    return Status::InvalidArgument("'" + std::string(text) + "' is not a valid " + std::string(what));
  };
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  int64_t unit = 1;
  for (int k = 0; k < scale; ++k) unit *= 10;
  // whole * unit + fraction must fit in int64.
  const int64_t max_whole = (std::numeric_limits<int64_t>::max() / unit - 9) / 10;
  int64_t whole = 0;
  int int_digits = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    if (whole > max_whole) return bad();
    whole = whole * 10 + (text[i++] - '0');
    ++int_digits;
  }
  int64_t frac = 0;
  int frac_digits = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (frac_digits == scale) {
        return Status::InvalidArgument("'" + std::string(text) + "' has more than " +
                                       std::to_string(scale) + " decimals for a " + std::string(what));
      }
      frac = frac * 10 + (text[i++] - '0');
      ++frac_digits;
    }
    if (frac_digits == 0) return bad();
  }
  if (i != text.size() || int_digits + frac_digits == 0) return bad();
  for (int k = frac_digits; k < scale; ++k) frac *= 10;
  const int64_t v = whole * unit + frac;
  return negative ? -v : v;
}

std::string FormatFixed(int64_t value, int scale, bool trim_zero_fraction) {
  int64_t unit = 1;
  for (int k = 0; k < scale; ++k) unit *= 10;
  const bool negative = value < 0;
  const uint64_t abs = negative ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  std::string out = negative ? "-" : "";
  out += std::to_string(abs / static_cast<uint64_t>(unit));
  uint64_t frac = abs % static_cast<uint64_t>(unit);
  if (scale == 0) return out;
  std::string digits = std::to_string(frac);
  digits.insert(0, static_cast<size_t>(scale) - digits.size(), '0');
  if (trim_zero_fraction) {
    while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  }
  return out + "." + digits;
}

Result<Money> ParseMoney(std::string_view text) {
  CRM_ASSIGN_OR_RETURN(int64_t v, ParseFixed(text, 2, "amount"));
  return Money(v);
}
std::string FormatMoney(Money m) { return FormatFixed(m.value(), 2, false); }

Result<Percent> ParsePercent(std::string_view text) {
  // Only the format: which range a percentage may take is a domain rule (aggregates/).
  CRM_ASSIGN_OR_RETURN(int64_t v, ParseFixed(text, 3, "percentage"));
  return Percent(v);
}
std::string FormatPercent(Percent p) { return FormatFixed(p.value(), 3, true); }
double PercentAsDouble(Percent p) { return static_cast<double>(p.value()) / 1000.0; }
Percent PercentFromDouble(double percent) { return Percent(std::llround(percent * 1000.0)); }

Result<Date> ParseDate(std::string_view text) {
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !ParseDigits(text, 0, 4, &y) ||
      !ParseDigits(text, 5, 2, &m) || !ParseDigits(text, 8, 2, &d) || m < 1 || m > 12 || d < 1 ||
      static_cast<unsigned>(d) > DaysInMonth(y, static_cast<unsigned>(m))) {
    return Status::InvalidArgument("'" + std::string(text) + "' is not a date (YYYY-MM-DD)");
  }
  return Date(static_cast<int32_t>(DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d))));
}

std::string FormatDate(Date d) {
  int64_t y;
  unsigned m, day;
  CivilFromDays(d.value(), &y, &m, &day);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, day);
  return buf;
}

Result<Timestamp> ParseTimestamp(std::string_view text) {
  auto bad = [&] {
    return Status::InvalidArgument("'" + std::string(text) +
                                   "' is not a timestamp (like 2027-01-10T09:00:00Z)");
  };
  if (text.size() < 10) return bad();
  auto date = ParseDate(text.substr(0, 10));
  if (!date.ok()) return bad();
  int64_t micros = static_cast<int64_t>(date->value()) * 86400 * 1000000;
  if (text.size() == 10) return Timestamp(micros);
  int hh = 0, mm = 0, ss = 0;
  if (text.size() < 20 || (text[10] != 'T' && text[10] != ' ') || text[13] != ':' || text[16] != ':' ||
      !ParseDigits(text, 11, 2, &hh) || !ParseDigits(text, 14, 2, &mm) || !ParseDigits(text, 17, 2, &ss) ||
      hh > 23 || mm > 59 || ss > 59) {
    return bad();
  }
  micros += (static_cast<int64_t>(hh) * 3600 + mm * 60 + ss) * 1000000;
  size_t i = 19;
  if (text[i] == '.') {
    ++i;
    int64_t frac = 0;
    int n = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (n < 6) frac = frac * 10 + (text[i] - '0'), ++n;
      ++i;
    }
    if (n == 0) return bad();
    for (; n < 6; ++n) frac *= 10;
    micros += frac;
  }
  if (i < text.size() && text[i] == 'Z' && i + 1 == text.size()) return Timestamp(micros);
  int oh = 0, om = 0;
  if (i + 6 == text.size() && (text[i] == '+' || text[i] == '-') && text[i + 3] == ':' &&
      ParseDigits(text, i + 1, 2, &oh) && ParseDigits(text, i + 4, 2, &om) && oh < 24 && om < 60) {
    const int64_t offset = (static_cast<int64_t>(oh) * 3600 + om * 60) * 1000000;
    return Timestamp(text[i] == '+' ? micros - offset : micros + offset);
  }
  return bad();
}

std::string FormatTimestamp(Timestamp t) {
  int64_t micros = t.value();
  int64_t days = micros >= 0 ? micros / 86400000000LL : -((-micros + 86400000000LL - 1) / 86400000000LL);
  int64_t rem = micros - days * 86400000000LL;
  const int64_t secs = rem / 1000000, frac = rem % 1000000;
  char buf[96];
  std::snprintf(buf, sizeof buf, "%sT%02lld:%02lld:%02lld", FormatDate(Date(static_cast<int32_t>(days))).c_str(),
                static_cast<long long>(secs / 3600), static_cast<long long>(secs / 60 % 60),
                static_cast<long long>(secs % 60));
  std::string out = buf;
  if (frac != 0) {
    char f[16];
    std::snprintf(f, sizeof f, ".%06lld", static_cast<long long>(frac));
    out += f;
  }
  return out + "Z";
}

Date DateOf(Timestamp t) {
  const int64_t micros = t.value();
  const int64_t day = 86400000000LL;
  return Date(static_cast<int32_t>(micros >= 0 ? micros / day : -((-micros + day - 1) / day)));
}

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3, cp = c & 0x07;
    } else {
      return false;
    }
    for (size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = cp << 6 | (cc & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

namespace {
char LowerChar(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
}  // namespace

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = LowerChar(c);
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return LowerChar(x) == LowerChar(y); });
}

}  // namespace crm
