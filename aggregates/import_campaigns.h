// Import of campaigns and campaign members (issue 19): one row of a campaigns or members file as
// the mapping (aggregates/import.h MapColumns, Target::kCampaigns / kMembers) reads it. Pure; the
// handler (app/handler_import_campaigns.cc) finds what the row names and decides it with the
// campaign and membership aggregates, so an imported row obeys the rules of `campaign create` /
// `campaign set` / `member add` / `member set-status`.
//
// Campaigns: a status is a campaign status code, written as the products write their statuses
// (`In Progress` is the code IN-PROGRESS); dates and times as the products write them
// (ParseSourceTime); money and percentages as numbers (decimal commas with `--decimal ,`); the
// owner column names a salesperson (as for contacts); `parent` is the parent's source id (a row of
// another product) or a CP number. Members: `campaign` is the campaign's source id or a CP
// number; `contact`, `lead` or `member` the record's source id or a CT/LD number (a contact before
// a lead: a Salesforce member of a converted lead names both); `responded` (HasResponded) must
// agree with the status (membership::CheckResponded).
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "aggregates/campaign.h"
#include "aggregates/import.h"

namespace crm::import {

// A product's status as a campaign status code: upper case, each run of characters a code may
// not hold one '-', at most 20 characters ("In Progress" -> "IN-PROGRESS").
std::string StatusCodeOf(std::string_view text);

struct CampaignRow {
  campaign::Fields f;    // status as a code; source and source id; parent as written
  Timestamp created_at;  // when the source created it; 0: not said
  std::string owner;     // a salesperson's code, name or email (found when the row is decided)
  std::set<std::string> given;
};
// InvalidArgument (the row fails, the others go on): more cells than columns; a date, time,
// amount, percentage or count that is none.
Result<CampaignRow> ReadCampaignRow(const Mapping& m, const std::vector<std::string>& cells);
campaign::CreateCampaign ToCreateCampaign(const CampaignRow& row);
// Only the cells with a value change the campaign.
campaign::ChangeCampaign ToChangeCampaign(const CampaignRow& row, const RecordNo& no);

struct MemberRow {
  std::string campaign;           // CP number or the campaign's source id ("": import members --campaign)
  std::vector<std::string> ids;   // the member's, in the order they are tried: contact, lead, member
  std::string status;             // "" = the default status
  std::optional<bool> responded;  // as the file says (HasResponded)
  Timestamp responded_at;         // when it responded (FirstRespondedDate); 0: not said
  std::string source;             // the product the ids belong to
};
Result<MemberRow> ReadMemberRow(const Mapping& m, const std::vector<std::string>& cells);

}  // namespace crm::import
