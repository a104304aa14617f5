// Campaign details (aggregates/campaign.h): name, type, status code, dates, money, expected
// response, parent hierarchy (exists, at most 5 levels, no cycles), change events with only the
// differences and `cleared` names, idempotent create and change, and the fold.
#include "aggregates/campaign.h"

#include <doctest/doctest.h>

#include <string>

#include "aggregates/catalog.h"
#include "tests/aggregates/aggregate_test_util.h"

namespace crm::testing {
namespace {

using campaign::Context;
using campaign::State;

// Given: an initialised data set with campaign status codes PLANNED and ACTIVE.
reference::State WithStatuses() {
  return Reference({CampaignStatusCodeAdded("PLANNED"), CampaignStatusCodeAdded("ACTIVE")});
}

campaign::CreateCampaign Create(std::string name) {
  campaign::CreateCampaign c;
  c.ctx = Ctx();
  c.no = No("CP0002");
  c.f.name = std::move(name);
  return c;
}

// Given: CP0002 "Spring fair", PLANNED, 2027-03-01..2027-03-31, budget 1000.00, by bob.
Given<State> SpringFair() {
  fb::CampaignCreatedT e;
  e.no = "CP0002";
  e.name = "Spring fair";
  e.type = "Trade Show";
  e.status = "PLANNED";
  e.start_date = "2027-03-01";
  e.end_date = "2027-03-31";
  e.owner = "bob";
  e.budgeted_cost = 100000;
  e.expected_response = 10000;
  e.currency = "EUR";
  Given<State> given(campaign::Evolve);
  given.At("2027-01-02T08:00:00Z").By("bob").Add(MakeEvent(No("CP0002").Stream(), std::move(e)));
  return given;
}

campaign::ChangeCampaign Change() {
  campaign::ChangeCampaign c;
  c.ctx = Ctx();
  c.no = No("CP0002");
  return c;
}

// The context of a new parent `chain.front()` whose ancestors follow, nearest first.
Context UnderParent(const reference::State& ref, std::vector<std::string> chain, size_t subtree_height = 1) {
  Context cx{.reference = &ref};
  cx.salespeople = {"JO"};
  cx.parent_chain = std::move(chain);
  cx.parent_exists = !cx.parent_chain.empty();
  cx.subtree_height = subtree_height;
  return cx;
}

TEST_CASE("create campaign: fields are normalised into CampaignCreated and folded") {
  const auto ref = WithStatuses();
  auto c = Create("  Spring fair ");
  c.f.description = "Booth 12";
  c.f.type = "trade show";
  c.f.status = "planned";
  c.f.salesperson = "jo";
  c.f.start = Day("2027-03-01");
  c.f.end = Day("2027-03-31");
  c.f.budgeted_cost = Money(100000);
  c.f.actual_cost = Money(25050);
  c.f.expected_revenue = Money(500000);
  c.f.expected_response = Percent(12500);
  c.f.parent = "cp0001";
  c.cloned_from = "CP0001";
  const auto r = campaign::DecideCreate(State{}, UnderParent(ref, {"CP0001"}), c);
  REQUIRE(Emitted(r) == "CampaignCreated");
  CHECK(r->at(0).stream == StreamId("campaign/CP0002"));
  const auto* e = r->at(0).payload.AsCampaignCreated();
  CHECK(e->no == "CP0002");
  CHECK(e->name == "Spring fair");
  CHECK(e->type == "Trade Show");
  CHECK(e->status == "PLANNED");
  CHECK(e->owner == "alice");  // the creator, by default
  CHECK(e->salesperson == "JO");
  CHECK(e->start_date == "2027-03-01");
  CHECK(e->end_date == "2027-03-31");
  CHECK(e->budgeted_cost == 100000);
  CHECK(e->actual_cost == 25050);
  CHECK(e->expected_revenue == 500000);
  CHECK(e->expected_response == 12500);
  CHECK(e->parent == "CP0001");
  CHECK(e->currency == "EUR");
  CHECK(e->cloned_from == "CP0001");

  const auto s = Given(campaign::Evolve).By("alice").At("2027-01-03T10:00:00Z").Add(*r).state();
  CHECK(s.exists);
  CHECK(s.no == No("CP0002"));
  CHECK(s.name == "Spring fair");
  CHECK(s.type == "Trade Show");
  CHECK(s.status == "PLANNED");
  CHECK(s.start == Day("2027-03-01"));
  CHECK(s.end == Day("2027-03-31"));
  CHECK(s.actual_cost == Money(25050));
  CHECK(s.expected_response == Percent(12500));
  CHECK(s.parent == "CP0001");
  CHECK(s.currency == "EUR");
  CHECK(s.cloned_from == "CP0001");
  CHECK(s.created_by == Actor("alice"));
  CHECK(s.created_at == Ts("2027-01-03T10:00:00Z"));
  CHECK(s.modified_at == s.created_at);
}

TEST_CASE("create campaign: an explicit owner is kept; optional fields may stay empty") {
  const auto ref = WithStatuses();
  auto c = Create("Minimal");
  c.f.owner = "carol";
  const auto r = campaign::DecideCreate(State{}, Context{.reference = &ref}, c);
  REQUIRE(Emitted(r) == "CampaignCreated");
  const auto* e = r->at(0).payload.AsCampaignCreated();
  CHECK(e->owner == "carol");
  CHECK(e->type.empty());
  CHECK(e->status.empty());
  CHECK(e->start_date.empty());
  CHECK(e->parent.empty());
  const auto s = Given(campaign::Evolve).Add(*r).state();
  CHECK_FALSE(s.start.has_value());
  CHECK_FALSE(s.end.has_value());
  c.f.owner = std::string(51, 'o');
  CHECK(ErrorOf(campaign::DecideCreate(State{}, Context{.reference = &ref}, c)) == StatusCode::kFailedPrecondition);
}

TEST_CASE("create campaign: the name is required and at most 80 characters") {
  const auto ref = WithStatuses();
  const Context cx{.reference = &ref};
  CHECK(Emitted(campaign::DecideCreate({}, cx, Create(std::string(80, 'n')))) == "CampaignCreated");
  for (const std::string& bad : {std::string(""), std::string("  "), std::string(81, 'n'), std::string("a\tb")}) {
    INFO(bad);
    CHECK(ErrorOf(campaign::DecideCreate({}, cx, Create(bad))) == StatusCode::kFailedPrecondition);
  }
  auto c = Create("Fair");
  c.f.description = std::string(251, 'd');
  CHECK(ErrorOf(campaign::DecideCreate({}, cx, c)) == StatusCode::kFailedPrecondition);
}

TEST_CASE("create campaign: the type is canonicalised case-insensitively, unknown types refused") {
  const auto ref = WithStatuses();
  const Context cx{.reference = &ref};
  auto c = Create("Fair");
  for (const char* type : campaign::kCampaignTypes) {
    INFO(type);
    c.f.type = "  " + Lower(type) + " ";
    const auto r = campaign::DecideCreate({}, cx, c);
    REQUIRE(Emitted(r) == "CampaignCreated");
    CHECK(r->at(0).payload.AsCampaignCreated()->type == type);
  }
  for (const char* bad : {"Podcast", "Trade-Show", "Emails"}) {
    INFO(bad);
    c.f.type = bad;
    CHECK(ErrorOf(campaign::DecideCreate({}, cx, c)) == StatusCode::kFailedPrecondition);
  }
}

TEST_CASE("create campaign: the status must be a defined campaign status code") {
  const auto ref = WithStatuses();
  const Context cx{.reference = &ref};
  auto c = Create("Fair");
  c.f.status = "Active";
  const auto r = campaign::DecideCreate({}, cx, c);
  REQUIRE(Emitted(r) == "CampaignCreated");
  CHECK(r->at(0).payload.AsCampaignCreated()->status == "ACTIVE");
  c.f.status = "DONE";
  CHECK(ErrorOf(campaign::DecideCreate({}, cx, c)) == StatusCode::kNotFound);
  c.f.status = "not a code";
  CHECK(ErrorOf(campaign::DecideCreate({}, cx, c)) == StatusCode::kFailedPrecondition);
}

TEST_CASE("create campaign: start <= end, either date alone is fine") {
  const auto ref = WithStatuses();
  const Context cx{.reference = &ref};
  auto c = Create("Fair");
  c.f.start = Day("2027-03-01");
  c.f.end = Day("2027-03-01");
  CHECK(Emitted(campaign::DecideCreate({}, cx, c)) == "CampaignCreated");
  c.f.end = Day("2027-02-28");
  CHECK(ErrorOf(campaign::DecideCreate({}, cx, c)) == StatusCode::kFailedPrecondition);
  c.f.start.reset();
  CHECK(Emitted(campaign::DecideCreate({}, cx, c)) == "CampaignCreated");
  c.f.start = Day("2027-03-01");
  c.f.end.reset();
  CHECK(Emitted(campaign::DecideCreate({}, cx, c)) == "CampaignCreated");
}

TEST_CASE("create campaign: money cannot be negative; expected response is 0 to 100 %") {
  const auto ref = WithStatuses();
  const Context cx{.reference = &ref};
  SUBCASE("budgeted cost") {
    auto c = Create("Fair");
    c.f.budgeted_cost = Money(-1);
    CHECK(ErrorOf(campaign::DecideCreate({}, cx, c)) == StatusCode::kFailedPrecondition);
  }
  SUBCASE("actual cost") {
    auto c = Create("Fair");
    c.f.actual_cost = Money(-1);
    CHECK(ErrorOf(campaign::DecideCreate({}, cx, c)) == StatusCode::kFailedPrecondition);
  }
  SUBCASE("expected revenue") {
    auto c = Create("Fair");
    c.f.expected_revenue = Money(-100);
    CHECK(ErrorOf(campaign::DecideCreate({}, cx, c)) == StatusCode::kFailedPrecondition);
  }
  SUBCASE("expected response") {
    auto c = Create("Fair");
    c.f.expected_response = Percent(100000);  // 100 %
    CHECK(Emitted(campaign::DecideCreate({}, cx, c)) == "CampaignCreated");
    c.f.expected_response = Percent(100001);
    CHECK(ErrorOf(campaign::DecideCreate({}, cx, c)) == StatusCode::kFailedPrecondition);
    c.f.expected_response = Percent(-1);
    CHECK(ErrorOf(campaign::DecideCreate({}, cx, c)) == StatusCode::kFailedPrecondition);
  }
  SUBCASE("zero is fine") { CHECK(Emitted(campaign::DecideCreate({}, cx, Create("Fair"))) == "CampaignCreated"); }
}

TEST_CASE("create campaign: the parent must exist and be a campaign number") {
  const auto ref = WithStatuses();
  auto c = Create("Fair");
  c.f.parent = "CP0001";
  CHECK(ErrorOf(campaign::DecideCreate({}, Context{.reference = &ref}, c)) == StatusCode::kNotFound);
  for (const char* bad : {"CT0001", "XX", "CP1"}) {
    INFO(bad);
    c.f.parent = bad;
    CHECK(ErrorOf(campaign::DecideCreate({}, UnderParent(ref, {"CP0001"}), c)) == StatusCode::kFailedPrecondition);
  }
}

TEST_CASE("create campaign: a hierarchy is at most 5 levels deep") {
  const auto ref = WithStatuses();
  auto c = Create("Leaf");
  c.f.parent = "CP0010";
  // Parent at level 4 (three ancestors): the new campaign is level 5.
  CHECK(Emitted(campaign::DecideCreate({}, UnderParent(ref, {"CP0010", "CP0011", "CP0012", "CP0013"}), c)) ==
        "CampaignCreated");
  // Parent at level 5: a sixth level is refused.
  CHECK(ErrorOf(campaign::DecideCreate({}, UnderParent(ref, {"CP0010", "CP0011", "CP0012", "CP0013", "CP0014"}), c)) ==
        StatusCode::kFailedPrecondition);
}

TEST_CASE("create campaign twice emits nothing; the same number with another name is refused") {
  const auto ref = WithStatuses();
  const auto cx = UnderParent(ref, {"CP0001"});
  auto c = Create("Fair");
  c.f.parent = "CP0001";
  c.f.type = "webinar";
  Given<State> none(campaign::Evolve);
  const auto decide = [&](const State& s) { return campaign::DecideCreate(s, cx, c); };
  CHECK(EmittedTwice(none, decide) == "CampaignCreated / nothing");
  none.Add(*decide(none.state()));
  c.f.name = "Other fair";
  CHECK(ErrorOf(campaign::DecideCreate(none.state(), cx, c)) == StatusCode::kAlreadyExists);
  c.no = No("CT0002");
  CHECK(ErrorOf(campaign::DecideCreate({}, cx, c)) == StatusCode::kInternal);
}

TEST_CASE("change campaign: only the differences, emptied fields named in cleared") {
  const auto ref = WithStatuses();
  auto given = SpringFair();
  auto c = Change();
  c.name = "Spring fair";  // unchanged
  c.status = "active";
  c.type = "";
  c.description = "Hall B";
  c.actual_cost = Money(5000);
  c.budgeted_cost = Money(100000);  // unchanged
  const auto r = campaign::DecideChange(given.state(), Context{.reference = &ref}, c);
  REQUIRE(Emitted(r) == "CampaignChanged");
  const auto* e = r->at(0).payload.AsCampaignChanged();
  CHECK(e->no == "CP0002");
  CHECK(e->name.empty());
  CHECK(e->status == "ACTIVE");
  CHECK(e->description == "Hall B");
  CHECK(e->type.empty());
  CHECK(e->cleared == std::vector<std::string>{"type"});
  CHECK(e->actual_cost == 5000);
  CHECK_FALSE(e->budgeted_cost.has_value());
  CHECK_FALSE(e->expected_revenue.has_value());
  CHECK_FALSE(e->expected_response.has_value());
  CHECK(e->start_date.empty());
  CHECK(e->end_date.empty());

  given.At("2027-01-04T09:30:00Z").Add(*r);
  const auto& s = given.state();
  CHECK(s.name == "Spring fair");
  CHECK(s.status == "ACTIVE");
  CHECK(s.type.empty());
  CHECK(s.description == "Hall B");
  CHECK(s.actual_cost == Money(5000));
  CHECK(s.budgeted_cost == Money(100000));
  CHECK(s.start == Day("2027-03-01"));
  CHECK(s.created_by == Actor("bob"));
  CHECK(s.created_at == Ts("2027-01-02T08:00:00Z"));
  CHECK(s.modified_at == Ts("2027-01-04T09:30:00Z"));
}

TEST_CASE("change campaign: nothing different emits nothing; a change sent twice emits nothing") {
  const auto ref = WithStatuses();
  const Context cx{.reference = &ref, .salespeople = {"JO"}};
  auto same = Change();
  same.name = " Spring fair ";
  same.type = "TRADE SHOW";
  same.status = "planned";
  same.start = Day("2027-03-01");
  same.budgeted_cost = Money(100000);
  same.expected_response = Percent(10000);
  same.parent = "";
  CHECK(Emitted(campaign::DecideChange(SpringFair().state(), cx, same)) == "nothing");

  auto c = Change();
  c.name = "Summer fair";
  c.type = "conference";
  c.owner = "carol";
  c.salesperson = "jo";
  c.start = Day("2027-06-01");
  c.end = Day("2027-06-30");
  c.expected_revenue = Money(990000);
  c.expected_response = Percent(20000);
  CHECK(EmittedTwice(SpringFair(), [&](const State& s) { return campaign::DecideChange(s, cx, c); }) ==
        "CampaignChanged / nothing");
}

TEST_CASE("change campaign: name, type, status and owner rules") {
  const auto ref = WithStatuses();
  const Context cx{.reference = &ref};
  const auto s = SpringFair().state();
  auto c = Change();
  SUBCASE("the name cannot be cleared") {
    c.name = "";
    CHECK(ErrorOf(campaign::DecideChange(s, cx, c)) == StatusCode::kFailedPrecondition);
  }
  SUBCASE("name too long") {
    c.name = std::string(81, 'n');
    CHECK(ErrorOf(campaign::DecideChange(s, cx, c)) == StatusCode::kFailedPrecondition);
  }
  SUBCASE("unknown type") {
    c.type = "Podcast";
    CHECK(ErrorOf(campaign::DecideChange(s, cx, c)) == StatusCode::kFailedPrecondition);
  }
  SUBCASE("type canonicalised") {
    c.type = "direct MAIL";
    const auto r = campaign::DecideChange(s, cx, c);
    REQUIRE(Emitted(r) == "CampaignChanged");
    CHECK(r->at(0).payload.AsCampaignChanged()->type == "Direct Mail");
  }
  SUBCASE("undefined status") {
    c.status = "DONE";
    CHECK(ErrorOf(campaign::DecideChange(s, cx, c)) == StatusCode::kNotFound);
  }
  SUBCASE("status cleared") {
    c.status = "";
    const auto r = campaign::DecideChange(s, cx, c);
    REQUIRE(Emitted(r) == "CampaignChanged");
    CHECK(r->at(0).payload.AsCampaignChanged()->cleared == std::vector<std::string>{"status"});
  }
  SUBCASE("malformed salesperson") {
    c.salesperson = "jo jo";
    CHECK(ErrorOf(campaign::DecideChange(s, cx, c)) == StatusCode::kFailedPrecondition);
  }
  SUBCASE("unknown campaign") {
    c.name = "X";
    CHECK(ErrorOf(campaign::DecideChange(State{}, cx, c)) == StatusCode::kNotFound);
  }
}

TEST_CASE("change campaign: start <= end also when only one side changes") {
  const auto ref = WithStatuses();
  const Context cx{.reference = &ref};
  const auto s = SpringFair().state();  // 2027-03-01 .. 2027-03-31
  auto c = Change();
  SUBCASE("start after the existing end") {
    c.start = Day("2027-04-01");
    CHECK(ErrorOf(campaign::DecideChange(s, cx, c)) == StatusCode::kFailedPrecondition);
  }
  SUBCASE("end before the existing start") {
    c.end = Day("2027-02-28");
    CHECK(ErrorOf(campaign::DecideChange(s, cx, c)) == StatusCode::kFailedPrecondition);
  }
  SUBCASE("both move together") {
    c.start = Day("2027-04-01");
    c.end = Day("2027-04-30");
    const auto r = campaign::DecideChange(s, cx, c);
    REQUIRE(Emitted(r) == "CampaignChanged");
    CHECK(r->at(0).payload.AsCampaignChanged()->start_date == "2027-04-01");
    CHECK(r->at(0).payload.AsCampaignChanged()->end_date == "2027-04-30");
  }
  SUBCASE("end cleared, then start may move later") {
    c.end.emplace();  // present and empty: clear the end date
    c.start = Day("2027-05-01");
    const auto r = campaign::DecideChange(s, cx, c);
    REQUIRE(Emitted(r) == "CampaignChanged");
    const auto* e = r->at(0).payload.AsCampaignChanged();
    CHECK(e->start_date == "2027-05-01");
    CHECK(e->end_date.empty());
    CHECK(e->cleared == std::vector<std::string>{"end_date"});
  }
}

TEST_CASE("change campaign: money cannot become negative, expected response stays 0 to 100 %") {
  const auto ref = WithStatuses();
  const Context cx{.reference = &ref};
  const auto s = SpringFair().state();
  auto c = Change();
  SUBCASE("budgeted cost") {
    c.budgeted_cost = Money(-1);
    CHECK(ErrorOf(campaign::DecideChange(s, cx, c)) == StatusCode::kFailedPrecondition);
  }
  SUBCASE("actual cost") {
    c.actual_cost = Money(-1);
    CHECK(ErrorOf(campaign::DecideChange(s, cx, c)) == StatusCode::kFailedPrecondition);
  }
  SUBCASE("expected revenue") {
    c.expected_revenue = Money(-1);
    CHECK(ErrorOf(campaign::DecideChange(s, cx, c)) == StatusCode::kFailedPrecondition);
  }
  SUBCASE("expected response") {
    c.expected_response = Percent(100001);
    CHECK(ErrorOf(campaign::DecideChange(s, cx, c)) == StatusCode::kFailedPrecondition);
    c.expected_response = Percent(-5);
    CHECK(ErrorOf(campaign::DecideChange(s, cx, c)) == StatusCode::kFailedPrecondition);
  }
  SUBCASE("zero is allowed") {
    c.budgeted_cost = Money(0);
    const auto r = campaign::DecideChange(s, cx, c);
    REQUIRE(Emitted(r) == "CampaignChanged");
    CHECK(r->at(0).payload.AsCampaignChanged()->budgeted_cost == 0);
  }
}

TEST_CASE("change campaign: a new parent must exist, not be itself, and not create a cycle") {
  const auto ref = WithStatuses();
  const auto s = SpringFair().state();
  auto c = Change();
  c.parent = "CP0001";
  CHECK(ErrorOf(campaign::DecideChange(s, Context{.reference = &ref}, c)) == StatusCode::kNotFound);
  const auto r = campaign::DecideChange(s, UnderParent(ref, {"CP0001"}), c);
  REQUIRE(Emitted(r) == "CampaignChanged");
  CHECK(r->at(0).payload.AsCampaignChanged()->parent == "CP0001");

  c.parent = "cp0002";
  CHECK(ErrorOf(campaign::DecideChange(s, UnderParent(ref, {"CP0002"}), c)) == StatusCode::kFailedPrecondition);
  // CP0005 is a child of CP0002: making it the parent closes a loop (depth alone would allow it).
  c.parent = "CP0005";
  CHECK(ErrorOf(campaign::DecideChange(s, UnderParent(ref, {"CP0005", "CP0002"}, 2), c)) ==
        StatusCode::kFailedPrecondition);
  c.parent = "CT0005";
  CHECK(ErrorOf(campaign::DecideChange(s, UnderParent(ref, {"CP0005"}), c)) == StatusCode::kFailedPrecondition);
}

TEST_CASE("change campaign: moving a subtree keeps the whole hierarchy within 5 levels") {
  const auto ref = WithStatuses();
  const auto s = SpringFair().state();
  auto c = Change();
  c.parent = "CP0001";
  // Two levels above plus a subtree three deep: five levels.
  CHECK(Emitted(campaign::DecideChange(s, UnderParent(ref, {"CP0001", "CP0009"}, 3), c)) == "CampaignChanged");
  // Two above plus four deep: six.
  CHECK(ErrorOf(campaign::DecideChange(s, UnderParent(ref, {"CP0001", "CP0009"}, 4), c)) ==
        StatusCode::kFailedPrecondition);
  CHECK(ErrorOf(campaign::DecideChange(s, UnderParent(ref, {"CP0001", "CP0009", "CP0008", "CP0007", "CP0006"}), c)) ==
        StatusCode::kFailedPrecondition);
}

TEST_CASE("change campaign: the parent is cleared without any context, and sent twice emits nothing") {
  const auto ref = WithStatuses();
  auto given = SpringFair();
  auto set = Change();
  set.parent = "CP0001";
  given.Add(*campaign::DecideChange(given.state(), UnderParent(ref, {"CP0001"}), set));
  REQUIRE(given.state().parent == "CP0001");
  CHECK(Emitted(campaign::DecideChange(given.state(), UnderParent(ref, {"CP0001"}), set)) == "nothing");

  auto clear = Change();
  clear.parent = "";
  const auto r = campaign::DecideChange(given.state(), Context{.reference = &ref}, clear);
  REQUIRE(Emitted(r) == "CampaignChanged");
  CHECK(r->at(0).payload.AsCampaignChanged()->cleared == std::vector<std::string>{"parent"});
  CHECK(EmittedTwice(given, [&](const State& st) {
          return campaign::DecideChange(st, Context{.reference = &ref}, clear);
        }) == "CampaignChanged / nothing");
  CHECK(given.Add(*r).state().parent.empty());
}

TEST_CASE("evolve CampaignChanged: dates cleared, money and response set, absent fields kept") {
  auto given = SpringFair();
  fb::CampaignChangedT e;
  e.no = "CP0002";
  e.end_date = "2027-04-15";
  e.expected_revenue = 750000;
  e.expected_response = 0;  // present: set to zero, not "unchanged"
  e.cleared = {"start_date", "status", "owner"};
  given.Add(MakeEvent(No("CP0002").Stream(), std::move(e)));
  const auto& s = given.state();
  CHECK_FALSE(s.start.has_value());
  CHECK(s.end == Day("2027-04-15"));
  CHECK(s.status.empty());
  CHECK(s.owner.empty());
  CHECK(s.expected_revenue == Money(750000));
  CHECK(s.expected_response == Percent(0));
  CHECK(s.budgeted_cost == Money(100000));
  CHECK(s.name == "Spring fair");
  CHECK(s.type == "Trade Show");

  // Membership events on the campaign stream leave the details alone.
  given.Add(MemberAdded("CP0002", "CT0001", "Sent"));
  CHECK(given.state().name == "Spring fair");
  CHECK(given.state().end == Day("2027-04-15"));
}

}  // namespace
TEST_CASE("campaign: a salesperson must be defined, an owner must be a user once users exist") {
  const auto ref = WithStatuses();
  Context cx{.reference = &ref, .salespeople = {"JO"}};
  auto c = Create("Spring fair");
  c.f.salesperson = "sp9";
  CHECK(Emitted(campaign::DecideCreate(State{}, cx, c)) ==
        "error: not found: salesperson SP9 is not defined (crmctl salesperson add ...)");
  c.f.salesperson = "jo";
  CHECK(Emitted(campaign::DecideCreate(State{}, cx, c)) == "CampaignCreated");

  auto change = Change();
  change.salesperson = "SP9";
  CHECK(Emitted(campaign::DecideChange(SpringFair().state(), cx, change)) ==
        "error: not found: salesperson SP9 is not defined (crmctl salesperson add ...)");
  change.salesperson = "";  // clearing it needs no salesperson
  change.owner = "nobody";
  CHECK(Emitted(campaign::DecideChange(SpringFair().state(), cx, change)) == "CampaignChanged");  // no users yet
  cx.users = {"boss", "carol"};
  CHECK(Emitted(campaign::DecideChange(SpringFair().state(), cx, change)) ==
        "error: not found: owner 'nobody' is not a user (crmctl user list)");
  change.owner = "carol";
  CHECK(Emitted(campaign::DecideChange(SpringFair().state(), cx, change)) == "CampaignChanged");
}

TEST_CASE("campaign attachments: one per name, the same bytes again write nothing, detach by name") {
  Given<campaign::State> given(campaign::Evolve);
  given.Add(CampaignCreated("CP0001", "Trade show"));
  const campaign::Attach plan{No("CP0001"), "booth.txt", "Booth plan\n"};
  auto attach = [&](const campaign::Attach& a) { return [a](const campaign::State& s) { return campaign::DecideAttach(s, a); }; };
  CHECK(EmittedTwice(given, attach(plan)) == "CampaignAttachmentAdded / nothing");
  given.Add(*campaign::DecideAttach(given.state(), plan));
  REQUIRE(given.state().attachments.size() == 1);
  CHECK(given.state().attachments[0].size == 11);
  CHECK(given.state().attachments[0].sha256 == catalog::Sha256Hex("Booth plan\n"));
  given.Add(*campaign::DecideAttach(given.state(), {No("CP0001"), "booth.txt", "Booth plan v2\n"}));  // replaced
  given.Add(*campaign::DecideAttach(given.state(), {No("CP0001"), "agenda.txt", "Agenda\n"}));
  REQUIRE(given.state().attachments.size() == 2);
  CHECK(given.state().attachments[0].file_name == "agenda.txt");  // by name
  CHECK(given.state().attachments[1].size == 14);

  CHECK(ErrorOf(campaign::DecideAttach(given.state(), {No("CP0001"), "empty.txt", ""})) ==
        StatusCode::kFailedPrecondition);
  CHECK(ErrorOf(campaign::DecideAttach(given.state(), {No("CP0001"), "a/b.txt", "x"})) ==
        StatusCode::kFailedPrecondition);
  CHECK(ErrorOf(campaign::DecideAttach(campaign::State{}, plan)) == StatusCode::kNotFound);
  given.Add(*campaign::DecideDetach(given.state(), {No("CP0001"), "booth.txt"}));
  CHECK(given.state().attachments.size() == 1);
  CHECK(campaign::DecideDetach(given.state(), {No("CP0001"), "booth.txt"}).status().message() ==
        "campaign CP0001 has no attachment 'booth.txt'");
}

}  // namespace crm::testing

namespace crm::testing {

TEST_CASE("number sent (schema 2): kept on create, changed alone, never negative") {
  const auto ref = Reference({CampaignStatusCodeAdded("PLANNED")});
  const Context cx{.reference = &ref};
  campaign::CreateCampaign c;
  c.ctx = Ctx();
  c.no = No("CP0009");
  c.f.name = "Mailing";
  c.f.number_sent = 500;
  const auto created = campaign::DecideCreate({}, cx, c);
  REQUIRE(Emitted(created) == "CampaignCreated");
  CHECK(created->at(0).payload.AsCampaignCreated()->number_sent == 500);
  auto given = Given(campaign::Evolve);
  given.Add(created->at(0));
  CHECK(given.state().number_sent == 500);

  campaign::ChangeCampaign change;
  change.ctx = Ctx();
  change.no = No("CP0009");
  change.number_sent = 750;
  const auto changed = campaign::DecideChange(given.state(), cx, change);
  REQUIRE(Emitted(changed) == "CampaignChanged");
  CHECK(changed->at(0).payload.AsCampaignChanged()->number_sent == flatbuffers::Optional<int64_t>(750));
  given.Add(changed->at(0));
  CHECK(given.state().number_sent == 750);
  CHECK(Emitted(campaign::DecideChange(given.state(), cx, change)) == "nothing");

  change.number_sent = -1;
  CHECK(ErrorOf(campaign::DecideChange(given.state(), cx, change)) == StatusCode::kFailedPrecondition);
  c.f.number_sent = -1;
  CHECK(ErrorOf(campaign::DecideCreate({}, cx, c)) == StatusCode::kFailedPrecondition);
}

TEST_CASE("delete and restore a campaign: refused while needed; a deleted campaign is not changed") {
  auto given = Given(campaign::Evolve);
  given.Add(CampaignCreated("CP0001", "Trade show"));
  campaign::DeleteCampaign del{Ctx(), No("CP0001"), false};
  const auto refused = campaign::DecideDelete(given.state(), del, {"2 logged interaction(s) not canceled"});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().message() == "cannot delete campaign CP0001: still needed by 2 logged interaction(s) not canceled");
  CHECK(campaign::DecideDelete(campaign::State{}, del, {}).status().code() == StatusCode::kNotFound);
  const auto deleted = campaign::DecideDelete(given.state(), del, {});
  REQUIRE(Emitted(deleted) == "CampaignDeleted");
  given.Add(deleted->at(0));
  CHECK(given.state().deleted);
  CHECK(Emitted(campaign::DecideDelete(given.state(), del, {})) == "nothing");
  campaign::ChangeCampaign change;
  change.ctx = Ctx();
  change.no = No("CP0001");
  change.name = "Renamed";
  CHECK(ErrorOf(campaign::DecideChange(given.state(), {}, change)) == StatusCode::kFailedPrecondition);
  const auto back = campaign::DecideDelete(given.state(), {Ctx(), No("CP0001"), true}, {"ignored"});
  REQUIRE(Emitted(back) == "CampaignDeleted");
  given.Add(back->at(0));
  CHECK_FALSE(given.state().deleted);
}

}  // namespace crm::testing
