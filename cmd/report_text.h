// Reports for people: the text `campaign stats` and `logged-segment show` print without --json.
// Each is made from the JSON the command prints with --json, so both say the same figures: a
// table of figures (or the record's fields in their natural order) and a table of what it is
// made of (members by status; the steps the segment was logged with).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace crm::cli {

// From projections/stats.h ToJson(CampaignStats).
std::string CampaignStatsText(const nlohmann::json& stats);
// From projections/interaction_rows.h LoggedSegmentJson.
std::string LoggedSegmentText(const nlohmann::json& logged);

}  // namespace crm::cli
