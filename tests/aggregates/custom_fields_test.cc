// Custom fields (aggregates/custom_fields.h): definitions in the reference aggregate (names,
// types, picklists, one type for a name contacts and leads share), values checked into their
// canonical form, carried by contact, lead and campaign events (only the differences in *Changed,
// clearing named), folded back, masked by erasure, and carried over by lead conversion.
#include "aggregates/custom_fields.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "aggregates/campaign.h"
#include "aggregates/contact.h"
#include "aggregates/lead.h"
#include "aggregates/reference.h"
#include "tests/aggregates/aggregate_test_util.h"

namespace crm::testing {
namespace {

using custom::FieldDef;
using fb::CustomFieldType;

reference::AddCustomField AddField(std::string on, std::string name, CustomFieldType type,
                                   std::vector<std::string> values = {}) {
  return reference::AddCustomField{FieldDef{std::move(on), std::move(name), type, std::move(values)},
                                   {"name", "email", "city"}};
}

// Given: contact fields Birthday (date), Shoe_size (number), Vip (bool), Tier (picklist Gold,
// Silver), Nickname (text); lead field Budget (number); campaign field Region (picklist).
reference::State WithFields() {
  Given<reference::State> given(reference::Evolve, Reference());
  for (const auto& add :
       {AddField("contact", "Birthday", CustomFieldType::Date),
        AddField("contact", "Shoe_size", CustomFieldType::Number), AddField("contact", "Vip", CustomFieldType::Bool),
        AddField("contact", "Tier", CustomFieldType::Picklist, {"Gold", "Silver"}),
        AddField("contact", "Nickname", CustomFieldType::Text), AddField("lead", "Budget", CustomFieldType::Number),
        AddField("lead", "Nickname", CustomFieldType::Text),
        AddField("campaign", "Region", CustomFieldType::Picklist, {"North", "South"})}) {
    auto r = reference::Decide(given.state(), add);
    REQUIRE(r.ok());
    given.Add(*r);
  }
  return given.state();
}

TEST_CASE("a custom field is defined once; the same again is nothing, another under its name is refused") {
  Given<reference::State> given(reference::Evolve, Reference());
  const auto add = AddField("contacts", "Birthday", CustomFieldType::Date);
  CHECK(EmittedTwice(given, [&](const auto& s) { return reference::Decide(s, add); }) == "CustomFieldAdded / nothing");
  given.Add(*reference::Decide(given.state(), add));
  REQUIRE(given.state().FindCustomField("contact", "BIRTHDAY") != nullptr);
  CHECK(given.state().FindCustomField("contact", "birthday")->name == "Birthday");
  CHECK(given.state().FindCustomField("lead", "Birthday") == nullptr);
  CHECK(ErrorOf(reference::Decide(given.state(), AddField("contact", "birthday", CustomFieldType::Text))) ==
        StatusCode::kAlreadyExists);
  // A lead field of that name must have its type: party lists filter both alike.
  CHECK(ErrorOf(reference::Decide(given.state(), AddField("lead", "Birthday", CustomFieldType::Text))) ==
        StatusCode::kFailedPrecondition);
  auto twin = reference::Decide(given.state(), AddField("lead", "BIRTHDAY", CustomFieldType::Date));
  REQUIRE(Emitted(twin) == "CustomFieldAdded");
  CHECK(twin->at(0).payload.AsCustomFieldAdded()->name == "Birthday");  // spelt as the contact's
  given.Add(*reference::Decide(given.state(), AddField("contact", "Tier", CustomFieldType::Picklist, {"Gold"})));
  CHECK(ErrorOf(reference::Decide(given.state(), AddField("lead", "Tier", CustomFieldType::Picklist, {"Gold", "Lead"}))) ==
        StatusCode::kFailedPrecondition);  // one field: the same values
}

TEST_CASE("a custom field's name, record kind, type and picklist values are checked") {
  const reference::State ref = Reference();
  CHECK(ErrorOf(reference::Decide(ref, AddField("contact", "City", CustomFieldType::Text))) ==
        StatusCode::kAlreadyExists);  // the record's own field
  CHECK(ErrorOf(reference::Decide(ref, AddField("contact", "Shoe size", CustomFieldType::Text))) ==
        StatusCode::kInvalidArgument);  // filters could not name it
  CHECK(ErrorOf(reference::Decide(ref, AddField("contact", "2nd_phone", CustomFieldType::Text))) ==
        StatusCode::kInvalidArgument);
  CHECK(ErrorOf(reference::Decide(ref, AddField("contact", std::string(41, 'a'), CustomFieldType::Text))) ==
        StatusCode::kInvalidArgument);
  CHECK(ErrorOf(reference::Decide(ref, AddField("task", "Size", CustomFieldType::Text))) ==
        StatusCode::kInvalidArgument);
  CHECK(ErrorOf(reference::Decide(ref, AddField("contact", "Tier", CustomFieldType::Picklist))) ==
        StatusCode::kInvalidArgument);  // a picklist without values
  CHECK(ErrorOf(reference::Decide(ref, AddField("contact", "Tier", CustomFieldType::Picklist, {"Gold", "GOLD"}))) ==
        StatusCode::kInvalidArgument);
  CHECK(ErrorOf(reference::Decide(ref, AddField("contact", "Tier", CustomFieldType::Text, {"Gold"}))) ==
        StatusCode::kInvalidArgument);
  CHECK(custom::ParseType("Picklist").value() == CustomFieldType::Picklist);
  CHECK(!custom::ParseType("money").ok());
}

TEST_CASE("at most kMaxFieldsPerRecord custom fields per record kind") {
  Given<reference::State> given(reference::Evolve, Reference());
  for (size_t i = 0; i < custom::kMaxFieldsPerRecord; ++i) {
    given.Add(*reference::Decide(given.state(), AddField("campaign", "F" + std::to_string(i), CustomFieldType::Text)));
  }
  CHECK(ErrorOf(reference::Decide(given.state(), AddField("campaign", "One_more", CustomFieldType::Text))) ==
        StatusCode::kFailedPrecondition);
  CHECK(Emitted(reference::Decide(given.state(), AddField("contact", "One_more", CustomFieldType::Text))) ==
        "CustomFieldAdded");
}

TEST_CASE("values are kept in their type's canonical form") {
  const FieldDef number{"contact", "Size", CustomFieldType::Number, {}};
  CHECK(custom::CheckValue(number, " 42 ").value() == "42");
  CHECK(custom::CheckValue(number, "+0042.500").value() == "42.5");
  CHECK(custom::CheckValue(number, "-1234.50").value() == "-1234.5");
  CHECK(custom::CheckValue(number, "-0.0").value() == "0");
  CHECK(custom::CheckValue(number, "999999999999.999999").value() == "999999999999.999999");
  CHECK(!custom::CheckValue(number, "1234567890123").ok());  // 13 integer digits
  CHECK(!custom::CheckValue(number, "1,5").ok());
  CHECK(!custom::CheckValue(number, "1.2345678").ok());
  CHECK(!custom::CheckValue(number, "12abc").ok());
  const FieldDef date{"contact", "Birthday", CustomFieldType::Date, {}};
  CHECK(custom::CheckValue(date, "1990-02-28").value() == "1990-02-28");
  CHECK(!custom::CheckValue(date, "1990-02-30").ok());
  CHECK(!custom::CheckValue(date, "28.02.1990").ok());
  const FieldDef flag{"contact", "Vip", CustomFieldType::Bool, {}};
  CHECK(custom::CheckValue(flag, "TRUE").value() == "yes");
  CHECK(custom::CheckValue(flag, "0").value() == "no");
  CHECK(!custom::CheckValue(flag, "maybe").ok());
  const FieldDef tier{"contact", "Tier", CustomFieldType::Picklist, {"Gold", "Silver"}};
  CHECK(custom::CheckValue(tier, "gold").value() == "Gold");
  auto bronze = custom::CheckValue(tier, "Bronze");
  REQUIRE(!bronze.ok());
  CHECK(bronze.status().message().find("Gold, Silver") != std::string::npos);
  const FieldDef text{"contact", "Nickname", CustomFieldType::Text, {}};
  CHECK(!custom::CheckValue(text, "two\nlines").ok());
  CHECK(!custom::CheckValue(text, std::string(256, 'x')).ok());
  CHECK(custom::CheckValue(text, "").value().empty());  // clears
}

TEST_CASE("a contact's custom values: created checked, changed by difference, cleared by name, folded") {
  const reference::State ref = WithFields();
  contact::ContactContext cx;
  cx.reference = &ref;
  contact::CreateContact create;
  create.ctx = Ctx();
  create.no = No("CT0001");
  create.f.name = "Ada";
  create.custom = {{"birthday", "1990-02-28"}, {"SHOE_SIZE", "41.0"}, {"tier", "gold"}};
  auto created = contact::DecideCreate({}, cx, create);
  REQUIRE(Emitted(created) == "ContactCreated");
  Given<contact::ContactState> given(contact::EvolveContact);
  given.Add(*created);
  CHECK(given.state().custom == custom::Values{{"Birthday", "1990-02-28"}, {"Shoe_size", "41"}, {"Tier", "Gold"}});
  CHECK(contact::DecideCreate(given.state(), cx, create)->empty());  // the same create again

  contact::ChangeContact change;
  change.ctx = Ctx();
  change.no = No("CT0001");
  change.custom = {{"Shoe_size", "42"}, {"Tier", ""}, {"Birthday", "1990-02-28"}, {"Vip", "yes"}};
  auto changed = contact::DecideChange(given.state(), cx, change);
  REQUIRE(Emitted(changed) == "ContactChanged");
  const auto* e = changed->at(0).payload.AsContactChanged();
  REQUIRE(e->custom.size() == 3);  // Birthday is unchanged: not in the event
  std::map<std::string, std::pair<std::string, bool>> carried;
  for (const auto& v : e->custom) carried[v->name] = {v->value, v->cleared};
  CHECK(carried["Shoe_size"] == std::pair<std::string, bool>{"42", false});
  CHECK(carried["Vip"] == std::pair<std::string, bool>{"yes", false});
  CHECK(carried["Tier"] == std::pair<std::string, bool>{"", true});
  given.Add(*changed);
  CHECK(given.state().custom == custom::Values{{"Birthday", "1990-02-28"}, {"Shoe_size", "42"}, {"Vip", "yes"}});
  CHECK(contact::DecideChange(given.state(), cx, change)->empty());  // the same again

  change.custom = {{"Budget", "10"}};  // a lead's field, not a contact's
  CHECK(ErrorOf(contact::DecideChange(given.state(), cx, change)) == StatusCode::kNotFound);
  change.custom = {{"Birthday", "soon"}};
  CHECK(ErrorOf(contact::DecideChange(given.state(), cx, change)) == StatusCode::kInvalidArgument);

  // Erasure: custom values are personal data, read "(erased)" as the name does.
  given.Add(*contact::DecideErase(given.state(), No("CT0001")));
  CHECK(given.state().custom.at("Shoe_size") == "(erased)");
}

TEST_CASE("a converted lead's custom values go to the contact's fields of the same name") {
  const reference::State ref = WithFields();
  contact::ContactContext cx;
  cx.reference = &ref;
  contact::CreateLead create;
  create.ctx = Ctx();
  create.no = No("LD0001");
  create.f.name = "Grace";
  create.custom = {{"Budget", "1500"}, {"Nickname", "Amazing Grace"}};
  Given<contact::LeadState> lead(contact::EvolveLead);
  lead.Add(*contact::DecideCreateLead({}, cx, create));
  CHECK(lead.state().custom == custom::Values{{"Budget", "1500"}, {"Nickname", "Amazing Grace"}});

  contact::ConvertLead convert{No("LD0001"), No("CT0009"), std::nullopt, std::nullopt, std::nullopt};
  contact::ConvertContext convert_cx;
  convert_cx.reference = &ref;
  auto converted = contact::DecideConvert(lead.state(), convert_cx, convert);
  REQUIRE(converted.ok());
  bool found = false;
  for (const auto& e : converted->events) {
    if (const auto* c = e.payload.AsContactCreated()) {
      found = true;
      REQUIRE(c->custom.size() == 1);  // contacts have no Budget
      CHECK(c->custom[0]->name == "Nickname");
      CHECK(c->custom[0]->value == "Amazing Grace");
    }
  }
  CHECK(found);
}

TEST_CASE("a campaign's custom values: created, changed, cleared") {
  const reference::State ref = WithFields();
  campaign::Context cx;
  cx.reference = &ref;
  campaign::CreateCampaign create;
  create.ctx = Ctx();
  create.no = No("CP0001");
  create.f.name = "Spring";
  create.f.owner = "alice";
  create.f.custom = {{"region", "north"}};
  auto created = campaign::DecideCreate({}, cx, create);
  REQUIRE(Emitted(created) == "CampaignCreated");
  Given<campaign::State> given(campaign::Evolve);
  given.Add(*created);
  CHECK(given.state().custom == custom::Values{{"Region", "North"}});
  campaign::ChangeCampaign change;
  change.ctx = Ctx();
  change.no = No("CP0001");
  change.custom = {{"Region", "West"}};
  CHECK(ErrorOf(campaign::DecideChange(given.state(), cx, change)) == StatusCode::kInvalidArgument);
  change.custom = {{"Region", ""}};
  auto cleared = campaign::DecideChange(given.state(), cx, change);
  REQUIRE(Emitted(cleared) == "CampaignChanged");
  given.Add(*cleared);
  CHECK(given.state().custom.empty());
}

}  // namespace
}  // namespace crm::testing
