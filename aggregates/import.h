// Import (SPEC §4.9): which column of a file fills which field of a contact, company, lead,
// campaign or campaign member (their rows: aggregates/import_campaigns.h), and what one contact's
// or lead's row asks for. Pure; the handler (handler_import.cc) decides each row with the contact
// and membership aggregates, so an imported row obeys exactly the rules of `contact create`.
//
// Columns are mapped by header name: case, spaces and the characters - _ . are ignored, and the
// names other programs use are known (`E-mail Address`, `Zip`, `Mobile`, `Account Name`, ...).
// `--map COLUMN=field` maps a column by hand (`COLUMN=` ignores it). An `owner` column (Owner, Lead
// Owner, Contact Owner) names the salesperson by code, name or email. `first_name` and
// `last_name` columns make the name when no column is the name. Multi-valued fields (profile
// codes) take several codes separated by `,` or `;`. Consent columns: `opted_out` (yes/no,
// true/false, 1/0, x) or `consent` (`opted-in`/`opted-out`, as `export` writes it) with
// `consent_reason`. A column named like a custom field of the target (aggregates/custom_fields.h)
// fills it: the record's own fields first, then custom fields, then the other programs' names (so a
// custom field `Cell` takes the column `Cell` rather than the mobile). Numbers in custom fields
// may be written with a decimal comma (`1.234,50`) when the file says so (`--decimal ,`).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "aggregates/catalog.h"
#include "aggregates/contact.h"
#include "aggregates/import_profiles.h"
#include "aggregates/lead.h"

namespace crm::import {

// kCompanies: contacts that are companies (the accounts of Zoho and Salesforce); a row is a
// company unless its `type` cell says otherwise.
// kCampaigns and kMembers (campaign members): aggregates/import_campaigns.h reads their rows.
enum class Target { kContacts, kLeads, kCompanies, kCampaigns, kMembers };
// "contacts", "leads", "companies", "campaigns", "members": as the command and its answer name it.
std::string_view TargetName(Target target);
// What a row whose email another record already has does (SPEC §4.9 --duplicates).
enum class Duplicates { kSkip, kOverwrite, kCreate };
Result<Duplicates> ParseDuplicates(std::string_view text);

// The field names a column can fill, in the order `export` writes them.
const std::vector<std::string>& FieldNames(Target target);

// What a column filling a custom field names it: kCustomPrefix + the field's name as defined.
inline constexpr std::string_view kCustomPrefix = "custom.";

struct Mapping {
  std::vector<std::string> fields;   // per column: the field it fills, "" = none
  std::vector<std::string> ignored;  // header names of the columns no field takes
  std::map<std::string, custom::FieldDef> custom;  // the custom fields columns fill, by name
  bool decimal_comma = false;  // numbers are written 1.234,50
  std::string source;          // the product every row comes from (import --source), unless a cell says
  Profile profile = Profile::kNone;                            // whose export it is (--from, detected)
  bool owner_column = false;                                   // a column fills `owner`
  bool companies = false;                                      // rows are companies (Target::kCompanies)
  bool company_column = false;                                 // a column fills `company`
  std::vector<std::map<std::string, std::string>> values;     // per column: --value-map, lower(from) -> to
};
// InvalidArgument: a --map that is not COLUMN=field, names a column the header lacks or a field
// the target does not have; two columns for one field; no column for the name; a --value-map of
// a column the header lacks. `defs`: the target's custom fields; `profile`: whose export the file
// is (its columns first: import_profiles.h; it gives the rows their source).
Result<Mapping> MapColumns(Target target, const std::vector<std::string>& header,
                           const std::vector<std::string>& map_args,
                           const std::vector<custom::FieldDef>& defs = {}, Profile profile = Profile::kNone,
                           const std::vector<ValueMap>& value_maps = {});

// InvalidArgument when a row has more cells than the header has columns (the row fails).
Status CheckCells(const Mapping& m, const std::vector<std::string>& cells);
// A custom field's value as a cell gives it: a number with a decimal comma (--decimal ,) read
// as written with a point. `field` is the mapped field (kCustomPrefix + name). Sets values[name].
void ReadCustomCell(const Mapping& m, const std::string& field, const std::string& cell, custom::Values* values);
// Cell `i` of a row as the mapping reads it: trimmed, its --value-map applied.
std::string CellAt(const Mapping& m, const std::vector<std::string>& cells, size_t i);
// 1.234,50 -> 1234.50 (a number written where the decimal mark is a comma; '.', ' ' and the
// no-break space group the thousands).
std::string FromDecimalComma(const std::string& cell);
// A yes/no cell: yes, y, true, 1, x or no, n, false, 0 (case aside); InvalidArgument naming `field`.
Result<bool> YesNo(const std::string& cell, const std::string& field);

// One row as the mapping reads it. `given`: fields whose cell was not empty.
struct Row {
  contact::Fields f;
  fb::ContactType type = fb::ContactType::Person;
  std::string company;  // a contact's company contact: CTxxxx, its source id or its name (the handler finds it)
  std::vector<std::string> job_responsibilities, business_relations, industry_groups, mailing_groups;
  bool exclude_from_segment = false;
  std::string company_name, lead_status, lead_source, description;  // leads
  std::optional<fb::ConsentKind> consent;  // opt-in or opt-out the row records
  std::string consent_reason;
  custom::Values custom;  // by field name as defined (checked by the aggregate)
  std::string owner;      // a salesperson's code, name or email (found when the row is decided)
  Timestamp created_at;   // when the source created it (a `created_at` cell); 0: not said
  std::set<std::string> given;
};
// InvalidArgument (the row fails, the others go on): more cells than columns, a yes/no or
// type cell that says neither.
Result<Row> ReadRow(const Mapping& m, const std::vector<std::string>& cells);

// The salespeople an owner cell may name: lower-case code, name or email -> code (a code wins).
using Owners = std::map<std::string, std::string>;
Owners OwnersOf(const catalog::State& catalog);
// The row's owner as its salesperson; NotFound naming the owner when no salesperson is one.
// The salesperson an owner cell names; NotFound naming it (a row of its file fails).
Result<std::string> OwnerCode(const Owners& owners, const std::string& owner);
Status ResolveOwner(const Owners& owners, Row* row);

// The create a row makes, and the change it makes to an existing record (--duplicates
// overwrite, or a record with the row's source id): only the fields whose cell has a value; empty
// cells leave fields as they are.
contact::CreateContact ToCreateContact(const Row& row);
contact::ChangeContact ToChangeContact(const Row& row, const RecordNo& no);
contact::CreateLead ToCreateLead(const Row& row);
contact::ChangeLead ToChangeLead(const Row& row, const RecordNo& no);

// What became of one row (the import report). kEarlierRun: not a row but the rows of a batch an
// earlier run of the same import already wrote (its stored totals count them).
enum class Outcome { kCreated, kUpdated, kUnchanged, kSkipped, kFailed, kEarlierRun };
std::string_view OutcomeName(Outcome outcome);
struct RowResult {
  uint64_t line = 0;
  Outcome outcome = Outcome::kFailed;
  RecordNo no;         // the record created, updated or duplicated (invalid: none)
  std::string reason;  // skipped or failed: why
};

}  // namespace crm::import
