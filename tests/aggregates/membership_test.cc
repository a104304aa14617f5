// Campaign membership (aggregates/membership.h): AddMember, RemoveMember, UpdateMemberStatus.
// The campaign must exist, members are known contacts (CT) or leads (LD), statuses are defined
// (the default when none is given), each event records the status's responded flag at decision
// time, duplicates collapse, and every command sent twice emits nothing the second time.
#include "aggregates/membership.h"

#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "aggregates/contact.h"
#include "tests/aggregates/aggregate_test_util.h"

namespace crm::testing {
namespace {

using membership::Membership;

// Given: Sent (default), Responded (responded), Attended (responded), Invited.
reference::State Statuses() {
  return Reference({MemberStatusAdded("Attended", 30, kResponded), MemberStatusAdded("Invited", 40)});
}

// Given: campaign CP0001 "Fair".
campaign::State Fair() { return Given(campaign::Evolve).Add(CampaignCreated("CP0001", "Fair")).state(); }

// The handler's view: contacts CT0001, CT0002 and lead LD0001 exist; `roster` is the membership.
membership::Context Cx(const reference::State& ref, const campaign::State& campaign, const Roster& roster) {
  return membership::Context{&ref, &campaign, roster, {No("CT0001"), No("CT0002"), No("LD0001")}};
}

// Given: the roster of CP0001 with `events` folded in.
Given<Roster> RosterOf(const Events& events = {}) {
  Given<Roster> given(EvolveRoster);
  given.Add(events);
  return given;
}

std::vector<RecordNo> Ids(std::initializer_list<const char*> ids) {
  std::vector<RecordNo> out;
  for (const char* id : ids) out.push_back(No(id));
  return out;
}

membership::AddMembers AddTo(std::initializer_list<const char*> ids, std::string status = "") {
  return {.ctx = Ctx(), .campaign = No("CP0001"), .ids = Ids(ids), .status = std::move(status)};
}
membership::RemoveMembers RemoveFrom(std::initializer_list<const char*> ids) {
  return {.ctx = Ctx(), .campaign = No("CP0001"), .ids = Ids(ids)};
}
membership::UpdateStatus SetStatus(std::initializer_list<const char*> ids, std::string status) {
  return {.ctx = Ctx(), .campaign = No("CP0001"), .ids = Ids(ids), .status = std::move(status)};
}

TEST_CASE("add: the default status when none is given, one MemberAdded per id") {
  const auto ref = Statuses();
  const auto fair = Fair();
  const auto r = membership::DecideAdd(Cx(ref, fair, {}), AddTo({"CT0001", "LD0001"}));
  REQUIRE(Emitted(r) == "MemberAdded MemberAdded");
  CHECK(r->at(0).stream == StreamId("campaign/CP0001"));
  const auto* first = r->at(0).payload.AsMemberAdded();
  CHECK(first->campaign == "CP0001");
  CHECK(first->member == "CT0001");
  CHECK(first->status == "Sent");
  CHECK_FALSE(first->responded);
  CHECK(first->how == fb::MemberHow::Manual);
  CHECK(r->at(1).payload.AsMemberAdded()->member == "LD0001");
  CHECK(r->at(1).payload.AsMemberAdded()->status == "Sent");
}

TEST_CASE("add: a named status is resolved case-insensitively and carries its responded flag") {
  const auto ref = Statuses();
  const auto fair = Fair();
  const auto r = membership::DecideAdd(Cx(ref, fair, {}), AddTo({"CT0002"}, "attended"));
  REQUIRE(Emitted(r) == "MemberAdded");
  CHECK(r->at(0).payload.AsMemberAdded()->status == "Attended");
  CHECK(r->at(0).payload.AsMemberAdded()->responded);
  CHECK(ErrorOf(membership::DecideAdd(Cx(ref, fair, {}), AddTo({"CT0002"}, "Ghosted"))) == StatusCode::kNotFound);
}

TEST_CASE("responded_at: as an import's source says, else when the member first responded") {
  const auto ref = Statuses();
  const auto fair = Fair();
  membership::AddMembers add = AddTo({"CT0001"}, "Attended");
  add.responded_at = Timestamp(1712102400000000LL);  // 2024-04-03
  auto roster = RosterOf();
  auto r = membership::DecideAdd(Cx(ref, fair, {}), add);
  REQUIRE(r.ok());
  CHECK(r->at(0).payload.AsMemberAdded()->responded_at == 1712102400000000LL);
  roster.Add(*r);
  CHECK(roster.state().at(No("CT0001")).responded_at == Timestamp(1712102400000000LL));
  // Moving to another responded status keeps the first response; to a status that is not, clears it.
  r = membership::DecideUpdateStatus(Cx(ref, fair, roster.state()), SetStatus({"CT0001"}, "Responded"));
  REQUIRE(r.ok());
  roster.Add(*r);
  CHECK(roster.state().at(No("CT0001")).responded_at == Timestamp(1712102400000000LL));
  r = membership::DecideUpdateStatus(Cx(ref, fair, roster.state()), SetStatus({"CT0001"}, "Sent"));
  REQUIRE(r.ok());
  roster.Add(*r);
  CHECK(roster.state().at(No("CT0001")).responded_at == Timestamp());
  // A response recorded here: when it was recorded. A date on a status that is not responded: none.
  r = membership::DecideUpdateStatus(Cx(ref, fair, roster.state()), SetStatus({"CT0001"}, "Responded"));
  REQUIRE(r.ok());
  roster.At("2027-02-03T04:05:06Z").Add(*r);
  CHECK(FormatTimestamp(roster.state().at(No("CT0001")).responded_at) == "2027-02-03T04:05:06Z");
  add = AddTo({"CT0002"}, "Invited");
  add.responded_at = Timestamp(1712102400000000LL);
  r = membership::DecideAdd(Cx(ref, fair, {}), add);
  REQUIRE(r.ok());
  CHECK(r->at(0).payload.AsMemberAdded()->responded_at == 0);
  // The same status with another response date is a change (a re-import of a corrected export).
  membership::UpdateStatus again = SetStatus({"CT0001"}, "Responded");
  again.responded_at = Timestamp(1713571200000000LL);
  r = membership::DecideUpdateStatus(Cx(ref, fair, roster.state()), again);
  REQUIRE(Emitted(r) == "MemberStatusUpdated");
  roster.Add(*r);
  CHECK(roster.state().at(No("CT0001")).responded_at == Timestamp(1713571200000000LL));
}

TEST_CASE("an import's HasResponded must agree with the status") {
  const reference::MemberStatusDef sent{"Sent", false}, attended{"Attended", true};
  CHECK(membership::CheckResponded(sent, std::nullopt).ok());
  CHECK(membership::CheckResponded(sent, false).ok());
  CHECK(membership::CheckResponded(attended, true).ok());
  CHECK(membership::CheckResponded(sent, true).message() ==
        "HasResponded says yes, but member status 'Sent' counts as not responded");
  CHECK(membership::CheckResponded(attended, false).code() == StatusCode::kFailedPrecondition);
}

TEST_CASE("add: without a default status, a status must be named") {
  const auto no_default =
      Given(reference::Evolve).Add({DataSetInitialized(), MemberStatusAdded("Responded", 20, kResponded)}).state();
  const auto fair = Fair();
  CHECK(ErrorOf(membership::DecideAdd(Cx(no_default, fair, {}), AddTo({"CT0001"}))) == StatusCode::kFailedPrecondition);
  CHECK(Emitted(membership::DecideAdd(Cx(no_default, fair, {}), AddTo({"CT0001"}, "Responded"))) == "MemberAdded");
}

TEST_CASE("every membership command needs an existing campaign") {
  const auto ref = Statuses();
  const campaign::State none;
  const auto member = RosterOf({MemberAdded("CP0001", "CT0001", "Sent")}).state();
  membership::Context missing{&ref, nullptr, member, {No("CT0001")}};
  CHECK(ErrorOf(membership::DecideAdd(missing, AddTo({"CT0001"}))) == StatusCode::kNotFound);
  CHECK(ErrorOf(membership::DecideRemove(missing, RemoveFrom({"CT0001"}))) == StatusCode::kNotFound);
  CHECK(ErrorOf(membership::DecideUpdateStatus(missing, SetStatus({"CT0001"}, "Responded"))) == StatusCode::kNotFound);
  CHECK(ErrorOf(membership::DecideAdd(Cx(ref, none, member), AddTo({"CT0002"}))) == StatusCode::kNotFound);
  CHECK(ErrorOf(membership::DecideRemove(Cx(ref, none, member), RemoveFrom({"CT0001"}))) == StatusCode::kNotFound);
  CHECK(ErrorOf(membership::DecideUpdateStatus(Cx(ref, none, member), SetStatus({"CT0001"}, "Responded"))) ==
        StatusCode::kNotFound);
}

TEST_CASE("add: members are known contacts or leads, nothing else") {
  const auto ref = Statuses();
  const auto fair = Fair();
  CHECK(ErrorOf(membership::DecideAdd(Cx(ref, fair, {}), AddTo({"CT0001", "CT0404"}))) == StatusCode::kNotFound);
  CHECK(ErrorOf(membership::DecideAdd(Cx(ref, fair, {}), AddTo({"LD0404"}))) == StatusCode::kNotFound);
  for (const char* bad : {"CP0002", "SM0001", "OP0001"}) {
    INFO(bad);
    CHECK(ErrorOf(membership::DecideAdd(Cx(ref, fair, {}), AddTo({"CT0001", bad}))) == StatusCode::kFailedPrecondition);
  }
}

TEST_CASE("add: duplicates within a command collapse, existing members are skipped, sent twice") {
  const auto ref = Statuses();
  const auto fair = Fair();
  const auto dup = membership::DecideAdd(Cx(ref, fair, {}), AddTo({"CT0001", "ct0001", "LD0001", "CT0001"}));
  REQUIRE(Emitted(dup) == "MemberAdded MemberAdded");
  CHECK(dup->at(0).payload.AsMemberAdded()->member == "CT0001");
  CHECK(dup->at(1).payload.AsMemberAdded()->member == "LD0001");

  const auto roster = RosterOf({MemberAdded("CP0001", "CT0001", "Invited")}).state();
  const auto r = membership::DecideAdd(Cx(ref, fair, roster), AddTo({"CT0001", "CT0002"}, "Attended"));
  REQUIRE(Emitted(r) == "MemberAdded");
  CHECK(r->at(0).payload.AsMemberAdded()->member == "CT0002");

  const auto add = AddTo({"CT0001", "CT0002", "LD0001"});
  CHECK(EmittedTwice(RosterOf(), [&](const Roster& st) { return membership::DecideAdd(Cx(ref, fair, st), add); }) ==
        "MemberAdded MemberAdded MemberAdded / nothing");
}

TEST_CASE("add: the responded flag is copied from the status definition at decision time") {
  const auto fair = Fair();
  auto roster = RosterOf({MemberAdded("CP0001", "CT0001", "Sent", false)});
  // Later, Sent is redefined to count as responded.
  const auto redefined = Reference({MemberStatusChanged("Sent", 10, kRespondedDefault)});
  const auto r = membership::DecideAdd(Cx(redefined, fair, roster.state()), AddTo({"CT0002"}));
  REQUIRE(Emitted(r) == "MemberAdded");
  CHECK(r->at(0).payload.AsMemberAdded()->responded);
  roster.Add(*r);
  // History is not restated: the earlier member keeps what was recorded for it.
  CHECK_FALSE(roster.state().at(No("CT0001")).responded);
  CHECK(roster.state().at(No("CT0002")).responded);
}

TEST_CASE("add: how and criteria are recorded") {
  const auto ref = Statuses();
  const auto fair = Fair();
  auto c = AddTo({"CT0001"});
  c.how = fb::MemberHow::Criteria;
  c.criteria = "city=Oslo";
  const auto r = membership::DecideAdd(Cx(ref, fair, {}), c);
  REQUIRE(Emitted(r) == "MemberAdded");
  CHECK(r->at(0).payload.AsMemberAdded()->how == fb::MemberHow::Criteria);
  CHECK(r->at(0).payload.AsMemberAdded()->criteria == "city=Oslo");
}

TEST_CASE("remove: a member leaves with its last status; non-members are a no-op") {
  const auto ref = Statuses();
  const auto fair = Fair();
  auto roster = RosterOf({MemberAdded("CP0001", "CT0001", "Attended", true), MemberAdded("CP0001", "LD0001", "Sent")});
  auto c = RemoveFrom({"CT0001", "CT0002", "CT0001", "CT0404"});
  c.how = fb::MemberHow::Undo;
  const auto r = membership::DecideRemove(Cx(ref, fair, roster.state()), c);
  REQUIRE(Emitted(r) == "MemberRemoved");
  const auto* e = r->at(0).payload.AsMemberRemoved();
  CHECK(e->campaign == "CP0001");
  CHECK(e->member == "CT0001");
  CHECK(e->status == "Attended");
  CHECK(e->how == fb::MemberHow::Undo);
  roster.Add(*r);
  CHECK_FALSE(roster.state().at(No("CT0001")).exists);
  CHECK(roster.state().at(No("LD0001")).exists);

  CHECK(ErrorOf(membership::DecideRemove(Cx(ref, fair, roster.state()), RemoveFrom({"CP0001"}))) ==
        StatusCode::kFailedPrecondition);
  const auto remove = RemoveFrom({"LD0001", "CT0001"});
  CHECK(EmittedTwice(roster, [&](const Roster& st) { return membership::DecideRemove(Cx(ref, fair, st), remove); }) ==
        "MemberRemoved / nothing");
}

TEST_CASE("a removed member can be added again") {
  const auto ref = Statuses();
  const auto fair = Fair();
  auto roster = RosterOf({MemberAdded("CP0001", "CT0001", "Attended", true)});
  roster.Add(*membership::DecideRemove(Cx(ref, fair, roster.state()), RemoveFrom({"CT0001"})));
  const auto r = membership::DecideAdd(Cx(ref, fair, roster.state()), AddTo({"CT0001"}));
  REQUIRE(Emitted(r) == "MemberAdded");
  CHECK(r->at(0).payload.AsMemberAdded()->status == "Sent");
}

TEST_CASE("update status: records from and to, with the new status's responded flag") {
  const auto ref = Statuses();
  const auto fair = Fair();
  auto roster = RosterOf({MemberAdded("CP0001", "CT0001", "Sent"), MemberAdded("CP0001", "LD0001", "Invited")});
  auto c = SetStatus({"CT0001", "LD0001", "CT0001"}, "attended");
  c.how = fb::MemberHow::MassUpdate;
  const auto r = membership::DecideUpdateStatus(Cx(ref, fair, roster.state()), c);
  REQUIRE(Emitted(r) == "MemberStatusUpdated MemberStatusUpdated");
  const auto* e = r->at(0).payload.AsMemberStatusUpdated();
  CHECK(e->campaign == "CP0001");
  CHECK(e->member == "CT0001");
  CHECK(e->from_status == "Sent");
  CHECK(e->status == "Attended");
  CHECK(e->responded);
  CHECK(e->how == fb::MemberHow::MassUpdate);
  CHECK(r->at(1).payload.AsMemberStatusUpdated()->from_status == "Invited");

  roster.Add(*r);
  CHECK(roster.state().at(No("CT0001")).status == "Attended");
  CHECK(roster.state().at(No("CT0001")).responded);

  const auto back = membership::DecideUpdateStatus(Cx(ref, fair, roster.state()), SetStatus({"CT0001"}, "Invited"));
  REQUIRE(Emitted(back) == "MemberStatusUpdated");
  CHECK_FALSE(back->at(0).payload.AsMemberStatusUpdated()->responded);
}

TEST_CASE("update status: the same status is a no-op, and sent twice emits nothing") {
  const auto ref = Statuses();
  const auto fair = Fair();
  const auto roster = RosterOf({MemberAdded("CP0001", "CT0001", "Sent"), MemberAdded("CP0001", "CT0002", "Invited")});
  const auto r = membership::DecideUpdateStatus(Cx(ref, fair, roster.state()), SetStatus({"CT0001", "CT0002"}, "sent"));
  REQUIRE(Emitted(r) == "MemberStatusUpdated");
  CHECK(r->at(0).payload.AsMemberStatusUpdated()->member == "CT0002");

  const auto set = SetStatus({"CT0001", "CT0002"}, "Responded");
  CHECK(EmittedTwice(roster, [&](const Roster& st) {
          return membership::DecideUpdateStatus(Cx(ref, fair, st), set);
        }) == "MemberStatusUpdated MemberStatusUpdated / nothing");
}

TEST_CASE("update status: a status is required and defined; the ids must be members") {
  const auto ref = Statuses();
  const auto fair = Fair();
  auto roster = RosterOf({MemberAdded("CP0001", "CT0001", "Sent"), MemberAdded("CP0001", "CT0002", "Sent")});
  const auto cx = Cx(ref, fair, roster.state());
  CHECK(ErrorOf(membership::DecideUpdateStatus(cx, SetStatus({"CT0001"}, ""))) == StatusCode::kFailedPrecondition);
  CHECK(ErrorOf(membership::DecideUpdateStatus(cx, SetStatus({"CT0001"}, "Ghosted"))) == StatusCode::kNotFound);
  CHECK(ErrorOf(membership::DecideUpdateStatus(cx, SetStatus({"CT0001", "LD0001"}, "Responded"))) ==
        StatusCode::kNotFound);
  CHECK(ErrorOf(membership::DecideUpdateStatus(cx, SetStatus({"CP0001"}, "Responded"))) ==
        StatusCode::kFailedPrecondition);

  roster.Add(*membership::DecideRemove(cx, RemoveFrom({"CT0002"})));
  CHECK(ErrorOf(membership::DecideUpdateStatus(Cx(ref, fair, roster.state()), SetStatus({"CT0002"}, "Responded"))) ==
        StatusCode::kNotFound);
}

TEST_CASE("evolve: added, status updated and removed") {
  Membership m;
  Given<Roster> roster(EvolveRoster);
  fb::MemberAddedT added;
  added.campaign = "CP0001";
  added.member = "LD0001";
  added.status = "Invited";
  added.how = fb::MemberHow::Import;
  roster.At("2027-01-10T09:00:00Z").By("bob").Add(MakeEvent(No("CP0001").Stream(), std::move(added)));
  m = roster.state().at(No("LD0001"));
  CHECK(m.exists);
  CHECK(m.status == "Invited");
  CHECK_FALSE(m.responded);
  CHECK(m.how == fb::MemberHow::Import);
  CHECK(m.added_by == Actor("bob"));
  CHECK(m.added_at == Ts("2027-01-10T09:00:00Z"));
  CHECK(m.changed_at == m.added_at);

  fb::MemberStatusUpdatedT updated;
  updated.campaign = "CP0001";
  updated.member = "LD0001";
  updated.from_status = "Invited";
  updated.status = "Responded";
  updated.responded = true;
  updated.how = fb::MemberHow::Response;
  roster.At("2027-01-11T10:00:00Z").By("carol").Add(MakeEvent(No("CP0001").Stream(), std::move(updated)));
  m = roster.state().at(No("LD0001"));
  CHECK(m.status == "Responded");
  CHECK(m.responded);
  CHECK(m.how == fb::MemberHow::Response);
  CHECK(m.added_by == Actor("bob"));
  CHECK(m.added_at == Ts("2027-01-10T09:00:00Z"));
  CHECK(m.changed_at == Ts("2027-01-11T10:00:00Z"));

  // Campaign details on the same stream are not membership events.
  EnvelopeLog log;
  const Membership kept = membership::Evolve(m, log.Append(CampaignCreated("CP0001", "Fair")));
  CHECK(kept.status == "Responded");
  CHECK(kept.changed_at == m.changed_at);

  fb::MemberRemovedT removed;
  removed.campaign = "CP0001";
  removed.member = "LD0001";
  removed.status = "Responded";
  roster.Add(MakeEvent(No("CP0001").Stream(), std::move(removed)));
  m = roster.state().at(No("LD0001"));
  CHECK_FALSE(m.exists);
  CHECK(m.status.empty());
}

TEST_CASE("every way a membership changes has a name for member history") {
  CHECK(membership::HowName(fb::MemberHow::Manual) == "manual");
  CHECK(membership::HowName(fb::MemberHow::StatusReplaced) == "status replaced");
  for (auto how : fb::EnumValuesMemberHow()) {
    INFO(static_cast<int>(how));
    CHECK(membership::HowName(how) != "unknown");
  }
}

}  // namespace
}  // namespace crm::testing

namespace crm::testing {

TEST_CASE("evolve never fails: events with absent strings fold to empty values") {
  // A foreign or hand-made record may omit strings; the folds must not dereference them.
  fb::MemberAddedT added;  // no campaign, member or status
  fb::DataSetInitializedT init;  // no currency
  fb::ContactCreatedT person;  // no number
  fb::CampaignCreatedT details;
  const auto m = Given(membership::Evolve).Add(MakeEvent(StreamId("campaign/CP0001"), std::move(added))).state();
  CHECK(m.exists);
  CHECK(m.status.empty());
  const auto ref = Given(reference::Evolve).Add(MakeEvent(ReferenceStream(), std::move(init))).state();
  CHECK(ref.initialized);
  CHECK(ref.currency.empty());
  const auto c = Given(contact::EvolveContact).Add(MakeEvent(StreamId("contact/x"), std::move(person))).state();
  CHECK_FALSE(c.no.valid());
  const auto cp = Given(campaign::Evolve).Add(MakeEvent(StreamId("campaign/x"), std::move(details))).state();
  CHECK_FALSE(cp.no.valid());
}

// The last change of each member as the ledger has it: `events` encoded in `log`.
std::map<RecordNo, const fb::Envelope*> LastChanges(EnvelopeLog* log, const Events& events) {
  std::map<RecordNo, const fb::Envelope*> out;
  for (const NewEvent& e : events) {
    const fb::Envelope& env = log->Append(e);
    const auto* added = env.payload_as_MemberAdded();
    const auto* updated = env.payload_as_MemberStatusUpdated();
    const auto* removed = env.payload_as_MemberRemoved();
    const auto* member = added ? added->member() : updated ? updated->member() : removed->member();
    out[No(member->str())] = &env;
  }
  return out;
}

TEST_CASE("take back: a canceled response goes back as it came; a later change stands; undone, it returns") {
  const auto ref = Statuses();
  const auto fair = Fair();
  // CT0001 was Sent and responded; CT0002 joined by responding; LD0001 responded, then was set
  // to Attended by hand.
  const auto sent = membership::DecideAdd(Cx(ref, fair, {}), AddTo({"CT0001", "LD0001"}));
  REQUIRE(sent.ok());
  auto given = RosterOf(*sent);
  auto respond = SetStatus({"CT0001", "LD0001"}, "Responded");
  respond.how = fb::MemberHow::Response;
  respond.criteria = "logged segment LS0002";
  const auto moved = membership::DecideUpdateStatus(Cx(ref, fair, given.state()), respond);
  REQUIRE(Emitted(moved) == "MemberStatusUpdated MemberStatusUpdated");
  auto join = AddTo({"CT0002"}, "Responded");
  join.how = fb::MemberHow::Response;
  join.criteria = "logged segment LS0002";
  const auto joined = membership::DecideAdd(Cx(ref, fair, given.state()), join);
  REQUIRE(Emitted(joined) == "MemberAdded");
  given.Add(*moved).Add(*joined);
  const auto later = membership::DecideUpdateStatus(Cx(ref, fair, given.state()), SetStatus({"LD0001"}, "Attended"));
  given.Add(*later);

  EnvelopeLog log;
  membership::TakeBack cancel{Ctx(), No("CP0001"), {}, fb::MemberHow::Response, {"logged segment LS0002"},
                              fb::MemberHow::Undo, "canceled LS0002"};
  cancel.last = LastChanges(&log, {moved->at(0), joined->at(0), later->at(0)});
  const auto back = membership::DecideTakeBack(Cx(ref, fair, given.state()), cancel);
  REQUIRE(Emitted(back) == "MemberStatusUpdated MemberRemoved");
  const auto* ct1 = back->at(0).payload.AsMemberStatusUpdated();
  CHECK(ct1->member == "CT0001");
  CHECK(ct1->from_status == "Responded");
  CHECK(ct1->status == "Sent");
  CHECK_FALSE(ct1->responded);
  CHECK(ct1->how == fb::MemberHow::Undo);
  CHECK(ct1->criteria == "canceled LS0002");
  CHECK(back->at(1).payload.AsMemberRemoved()->member == "CT0002");
  given.Add(*back);
  CHECK(given.state().at(No("LD0001")).status == "Attended");  // its later change stands

  // The cancel undone: the members it took back respond again.
  membership::TakeBack restore{Ctx(), No("CP0001"), {}, fb::MemberHow::Undo, {"canceled LS0002"},
                               fb::MemberHow::Response, "logged segment LS0002"};
  restore.last = LastChanges(&log, {back->at(0), back->at(1), later->at(0)});
  const auto again = membership::DecideTakeBack(Cx(ref, fair, given.state()), restore);
  REQUIRE(Emitted(again) == "MemberStatusUpdated MemberAdded");
  CHECK(again->at(0).payload.AsMemberStatusUpdated()->status == "Responded");
  CHECK(again->at(0).payload.AsMemberStatusUpdated()->responded);
  CHECK(again->at(1).payload.AsMemberAdded()->status == "Responded");
  CHECK(again->at(1).payload.AsMemberAdded()->how == fb::MemberHow::Response);
  // Sent twice: the members are no longer as the taken-back change left them.
  given.Add(*again);
  CHECK(Emitted(membership::DecideTakeBack(Cx(ref, fair, given.state()), restore)) == "nothing");
}

TEST_CASE("take-back plan: which responses a cancel takes back, and how each was written") {
  using membership::ResponseEntry;
  const std::vector<ResponseEntry> entries{
      {No("CP0001"), No("CT0001"), No("IE0001"), No("LS0001"), true, false, false},
      {No("CP0001"), No("CT0002"), No("IE0002"), No("LS0001"), true, true, false},  // canceled on its own first
      {No("CP0002"), No("CT0003"), No("IE0003"), RecordNo(), true, false, false},
      {RecordNo(), No("CT0004"), No("IE0004"), No("LS0001"), true, false, false},      // on no campaign
      {No("CP0001"), No("CT0005"), No("IE0005"), No("LS0001"), false, false, false},  // not a response
  };
  const CommandContext ctx{};
  auto cancel = membership::PlanTakeBacks(No("LS0001"), false, entries, ctx);
  REQUIRE(cancel.size() == 2);
  CHECK(cancel[0].command.campaign == No("CP0001"));
  CHECK(cancel[0].members == std::vector<RecordNo>{No("CT0001")});
  CHECK(cancel[0].command.change_how == fb::MemberHow::Response);
  CHECK(cancel[0].command.change_criteria == std::set<std::string>{"logged segment LS0001"});
  CHECK(cancel[0].command.how == fb::MemberHow::Undo);
  CHECK(cancel[0].command.criteria == "canceled LS0001");
  CHECK(cancel[1].command.change_criteria == std::set<std::string>{"interaction IE0003"});

  // Undoing the cancel puts back what either cancel took, as the response it was.
  auto put_back = membership::PlanTakeBacks(No("LS0001"), true, entries, ctx);
  REQUIRE(put_back.size() == 2);
  CHECK(put_back[0].command.change_how == fb::MemberHow::Undo);
  CHECK(put_back[0].command.change_criteria == std::set<std::string>{"canceled IE0001", "canceled LS0001"});
  CHECK(put_back[0].command.how == fb::MemberHow::Response);
  CHECK(put_back[0].command.criteria == "logged segment LS0001");

  // An entry canceled with its segment is left to the segment's cancel.
  std::vector<ResponseEntry> with_segment{{No("CP0001"), No("CT0001"), No("IE0001"), No("LS0001"), true, false, true}};
  CHECK(membership::PlanTakeBacks(No("IE0001"), false, with_segment, ctx).empty());
  with_segment[0].canceled_with_segment = false;
  CHECK(membership::PlanTakeBacks(No("IE0001"), false, with_segment, ctx).front().command.criteria == "canceled IE0001");
}

}  // namespace crm::testing
