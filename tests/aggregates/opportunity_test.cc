// The end of the lead lifecycle (SPEC §4.2, §4.8): sales cycles (aggregates/sales_cycle.cc),
// opportunities moved through their stages and closed (aggregates/opportunity.h), and a lead's
// conversion (aggregates/lead_convert.cc), as given events / when command / then events or error.
#include "aggregates/opportunity.h"

#include <doctest/doctest.h>

#include <string>

#include "aggregates/catalog.h"
#include "aggregates/contact.h"
#include "aggregates/lead.h"
#include "tests/aggregates/aggregate_test_util.h"

namespace crm::testing {
namespace {

const reference::State& Ref() {
  static const reference::State ref = Reference();
  return ref;
}

catalog::Stage Stage(std::string text) { return *catalog::ParseStage(text); }

// Initial -> Presentation (may be skipped) -> Proposal (needs a quote) -> Negotiation; written as
// a literal event, not through the DecideAddSalesCycle under test.
NewEvent B2BCycle() {
  fb::SalesCycleAddedT e;
  e.code = "B2B";
  e.description = "Business sale";
  const struct {
    const char* description;
    int64_t completed, chance;
    bool skip, quote;
  } stages[] = {{"Initial", 10000, 20000, false, false},
                {"Presentation", 30000, 40000, true, false},
                {"Proposal", 60000, 60000, false, true},
                {"Negotiation", 90000, 80000, false, false}};
  int32_t n = 0;
  for (const auto& s : stages) {
    auto t = std::make_unique<fb::SalesCycleStageT>();
    t->stage = ++n;
    t->description = s.description;
    t->completed = s.completed;
    t->chance = s.chance;
    t->allow_skip = s.skip;
    t->quote_required = s.quote;
    e.stages.push_back(std::move(t));
  }
  return MakeEvent(catalog::CatalogStream(), std::move(e));
}

catalog::State Catalog() {
  Given<catalog::State> given(catalog::Evolve);
  given.Add(B2BCycle());
  return given.state();
}

NewEvent OpportunityCreated(std::string_view no, int64_t value) {
  fb::OpportunityCreatedT e;
  e.no = std::string(no);
  e.description = "Office chairs";
  e.contact = "CT0002";
  e.sales_cycle = "B2B";
  e.estimated_value = value;
  return MakeEvent(No(no).Stream(), std::move(e));
}

NewEvent StageEntered(std::string_view no, int32_t from, int32_t to) {
  fb::OpportunityStageChangedT e;
  e.no = std::string(no);
  e.from_stage = from;
  e.stage = to;
  return MakeEvent(No(no).Stream(), std::move(e));
}

Given<opportunity::State> AtStage(int32_t stage) {
  Given<opportunity::State> given(opportunity::Evolve);
  given.Add(OpportunityCreated("OP0001", 1250000));
  for (int32_t s = 1; s <= stage; ++s) given.Add(StageEntered("OP0001", s - 1, s));
  return given;
}

Result<Events> Move(const opportunity::State& s, fb::StageMove move, int32_t to = 0, std::string quote = "") {
  static const catalog::State catalog = Catalog();
  return opportunity::DecideStage(s, catalog.sales_cycles.at("B2B"), {No("OP0001"), move, to, std::move(quote)});
}

TEST_CASE("a sales cycle: stages numbered in order, never falling, added once") {
  Given<catalog::State> given(catalog::Evolve);
  catalog::AddSalesCycle add{"b2b", "Business sale", {Stage("Initial|10|20"), Stage("Proposal|60|60|quote")}};
  auto decide = [&](const catalog::State& s) { return catalog::Decide(Ref(), s, add); };
  CHECK(EmittedTwice(given, decide) == "SalesCycleAdded / nothing");
  given.Add(*decide(given.state()));
  const catalog::SalesCycle& cycle = given.state().sales_cycles.at("B2B");
  REQUIRE(cycle.stages.size() == 2);
  CHECK(cycle.stages[1].stage == 2);
  CHECK(cycle.stages[1].quote_required);
  CHECK(cycle.stages[1].chance == Percent(60000));

  catalog::AddSalesCycle other = add;
  other.stages.push_back(Stage("Negotiation|90|80"));
  CHECK(ErrorOf(catalog::Decide(Ref(), given.state(), other)) == StatusCode::kAlreadyExists);
  catalog::AddSalesCycle falling{"down", "Wrong", {Stage("A|50|50"), Stage("B|40|60")}};
  CHECK(ErrorOf(catalog::Decide(Ref(), {}, falling)) == StatusCode::kFailedPrecondition);
  CHECK(ErrorOf(catalog::Decide(Ref(), {}, catalog::AddSalesCycle{"none", "No stages", {}})) ==
        StatusCode::kFailedPrecondition);
  CHECK(!catalog::ParseStage("Proposal|60").ok());
  CHECK(!catalog::ParseStage("Proposal|160|60").ok());
  CHECK(!catalog::ParseStage("Proposal|60|60|maybe").ok());
  CHECK(catalog::ParseStage("Demo|30|40|skip")->allow_skip);
}

TEST_CASE("a sales cycle stage's activity: parsed, and defined in the catalogue") {
  const catalog::Stage visit = Stage("Visit|50|50|activity=followup|quote");
  CHECK(visit.activity == "FOLLOWUP");
  CHECK(visit.quote_required);
  CHECK(Stage("Visit|50|50").activity.empty());
  CHECK(!catalog::ParseStage("Visit|50|50|activity=").ok());
  catalog::AddSalesCycle add{"visits", "Sale by visits", {Stage("Contact|10|20"), visit}};
  CHECK(catalog::Decide(Ref(), {}, add).status().message() ==
        "stage 2 'Visit': activity FOLLOWUP does not exist (see activity list)");
  catalog::State with_activity;
  with_activity.activities["FOLLOWUP"] = {"FOLLOWUP", "Follow-up", {}};
  Given<catalog::State> given(catalog::Evolve, with_activity);
  given.Add(*catalog::Decide(Ref(), given.state(), add));
  CHECK(given.state().sales_cycles.at("VISITS").stages[1].activity == "FOLLOWUP");
}

TEST_CASE("an opportunity needs an existing contact, a defined cycle and a sound value and date") {
  const catalog::State catalog = Catalog();
  opportunity::Context cx{.catalog = &catalog, .contact_exists = true, .contact_company = "CT0001"};
  opportunity::Create c{No("OP0001"), "Office chairs", No("CT0002"), std::nullopt, "", "b2b", "2027-03-31", std::nullopt,
                        Money(1250000)};
  auto r = opportunity::DecideCreate({}, cx, c);
  REQUIRE(Emitted(r) == "OpportunityCreated");
  const auto* e = r->at(0).payload.AsOpportunityCreated();
  CHECK(e->sales_cycle == "B2B");
  CHECK(e->company == "CT0001");

  Given<opportunity::State> given(opportunity::Evolve);
  given.Add(*r);
  CHECK(given.state().status == opportunity::kNotStarted);
  CHECK(given.state().stage == 0);

  opportunity::Context no_contact = cx;
  no_contact.contact_exists = false;
  CHECK(ErrorOf(opportunity::DecideCreate({}, no_contact, c)) == StatusCode::kNotFound);
  opportunity::Context erased = cx;
  erased.contact_erased = true;
  CHECK(ErrorOf(opportunity::DecideCreate({}, erased, c)) == StatusCode::kFailedPrecondition);
  opportunity::Create bad = c;
  bad.sales_cycle = "RETAIL";
  CHECK(ErrorOf(opportunity::DecideCreate({}, cx, bad)) == StatusCode::kNotFound);
  bad = c;
  bad.estimated_value = Money(-1);
  CHECK(ErrorOf(opportunity::DecideCreate({}, cx, bad)) == StatusCode::kFailedPrecondition);
  bad = c;
  bad.close_date = "next spring";
  CHECK(ErrorOf(opportunity::DecideCreate({}, cx, bad)) == StatusCode::kFailedPrecondition);
  bad = c;
  bad.campaign = No("CP0009");
  CHECK(ErrorOf(opportunity::DecideCreate({}, cx, bad)) == StatusCode::kNotFound);
  bad = c;
  bad.salesperson = "NOBODY";
  CHECK(ErrorOf(opportunity::DecideCreate({}, cx, bad)) == StatusCode::kNotFound);
}

TEST_CASE("stages: next, previous and jump, over skippable stages only, with a quote where required") {
  auto start = AtStage(0);
  CHECK(ErrorOf(Move(start.state(), fb::StageMove::Previous)) == StatusCode::kFailedPrecondition);
  auto r = Move(start.state(), fb::StageMove::Next);
  REQUIRE(Emitted(r) == "OpportunityStageChanged");
  CHECK(r->at(0).payload.AsOpportunityStageChanged()->stage == 1);
  CHECK(r->at(0).payload.AsOpportunityStageChanged()->chance == 20000);

  auto first = AtStage(1);
  CHECK(first.state().status == opportunity::kInProgress);
  // Stage 2 allows skipping but stage 3 needs a quote; stage 4 cannot be reached past 3.
  CHECK(ErrorOf(Move(first.state(), fb::StageMove::Jump, 3)) == StatusCode::kFailedPrecondition);
  CHECK(Emitted(Move(first.state(), fb::StageMove::Jump, 3, "Q-1")) == "OpportunityStageChanged");
  CHECK(ErrorOf(Move(first.state(), fb::StageMove::Jump, 4)) == StatusCode::kFailedPrecondition);
  CHECK(ErrorOf(Move(first.state(), fb::StageMove::Jump, 1)) == StatusCode::kFailedPrecondition);
  CHECK(ErrorOf(Move(first.state(), fb::StageMove::Jump, 9)) == StatusCode::kFailedPrecondition);

  auto third = AtStage(3);
  auto back = Move(third.state(), fb::StageMove::Jump, 1);
  REQUIRE(Emitted(back) == "OpportunityStageChanged");
  CHECK(back->at(0).payload.AsOpportunityStageChanged()->from_stage == 3);
  CHECK(Emitted(Move(third.state(), fb::StageMove::Previous)) == "OpportunityStageChanged");
  auto last = AtStage(4);
  // Back into the stage that needs a quote: it had one when first entered.
  CHECK(Emitted(Move(last.state(), fb::StageMove::Previous)) == "OpportunityStageChanged");
  CHECK(ErrorOf(Move(last.state(), fb::StageMove::Next)) == StatusCode::kFailedPrecondition);
}

TEST_CASE("closing: won with the estimated value unless given, lost with nothing; closed stays closed") {
  auto given = AtStage(4);
  auto won = opportunity::DecideClose(given.state(), {No("OP0001"), true, "Price agreed", std::nullopt});
  REQUIRE(Emitted(won) == "OpportunityClosed");
  CHECK(won->at(0).payload.AsOpportunityClosed()->amount == 1250000);
  auto less = opportunity::DecideClose(given.state(), {No("OP0001"), true, "", Money(1180000)});
  REQUIRE(Emitted(less) == "OpportunityClosed");
  CHECK(less->at(0).payload.AsOpportunityClosed()->amount == 1180000);
  CHECK(ErrorOf(opportunity::DecideClose(given.state(), {No("OP0001"), false, "", Money(5)})) ==
        StatusCode::kFailedPrecondition);

  given.Add(*less);
  CHECK(given.state().status == opportunity::kWon);
  CHECK(given.state().amount_won == Money(1180000));
  CHECK(!given.state().open());
  CHECK(ErrorOf(opportunity::DecideClose(given.state(), {No("OP0001"), false, "", std::nullopt})) ==
        StatusCode::kFailedPrecondition);
  CHECK(ErrorOf(Move(given.state(), fb::StageMove::Previous)) == StatusCode::kFailedPrecondition);
}

contact::LeadState Lead(Given<contact::LeadState>* given) {
  given->Add(LeadCreated("LD0001", "Kim Lee"));
  return given->state();
}

TEST_CASE("lead convert: a new account from the company name, the person, consent carried, then read-only") {
  Given<contact::LeadState> given(contact::EvolveLead);
  given.Add(LeadCreated("LD0001", "Kim Lee"));
  fb::LeadChangedT company;
  company.no = "LD0001";
  company.company_name = "Contoso";
  company.email = "kim@contoso.example";
  given.Add(MakeEvent(No("LD0001").Stream(), std::move(company)));
  contact::RecordConsent opt_out{Ctx(), No("LD0001"), fb::ConsentKind::OptOut, "no newsletters"};
  given.Add(*contact::DecideConsent(given.state(), opt_out));

  contact::ConvertContext cx{&Ref(), std::nullopt};
  contact::ConvertLead c{No("LD0001"), No("CT0002"), std::nullopt, No("CT0001"), No("OP0001")};
  auto r = contact::DecideConvert(given.state(), cx, c);
  REQUIRE(r.ok());
  CHECK(Emitted(r->events) == "ContactCreated ContactCreated ConsentRecorded LeadConverted");
  const auto* account = r->events[0].payload.AsContactCreated();
  CHECK(account->type == fb::ContactType::Company);
  CHECK(account->name == "Contoso");
  const auto* person = r->events[1].payload.AsContactCreated();
  CHECK(person->no == "CT0002");
  CHECK(person->company == "CT0001");
  CHECK(person->email == "kim@contoso.example");
  CHECK(r->events[2].payload.AsConsentRecorded()->kind == fb::ConsentKind::OptOut);
  CHECK(r->events[2].payload.AsConsentRecorded()->no == "CT0002");
  CHECK(r->person.company == "CT0001");

  given.Add(r->events.back());
  CHECK(given.state().converted_to == "CT0002");
  CHECK(given.state().converted_opportunity == "OP0001");
  CHECK(ErrorOf(contact::DecideConvert(given.state(), cx, c).status()) == StatusCode::kFailedPrecondition);
  contact::ChangeLead rename{Ctx(), No("LD0001")};
  rename.f.name = "Kim Lee-Smith";
  contact::ContactContext pcx{&Ref(), std::nullopt, ""};
  CHECK(ErrorOf(contact::DecideChangeLead(given.state(), pcx, rename)) == StatusCode::kFailedPrecondition);
  CHECK(ErrorOf(contact::DecideConsent(given.state(), opt_out)) == StatusCode::kFailedPrecondition);
  CHECK(Emitted(contact::DecideEraseLead(given.state(), No("LD0001"))) == "PersonalDataErased");
}

TEST_CASE("lead convert: an existing account must be a company; no company name, no new account") {
  Given<contact::LeadState> given(contact::EvolveLead);
  const contact::LeadState lead = Lead(&given);
  Given<contact::ContactState> person(contact::EvolveContact);
  person.Add(ContactCreated("CT0001", "Pat Person"));
  contact::ConvertContext cx{&Ref(), person.state()};
  contact::ConvertLead c{No("LD0001"), No("CT0002"), No("CT0001"), std::nullopt, std::nullopt};
  CHECK(ErrorOf(contact::DecideConvert(lead, cx, c).status()) == StatusCode::kFailedPrecondition);
  Given<contact::ContactState> acme(contact::EvolveContact);
  acme.Add(ContactCreated("CT0001", "Acme", fb::ContactType::Company));
  cx.account = acme.state();
  auto r = contact::DecideConvert(lead, cx, c);
  REQUIRE(r.ok());
  CHECK(Emitted(r->events) == "ContactCreated LeadConverted");
  CHECK(r->events[0].payload.AsContactCreated()->company == "CT0001");
  CHECK(ErrorOf(contact::DecideConvert(lead, {&Ref(), std::nullopt}, c).status()) == StatusCode::kNotFound);

  contact::ConvertLead fresh{No("LD0001"), No("CT0003"), std::nullopt, No("CT0002"), std::nullopt};
  CHECK(ErrorOf(contact::DecideConvert(lead, {&Ref(), std::nullopt}, fresh).status()) ==
        StatusCode::kFailedPrecondition);
  contact::ConvertLead alone{No("LD0001"), No("CT0003"), std::nullopt, std::nullopt, std::nullopt};
  CHECK(Emitted(contact::DecideConvert(lead, {&Ref(), std::nullopt}, alone)->events) ==
        "ContactCreated LeadConverted");
}

TEST_CASE("a converted lead takes no new membership; its contact does") {
  const reference::State ref = Ref();
  campaign::State cp;
  cp.exists = true;
  cp.no = No("CP0001");
  membership::Context cx;
  cx.reference = &ref;
  cx.campaign = &cp;
  cx.known = {No("LD0001"), No("CT0002")};
  cx.converted[No("LD0001")] = "CT0002";
  membership::AddMembers add{Ctx(), No("CP0001"), {No("LD0001")}};
  CHECK(ErrorOf(membership::DecideAdd(cx, add)) == StatusCode::kFailedPrecondition);
  add.ids = {No("CT0002")};
  CHECK(Emitted(membership::DecideAdd(cx, add)) == "MemberAdded");
}

TEST_CASE("a conversion finds the company by name, else by the email's domain, never by a public mail domain") {
  contact::LeadState lead;
  lead.exists = true;
  lead.no = RecordNo(RecordKind::kLead, 1);
  lead.company_name = "  Fabrikam LTD ";
  lead.f.email = "kari@Fabrikam.example";
  auto company = [](const char* name, const char* email) {
    contact::ContactState c;
    c.exists = true;
    c.type = fb::ContactType::Company;
    c.f.name = name;
    c.f.email = email;
    return c;
  };
  using contact::CompanyMatch;
  CHECK(contact::CompanyMatchOf(lead, company("fabrikam ltd", "")) == CompanyMatch::kName);
  CHECK(contact::CompanyMatchOf(lead, company("Other", "sales@fabrikam.example")) == CompanyMatch::kEmailDomain);
  CHECK(contact::CompanyMatchOf(lead, company("Other", "sales@other.example")) == CompanyMatch::kNone);
  contact::ContactState person = company("Fabrikam Ltd", "");
  person.type = fb::ContactType::Person;
  CHECK(contact::CompanyMatchOf(lead, person) == CompanyMatch::kNone);
  contact::ContactState erased = company("Fabrikam Ltd", "");
  erased.erased = true;
  CHECK(contact::CompanyMatchOf(lead, erased) == CompanyMatch::kNone);
  lead.f.email = "kari@gmail.com";
  CHECK(contact::CompanyMatchOf(lead, company("Other", "someone@gmail.com")) == CompanyMatch::kNone);

  const RecordNo a(RecordKind::kContact, 1), b(RecordKind::kContact, 2), c(RecordKind::kContact, 3);
  auto chosen = contact::ChooseCompany(lead, {}, {});
  REQUIRE(chosen.ok());
  CHECK_FALSE(chosen->has_value());
  chosen = contact::ChooseCompany(lead, {a}, {b, c});  // a name wins over domains
  REQUIRE(chosen.ok());
  CHECK((*chosen)->company == a);
  CHECK((*chosen)->by == CompanyMatch::kName);
  chosen = contact::ChooseCompany(lead, {}, {c});
  REQUIRE(chosen.ok());
  CHECK((*chosen)->by == CompanyMatch::kEmailDomain);
  chosen = contact::ChooseCompany(lead, {a, b}, {c});
  CHECK(chosen.status().code() == StatusCode::kFailedPrecondition);
  CHECK(chosen.status().message().find("(CT0001, CT0002)") != std::string::npos);
}

}  // namespace
}  // namespace crm::testing
