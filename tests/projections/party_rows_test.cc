// The contacts-and-leads row (projections/party_rows.h): every state decodes to what was encoded
// (its JSON, what `show` prints, compares equal), a damaged row is Corruption, and PartyRecord
// gives every filter field the values JsonRecord gives for the state's JSON row, with and
// without a membership, for contacts, companies, leads, converted and erased ones.
#include "projections/party_rows.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "projections/queries.h"
#include "projections/row_codec.h"
#include "projections/rows.h"

namespace crm {
namespace {

RecordNo No(const char* s) { return RecordNo::Parse(s).value(); }

std::vector<PartyState> Samples() {
  contact::ContactState person;
  person.exists = true;
  person.no = No("CT0001");
  person.f = {"Kari Nordmann", "kari@example.no", "+47 1234", "Gate 1", "0150", "Oslo", "NO", "NB", "SP1", "EAST",
              "",              "",                "",         ""};
  person.company = "CT0002";
  person.job_responsibilities = {"PURCHASE", "IT"};
  person.mailing_groups = {"NEWS"};
  person.consent = "opted-out";
  person.consent_reason = "asked by phone";
  person.bounced = true;
  person.bounce_reason = "550 no such user";
  person.created_at = Timestamp(1799571600000000LL);
  person.modified_at = Timestamp(1799571600123456LL);

  contact::ContactState company;
  company.exists = true;
  company.no = No("CT0002");
  company.type = fb::ContactType::Company;
  company.f.name = "Nordmann AS";
  company.exclude_from_segment = true;
  company.custom = {{"Founded", "1899-05-17"}, {"Tier", "Gold"}};
  company.f.mobile = "+47 900 00 000";
  company.f.source = "zoho";
  company.f.source_id = "zcrm_4876876000000333001";
  company.f.source_modified_at = "2024-03-01T10:12:01Z";
  company.created_at = company.modified_at = Timestamp(1799571600000000LL);

  contact::ContactState erased = person;
  erased.no = No("CT10000");
  contact::MaskErased(&erased);
  erased.erased = true;

  contact::LeadState lead;
  lead.exists = true;
  lead.no = No("LD0001");
  lead.f = {"Ola", "ola@example.no", "", "", "", "Bergen", "", "", "", "", "+47 400 00 000", "", "", ""};
  lead.company_name = "Fabrikam";
  lead.lead_status = "Qualified";
  lead.lead_source = "Web";
  lead.description = "two lines\nof text";
  lead.consent = "opted-in";
  lead.custom = {{"Budget", "1500.5"}};
  lead.created_at = lead.modified_at = Timestamp(1799571600000000LL);

  contact::LeadState converted = lead;
  converted.no = No("LD0002");
  converted.converted_to = "CT0003";
  converted.converted_company = "CT0004";
  converted.converted_opportunity = "OP0001";
  converted.converted_at = Timestamp(1799571700000000LL);

  return {person, company, erased, lead, converted};
}

std::string Encode(const PartyState& s) {
  return std::visit([](const auto& x) { return EncodeParty(x); }, s);
}

TEST_CASE("a row decodes to the state that was encoded, and its JSON is the same") {
  for (const PartyState& s : Samples()) {
    const std::string row = Encode(s);
    auto back = DecodeParty(row);
    REQUIRE(back.ok());
    CHECK(PartyToJson(*back).dump() == PartyToJson(s).dump());
    CHECK(Encode(*back) == row);  // deterministic: a rebuild compares byte for byte
  }
  CHECK(DecodeContact(Encode(Samples()[3])).status().code() == StatusCode::kCorruption);  // a lead's row
  CHECK(DecodeLead(Encode(Samples()[0])).status().code() == StatusCode::kCorruption);     // a contact's row
}

TEST_CASE("a damaged row is Corruption, never a half-read state") {
  const std::string row = Encode(Samples()[0]);
  for (std::size_t cut = 0; cut < row.size(); ++cut) {
    CAPTURE(cut);
    CHECK(DecodeParty(row.substr(0, cut)).status().code() == StatusCode::kCorruption);
  }
  CHECK_FALSE(DecodeParty(row + "x").ok());
  std::string other_version = row;
  other_version[0] = 6;  // a version this code does not know
  CHECK_FALSE(DecodeParty(other_version).ok());
  // A version-4 row lacks source_modified_at (here an empty string, a byte, after the thirteen
  // shared fields it has); a version-3 row mobile, source and source id too (after the ten).
  auto shared_end = [&](int fields) {
    RowReader r(row);
    uint8_t byte = 0;
    std::string text;
    REQUIRE((r.Byte(&byte) && r.Byte(&byte) && r.Str(&text)));
    for (int i = 0; i < fields; ++i) REQUIRE(r.Str(&text));
    return row.size() - r.left();
  };
  const std::size_t at13 = shared_end(13);
  REQUIRE(row.substr(at13, 1) == std::string(1, '\0'));
  std::string v4 = row.substr(0, at13) + row.substr(at13 + 1);
  v4[0] = 4;
  auto four = DecodeParty(v4);
  REQUIRE(four.ok());
  CHECK(std::get<contact::ContactState>(*four).f.territory == "EAST");
  CHECK(std::get<contact::ContactState>(*four).f.source_modified_at.empty());
  CHECK(std::get<contact::ContactState>(*four).consent == "opted-out");
  const std::size_t at = shared_end(10);
  REQUIRE(v4.substr(at, 3) == std::string(3, '\0'));
  std::string v3 = v4.substr(0, at) + v4.substr(at + 3);
  v3[0] = 3;
  auto three = DecodeParty(v3);
  REQUIRE(three.ok());
  CHECK(std::get<contact::ContactState>(*three).f.territory == "EAST");
  CHECK(std::get<contact::ContactState>(*three).f.mobile.empty());
  // A version-2 row (before the custom values, here an empty list: one byte) has none.
  std::string v2 = v3.substr(0, v3.size() - 1);
  v2[0] = 2;
  auto older = DecodeParty(v2);
  REQUIRE(older.ok());
  CHECK(std::get<contact::ContactState>(*older).custom.empty());
  CHECK(std::get<contact::ContactState>(*older).f.name == "Kari Nordmann");
  // A version-1 row (before `deleted`, which version 2 adds) reads as not deleted.
  std::string v1 = v3.substr(0, v3.size() - 2);
  v1[0] = 1;
  auto old = DecodeParty(v1);
  REQUIRE(old.ok());
  CHECK_FALSE(std::get<contact::ContactState>(*old).deleted);
  CHECK_FALSE(DecodeParty("{\"no\":\"CT0001\"}").ok());  // a row of the JSON format before
}

void CheckSameValues(const FieldSchema& schema, const PartyState* state, const membership::Membership* m) {
  const nlohmann::json row = state != nullptr ? PartyToJson(*state) : nlohmann::json::object();
  for (std::size_t i = 0; i < schema.fields().size(); ++i) {
    CAPTURE(schema.fields()[i].name);
    std::vector<std::string> ours, json;
    PartyRecord(state, &schema, m).Values(static_cast<int>(i), &ours);
    JsonRecord(&row, &schema, m).Values(static_cast<int>(i), &json);
    CHECK(ours == json);
  }
  for (const std::string name : {"Founded", "Tier", "Budget", "Nothing"}) {  // custom fields
    CAPTURE(name);
    std::vector<std::string> ours, json;
    PartyRecord(state, &schema, m).CustomValues(name, &ours);
    JsonRecord(&row, &schema, m).CustomValues(name, &json);
    CHECK(ours.size() == 1);
    CHECK(ours == json);
  }
}

TEST_CASE("PartyRecord reads every filter field as JsonRecord reads the JSON row") {
  membership::Membership m;
  m.exists = true;
  m.status = "Attended";
  m.responded = true;
  m.added_at = Timestamp(1799571600000000LL);
  m.changed_at = Timestamp(1799658000000000LL);
  m.added_by = Actor("marketing.manager");
  for (const PartyState& s : Samples()) {
    CHECK(!PartyToJson(s).empty());
    CheckSameValues(PartySchema(), &s, nullptr);
    CheckSameValues(SegmentSchema(), &s, nullptr);  // interaction fields: empty in both
    CheckSameValues(RosterSchema(), &s, &m);
  }
  CheckSameValues(RosterSchema(), nullptr, &m);  // a member whose row is gone
}

}  // namespace
}  // namespace crm
