// Times shown in the user's zone (CRM_TZ or --tz). crmledger stores and computes every time in
// UTC; what crmctl prints, for people and for programs, is rewritten at the last moment: each
// UTC timestamp in the output ("2027-01-10T09:00:00Z", a fraction kept) becomes the same instant
// in the zone, with that instant's offset ("2027-01-10T10:00:00+01:00", summer time included).
// Files written by exports stay in UTC (data for other programs), and so does the ledger.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "events/status.h"

namespace crm::cli {

class DisplayZone {
 public:
  // Empty: none (UTC as stored). Otherwise an IANA zone name ("Europe/Oslo", "UTC") found in the
  // system's zone database (/usr/share/zoneinfo, Debian's tzdata), or InvalidArgument. The
  // process's TZ is set to it: crmctl shows times in one zone.
  static Result<std::optional<DisplayZone>> Open(const std::string& name);

  // `text` with each UTC timestamp written in the zone.
  std::string Localize(std::string_view text) const;

 private:
  DisplayZone() = default;
};

}  // namespace crm::cli
