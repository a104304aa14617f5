// DisplayZone (cmd/time_zone.h): the C library's zone rules (TZ, localtime_r and tm_gmtoff).
#include "cmd/time_zone.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>

#include "events/values.h"

namespace crm::cli {
namespace {

bool Digits(std::string_view s, size_t at, size_t n) {
  if (at + n > s.size()) return false;
  for (size_t i = at; i < at + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

// The length of a UTC timestamp starting at `at` ("YYYY-MM-DDTHH:MM:SS[.f{1,6}]Z"), or 0.
size_t UtcTimestampAt(std::string_view s, size_t at) {
  if (!Digits(s, at, 4) || at + 20 > s.size() || s[at + 4] != '-' || !Digits(s, at + 5, 2) || s[at + 7] != '-' ||
      !Digits(s, at + 8, 2) || s[at + 10] != 'T' || !Digits(s, at + 11, 2) || s[at + 13] != ':' ||
      !Digits(s, at + 14, 2) || s[at + 16] != ':' || !Digits(s, at + 17, 2)) {
    return 0;
  }
  size_t end = at + 19;
  if (end < s.size() && s[end] == '.') {
    size_t digits = 0;
    while (end + 1 + digits < s.size() && digits < 6 && std::isdigit(static_cast<unsigned char>(s[end + 1 + digits]))) {
      ++digits;
    }
    if (digits == 0) return 0;
    end += 1 + digits;
  }
  if (end >= s.size() || s[end] != 'Z') return 0;
  return end + 1 - at;
}

// `utc` (as UtcTimestampAt found it) in the process's zone, fraction kept, with its offset.
std::string InZone(std::string_view utc) {
  auto t = ParseTimestamp(utc);
  if (!t.ok()) return std::string(utc);
  const int64_t micros = t->value();
  const std::time_t seconds = static_cast<std::time_t>(micros >= 0 ? micros / 1000000 : (micros - 999999) / 1000000);
  std::tm local{};
  if (localtime_r(&seconds, &local) == nullptr) return std::string(utc);
  char text[48];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &local);
  std::string out = text;
  if (const size_t dot = utc.find('.'); dot != std::string_view::npos) out += utc.substr(dot, utc.size() - 1 - dot);
  const long offset = local.tm_gmtoff;
  const long minutes = (offset < 0 ? -offset : offset) / 60;
  std::snprintf(text, sizeof text, "%c%02ld:%02ld", offset < 0 ? '-' : '+', minutes / 60, minutes % 60);
  return out + text;
}

}  // namespace

Result<std::optional<DisplayZone>> DisplayZone::Open(const std::string& name) {
  if (name.empty()) return std::optional<DisplayZone>();
  std::error_code ec;
  const bool safe = name.find("..") == std::string::npos && name.front() != '/';
  if (!safe || !std::filesystem::is_regular_file("/usr/share/zoneinfo/" + name, ec)) {
    return Status::InvalidArgument("unknown time zone '" + name + "' (CRM_TZ, --tz: a zone name like Europe/Oslo)");
  }
  ::setenv("TZ", name.c_str(), 1);
  ::tzset();
  return std::optional<DisplayZone>(DisplayZone());
}

std::string DisplayZone::Localize(std::string_view text) const {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  size_t copied = 0;
  for (size_t i = 0; i + 20 <= text.size(); ++i) {
    if (i > 0 && std::isdigit(static_cast<unsigned char>(text[i - 1]))) continue;  // inside a longer number
    const size_t n = UtcTimestampAt(text, i);
    if (n == 0) continue;
    out.append(text.substr(copied, i - copied));
    out += InZone(text.substr(i, n));
    i += n - 1;
    copied = i + 1;
  }
  out.append(text.substr(copied));
  return out;
}

}  // namespace crm::cli
