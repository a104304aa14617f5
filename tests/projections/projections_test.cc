// Projections against a temporary RocksDB, driven through the in-process command handler: read
// models follow every command, counts are kept incrementally, a rebuild equals the incremental
// result byte for byte, and the check notices when they differ.
#include <doctest/doctest.h>

#include <filesystem>

#include "app/handler.h"
#include "projections/keys.h"
#include "projections/party_rows.h"
#include "projections/rows.h"

namespace crm {
namespace {

struct TempData {
  std::string dir;
  std::unique_ptr<Handler> h;
  int n = 0;
  TempData() {
    char tmpl[] = "/tmp/crm-proj-test-XXXXXX";
    dir = ::mkdtemp(tmpl);
    Handler::Options o;
    o.data_dir = dir;
    o.create = true;
    h = std::move(Handler::Open(o).value());
    REQUIRE(h->Reference(Req(), reference::InitDataSet{"EUR"}).ok());
  }
  ~TempData() {
    h.reset();
    std::filesystem::remove_all(dir);
  }
  Request Req() { return Request{CommandId("cmd-" + std::to_string(++n)), Actor("tester"), Timestamp(n * 1000000LL), {}, "", {}, ""}; }
  ReadModel Model(Store::Txn* txn) { return ReadModel(h->store(), txn); }
};

RecordNo No(const char* s) { return RecordNo::Parse(s).value(); }

void Populate(TempData& t, int contacts) {
  REQUIRE(t.h->Reference(t.Req(), reference::AddMemberStatus{"Invited", false, false, {}}).ok());
  REQUIRE(t.h->Reference(t.Req(), reference::AddMemberStatus{"Attended", true, false, {}}).ok());
  for (int i = 1; i <= contacts; ++i) {
    contact::CreateContact c;
    c.f.name = "Person " + std::to_string(i);
    c.f.email = "p" + std::to_string(i) + "@example.com";
    c.f.city = i % 2 ? "Oslo" : "Bergen";
    REQUIRE(t.h->CreateContact(t.Req(), c).ok());
  }
  campaign::CreateCampaign cp;
  cp.f.name = "Spring";
  REQUIRE(t.h->CreateCampaign(t.Req(), cp).ok());
}

}  // namespace

TEST_CASE("roster rows and per-status counts follow member commands") {
  TempData t;
  Populate(t, 10);
  MemberSelection all_ten{No("CP0001"), {}, {}, false};
  for (int i = 1; i <= 10; ++i) all_ten.ids.push_back(RecordNo(RecordKind::kContact, static_cast<uint64_t>(i)));
  REQUIRE(t.h->AddMembers(t.Req(), all_ten, "Invited").ok());
  auto mass = t.h->SetMemberStatus(t.Req(), MemberSelection{No("CP0001"), {}, {"city=Oslo"}, false}, "Attended",
                                   fb::MemberHow::MassUpdate);
  REQUIRE(mass.ok());
  CHECK((*mass)["updated"] == 5);
  REQUIRE(t.h->RemoveMembers(t.Req(), MemberSelection{No("CP0001"), {No("CT0002")}, {}, false}).ok());

  Store::Txn txn(t.h->store());
  ReadModel rm = t.Model(&txn);
  auto counts = rm.CountsByStatus(No("CP0001"));
  REQUIRE(counts.ok());
  CHECK(*counts == std::map<std::string, uint64_t>{{"Attended", 5}, {"Invited", 4}});
  CHECK(*rm.TotalWithStatus("Attended") == 5);
  auto m = rm.Member(No("CP0001"), No("CT0001"));
  REQUIRE(m->has_value());
  CHECK((*m)->status == "Attended");
  CHECK((*m)->responded);
  CHECK_FALSE(rm.Member(No("CP0001"), No("CT0002"))->has_value());
  CHECK(rm.MemberHistory(No("CP0001"), No("CT0002"))->size() == 2);  // added, removed
  CHECK(rm.CampaignsOf(No("CT0003"))->size() == 1);

  std::vector<std::string> page;
  REQUIRE(rm.ForEachMember(No("CP0001"), No("CT0004"), [&](const RosterRow& r) {
    page.push_back(r.member.ToString());
    return page.size() < 3;
  }).ok());
  CHECK(page == std::vector<std::string>{"CT0005", "CT0006", "CT0007"});
}

TEST_CASE("replacing a removed status moves its members as events, counts follow") {
  TempData t;
  Populate(t, 4);
  MemberSelection sel{No("CP0001"), {No("CT0001"), No("CT0002"), No("CT0003")}, {}, false};
  REQUIRE(t.h->AddMembers(t.Req(), sel, "Invited").ok());
  auto refused = t.h->Reference(t.Req(), reference::RemoveMemberStatus{"Invited", "", 0});
  CHECK(refused.status().code() == StatusCode::kFailedPrecondition);
  auto moved = t.h->Reference(t.Req(), reference::RemoveMemberStatus{"Invited", "Attended", 0});
  REQUIRE(moved.ok());
  CHECK((*moved)["members_moved"] == 3);
  Store::Txn txn(t.h->store());
  ReadModel rm = t.Model(&txn);
  CHECK(*rm.CountsByStatus(No("CP0001")) == std::map<std::string, uint64_t>{{"Attended", 3}});
  CHECK(rm.Reference()->FindStatus("Invited") == nullptr);
}

TEST_CASE("a repeated command id answers as the first time and writes nothing") {
  TempData t;
  Populate(t, 2);
  Request r = t.Req();
  campaign::CreateCampaign cp;
  cp.f.name = "Autumn";
  auto first = t.h->CreateCampaign(r, cp);
  auto head = t.h->ledger()->Head()->first;
  auto second = t.h->CreateCampaign(r, cp);
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  CHECK((*first)["no"] == (*second)["no"]);
  CHECK(t.h->ledger()->Head()->first == head);
}

TEST_CASE("rebuild equals the incremental projections; the check notices a difference") {
  TempData t;
  Populate(t, 20);
  REQUIRE(t.h->AddMembers(t.Req(), MemberSelection{No("CP0001"), {No("CT0001"), No("CT0002")}, {}, false}, "").ok());
  REQUIRE(t.h->SetMemberStatus(t.Req(), MemberSelection{No("CP0001"), {}, {}, true}, "Attended",
                               fb::MemberHow::MassUpdate).ok());
  auto check = CheckRebuild(t.h->store(), t.h->ledger(), nullptr);
  REQUIRE(check.ok());
  CHECK(check->records > 20);

  auto rebuilt = Rebuild(t.h->store(), t.h->ledger(), nullptr);
  REQUIRE(rebuilt.ok());
  CHECK(CheckRebuild(t.h->store(), t.h->ledger(), nullptr).ok());

  // Tamper with one count: the check must fail and name the projection.
  Store::Txn txn(t.h->store());
  txn.Put(t.h->store()->Cf(kCfRoster), keys::Count(No("CP0001"), "Attended"), EncodeU64(99));
  REQUIRE(txn.Commit(true).ok());
  auto bad = CheckRebuild(t.h->store(), t.h->ledger(), nullptr);
  CHECK(bad.status().code() == StatusCode::kFailedPrecondition);
  CHECK(bad.status().message().find("roster") != std::string::npos);
}

}  // namespace crm

namespace crm {

TEST_CASE("a rebuild interrupted after some read models were dropped is finished at the next open") {
  TempData t;
  Populate(t, 5);
  REQUIRE(t.h->AddMembers(t.Req(), MemberSelection{No("CP0001"), {No("CT0001"), No("CT0002")}, {}, false}, "Invited").ok());
  // Simulate the crash: marker written, only the checkpoint's column family reset so far.
  rocksdb::WriteOptions sync;
  sync.sync = true;
  REQUIRE(t.h->store()->db()->Put(sync, t.h->store()->Cf("default"), "rebuild_in_progress", "1").ok());
  REQUIRE(t.h->store()->ResetColumnFamilies({kCfProjMeta}).ok());
  t.h.reset();
  Handler::Options o;
  o.data_dir = t.dir;
  t.h = std::move(Handler::Open(o).value());
  Store::Txn txn(t.h->store());
  ReadModel rm(t.h->store(), &txn);
  CHECK(rm.Reference()->member_statuses.size() == 4);  // Sent, Responded, Invited, Attended: not doubled
  CHECK(*rm.CountsByStatus(No("CP0001")) == std::map<std::string, uint64_t>{{"Invited", 2}});
  CHECK(CheckRebuild(t.h->store(), t.h->ledger(), nullptr).ok());
  std::string marker;
  CHECK(t.h->store()->db()->Get(rocksdb::ReadOptions(), t.h->store()->Cf("default"), "rebuild_in_progress", &marker)
            .IsNotFound());
}

}  // namespace crm

namespace crm {

TEST_CASE("read models of an older projection format are rebuilt from the ledger at the next open") {
  TempData t;
  Populate(t, 3);
  std::string format;
  REQUIRE(t.h->store()->db()->Get(rocksdb::ReadOptions(), t.h->store()->Cf("default"), "projection_format", &format).ok());
  CHECK(format == std::to_string(kProjectionFormat));
  // An older data set: no format recorded, and a contact row in the old layout (format 4: the
  // contact's state as JSON, before the binary rows of projections/party_rows.h).
  rocksdb::WriteOptions sync;
  sync.sync = true;
  REQUIRE(t.h->store()->db()->Delete(sync, t.h->store()->Cf("default"), "projection_format").ok());
  const std::string key = keys::Party(No("CT0002"));
  {
    Store::Txn txn(t.h->store());
    const contact::ContactState before = DecodeContact(txn.Get(t.h->store()->Cf(kCfContacts), key).value()).value();
    txn.Put(t.h->store()->Cf(kCfContacts), key, ToJson(before).dump());
    REQUIRE(txn.Commit(true).ok());
  }
  CHECK_FALSE(CheckRebuild(t.h->store(), t.h->ledger(), nullptr).ok());
  t.h.reset();
  Handler::Options o;
  o.data_dir = t.dir;
  t.h = std::move(Handler::Open(o).value());
  CHECK(CheckRebuild(t.h->store(), t.h->ledger(), nullptr).ok());
  Store::Txn txn(t.h->store());
  auto after = DecodeContact(txn.Get(t.h->store()->Cf(kCfContacts), key).value());
  REQUIRE(after.ok());
  CHECK(after->no == No("CT0002"));
}

}  // namespace crm

namespace crm {

TEST_CASE("undo of a 10,000-member mass update restores every status; undo of the undo redoes it") {
  TempData t;
  constexpr int kMembers = 10000;
  Populate(t, kMembers);
  REQUIRE(t.h->Reference(t.Req(), reference::AddMemberStatus{"No Show", false, false, {}}).ok());
  REQUIRE(t.h->AddMembers(t.Req(), MemberSelection{No("CP0001"), {}, {"city=Oslo|Bergen"}, false}, "Invited").ok());
  // Half of them (Oslo) attended: the statuses the undo must bring back differ member by member.
  REQUIRE(t.h->SetMemberStatus(t.Req(), MemberSelection{No("CP0001"), {}, {"city=Oslo"}, false}, "Attended",
                               fb::MemberHow::MassUpdate).ok());
  auto statuses = [&] {
    Store::Txn txn(t.h->store());
    ReadModel rm = t.Model(&txn);
    std::map<std::string, std::string> out;
    REQUIRE(rm.ForEachMember(No("CP0001"), RecordNo(), [&](const RosterRow& r) {
      out[r.member.ToString()] = r.m.status + (r.m.responded ? "+" : "");
      return true;
    }).ok());
    return out;
  };
  const auto before = statuses();
  REQUIRE(before.size() == kMembers);

  Request mass_req = t.Req();
  const CommandId mass_id = mass_req.command_id;
  auto mass = t.h->SetMemberStatus(mass_req, MemberSelection{No("CP0001"), {}, {}, true}, "No Show", fb::MemberHow::MassUpdate);
  REQUIRE(mass.ok());
  CHECK((*mass)["updated"] == kMembers);
  const auto after = statuses();

  Request undo_req = t.Req();
  auto undone = t.h->Undo(undo_req, mass_id);
  REQUIRE(undone.ok());
  CHECK((*undone)["members_changed"] == kMembers);
  CHECK((*undone)["undoes"] == mass_id.value());
  CHECK(statuses() == before);
  {
    Store::Txn txn(t.h->store());
    ReadModel rm = t.Model(&txn);
    CHECK(*rm.CountsByStatus(No("CP0001")) ==
          std::map<std::string, uint64_t>{{"Attended", kMembers / 2}, {"Invited", kMembers / 2}});
  }
  // Undone already: said so, naming the undo in effect.
  const Status again = t.h->Undo(t.Req(), mass_id).status();
  CHECK(again.code() == StatusCode::kFailedPrecondition);
  CHECK(again.message() == "command " + mass_id.value() + " was already undone (by command " +
                               undo_req.command_id.value() + "; undo that one to apply it again)");
  auto redone = t.h->Undo(t.Req(), undo_req.command_id);
  REQUIRE(redone.ok());
  CHECK(statuses() == after);
  CHECK(CheckRebuild(t.h->store(), t.h->ledger(), nullptr).ok());
}

TEST_CASE("the owners of a batch of emails, found in one pass, are those found one by one") {
  TempData t;
  Populate(t, 12);
  Store::Txn txn(t.h->store());
  ReadModel rm = t.Model(&txn);
  // Unsorted, repeated, in another case, empty and unknown: each answered in its place.
  const std::vector<std::string> emails = {"p7@example.com", "", "P1@EXAMPLE.COM", "nobody@example.com",
                                           "p12@example.com", "p1@example.com", "p10@example.com"};
  auto owners = rm.EmailOwners(emails);
  REQUIRE(owners.ok());
  CHECK(*owners == std::vector<std::string>{"CT0007", "", "CT0001", "", "CT0012", "CT0001", "CT0010"});
  for (size_t i = 0; i < emails.size(); ++i) CHECK((*owners)[i] == rm.EmailOwner(emails[i], RecordNo()).value());
}

}  // namespace crm
