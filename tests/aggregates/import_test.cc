// Import mapping and rows (aggregates/import.h): header names of other programs, --map
// overrides and refusals, first + last name, codes lists, yes/no and consent cells, a row with
// too many cells, and what overwrite changes (only the cells with a value).
#include "aggregates/import.h"

#include <doctest/doctest.h>

#include "aggregates/import_campaigns.h"

namespace crm::import {
namespace {

TEST_CASE("columns map by header name, as other programs name them") {
  auto m = MapColumns(Target::kContacts, {"First Name", "Last Name", "E-mail Address", "Zip", "Mobile", "Notes"}, {});
  REQUIRE(m.ok());
  CHECK(m->fields == std::vector<std::string>{"first_name", "last_name", "email", "post_code", "mobile", ""});
  CHECK(m->ignored == std::vector<std::string>{"Notes"});
  auto leads = MapColumns(Target::kLeads, {"Full Name", "Company", "Lead Status", "Notes"}, {});
  REQUIRE(leads.ok());
  CHECK(leads->fields == std::vector<std::string>{"name", "company_name", "lead_status", "description"});
}

TEST_CASE("--map overrides, ignores, and is refused when wrong") {
  auto m = MapColumns(Target::kContacts, {"Kunde", "Mail", "Notes"}, {"Kunde=name", "Mail=", "notes=city"});
  REQUIRE(m.ok());
  CHECK(m->fields == std::vector<std::string>{"name", "", "city"});
  CHECK(MapColumns(Target::kContacts, {"Name"}, {"Name=nonsense"}).status().message().find("no field 'nonsense'") !=
        std::string::npos);
  CHECK(MapColumns(Target::kContacts, {"Name"}, {"Other=name"}).status().message().find("no column 'Other'") !=
        std::string::npos);
  CHECK(MapColumns(Target::kContacts, {"Name"}, {"bad"}).status().code() == StatusCode::kInvalidArgument);
  CHECK(MapColumns(Target::kContacts, {"Name", "Full Name"}, {}).status().message().find("both fill name") !=
        std::string::npos);
  CHECK(MapColumns(Target::kContacts, {"Email"}, {}).status().message().find("no column gives the name") !=
        std::string::npos);
  // A lead field is not a contact field.
  CHECK(!MapColumns(Target::kContacts, {"Name"}, {"Name=lead_status"}).ok());
}

TEST_CASE("a row read through the mapping") {
  auto m =
      MapColumns(Target::kContacts,
                 {"first_name", "last_name", "job_responsibility", "exclude_from_segment", "opted_out", "type"}, {});
  REQUIRE(m.ok());
  auto row = ReadRow(*m, {" Ada ", "Lovelace", "PURCHASE; IT,", "yes", "x", "Company"});
  REQUIRE(row.ok());
  CHECK(row->f.name == "Ada Lovelace");
  CHECK(row->job_responsibilities == std::vector<std::string>{"PURCHASE", "IT"});
  CHECK(row->exclude_from_segment);
  CHECK(row->consent == fb::ConsentKind::OptOut);
  CHECK(row->type == fb::ContactType::Company);
  CHECK(ReadRow(*m, {"A", "B", "", "maybe"}).status().message() == "exclude_from_segment takes yes or no, not 'maybe'");
  CHECK(ReadRow(*m, {"A", "B", "", "", "", "robot"}).status().message() == "type takes person or company, not 'robot'");
  CHECK(ReadRow(*m, {"A", "B", "", "", "", "", "extra"}).status().message() ==
        "the row has 7 cells, the header 6 columns");
  auto short_row = ReadRow(*m, {"Solo"});  // fewer cells: the rest are empty
  REQUIRE(short_row.ok());
  CHECK(short_row->f.name == "Solo");
  CHECK(!short_row->consent);
}

TEST_CASE("overwrite changes only the cells with a value") {
  auto m = MapColumns(Target::kLeads, {"name", "email", "phone", "consent", "consent_reason"}, {});
  REQUIRE(m.ok());
  auto row = ReadRow(*m, {"Ada", "ada@example.com", "", "opted-out", "asked by phone"});
  REQUIRE(row.ok());
  const auto change = ToChangeLead(*row, RecordNo(RecordKind::kLead, 1));
  CHECK(change.f.name == "Ada");
  CHECK(change.f.email == "ada@example.com");
  CHECK(!change.f.phone);
  CHECK(!change.company_name);
  CHECK(row->consent == fb::ConsentKind::OptOut);
  CHECK(row->consent_reason == "asked by phone");
  CHECK(ReadRow(*m, {"A", "", "", "perhaps"}).status().message() ==
        "consent takes opted-in or opted-out, not 'perhaps'");
}

TEST_CASE("a column named like a custom field fills it, before other programs' names; decimal commas") {
  const std::vector<custom::FieldDef> defs = {{"lead", "Cell", fb::CustomFieldType::Text, {}},
                                              {"lead", "Annual_Revenue", fb::CustomFieldType::Number, {}}};
  auto m = MapColumns(Target::kLeads, {"Name", "Phone", "Cell", "Annual Revenue", "Rating"}, {"Rating=annual_revenue"},
                      defs);
  CHECK(m.status().message().find("both fill Annual_Revenue") != std::string::npos);
  m = MapColumns(Target::kLeads, {"Name", "Phone", "Cell", "Annual Revenue", "Mobile"}, {}, defs);
  REQUIRE(m.ok());
  CHECK(m->fields == std::vector<std::string>{"name", "phone", "custom.Cell", "custom.Annual_Revenue", "mobile"});
  auto row = ReadRow(*m, {"Kris", "555-1", "555-2", "1.234.567,50", "555-3"});
  REQUIRE(row.ok());
  CHECK(row->custom == custom::Values{{"Annual_Revenue", "1.234.567,50"}, {"Cell", "555-2"}});
  CHECK(row->f.phone == "555-1");
  CHECK(row->f.mobile == "555-3");  // a phone and a mobile, both kept
  m->decimal_comma = true;
  row = ReadRow(*m, {"Kris", "555-1", "555-2", "1.234.567,50"});
  REQUIRE(row.ok());
  CHECK(row->custom.at("Annual_Revenue") == "1234567.50");
  CHECK(row->custom.at("Cell") == "555-2");  // text keeps its dots and commas
  CHECK(ToCreateLead(*row).custom == row->custom);
  CHECK(ToChangeLead(*row, RecordNo::Parse("LD0001").value()).custom == row->custom);
  // Without the field defined, Cell is the mobile's other name.
  CHECK(MapColumns(Target::kLeads, {"Name", "Cell"}, {}).value().fields[1] == "mobile");
}

TEST_CASE("the source and source id: a column, or --source for every row") {
  auto m = MapColumns(Target::kContacts, {"Name", "Source Id"}, {});
  REQUIRE(m.ok());
  m->source = "zoho";
  auto row = ReadRow(*m, {"Kris", "zcrm_1"});
  REQUIRE(row.ok());
  CHECK(row->f.source == "zoho");
  CHECK(row->f.source_id == "zcrm_1");
  CHECK(ToChangeContact(*row, RecordNo::Parse("CT0001").value()).f.source == "zoho");
  m = MapColumns(Target::kContacts, {"Name", "source", "source_id"}, {});  // as export writes them
  REQUIRE(m.ok());
  m->source = "zoho";
  row = ReadRow(*m, {"Kris", "salesforce", "003000000000001AAA"});
  REQUIRE(row.ok());
  CHECK(row->f.source == "salesforce");  // the cell says
}

TEST_CASE("profiles: detected from the header, their columns first, value maps, owners") {
  const std::vector<std::string> zoho = {"Record Id", "Lead Owner",  "Company", "Last Name",
                                         "Mobile",    "Lead Status", "Rating"};
  CHECK(DetectProfile(zoho) == Profile::kZoho);
  CHECK(DetectProfile({"Id", "OwnerId", "LastName"}) == Profile::kSalesforce);
  CHECK(DetectProfile({"No.", "Name", "Salesperson Code"}) == Profile::kBusinessCentral);
  CHECK(DetectProfile({"Name", "Email", "Id"}) == Profile::kNone);
  CHECK(ParseProfile("Salesforce").value() == Profile::kSalesforce);
  CHECK(!ParseProfile("dynamics").ok());

  const std::vector<custom::FieldDef> defs = {{"lead", "Rating", fb::CustomFieldType::Text, {}}};
  auto m =
      MapColumns(Target::kLeads, zoho, {}, defs, Profile::kZoho, {ParseValueMap("lead status:Junk Lead=Lost").value()});
  REQUIRE(m.ok());
  CHECK(m->fields == std::vector<std::string>{"source_id", "owner", "company_name", "last_name", "mobile",
                                              "lead_status", "custom.Rating"});
  CHECK(m->source == "zoho");
  CHECK(m->owner_column);
  auto row = ReadRow(*m, {"zcrm_1", "ann sales", "Chapman", "Marrier", "555", "JUNK LEAD", "Hot"});
  REQUIRE(row.ok());
  CHECK(row->lead_status == "Lost");  // mapped, case aside
  CHECK(row->f.source == "zoho");
  CHECK(row->custom.at("Rating") == "Hot");

  catalog::State cat;
  cat.salespeople["AS"] = {"AS", "Ann Sales", "ann@example.com"};
  cat.salespeople["BO"] = {"BO", "Bo", ""};
  const Owners owners = OwnersOf(cat);
  REQUIRE(ResolveOwner(owners, &*row).ok());
  CHECK(row->f.salesperson == "AS");
  CHECK(row->given.contains("salesperson"));
  row->owner = "ANN@example.com";
  CHECK(ResolveOwner(owners, &*row).ok());
  row->owner = "bo";
  REQUIRE(ResolveOwner(owners, &*row).ok());
  CHECK(row->f.salesperson == "BO");
  row->owner = "Nobody";
  CHECK(ResolveOwner(owners, &*row).code() == StatusCode::kNotFound);
  CHECK(!ParseValueMap("Lead Status=New").ok());
  CHECK(MapColumns(Target::kLeads, zoho, {}, {}, Profile::kZoho, {ParseValueMap("Nope:a=b").value()}).status().code() ==
        StatusCode::kInvalidArgument);
}

TEST_CASE("the source's times, as the products write them") {
  auto at = [](std::string_view text) {
    auto t = ParseSourceTime(text, "created_at");
    return t.ok() ? FormatTimestamp(*t) : t.status().message();
  };
  CHECK(at("2024-03-01 10:12:01") == "2024-03-01T10:12:01Z");           // Zoho
  CHECK(at("2024-03-01T10:12:01.000+0000") == "2024-03-01T10:12:01Z");  // Salesforce Data Loader
  CHECK(at("2024-03-01T10:12:01.000Z") == "2024-03-01T10:12:01Z");
  CHECK(at("2024-03-01T11:12:01+01:00") == "2024-03-01T10:12:01Z");
  CHECK(at("2024-03-01 10:12") == "2024-03-01T10:12:00Z");
  CHECK(at(" 2024-03-01 ") == "2024-03-01T00:00:00Z");
  CHECK(at("2024-03-01 10:12:01 UTC") == "2024-03-01T10:12:01Z");
  CHECK(at("2024-03-01t10:12:01z") == "2024-03-01T10:12:01Z");
  CHECK(at("2024-03-01T11:12:01+01") == "2024-03-01T10:12:01Z");
  CHECK(at("2024-03-01T10:12:01.5") == "2024-03-01T10:12:01.500000Z");
  for (const char* bad : {"3/1/2024 10:12 AM", "2024-03-01 1", "2024-13-01", "yesterday", "2024-03-01T10:12:01+5",
                          "2024-03-01 10:12:", "2024-03-01 10:12:5", "2024-03-01 10:12:01.", "2024-03-01 10:12:01 +"}) {
    CAPTURE(bad);
    CHECK(at(bad).find("is not a time") != std::string::npos);
  }
}

TEST_CASE("companies: every row a company; created and modified times; a contact's account") {
  auto m =
      MapColumns(Target::kCompanies, {"Record Id", "Account Owner", "Account Name", "Created Time", "Modified Time"},
                 {}, {}, Profile::kZoho);
  REQUIRE(m.ok());
  CHECK(m->fields == std::vector<std::string>{"source_id", "owner", "name", "created_at", "source_modified_at"});
  auto row = ReadRow(*m, {"zcrm_1", "Patricia Boyle", "Chapman", "2023-11-02 08:00:00", "2024-02-01 12:30:00"});
  REQUIRE(row.ok());
  CHECK(row->type == fb::ContactType::Company);
  CHECK(FormatTimestamp(row->created_at) == "2023-11-02T08:00:00Z");
  CHECK(ToCreateContact(*row).created_at == row->created_at);
  CHECK(row->f.source_modified_at == "2024-02-01 12:30:00");  // made canonical by the aggregate
  CHECK(ReadRow(*m, {"zcrm_1", "", "Chapman", "01.02.2024"}).status().message().find("created_at '01.02.2024'") !=
        std::string::npos);
  auto contacts = MapColumns(Target::kContacts, {"Record Id", "Contact Owner", "Last Name", "Account Name"}, {}, {},
                             Profile::kZoho);
  REQUIRE(contacts.ok());
  CHECK(contacts->fields[3] == "company");
  CHECK(contacts->company_column);
  auto sf = MapColumns(Target::kContacts, {"Id", "OwnerId", "LastName", "AccountId"}, {}, {}, Profile::kSalesforce);
  REQUIRE(sf.ok());
  CHECK(sf->fields[3] == "company");
  CHECK(TargetName(Target::kCompanies) == "companies");
}

TEST_CASE("campaigns: a product's statuses as codes, its numbers, dates and times") {
  CHECK(StatusCodeOf("In Progress") == "IN-PROGRESS");
  CHECK(StatusCodeOf(" planned ") == "PLANNED");
  CHECK(StatusCodeOf("Aborted / Canceled!") == "ABORTED-/-CANCELED");
  CHECK(StatusCodeOf("A very long status name indeed") == "A-VERY-LONG-STATUS-N");
  auto m = MapColumns(Target::kCampaigns,
                      {"Id", "Name", "ParentId", "Status", "StartDate", "BudgetedCost", "ExpectedResponse",
                       "NumberSent", "IsActive", "CreatedDate"},
                      {}, {}, Profile::kSalesforce);
  REQUIRE(m.ok());
  CHECK(m->ignored == std::vector<std::string>{"IsActive"});
  auto row = ReadCampaignRow(*m, {"7015g000000AbC1AAK", "Spring", "7015g000000AbC0", "In Progress", "2024-04-01",
                                  "5,000.50", "10", "250", "true", "2024-02-01T09:00:00.000+0000"});
  REQUIRE(row.ok());
  CHECK(row->f.status == "IN-PROGRESS");
  CHECK(row->f.parent == "7015g000000AbC0");
  CHECK(row->f.source == "salesforce");
  CHECK(FormatDate(*row->f.start) == "2024-04-01");
  CHECK(row->f.budgeted_cost == Money(500050));
  CHECK(row->f.expected_response == Percent(10000));
  CHECK(row->f.number_sent == 250);
  CHECK(FormatTimestamp(row->created_at) == "2024-02-01T09:00:00Z");
  const auto change = ToChangeCampaign(*row, RecordNo::Parse("CP0001").value());
  CHECK(change.status == std::optional<std::string>("IN-PROGRESS"));
  CHECK_FALSE(change.actual_cost);  // no cell: unchanged
  CHECK(ReadCampaignRow(*m, {"x", "y", "", "", "", "lots"}).status().message() ==
        "budgeted_cost 'lots' is not an amount");
  CHECK(ReadCampaignRow(*m, {"x", "y", "", "", "", "", "", "-3"}).status().message().find("whole number") !=
        std::string::npos);
  CHECK_FALSE(MapColumns(Target::kMembers, {"Status"}, {}).ok());  // no campaign, no member
}

TEST_CASE("members: Salesforce's CampaignMember, a contact before a lead") {
  auto m = MapColumns(Target::kMembers,
                      {"Id", "CampaignId", "LeadId", "ContactId", "Status", "HasResponded", "FirstRespondedDate"}, {},
                      {}, Profile::kSalesforce);
  REQUIRE(m.ok());
  auto row = ReadMemberRow(*m, {"00v1", "7015g000000AbC1", "00Q1", "0031", "Responded", "true", "2024-04-03"});
  REQUIRE(row.ok());
  CHECK(row->campaign == "7015g000000AbC1");
  CHECK(row->ids == std::vector<std::string>{"0031", "00Q1"});
  CHECK(row->responded == std::optional<bool>(true));
  CHECK(FormatTimestamp(row->responded_at) == "2024-04-03T00:00:00Z");
  CHECK(row->source == "salesforce");
  CHECK(ReadMemberRow(*m, {"00v1", "", "00Q1"})->campaign.empty());  // import members --campaign gives it
  CHECK(ReadMemberRow(*m, {"00v1", "7015g000000AbC1"}).status().message() == "the row names no contact or lead");
  CHECK(ReadMemberRow(*m, {"00v1", "701", "00Q1", "", "", "maybe"}).status().message() ==
        "responded takes yes or no, not 'maybe'");
}

TEST_CASE("duplicates policy names") {
  CHECK(*ParseDuplicates("overwrite") == Duplicates::kOverwrite);
  CHECK(!ParseDuplicates("merge").ok());
}

}  // namespace
}  // namespace crm::import
