// The sales catalogue (aggregates/catalog.h): interaction templates with their attachments per
// language, salespeople and teams, written as given events / when command / then events or error.
#include "aggregates/catalog.h"

#include <doctest/doctest.h>

#include <string>

#include "tests/aggregates/aggregate_test_util.h"

namespace crm::testing {
namespace {

using catalog::Decide;

const reference::State& Ref() {
  static const reference::State ref = Reference();
  return ref;
}

auto DecideWith(catalog::Command command) {
  return [command](const catalog::State& s) { return Decide(Ref(), s, command); };
}

catalog::TemplateFields Described(std::string description) {
  catalog::TemplateFields f;
  f.description = std::move(description);
  return f;
}

catalog::AddTemplate Bus() {
  catalog::AddTemplate c{.code = "bus", .fields = Described("Business letter")};
  c.fields.unit_cost = Money(150);
  c.fields.unit_duration = 5;
  c.fields.language = "enu";
  return c;
}

Given<catalog::State> WithBus() {
  Given<catalog::State> given(catalog::Evolve);
  given.Add(*Decide(Ref(), given.state(), Bus()));
  return given;
}

TEST_CASE("a template is added once; the same add again is a retry, a different one is refused") {
  Given<catalog::State> given(catalog::Evolve);
  CHECK(EmittedTwice(given, DecideWith(Bus())) == "InteractionTemplateAdded / nothing");
  given = WithBus();
  const catalog::TemplateDef& bus = given.state().templates.at("BUS");
  CHECK(bus.unit_cost == Money(150));
  CHECK(bus.unit_duration == 5);
  CHECK(bus.language == "ENU");
  CHECK(bus.correspondence == fb::Correspondence::Email);
  CHECK(bus.flow == fb::InformationFlow::Outbound);
  catalog::AddTemplate other = Bus();
  other.fields.unit_cost = Money(200);
  CHECK(ErrorOf(Decide(Ref(), given.state(), other)) == StatusCode::kAlreadyExists);
}

TEST_CASE("a template needs a description and no negative cost or duration") {
  catalog::State empty;
  CHECK(ErrorOf(Decide(Ref(), empty, catalog::AddTemplate{.code = "X"})) == StatusCode::kFailedPrecondition);
  catalog::AddTemplate c = Bus();
  c.fields.unit_cost = Money(-1);
  CHECK(ErrorOf(Decide(Ref(), empty, c)) == StatusCode::kFailedPrecondition);
  c = Bus();
  c.fields.unit_duration = -5;
  CHECK(ErrorOf(Decide(Ref(), empty, c)) == StatusCode::kFailedPrecondition);
  c = Bus();
  c.code = "not a code";
  CHECK(ErrorOf(Decide(Ref(), empty, c)) == StatusCode::kFailedPrecondition);
}

TEST_CASE("nothing is decided before the data set is initialised") {
  CHECK(ErrorOf(Decide(reference::State{}, catalog::State{}, Bus())) == StatusCode::kFailedPrecondition);
}

TEST_CASE("set changes only what it names and writes the whole new definition") {
  Given<catalog::State> given = WithBus();
  catalog::SetTemplate set{.code = "BUS"};
  set.fields.campaign_response = true;
  set.fields.flow = fb::InformationFlow::Inbound;
  CHECK(EmittedTwice(given, DecideWith(set)) == "InteractionTemplateChanged / nothing");
  given.Add(*Decide(Ref(), given.state(), set));
  const catalog::TemplateDef& bus = given.state().templates.at("BUS");
  CHECK(bus.campaign_response);
  CHECK(bus.flow == fb::InformationFlow::Inbound);
  CHECK(bus.unit_cost == Money(150));  // untouched
  CHECK(bus.description == "Business letter");
  CHECK(ErrorOf(Decide(Ref(), given.state(), catalog::SetTemplate{.code = "NONE"})) == StatusCode::kNotFound);
}

TEST_CASE("one attachment per language; a new file replaces it; the same file again is a retry") {
  Given<catalog::State> given = WithBus();
  catalog::SetTemplate attach{.code = "BUS", .attachment = catalog::NewAttachment{"ENU", "thanks.txt", "Dear {{name}}"}};
  CHECK(EmittedTwice(given, DecideWith(attach)) == "InteractionTemplateAttachmentSet / nothing");
  given.Add(*Decide(Ref(), given.state(), attach));
  attach.attachment->content = "Dear {{name}}, again";
  given.Add(*Decide(Ref(), given.state(), attach));
  catalog::SetTemplate any{.code = "BUS", .attachment = catalog::NewAttachment{"", "generic.txt", "Hello"}};
  given.Add(*Decide(Ref(), given.state(), any));
  const catalog::TemplateDef& bus = given.state().templates.at("BUS");
  REQUIRE(bus.attachments.size() == 2);
  REQUIRE(bus.AttachmentFor("ENU") != nullptr);
  CHECK(bus.AttachmentFor("ENU")->sha256 == catalog::Sha256Hex("Dear {{name}}, again"));
  CHECK(bus.AttachmentFor("ENU")->size == 20);
  REQUIRE(bus.AttachmentFor("DEU") != nullptr);
  CHECK(bus.AttachmentFor("DEU")->file_name == "generic.txt");  // falls back to any language
}

TEST_CASE("an attachment is refused when empty, larger than 1 MiB or named with a path") {
  Given<catalog::State> given = WithBus();
  auto attach = [&](std::string name, std::string content) {
    return ErrorOf(Decide(Ref(), given.state(), catalog::SetTemplate{.code = "BUS",
                                                                      .attachment = catalog::NewAttachment{
                                                                          "ENU", std::move(name), std::move(content)}}));
  };
  CHECK(attach("a.txt", "") == StatusCode::kFailedPrecondition);
  CHECK(attach("a.txt", std::string(catalog::kMaxAttachmentBytes + 1, 'x')) == StatusCode::kFailedPrecondition);
  CHECK(attach("dir/a.txt", "x") == StatusCode::kFailedPrecondition);
  CHECK(attach("a.txt", std::string(catalog::kMaxAttachmentBytes, 'x')) == StatusCode::kOk);
}

TEST_CASE("a salesperson needs a name and a valid email; set changes what it names") {
  Given<catalog::State> given(catalog::Evolve);
  catalog::AddSalesperson ann{.code = "sp1", .name = "Ann Sales", .email = "ann@example.com"};
  CHECK(EmittedTwice(given, DecideWith(ann)) == "SalespersonAdded / nothing");
  CHECK(ErrorOf(Decide(Ref(), given.state(), catalog::AddSalesperson{.code = "SP2", .name = ""})) ==
        StatusCode::kFailedPrecondition);
  CHECK(ErrorOf(Decide(Ref(), given.state(), catalog::AddSalesperson{.code = "SP2", .name = "Bo", .email = "bo"})) ==
        StatusCode::kFailedPrecondition);
  given.Add(*Decide(Ref(), given.state(), ann));
  catalog::AddSalesperson renamed = ann;
  renamed.name = "Ann Other";
  CHECK(ErrorOf(Decide(Ref(), given.state(), renamed)) == StatusCode::kAlreadyExists);
  CHECK(EmittedTwice(given, DecideWith(catalog::SetSalesperson{.code = "SP1", .name = "Ann Other"})) ==
        "SalespersonChanged / nothing");
}

TEST_CASE("a team has at least one member, only defined salespeople, each once") {
  Given<catalog::State> given(catalog::Evolve);
  given.Add(*Decide(Ref(), given.state(), catalog::AddSalesperson{.code = "SP1", .name = "Ann"}));
  given.Add(*Decide(Ref(), given.state(), catalog::AddSalesperson{.code = "SP2", .name = "Bo"}));
  CHECK(ErrorOf(Decide(Ref(), given.state(), catalog::AddTeam{.code = "T1"})) == StatusCode::kFailedPrecondition);
  CHECK(ErrorOf(Decide(Ref(), given.state(), catalog::AddTeam{.code = "T1", .members = {"SP1", "SP9"}})) ==
        StatusCode::kNotFound);
  catalog::AddTeam team{.code = "t1", .description = "North", .members = {"sp2", "SP1", "sp2"}};
  CHECK(EmittedTwice(given, DecideWith(team)) == "TeamAdded / nothing");
  given.Add(*Decide(Ref(), given.state(), team));
  CHECK(given.state().teams.at("T1").members == std::vector<std::string>{"SP1", "SP2"});
  catalog::SetTeam shrink{.code = "T1", .members = std::vector<std::string>{"SP2"}};
  CHECK(EmittedTwice(given, DecideWith(shrink)) == "TeamChanged / nothing");
  CHECK(ErrorOf(Decide(Ref(), given.state(), catalog::SetTeam{.code = "T9"})) == StatusCode::kNotFound);
}

TEST_CASE("saved criteria keep their steps; the same save again is a retry, another is refused") {
  Given<catalog::State> given(catalog::Evolve);
  catalog::SaveCriteria save{.code = "fair",
                             .description = "Fair visitors",
                             .segment = "SM0001",
                             .steps = {{fb::SegmentStepKind::AddContacts, "job_responsibility=PURCHASE", "",
                                        {"job_responsibility=PURCHASE"}},
                                       {fb::SegmentStepKind::Reduce, "business_relation=CUST", "", {"business_relation=CUST"}}}};
  CHECK(EmittedTwice(given, DecideWith(save)) == "SegmentCriteriaSaved / nothing");
  given.Add(*Decide(Ref(), given.state(), save));
  REQUIRE(given.state().criteria.contains("FAIR"));
  CHECK(given.state().criteria.at("FAIR").steps == save.steps);
  catalog::SaveCriteria other = save;
  other.steps.pop_back();
  CHECK(ErrorOf(Decide(Ref(), given.state(), other)) == StatusCode::kAlreadyExists);
  catalog::SaveCriteria empty = save;
  empty.code = "NONE";
  empty.steps.clear();
  CHECK(ErrorOf(Decide(Ref(), given.state(), empty)) == StatusCode::kFailedPrecondition);
  empty.steps = save.steps;
  empty.description = "";
  CHECK(ErrorOf(Decide(Ref(), given.state(), empty)) == StatusCode::kFailedPrecondition);
}

TEST_CASE("a salesperson or template is deleted unless named, kept apart, restored; its code is not reused") {
  Given<catalog::State> given = WithBus();
  given.Add(*Decide(Ref(), given.state(), catalog::AddSalesperson{"sp1", "Ann Sales", ""}));
  const catalog::DeleteEntry named{fb::CatalogEntryKind::Salesperson, "SP1", false, {"contact CT0001", "team NORTH"}};
  auto refused = Decide(Ref(), given.state(), named);
  REQUIRE(ErrorOf(refused) == StatusCode::kFailedPrecondition);
  CHECK(refused.status().message() == "salesperson SP1 is still named by contact CT0001, team NORTH");

  const catalog::DeleteEntry del{fb::CatalogEntryKind::Salesperson, "sp1", false, {}};
  CHECK(EmittedTwice(given, DecideWith(del)) == "CatalogEntryDeleted / nothing");
  given.Add(*Decide(Ref(), given.state(), del));
  CHECK_FALSE(given.state().salespeople.contains("SP1"));  // so every check of what exists refuses it
  CHECK(given.state().deleted_salespeople.at("SP1").name == "Ann Sales");
  CHECK(ErrorOf(Decide(Ref(), given.state(), catalog::AddSalesperson{"SP1", "Ann Sales", ""})) ==
        StatusCode::kFailedPrecondition);
  CHECK(ErrorOf(Decide(Ref(), given.state(), catalog::SetSalesperson{"SP1", "Ann", std::nullopt})) ==
        StatusCode::kFailedPrecondition);
  CHECK(ErrorOf(Decide(Ref(), given.state(), catalog::AddTeam{"T", "", {"SP1"}})) == StatusCode::kFailedPrecondition);

  const catalog::DeleteEntry restore{fb::CatalogEntryKind::Salesperson, "SP1", true, {}};
  CHECK(EmittedTwice(given, DecideWith(restore)) == "CatalogEntryDeleted / nothing");
  given.Add(*Decide(Ref(), given.state(), restore));
  CHECK(given.state().salespeople.contains("SP1"));
  CHECK(given.state().deleted_salespeople.empty());

  const catalog::DeleteEntry bus{fb::CatalogEntryKind::InteractionTemplate, "BUS", false, {}};
  given.Add(*Decide(Ref(), given.state(), bus));
  CHECK_FALSE(given.state().templates.contains("BUS"));
  CHECK(given.state().deleted_templates.at("BUS").unit_cost == Money(150));
  CHECK(ErrorOf(Decide(Ref(), given.state(), Bus())) == StatusCode::kFailedPrecondition);
  CHECK(ErrorOf(Decide(Ref(), given.state(), catalog::DeleteEntry{fb::CatalogEntryKind::InteractionTemplate, "NONE",
                                                                    false, {}})) == StatusCode::kNotFound);
}

}  // namespace
}  // namespace crm::testing
