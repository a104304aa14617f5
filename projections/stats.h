// Campaign statistics (SPEC §4.9 `campaign stats`), read from the read models that keep them:
// the statistics model's figures (projections/stats_rows.h: contacts and leads, responses,
// targeted, interactions with their cost and duration, opportunities, tasks), the roster's
// counters (members by status, converted leads) and the campaign's own figures. Nothing is
// scanned: one campaign costs a few point reads and a short counter scan, whatever its size.
// With `rollup`, the figures of the campaign's whole hierarchy are summed, as Salesforce's
// hierarchy fields are: a contact targeted by two campaigns of the hierarchy counts in both.
//
// Definitions: targeted = distinct contacts with a campaign-target interaction; responses =
// members whose status counts as responded, the roster's "responded" (a logged response sets
// it, canceling the response takes it back); response rate = responses / targeted; cost = the
// interactions' costs plus the campaign's actual cost; duration = the interactions' minutes.
// Canceled entries do not count. Converted leads = memberships that moved from a converted lead
// to its contact. Opportunities: those made for the campaign (by `opportunity create --campaign`
// or a lead's conversion), by status; estimated value over all of them, won amount over the won
// ones. Tasks: the campaign's, open (neither completed nor canceled), completed and canceled.
#pragma once

#include <map>
#include <string>

#include "projections/queries.h"

namespace crm {

struct CampaignStats {
  std::map<std::string, uint64_t> members_by_status;
  uint64_t members = 0, converted_leads = 0;
  CampaignFigures figures;
  Money actual_cost{0}, budgeted_cost{0};
  Percent expected_response{0};
  std::vector<RecordNo> campaigns;  // what was summed
};

Result<CampaignStats> ComputeCampaignStats(const ReadModel& rm, const RecordNo& campaign, bool rollup);

// As `campaign stats --json` prints it: amounts as decimal text, rates as percent numbers.
nlohmann::json ToJson(const CampaignStats& s);

}  // namespace crm
