// Campaign statistics (SPEC §4.9 `campaign stats`), computed from the read models: the roster
// (members by status, contacts and leads), the campaign's interaction entries and campaign
// entries, and its own figures. With `rollup`, the campaign's whole hierarchy is summed.
//
// Definitions: targeted = distinct contacts with a campaign-target interaction; responses =
// distinct members whose status counts as responded, the roster's "responded" (a logged
// response sets it, canceling the response takes it back); response rate = responses / targeted;
// cost = the interactions' costs plus the campaign's actual cost; duration = the interactions'
// minutes. Canceled entries do not count. Converted leads = memberships that moved from a
// converted lead to its contact. Opportunities: those made for the campaign (by `opportunity
// create --campaign` or a lead's conversion), by status; estimated value over all of them, won
// amount over the won ones. Tasks: the campaign's, open (neither completed nor canceled),
// completed and canceled.
#pragma once

#include <map>
#include <string>

#include "projections/queries.h"

namespace crm {

struct CampaignStats {
  std::map<std::string, uint64_t> members_by_status;
  uint64_t members = 0, contacts = 0, leads = 0;
  uint64_t targeted = 0, responses = 0, interactions = 0, converted_leads = 0;
  uint64_t opportunities = 0, open_opportunities = 0, won = 0, lost = 0;
  Money estimated_value{0}, won_amount{0};
  uint64_t open_tasks = 0, completed_tasks = 0, canceled_tasks = 0;
  Money interaction_cost{0}, actual_cost{0}, budgeted_cost{0};
  int64_t duration = 0;  // minutes
  Percent expected_response{0};
  std::vector<RecordNo> campaigns;  // what was summed
};

Result<CampaignStats> ComputeCampaignStats(const ReadModel& rm, const RecordNo& campaign, bool rollup);

// As `campaign stats --json` prints it: amounts as decimal text, rates as percent numbers.
nlohmann::json ToJson(const CampaignStats& s);

}  // namespace crm
