// Import mapping and rows (aggregates/import.h): header names of other programs, --map
// overrides and refusals, first + last name, codes lists, yes/no and consent cells, a row with
// too many cells, and what overwrite changes (only the cells with a value).
#include "aggregates/import.h"

#include <doctest/doctest.h>

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
  auto m = MapColumns(Target::kContacts,
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
  CHECK(ReadRow(*m, {"A", "B", "", "", "", "", "extra"}).status().message() == "the row has 7 cells, the header 6 columns");
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
  CHECK(ReadRow(*m, {"A", "", "", "perhaps"}).status().message() == "consent takes opted-in or opted-out, not 'perhaps'");
}

TEST_CASE("a column named like a custom field fills it, before other programs' names; decimal commas") {
  const std::vector<custom::FieldDef> defs = {{"lead", "Cell", fb::CustomFieldType::Text, {}},
                                              {"lead", "Annual_Revenue", fb::CustomFieldType::Number, {}}};
  auto m = MapColumns(Target::kLeads, {"Name", "Phone", "Cell", "Annual Revenue", "Rating"},
                      {"Rating=annual_revenue"}, defs);
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
  const std::vector<std::string> zoho = {"Record Id", "Lead Owner", "Company", "Last Name", "Mobile", "Lead Status",
                                         "Rating"};
  CHECK(DetectProfile(zoho) == Profile::kZoho);
  CHECK(DetectProfile({"Id", "OwnerId", "LastName"}) == Profile::kSalesforce);
  CHECK(DetectProfile({"No.", "Name", "Salesperson Code"}) == Profile::kBusinessCentral);
  CHECK(DetectProfile({"Name", "Email", "Id"}) == Profile::kNone);
  CHECK(ParseProfile("Salesforce").value() == Profile::kSalesforce);
  CHECK(!ParseProfile("dynamics").ok());

  const std::vector<custom::FieldDef> defs = {{"lead", "Rating", fb::CustomFieldType::Text, {}}};
  auto m = MapColumns(Target::kLeads, zoho, {}, defs, Profile::kZoho,
                      {ParseValueMap("lead status:Junk Lead=Lost").value()});
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
  CHECK(MapColumns(Target::kLeads, zoho, {}, {}, Profile::kZoho, {ParseValueMap("Nope:a=b").value()})
            .status()
            .code() == StatusCode::kInvalidArgument);
}

TEST_CASE("duplicates policy names") {
  CHECK(*ParseDuplicates("overwrite") == Duplicates::kOverwrite);
  CHECK(!ParseDuplicates("merge").ok());
}

}  // namespace
}  // namespace crm::import
