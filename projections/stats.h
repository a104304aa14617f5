// Campaign statistics (SPEC §4.9 `campaign stats`), computed from the read models: the roster
// (members by status, contacts and leads), the campaign's interaction entries and campaign
// entries, and its own figures. With `rollup`, the campaign's whole hierarchy is summed.
//
// Definitions: targeted = distinct contacts with a campaign-target interaction; responses =
// distinct contacts with a campaign-response interaction; response rate = responses / targeted;
// cost = the interactions' costs plus the campaign's actual cost; duration = the interactions'
// minutes. Canceled entries do not count. Opportunities come with the opportunity issue.
#pragma once

#include <map>
#include <string>

#include "projections/queries.h"

namespace crm {

struct CampaignStats {
  std::map<std::string, uint64_t> members_by_status;
  uint64_t members = 0, contacts = 0, leads = 0;
  uint64_t targeted = 0, responses = 0, interactions = 0;
  Money interaction_cost{0}, actual_cost{0}, budgeted_cost{0};
  int64_t duration = 0;  // minutes
  Percent expected_response{0};
  std::vector<RecordNo> campaigns;  // what was summed
};

Result<CampaignStats> ComputeCampaignStats(const ReadModel& rm, const RecordNo& campaign, bool rollup);

// As `campaign stats --json` prints it: amounts as decimal text, rates as percent numbers.
nlohmann::json ToJson(const CampaignStats& s);

}  // namespace crm
