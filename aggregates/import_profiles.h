// Import profiles (issue 19): the exports of the products teams move in from, read as those
// products write them. `import --from zoho|salesforce|bc`, or detected from a header whose columns
// are unmistakable: Zoho CRM's `Record Id` with `Lead Owner`/`Contact Owner`/`Account Owner`;
// Salesforce's `Id` with `OwnerId`, `HasOptedOutOfEmail` or `CampaignId` (Data Loader); Business
// Central's `No.` with `Salesperson Code`, `Territory Code`, `Company No.` or `Status Code` (its
// contact and campaign lists exported to Excel). `Campaign Owner` is Zoho's too.
//
// A profile names the field each of its known columns fills for leads, contacts, companies (the
// accounts; BC's contact list has both kinds in one), campaigns and campaign members (Salesforce's
// CampaignMember; Zoho and BC export none). The id column fills source_id, and the
// record's source is the product. Its columns that have no field here fill
// a custom field of their name when one is defined, else they are reported as not imported. Its
// owner column (`Lead Owner`, `Contact Owner`, ...) fills `owner`: a salesperson found by code,
// name or email when the rows are decided (app/handler_import.cc). A contact's account (Zoho's
// `Account Name`, Salesforce's `AccountId`, BC's `Company No.`) fills `company`: the company
// contact imported with that source id, or else the one of that name. The created and modified
// times fill `created_at` and `source_modified_at`.
//
// Value maps (`--value-map "Lead Status:Not Contacted=New"`) replace a column's values before the
// row is read, case aside.
//
// Pure.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "events/status.h"

namespace crm::import {

enum class Target;

enum class Profile { kNone, kZoho, kSalesforce, kBusinessCentral };

// A header name as columns are matched: lower-case letters and digits only ("E-mail Address" ->
// "emailaddress").
std::string NormalizeHeader(std::string_view name);

// "zoho", "salesforce", "bc" (case aside); InvalidArgument otherwise.
Result<Profile> ParseProfile(std::string_view text);
// The source every record of the profile's exports keeps ("zoho", "salesforce", "bc"; "" for none).
std::string_view ProfileSource(Profile profile);
// The profile whose columns `header` has unmistakably, or kNone.
Profile DetectProfile(const std::vector<std::string>& header);
// The field the profile's column `normalized` (lower-case letters and digits) fills for `target`:
// "" when the profile does not know the column, kNoField when it knows it and nothing here takes it.
inline constexpr std::string_view kNoField = "-";
std::string ProfileField(Profile profile, Target target, std::string_view normalized);

// One --value-map: COLUMN:FROM=TO. The column as the header names it (case and punctuation
// aside), FROM compared case aside.
struct ValueMap {
  std::string column;
  std::string from, to;
};
Result<ValueMap> ParseValueMap(std::string_view text);

}  // namespace crm::import
