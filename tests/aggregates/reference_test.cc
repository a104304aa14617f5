// Reference data (aggregates/reference.h): data-set init, campaign status codes, the member status
// catalogue (at most 20, exactly one default, at least one responded) and profile codes, written as
// given events / when command / then events or error. Also the shared code rule from common.h.
#include "aggregates/reference.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "tests/aggregates/aggregate_test_util.h"

namespace crm::testing {
namespace {

using reference::Decide;

// Given: `crmctl init` has run (Sent default, Responded responded), plus `extra`.
Given<reference::State> Initialised(const Events& extra = {}) {
  Given<reference::State> given(reference::Evolve);
  given.Add(InitialisedReference()).Add(extra);
  return given;
}

auto DecideWith(reference::Command command) {
  return [command](const reference::State& s) { return Decide(s, command); };
}

size_t CountDefaults(const reference::State& s) {
  return std::count_if(s.member_statuses.begin(), s.member_statuses.end(), [](const auto& d) { return d.is_default; });
}

// "" when there is none, so a broken fold fails the check instead of crashing the run.
std::string DefaultName(const reference::State& s) {
  return s.DefaultStatus() != nullptr ? s.DefaultStatus()->name : "";
}
std::string FirstRespondedName(const reference::State& s) {
  return s.FirstRespondedStatus() != nullptr ? s.FirstRespondedStatus()->name : "";
}

std::string Names(const reference::State& s) {
  std::string out;
  for (const auto& d : s.member_statuses) out += (out.empty() ? "" : " ") + d.name;
  return out;
}

TEST_CASE("codes are upper-cased, 1 to 20 characters of A-Z 0-9 - _ . / +") {
  CHECK(*NormalizeCode("purchase", "code") == "PURCHASE");
  CHECK(*NormalizeCode("  planned ", "code") == "PLANNED");
  CHECK(*NormalizeCode("a-b_c.d/e+f9", "code") == "A-B_C.D/E+F9");
  CHECK(*NormalizeCode(std::string(20, 'x'), "code") == std::string(20, 'X'));
  for (const char* bad : {"", "   ", "A B", "X*Y", "ÆØÅ", "a,b", "ab\tc"}) {
    INFO(bad);
    CHECK(NormalizeCode(bad, "code").status().code() == StatusCode::kFailedPrecondition);
  }
  CHECK(NormalizeCode(std::string(21, 'x'), "code").status().code() == StatusCode::kFailedPrecondition);
}

TEST_CASE("before init every command except init is refused") {
  const reference::State empty;
  CHECK(ErrorOf(Decide(empty, reference::AddCampaignStatus{"PLANNED", ""})) == StatusCode::kFailedPrecondition);
  CHECK(ErrorOf(Decide(empty, reference::RemoveCampaignStatus{"PLANNED", 0})) == StatusCode::kFailedPrecondition);
  CHECK(ErrorOf(Decide(empty, reference::AddMemberStatus{.name = "Invited"})) == StatusCode::kFailedPrecondition);
  CHECK(ErrorOf(Decide(empty, reference::SetMemberStatus{.name = "Sent"})) == StatusCode::kFailedPrecondition);
  CHECK(ErrorOf(Decide(empty, reference::RemoveMemberStatus{.name = "Sent"})) == StatusCode::kFailedPrecondition);
  CHECK(ErrorOf(Decide(empty, reference::AddProfileCode{fb::ProfileKind::Territory, "NORTH", ""})) ==
        StatusCode::kFailedPrecondition);
}

TEST_CASE("init sets the currency and creates Sent (default) and Responded (responded)") {
  const reference::State empty;
  const auto r = Decide(empty, reference::InitDataSet{"eur"});
  REQUIRE(Emitted(r) == "DataSetInitialized MemberStatusAdded MemberStatusAdded");
  CHECK(r->at(0).payload.AsDataSetInitialized()->currency == "EUR");
  const auto* sent = r->at(1).payload.AsMemberStatusAdded();
  CHECK(sent->name == "Sent");
  CHECK(sent->is_default);
  CHECK_FALSE(sent->responded);
  const auto* responded = r->at(2).payload.AsMemberStatusAdded();
  CHECK(responded->name == "Responded");
  CHECK(responded->responded);
  CHECK_FALSE(responded->is_default);
  CHECK(sent->display_order < responded->display_order);

  const auto s = Given(reference::Evolve).Add(*r).state();
  CHECK(s.initialized);
  CHECK(s.currency == "EUR");
  CHECK(Names(s) == "Sent Responded");
  CHECK(DefaultName(s) == "Sent");
  CHECK(FirstRespondedName(s) == "Responded");
}

TEST_CASE("init is idempotent with its currency or none; another currency is refused") {
  Given<reference::State> empty(reference::Evolve);
  CHECK(EmittedTwice(empty, DecideWith(reference::InitDataSet{"EUR"})) ==
        "DataSetInitialized MemberStatusAdded MemberStatusAdded / nothing");
  CHECK(Emitted(Decide(Reference(), reference::InitDataSet{})) == "nothing");
  CHECK(Emitted(Decide(Reference(), reference::InitDataSet{"eur"})) == "nothing");
  const auto other = Decide(Reference(), reference::InitDataSet{"NOK"});
  CHECK(ErrorOf(other) == StatusCode::kFailedPrecondition);
  CHECK(other.status().message() == "the data set is initialised already, in EUR; its currency cannot change to NOK");
}

TEST_CASE("init without a currency uses EUR") {
  const auto r = Decide(reference::State{}, reference::InitDataSet{});
  REQUIRE(Emitted(r) == "DataSetInitialized MemberStatusAdded MemberStatusAdded");
  CHECK(r->at(0).payload.AsDataSetInitialized()->currency == "EUR");
}

TEST_CASE("init needs an ISO 4217 currency code") {
  const reference::State empty;
  for (const char* bad : {"", "EURO", "EU", "E$R", "ABC", "XXX", "XTS", "QQQ"}) {
    INFO(bad);
    CHECK(ErrorOf(Decide(empty, reference::InitDataSet{bad})) == StatusCode::kFailedPrecondition);
  }
  for (const char* good : {"NOK", "dkk", "SEK", "USD", "GBP", "CHF", "JPY", "XOF", "ZWL"}) {
    INFO(good);
    CHECK(ErrorOf(Decide(empty, reference::InitDataSet{good})) == StatusCode::kOk);
  }
}

TEST_CASE("campaign status codes are upper-cased and added once") {
  auto given = Initialised();
  const auto r = Decide(given.state(), reference::AddCampaignStatus{" planned ", "Planned"});
  REQUIRE(Emitted(r) == "CampaignStatusCodeAdded");
  CHECK(r->at(0).payload.AsCampaignStatusCodeAdded()->code == "PLANNED");
  CHECK(r->at(0).payload.AsCampaignStatusCodeAdded()->description == "Planned");
  given.Add(*r);
  CHECK(given.state().campaign_statuses.at("PLANNED") == "Planned");

  CHECK(EmittedTwice(Initialised(), DecideWith(reference::AddCampaignStatus{"ACTIVE", "Active"})) ==
        "CampaignStatusCodeAdded / nothing");
  // The same code in another case is the same code.
  CHECK(Emitted(Decide(given.state(), reference::AddCampaignStatus{"Planned", "Planned"})) == "nothing");
  CHECK(ErrorOf(Decide(given.state(), reference::AddCampaignStatus{"PLANNED", "Something else"})) ==
        StatusCode::kAlreadyExists);
}

TEST_CASE("campaign status codes and descriptions are checked") {
  const auto s = Reference();
  CHECK(Emitted(Decide(s, reference::AddCampaignStatus{std::string(20, 'c'), ""})) == "CampaignStatusCodeAdded");
  for (const std::string& bad : {std::string(21, 'c'), std::string(""), std::string("NOT OK"), std::string("A*")}) {
    INFO(bad);
    CHECK(ErrorOf(Decide(s, reference::AddCampaignStatus{bad, ""})) == StatusCode::kFailedPrecondition);
  }
  CHECK(ErrorOf(Decide(s, reference::AddCampaignStatus{"X", std::string(101, 'd')})) ==
        StatusCode::kFailedPrecondition);
  CHECK(ErrorOf(Decide(s, reference::AddCampaignStatus{"X", "line\nbreak"})) == StatusCode::kFailedPrecondition);
}

TEST_CASE("a campaign status code in use cannot be removed") {
  auto given = Initialised({CampaignStatusCodeAdded("PLANNED")});
  CHECK(ErrorOf(Decide(given.state(), reference::RemoveCampaignStatus{"planned", 2})) ==
        StatusCode::kFailedPrecondition);

  const auto r = Decide(given.state(), reference::RemoveCampaignStatus{"planned", 0});
  REQUIRE(Emitted(r) == "CampaignStatusCodeRemoved");
  CHECK(r->at(0).payload.AsCampaignStatusCodeRemoved()->code == "PLANNED");
  CHECK(EmittedTwice(given, DecideWith(reference::RemoveCampaignStatus{"PLANNED", 0})) ==
        "CampaignStatusCodeRemoved / nothing");
  given.Add(*r);
  CHECK_FALSE(given.state().campaign_statuses.contains("PLANNED"));
}

TEST_CASE("removing an unknown campaign status code is a no-op; a malformed one is an error") {
  CHECK(Emitted(Decide(Reference(), reference::RemoveCampaignStatus{"NEVER", 0})) == "nothing");
  CHECK(ErrorOf(Decide(Reference(), reference::RemoveCampaignStatus{"", 0})) == StatusCode::kFailedPrecondition);
}

TEST_CASE("a member status is added after the last one, with its responded flag") {
  auto given = Initialised();
  const auto r = Decide(given.state(), reference::AddMemberStatus{.name = " Attended ", .responded = true});
  REQUIRE(Emitted(r) == "MemberStatusAdded");
  const auto* e = r->at(0).payload.AsMemberStatusAdded();
  CHECK(e->name == "Attended");
  CHECK(e->responded);
  CHECK_FALSE(e->is_default);
  CHECK(e->display_order == 30);
  given.Add(*r);
  CHECK(Names(given.state()) == "Sent Responded Attended");
  REQUIRE(given.state().FindStatus("attended") != nullptr);
  CHECK(given.state().FindStatus("attended")->responded);

  const auto ordered = Decide(given.state(), reference::AddMemberStatus{.name = "Invited", .order = 5});
  REQUIRE(Emitted(ordered) == "MemberStatusAdded");
  CHECK(ordered->at(0).payload.AsMemberStatusAdded()->display_order == 5);
  CHECK(Names(given.Add(*ordered).state()) == "Invited Sent Responded Attended");
}

TEST_CASE("adding the same member status twice emits nothing; a different definition is refused") {
  CHECK(EmittedTwice(Initialised(), DecideWith(reference::AddMemberStatus{.name = "Invited"})) ==
        "MemberStatusAdded / nothing");
  CHECK(EmittedTwice(Initialised(),
                     DecideWith(reference::AddMemberStatus{.name = "Attended", .responded = true, .order = 30})) ==
        "MemberStatusAdded / nothing");
  CHECK(EmittedTwice(Initialised(), DecideWith(reference::AddMemberStatus{.name = "Invited", .is_default = true})) ==
        "MemberStatusChanged MemberStatusAdded / nothing");

  const auto s = Reference({MemberStatusAdded("Invited", 30)});
  CHECK(ErrorOf(Decide(s, reference::AddMemberStatus{.name = "Invited", .responded = true})) ==
        StatusCode::kAlreadyExists);
  CHECK(ErrorOf(Decide(s, reference::AddMemberStatus{.name = "Invited", .order = 99})) == StatusCode::kAlreadyExists);
  // Names are unique case-insensitively.
  CHECK(ErrorOf(Decide(s, reference::AddMemberStatus{.name = "sent"})) == StatusCode::kAlreadyExists);
}

TEST_CASE("member status names are required, short and free of filter syntax") {
  const auto s = Reference();
  CHECK(Emitted(Decide(s, reference::AddMemberStatus{.name = std::string(30, 'n')})) == "MemberStatusAdded");
  for (const std::string& bad : {std::string(""), std::string("  "), std::string(31, 'n'), std::string("A|B"),
                                 std::string("A=B"), std::string("tab\there")}) {
    INFO(bad);
    CHECK(ErrorOf(Decide(s, reference::AddMemberStatus{.name = bad})) == StatusCode::kFailedPrecondition);
  }
}

TEST_CASE("a data set has at most 20 member statuses") {
  Events extra;
  for (int i = 3; i <= 19; ++i) extra.push_back(MemberStatusAdded("S" + std::to_string(i), i * 10));
  auto given = Initialised(extra);
  REQUIRE(given.state().member_statuses.size() == 19);
  const auto twentieth = Decide(given.state(), reference::AddMemberStatus{.name = "S20"});
  REQUIRE(Emitted(twentieth) == "MemberStatusAdded");
  given.Add(*twentieth);
  REQUIRE(given.state().member_statuses.size() == reference::kMaxMemberStatuses);
  CHECK(ErrorOf(Decide(given.state(), reference::AddMemberStatus{.name = "S21"})) == StatusCode::kFailedPrecondition);
  // An existing one is still answered idempotently at the cap.
  CHECK(Emitted(Decide(given.state(), reference::AddMemberStatus{.name = "S20"})) == "nothing");
}

TEST_CASE("adding a status as the default moves the default, un-defaulting the old one first") {
  auto given = Initialised();
  const auto r = Decide(given.state(), reference::AddMemberStatus{.name = "Invited", .is_default = true});
  REQUIRE(Emitted(r) == "MemberStatusChanged MemberStatusAdded");
  const auto* old = r->at(0).payload.AsMemberStatusChanged();
  CHECK(old->name == "Sent");
  CHECK_FALSE(old->is_default);
  CHECK_FALSE(old->responded);
  CHECK(old->display_order == 10);  // the full definition, only the default flag changed
  CHECK(r->at(1).payload.AsMemberStatusAdded()->is_default);

  given.Add(*r);
  CHECK(CountDefaults(given.state()) == 1);
  CHECK(DefaultName(given.state()) == "Invited");
}

TEST_CASE("set member status: the default moves, exactly one default remains") {
  auto given = Initialised();
  const auto r = Decide(given.state(), reference::SetMemberStatus{.name = "responded", .is_default = true});
  REQUIRE(Emitted(r) == "MemberStatusChanged MemberStatusChanged");
  CHECK(r->at(0).payload.AsMemberStatusChanged()->name == "Sent");
  CHECK_FALSE(r->at(0).payload.AsMemberStatusChanged()->is_default);
  CHECK(r->at(1).payload.AsMemberStatusChanged()->name == "Responded");
  CHECK(r->at(1).payload.AsMemberStatusChanged()->is_default);
  CHECK(r->at(1).payload.AsMemberStatusChanged()->responded);
  given.Add(*r);
  CHECK(CountDefaults(given.state()) == 1);
  CHECK(DefaultName(given.state()) == "Responded");

  CHECK(EmittedTwice(Initialised(), DecideWith(reference::SetMemberStatus{.name = "Responded", .is_default = true})) ==
        "MemberStatusChanged MemberStatusChanged / nothing");
  // Un-defaulting the default leaves none: refused. Un-defaulting another status changes nothing.
  CHECK(ErrorOf(Decide(Reference(), reference::SetMemberStatus{.name = "Sent", .is_default = false})) ==
        StatusCode::kFailedPrecondition);
  CHECK(Emitted(Decide(Reference(), reference::SetMemberStatus{.name = "Responded", .is_default = false})) ==
        "nothing");
}

TEST_CASE("set member status: order and responded flag, sent twice, unknown name") {
  const auto r = Decide(Reference(), reference::SetMemberStatus{.name = "Sent", .responded = true, .order = 40});
  REQUIRE(Emitted(r) == "MemberStatusChanged");
  const auto* e = r->at(0).payload.AsMemberStatusChanged();
  CHECK(e->name == "Sent");
  CHECK(e->responded);
  CHECK(e->is_default);  // kept
  CHECK(e->display_order == 40);

  CHECK(EmittedTwice(Initialised(), DecideWith(reference::SetMemberStatus{.name = "Sent", .order = 40})) ==
        "MemberStatusChanged / nothing");
  CHECK(EmittedTwice(Initialised(), DecideWith(reference::SetMemberStatus{.name = "Sent", .responded = true})) ==
        "MemberStatusChanged / nothing");
  CHECK(Emitted(Decide(Reference(),
                       reference::SetMemberStatus{
                           .name = "Sent", .responded = false, .is_default = true, .order = 10})) == "nothing");
  CHECK(ErrorOf(Decide(Reference(), reference::SetMemberStatus{.name = "Nope", .responded = true})) ==
        StatusCode::kNotFound);
}

TEST_CASE("at least one status counts as responded: the last one cannot be un-responded") {
  CHECK(ErrorOf(Decide(Reference(), reference::SetMemberStatus{.name = "Responded", .responded = false})) ==
        StatusCode::kFailedPrecondition);
  const auto two = Reference({MemberStatusAdded("Attended", 30, kResponded)});
  const auto r = Decide(two, reference::SetMemberStatus{.name = "Responded", .responded = false});
  REQUIRE(Emitted(r) == "MemberStatusChanged");
  CHECK_FALSE(r->at(0).payload.AsMemberStatusChanged()->responded);
}

TEST_CASE("removing a member status: unused, unknown, sent twice") {
  auto given = Initialised({MemberStatusAdded("Invited", 30)});
  const auto r = Decide(given.state(), reference::RemoveMemberStatus{.name = "invited"});
  REQUIRE(Emitted(r) == "MemberStatusRemoved");
  CHECK(r->at(0).payload.AsMemberStatusRemoved()->name == "Invited");
  CHECK(r->at(0).payload.AsMemberStatusRemoved()->replaced_with.empty());
  CHECK(Names(given.Add(*r).state()) == "Sent Responded");

  CHECK(Emitted(Decide(Reference(), reference::RemoveMemberStatus{.name = "Never"})) == "nothing");
  CHECK(EmittedTwice(Initialised({MemberStatusAdded("Invited", 30)}),
                     DecideWith(reference::RemoveMemberStatus{.name = "Invited"})) == "MemberStatusRemoved / nothing");
}

TEST_CASE("a member status in use can only be removed with replace_with") {
  const auto s = Reference({MemberStatusAdded("Invited", 30)});
  CHECK(ErrorOf(Decide(s, reference::RemoveMemberStatus{.name = "Invited", .members_using = 3})) ==
        StatusCode::kFailedPrecondition);
  const auto r =
      Decide(s, reference::RemoveMemberStatus{.name = "Invited", .replace_with = "sent", .members_using = 3});
  REQUIRE(Emitted(r) == "MemberStatusRemoved");
  CHECK(r->at(0).payload.AsMemberStatusRemoved()->replaced_with == "Sent");  // canonical name
  CHECK(EmittedTwice(
            Initialised({MemberStatusAdded("Invited", 30)}),
            DecideWith(reference::RemoveMemberStatus{.name = "Invited", .replace_with = "Sent", .members_using = 3})) ==
        "MemberStatusRemoved / nothing");

  CHECK(ErrorOf(
            Decide(s, reference::RemoveMemberStatus{.name = "Invited", .replace_with = "Ghost", .members_using = 3})) ==
        StatusCode::kNotFound);
  CHECK(ErrorOf(Decide(
            s, reference::RemoveMemberStatus{.name = "Invited", .replace_with = "INVITED", .members_using = 3})) ==
        StatusCode::kFailedPrecondition);
}

TEST_CASE("the default can only be removed with replace_with, whose target becomes the default") {
  auto given = Initialised({MemberStatusAdded("Invited", 30)});
  CHECK(ErrorOf(Decide(given.state(), reference::RemoveMemberStatus{.name = "Sent"})) ==
        StatusCode::kFailedPrecondition);

  const auto r = Decide(given.state(), reference::RemoveMemberStatus{.name = "Sent", .replace_with = "Invited"});
  REQUIRE(Emitted(r) == "MemberStatusChanged MemberStatusRemoved");
  const auto* promoted = r->at(0).payload.AsMemberStatusChanged();
  CHECK(promoted->name == "Invited");
  CHECK(promoted->is_default);
  CHECK_FALSE(promoted->responded);
  CHECK(promoted->display_order == 30);
  CHECK(r->at(1).payload.AsMemberStatusRemoved()->name == "Sent");
  CHECK(r->at(1).payload.AsMemberStatusRemoved()->replaced_with == "Invited");

  given.Add(*r);
  CHECK(Names(given.state()) == "Responded Invited");
  CHECK(CountDefaults(given.state()) == 1);
  CHECK(DefaultName(given.state()) == "Invited");
  CHECK(EmittedTwice(Initialised({MemberStatusAdded("Invited", 30)}),
                     DecideWith(reference::RemoveMemberStatus{.name = "Sent", .replace_with = "Invited"})) ==
        "MemberStatusChanged MemberStatusRemoved / nothing");
}

TEST_CASE("the last responded status cannot be removed, not even with replace_with") {
  const auto s = Reference();
  CHECK(ErrorOf(Decide(s, reference::RemoveMemberStatus{.name = "Responded"})) == StatusCode::kFailedPrecondition);
  CHECK(ErrorOf(Decide(
            s, reference::RemoveMemberStatus{.name = "Responded", .replace_with = "Sent", .members_using = 4})) ==
        StatusCode::kFailedPrecondition);
  const auto two = Reference({MemberStatusAdded("Attended", 30, kResponded)});
  CHECK(Emitted(Decide(
            two, reference::RemoveMemberStatus{.name = "Responded", .replace_with = "Attended", .members_using = 4})) ==
        "MemberStatusRemoved");
}

TEST_CASE("profile codes are upper-cased per kind and added once") {
  auto given = Initialised();
  const auto r =
      Decide(given.state(), reference::AddProfileCode{fb::ProfileKind::JobResponsibility, "purchase", "Purchasing"});
  REQUIRE(Emitted(r) == "ProfileCodeAdded");
  CHECK(r->at(0).payload.AsProfileCodeAdded()->code == "PURCHASE");
  CHECK(r->at(0).payload.AsProfileCodeAdded()->kind == fb::ProfileKind::JobResponsibility);
  given.Add(*r);
  CHECK(given.state().HasCode(fb::ProfileKind::JobResponsibility, "PURCHASE"));
  CHECK_FALSE(given.state().HasCode(fb::ProfileKind::Territory, "PURCHASE"));

  CHECK(EmittedTwice(Initialised(), DecideWith(reference::AddProfileCode{fb::ProfileKind::Territory, "north",
                                                                         "North"})) == "ProfileCodeAdded / nothing");
  CHECK(ErrorOf(Decide(given.state(), reference::AddProfileCode{fb::ProfileKind::JobResponsibility, "PURCHASE",
                                                                "Buying"})) == StatusCode::kAlreadyExists);
  // The same code under another kind is another code.
  CHECK(Emitted(Decide(given.state(), reference::AddProfileCode{fb::ProfileKind::MailingGroup, "PURCHASE",
                                                                "Purchasing"})) == "ProfileCodeAdded");
  CHECK(ErrorOf(Decide(given.state(), reference::AddProfileCode{fb::ProfileKind::Territory, "no way", ""})) ==
        StatusCode::kFailedPrecondition);
}

TEST_CASE("profile kinds parse from and print as their CLI names") {
  for (auto kind : {fb::ProfileKind::JobResponsibility, fb::ProfileKind::BusinessRelation,
                    fb::ProfileKind::IndustryGroup, fb::ProfileKind::MailingGroup, fb::ProfileKind::Territory}) {
    CHECK(*reference::ParseProfileKind(reference::ProfileKindName(kind)) == kind);
  }
  CHECK(reference::ProfileKindName(fb::ProfileKind::JobResponsibility) == "job-responsibility");
  CHECK(*reference::ParseProfileKind("Industry-Group") == fb::ProfileKind::IndustryGroup);
  CHECK(reference::ParseProfileKind("hobby").status().code() == StatusCode::kInvalidArgument);
}

TEST_CASE("evolve keeps member statuses in display order") {
  auto given = Initialised();
  given.Add(MemberStatusAdded("Invited", 15));
  CHECK(Names(given.state()) == "Sent Invited Responded");
  given.Add(MemberStatusChanged("Sent", 30, kDefault));
  CHECK(Names(given.state()) == "Invited Responded Sent");
  CHECK(DefaultName(given.state()) == "Sent");
  given.Add(MemberStatusChanged("Responded", 5, kResponded));
  CHECK(Names(given.state()) == "Responded Invited Sent");
  CHECK(FirstRespondedName(given.state()) == "Responded");
  // Equal orders tie-break by name, whatever order the events came in.
  given.Add(MemberStatusAdded("Zeta", 50)).Add(MemberStatusAdded("Alpha", 50));
  CHECK(Names(given.state()) == "Responded Invited Sent Alpha Zeta");
}

TEST_CASE("evolve applies removals and ignores other aggregates' events") {
  auto given = Initialised(
      {CampaignStatusCodeAdded("PLANNED", "Planned"), ProfileCodeAdded(fb::ProfileKind::Territory, "NORTH")});
  fb::ProfileCodeRemovedT removed;
  removed.kind = fb::ProfileKind::Territory;
  removed.code = "NORTH";
  given.Add(MakeEvent(ReferenceStream(), std::move(removed)));
  CHECK_FALSE(given.state().HasCode(fb::ProfileKind::Territory, "NORTH"));
  given.Add(MemberStatusRemoved("Responded"));
  CHECK(Names(given.state()) == "Sent");

  const auto before = given.state();
  given.Add(ContactCreated("CT0001", "Ada"))
      .Add(CampaignCreated("CP0001", "Fair"))
      .Add(MemberAdded("CP0001", "CT0001", "Sent"));
  CHECK(Names(given.state()) == Names(before));
  CHECK(given.state().campaign_statuses == before.campaign_statuses);
  CHECK(given.state().currency == "EUR");
}

TEST_CASE("lead statuses: the defaults until changed, then a catalogue") {
  auto given = Initialised();
  auto names = [](const reference::State& st) {
    std::string out;
    for (const auto& d : st.LeadStatuses()) out += (out.empty() ? "" : ",") + d.name;
    return out;
  };
  CHECK(names(given.state()) == "New,Contacted,Qualified,Lost");
  CHECK(given.state().DefaultLeadStatus() == "New");
  CHECK(*given.state().FindLeadStatus("qualified") == "Qualified");
  const auto add = Decide(given.state(), reference::AddLeadStatus{"Nurturing", 25});
  REQUIRE(Emitted(add) == "LeadStatusAdded");
  given.Add(*add);
  CHECK(names(given.state()) == "New,Contacted,Nurturing,Qualified,Lost");
  CHECK(Emitted(Decide(given.state(), reference::AddLeadStatus{"nurturing", std::nullopt})) == "nothing");
  CHECK(ErrorOf(Decide(given.state(), reference::AddLeadStatus{"Nurturing", 99})) == StatusCode::kAlreadyExists);
  CHECK(ErrorOf(Decide(given.state(), reference::AddLeadStatus{"", std::nullopt})) == StatusCode::kFailedPrecondition);

  // In use: refused unless its leads move; the first in order is what new leads get.
  CHECK(ErrorOf(Decide(given.state(), reference::RemoveLeadStatus{"New", "", 3})) == StatusCode::kFailedPrecondition);
  CHECK(ErrorOf(Decide(given.state(), reference::RemoveLeadStatus{"New", "Nope", 3})) == StatusCode::kNotFound);
  const auto rm = Decide(given.state(), reference::RemoveLeadStatus{"New", "Contacted", 3});
  REQUIRE(Emitted(rm) == "LeadStatusRemoved");
  CHECK(rm->at(0).payload.AsLeadStatusRemoved()->replaced_with == "Contacted");
  given.Add(*rm);
  CHECK(given.state().DefaultLeadStatus() == "Contacted");
  CHECK(Emitted(Decide(given.state(), reference::RemoveLeadStatus{"New", "", 0})) == "nothing");
  for (const char* name : {"Contacted", "Nurturing", "Qualified"}) given.Add(*Decide(given.state(), reference::RemoveLeadStatus{name, "", 0}));
  CHECK(names(given.state()) == "Lost");
  CHECK(ErrorOf(Decide(given.state(), reference::RemoveLeadStatus{"Lost", "", 0})) == StatusCode::kFailedPrecondition);
}

TEST_CASE("saved views: saved, replaced under their name, unchanged when the same, removed") {
  auto given = Given(reference::Evolve, Reference());
  reference::SaveView save{{"Oslo people", "contacts", {"city=Oslo"}, "-name", ""}};
  auto saved = reference::Decide(given.state(), save);
  REQUIRE(saved.ok());
  REQUIRE(saved->size() == 1);
  given.Add(*saved);
  REQUIRE(given.state().FindView("OSLO PEOPLE") != nullptr);
  CHECK(given.state().FindView("oslo people")->filters == std::vector<std::string>{"city=Oslo"});
  CHECK(reference::Decide(given.state(), save)->empty());  // the same again

  reference::SaveView again{{"oslo PEOPLE", "contacts", {"city=Oslo"}, "", "nord"}};
  auto replaced = reference::Decide(given.state(), again);
  REQUIRE(replaced.ok());
  given.Add(*replaced);
  CHECK(given.state().views.size() == 1);
  CHECK(given.state().FindView("Oslo people")->name == "Oslo people");  // the name as first saved
  CHECK(given.state().FindView("Oslo people")->search == "nord");

  CHECK(reference::Decide(given.state(), reference::SaveView{{"x", "tasks", {}, "", ""}}).status().code() ==
        StatusCode::kFailedPrecondition);
  CHECK(reference::Decide(given.state(), reference::SaveView{{"  ", "contacts", {}, "", ""}}).status().code() ==
        StatusCode::kFailedPrecondition);
  auto removed = reference::Decide(given.state(), reference::RemoveView{"OSLO people"});
  REQUIRE(removed.ok());
  given.Add(*removed);
  CHECK(given.state().views.empty());
  CHECK(reference::Decide(given.state(), reference::RemoveView{"Oslo people"}).status().code() == StatusCode::kNotFound);
}

}  // namespace
}  // namespace crm::testing
