// Undo (aggregates/undo.h): which commands can be undone and how, from their records; member
// compensations are exact inverses in reverse order and refuse to overwrite a later change.
#include "aggregates/undo.h"

#include <doctest/doctest.h>

#include "aggregates/campaign_prices.h"
#include "aggregates/task.h"
#include "tests/aggregates/aggregate_test_util.h"

namespace crm::testing {
namespace {

const CommandId kId("cmd-1");

NewEvent Added(const char* member, const char* status) {
  fb::MemberAddedT e;
  e.campaign = "CP0001";
  e.member = member;
  e.status = status;
  return MakeEvent(No("CP0001").Stream(), std::move(e));
}

NewEvent Updated(const char* member, const char* from, const char* to) {
  fb::MemberStatusUpdatedT e;
  e.campaign = "CP0001";
  e.member = member;
  e.from_status = from;
  e.status = to;
  e.how = fb::MemberHow::MassUpdate;
  return MakeEvent(No("CP0001").Stream(), std::move(e));
}

NewEvent Removed(const char* member, const char* status) {
  fb::MemberRemovedT e;
  e.campaign = "CP0001";
  e.member = member;
  e.status = status;
  return MakeEvent(No("CP0001").Stream(), std::move(e));
}

// The records of one command, as the ledger would hand them to undo.
struct Command {
  EnvelopeLog log;
  std::vector<const fb::Envelope*> records;
  explicit Command(const Events& events) {
    for (const auto& e : events) records.push_back(&log.Append(e));
  }
};

reference::State Reference() {
  Given<reference::State> given(reference::Evolve);
  given.Add(InitialisedReference()).Add({MemberStatusAdded("Invited", 3), MemberStatusAdded("Attended", 4, kResponded)});
  return given.state();
}

undo::MembersNow Now(const reference::State& ref, std::map<std::string, std::optional<std::string>> status) {
  undo::MembersNow now{&ref, {}};
  for (auto& [member, s] : status) now.status[{No("CP0001"), No(member)}] = s;
  return now;
}

TEST_CASE("member commands are undone by inverse events in reverse order") {
  const Command cmd({Added("CT0001", "Invited"), Updated("CT0002", "Invited", "Attended"), Removed("CT0003", "Invited")});
  REQUIRE(undo::Classify(kId, cmd.records)->kind == undo::Kind::kMembers);
  CHECK(undo::TouchedMembers(cmd.records).size() == 3);
  const auto ref = Reference();
  const auto r = undo::CompensateMembers(cmd.records, Now(ref, {{"CT0001", "Invited"}, {"CT0002", "Attended"}, {"CT0003", {}}}),
                                         "undo cmd-1");
  REQUIRE(Emitted(r) == "MemberAdded MemberStatusUpdated MemberRemoved");
  const auto* back = r->at(0).payload.AsMemberAdded();
  CHECK(back->member == "CT0003");
  CHECK(back->status == "Invited");
  CHECK(back->how == fb::MemberHow::Undo);
  const auto* status = r->at(1).payload.AsMemberStatusUpdated();
  CHECK(status->from_status == "Attended");
  CHECK(status->status == "Invited");
  CHECK_FALSE(status->responded);
  CHECK(r->at(2).payload.AsMemberRemoved()->member == "CT0001");
  CHECK(r->at(2).payload.AsMemberRemoved()->criteria == "undo cmd-1");
}

TEST_CASE("an undo never overwrites a later change") {
  const Command cmd({Updated("CT0002", "Invited", "Attended")});
  const auto ref = Reference();
  const auto r = undo::CompensateMembers(cmd.records, Now(ref, {{"CT0002", "Invited"}}), "");
  REQUIRE(ErrorOf(r) == StatusCode::kFailedPrecondition);
  CHECK(r.status().message().find("CT0002 in CP0001 changed after the command") != std::string::npos);
  CHECK(ErrorOf(undo::CompensateMembers(Command({Removed("CT0003", "Invited")}).records,
                                        Now(ref, {{"CT0003", "Attended"}}), "")) == StatusCode::kFailedPrecondition);
}

TEST_CASE("a status that no longer exists cannot be restored") {
  const Command cmd({Updated("CT0002", "Gone", "Attended")});
  const auto ref = Reference();
  const auto r = undo::CompensateMembers(cmd.records, Now(ref, {{"CT0002", "Attended"}}), "");
  CHECK(ErrorOf(r) == StatusCode::kFailedPrecondition);
  CHECK(r.status().message().find("'Gone' is no longer defined") != std::string::npos);
}

TEST_CASE("an undo of an undo redoes") {
  const auto ref = Reference();
  const Command cmd({Updated("CT0002", "Invited", "Attended")});
  const auto undone = undo::CompensateMembers(cmd.records, Now(ref, {{"CT0002", "Attended"}}), "");
  REQUIRE(undone.ok());
  const Command undo_cmd(*undone);
  REQUIRE(undo::Classify(kId, undo_cmd.records)->kind == undo::Kind::kMembers);
  const auto redone = undo::CompensateMembers(undo_cmd.records, Now(ref, {{"CT0002", "Invited"}}), "");
  REQUIRE(Emitted(redone) == "MemberStatusUpdated");
  CHECK(redone->at(0).payload.AsMemberStatusUpdated()->status == "Attended");
  CHECK(redone->at(0).payload.AsMemberStatusUpdated()->responded);
}

TEST_CASE("segment steps, go-backs and redos; cancels and their undos") {
  fb::SegmentStepTakenT step;
  step.no = "SM0001";
  step.step = 2;
  const auto plan = undo::Classify(kId, Command({MakeEvent(StreamId("segment/SM0001"), step)}).records);
  REQUIRE(plan.ok());
  CHECK(plan->kind == undo::Kind::kGoBack);
  CHECK(plan->step == 2);
  CHECK(undo::CheckSegmentPosition(kId, *plan, 2).ok());
  CHECK(undo::CheckSegmentPosition(kId, *plan, 3).message().find("is at step 3, not 2") != std::string::npos);
  fb::SegmentStepUndoneT back;
  back.no = "SM0001";
  back.step = 2;
  const auto redo = undo::Classify(kId, Command({MakeEvent(StreamId("segment/SM0001"), back)}).records);
  REQUIRE(redo.ok());
  CHECK(redo->kind == undo::Kind::kRedo);
  CHECK(undo::CheckSegmentPosition(kId, *redo, 1).ok());  // step 2 undone: 1 in effect
  CHECK_FALSE(undo::CheckSegmentPosition(kId, *redo, 2).ok());
  fb::EntryCanceledT cancel;
  cancel.entry = "CE0001";
  const auto c = undo::Classify(kId, Command({MakeEvent(StreamId("logged/LS0001"), cancel)}).records);
  REQUIRE(c.ok());
  CHECK(c->kind == undo::Kind::kCancel);
  CHECK_FALSE(c->cancel);  // a cancel is undone by taking it back
  CHECK(c->target == No("CE0001"));
}

TEST_CASE("refused with the reason: deliveries, loggings, creations, nothing written") {
  fb::DeliveryCompletedT done;
  auto r = undo::Classify(kId, Command({MakeEvent(StreamId("logged/LS0001"), done)}).records);
  CHECK(r.status().code() == StatusCode::kFailedPrecondition);
  CHECK(r.status().message().find("a delivered email stays delivered") != std::string::npos);
  fb::InteractionLoggedT logged;
  CHECK(undo::Classify(kId, Command({MakeEvent(StreamId("logged/LS0001"), logged)}).records).status().message().find(
            "cancel them instead") != std::string::npos);
  fb::ContactCreatedT created;
  created.no = "CT0001";
  r = undo::Classify(kId, Command({MakeEvent(StreamId("contact/CT0001"), created)}).records);
  CHECK(r.status().message().find("it wrote ContactCreated") != std::string::npos);
  CHECK(undo::Classify(kId, {}).status().message().find("it wrote no events") != std::string::npos);
  // A member change inside another command (a status replaced while removing it) goes with it.
  fb::MemberStatusRemovedT removed;
  r = undo::Classify(kId, Command({Updated("CT0001", "Invited", "Attended"), MakeEvent(StreamId("reference"), removed)}).records);
  CHECK(r.status().code() == StatusCode::kFailedPrecondition);
}

TEST_CASE("an import's batch: what it created, what it changed, its members") {
  fb::LeadCreatedT created;
  created.no = "LD0001";
  fb::ConsentRecordedT consent;
  consent.no = "LD0001";
  consent.kind = fb::ConsentKind::OptOut;
  fb::ContactChangedT changed;
  changed.no = "CT0005";
  const Command cmd({MakeEvent(No("LD0001").Stream(), std::move(created)), MakeEvent(No("LD0001").Stream(), std::move(consent)),
                     MakeEvent(No("CT0005").Stream(), std::move(changed)), Added("LD0001", "Invited")});
  auto batch = undo::ReadImportBatch(kId, cmd.records);
  REQUIRE(batch.ok());
  REQUIRE(batch->records.size() == 2);
  CHECK(batch->records[0].no == No("LD0001"));
  CHECK(batch->records[0].created);
  CHECK(batch->records[0].before == 0);
  CHECK(batch->records[0].after == 2);  // created, then its consent
  CHECK(batch->records[1].no == No("CT0005"));
  CHECK(!batch->records[1].created);
  CHECK(batch->records[1].after == batch->records[1].before + 1);
  CHECK(batch->members.size() == 1);

  fb::SegmentCreatedT other;
  other.no = "SM0001";
  const Command not_import({MakeEvent(No("SM0001").Stream(), std::move(other))});
  CHECK(undo::ReadImportBatch(kId, not_import.records).status().message() ==
        "command cmd-1 cannot be undone: an import does not write SegmentCreated");
}

TEST_CASE("undo again: refused while an undo is in effect; an undo of the undo puts the command back") {
  const CommandId x("x");
  CHECK(undo::CheckNotUndone(x, {}).ok());
  const Status once = undo::CheckNotUndone(x, {{"x", "u"}});
  CHECK(once.code() == StatusCode::kFailedPrecondition);
  CHECK(once.message() == "command x was already undone (by command u; undo that one to apply it again)");
  CHECK(undo::CheckNotUndone(x, {{"x", "u"}, {"u", "v"}}).ok());  // redone
  CHECK(undo::CheckNotUndone(x, {{"x", "u"}, {"u", "v"}, {"v", "w"}}).message() ==
        "command x was already undone (by command w; undo that one to apply it again)");
  // An undo written in batches that stopped partway is not in effect: running it again finishes it.
  CHECK(undo::CheckNotUndone(x, {{"x", "u#1"}}).ok());
}

TEST_CASE("undo import: a created record goes only while nothing happened to it since") {
  const undo::ImportBatch::Record rec{No("CT0007"), 0, 2, true};
  undo::ImportedNow now{StreamVersion(2)};
  auto removed = undo::DecideRemoveImported(rec, now);
  REQUIRE(Emitted(removed) == "RecordRemoved");
  CHECK(removed->front().payload.AsRecordRemoved()->no == "CT0007");
  CHECK(removed->front().stream.value() == No("CT0007").Stream().value());

  auto refused = [&](undo::ImportedNow n) {
    auto r = undo::DecideRemoveImported(rec, n);
    CHECK(ErrorOf(r) == StatusCode::kFailedPrecondition);
    return r.ok() ? std::string() : r.status().message();
  };
  CHECK(refused({StreamVersion(3)}).find("CT0007 changed after the import (crmctl history CT0007)") == 0);
  CHECK(refused({StreamVersion(2), No("CP0002")}).find("became a member of CP0002") != std::string::npos);
  CHECK(refused({StreamVersion(2), std::nullopt, true}).find("interaction log entries") != std::string::npos);
  CHECK(refused({StreamVersion(2), std::nullopt, false, true}).find("segment's lines") != std::string::npos);
  // A changed record that the import only changed: restored only when unchanged since.
  CHECK(undo::CheckUnchangedSinceImport(rec, now).ok());
  CHECK(undo::CheckUnchangedSinceImport(rec, {StreamVersion(5)}).code() == StatusCode::kFailedPrecondition);
}

TEST_CASE("undo import: one batch of an import is refused, naming the whole import") {
  CHECK(undo::CheckWholeImport(CommandId("imp-1"), true).ok());
  const Status s = undo::CheckWholeImport(CommandId("imp-1#2"), false);
  CHECK(s.code() == StatusCode::kFailedPrecondition);
  CHECK(s.message() == "command imp-1#2 is one batch of import imp-1: undo the import as a whole (crmctl undo imp-1)");
}

// A record's whole stream, one command per record ("command-1", "command-2", ... as EnvelopeLog
// numbers them).
struct Stream {
  EnvelopeLog log;
  std::vector<const fb::Envelope*> records;
  explicit Stream(const Events& events) {
    for (const auto& e : events) records.push_back(&log.Append(e));
  }
};

NewEvent TaskNow(const char* status, const char* due) {
  task::State s;
  s.exists = true;
  s.no = No("TD0001");
  s.description = "Call";
  s.status = status;
  s.due = due;
  s.salesperson = "AH";
  return task::ChangedTo(s);
}

TEST_CASE("a task's change is undone by its fields as they were, only while nothing changed it since") {
  fb::TaskCreatedT created;
  created.no = "TD0001";
  created.description = "Call";
  created.status = task::kNotStarted;
  created.due = "2027-02-01";
  created.salesperson = "AH";
  Stream stream({MakeEvent(No("TD0001").Stream(), std::move(created)), TaskNow(task::kCompleted, "2027-02-01"),
                 TaskNow(task::kCompleted, "2027-03-01")});
  REQUIRE(undo::Classify(CommandId("command-2"), {stream.records[1]})->kind == undo::Kind::kRestore);
  auto refused = undo::CompensateRestore(CommandId("command-2"), stream.records);
  CHECK(ErrorOf(refused) == StatusCode::kFailedPrecondition);
  CHECK(refused.status().message() == "command command-2 cannot be undone: task TD0001 changed since (by a later "
                                      "command; undo that first)");
  auto undone = undo::CompensateRestore(CommandId("command-3"), stream.records);
  REQUIRE(Emitted(undone) == "TaskChanged");
  const auto* e = undone->at(0).payload.AsTaskChanged();
  CHECK(e->status == task::kCompleted);
  CHECK(e->due == "2027-02-01");
}

TEST_CASE("a campaign's price lines, activation and attachments are undone as they were") {
  fb::CampaignCreatedT created;
  created.no = "CP0001";
  created.name = "Fair";
  const RecordNo cp = No("CP0001");
  const campaign::PriceLine ten{"1000", "", 0, true, 10000}, fifteen{"1000", "", 0, true, 15000};
  const campaign::PriceLine other{"2000", "", 0, false, 9950};
  Stream stream({MakeEvent(cp.Stream(), std::move(created)),             // command-1
                 campaign::PriceSetEvent(cp, ten),                        // command-2
                 campaign::PriceSetEvent(cp, fifteen),                    // command-3: replaces it
                 campaign::PriceSetEvent(cp, other),                      // command-4
                 campaign::ActivatedEvent(cp, {No("CT0001"), No("CT0002")}),      // command-5
                 campaign::DeactivatedEvent(cp),                          // command-6
                 campaign::AttachmentAddedEvent(cp, "a.txt", "one", "sha-one"),   // command-7
                 campaign::AttachmentAddedEvent(cp, "a.txt", "two", "sha-two"),   // command-8
                 campaign::AttachmentRemovedEvent(cp, "a.txt")});                 // command-9
  auto undo = [&](int n) { return undo::CompensateRestore(CommandId("command-" + std::to_string(n)), stream.records); };

  CHECK(ErrorOf(undo(2)) == StatusCode::kFailedPrecondition);  // the line changed since (command-3)
  auto back = undo(3);
  REQUIRE(Emitted(back) == "CampaignPriceSet");
  CHECK(back->at(0).payload.AsCampaignPriceSet()->value == 10000);
  auto gone = undo(4);
  REQUIRE(Emitted(gone) == "CampaignPriceRemoved");
  CHECK(gone->at(0).payload.AsCampaignPriceRemoved()->item == "2000");

  CHECK(ErrorOf(undo(5)) == StatusCode::kFailedPrecondition);  // deactivated since
  auto active = undo(6);
  REQUIRE(Emitted(active) == "CampaignActivated");
  CHECK(active->at(0).payload.AsCampaignActivated()->targets == std::vector<std::string>{"CT0001", "CT0002"});

  CHECK(ErrorOf(undo(8)) == StatusCode::kFailedPrecondition);  // removed since
  auto restored = undo(9);
  REQUIRE(Emitted(restored) == "CampaignAttachmentAdded");
  const auto* a = restored->at(0).payload.AsCampaignAttachmentAdded();
  CHECK(std::string(a->content.begin(), a->content.end()) == "two");
  CHECK(a->sha256 == "sha-two");
}

}  // namespace
}  // namespace crm::testing
