// The embedded ledger against a temporary RocksDB: sequence, versions, idempotency, expected
// versions, atomic batches, the hash chain, and verification of tampered records.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "events/embedded_ledger.h"
#include "events/head_witness.h"
#include "events/verify.h"
#include "tests/events/temp_store.h"

namespace crm {
namespace {

struct TempLedger : TempStore {
  std::unique_ptr<EmbeddedLedger> ledger;
  TempLedger() : TempStore(EmbeddedLedger::ColumnFamilies()) {
    ledger = std::make_unique<EmbeddedLedger>(store.get(), nullptr);
  }
  ~TempLedger() { ledger.reset(); }
};

NewEvent Added(const std::string& campaign, const std::string& member) {
  fb::MemberAddedT e;
  e.campaign = campaign;
  e.member = member;
  e.status = "Sent";
  NewEvent ev{StreamId("campaign/" + campaign), {}};
  ev.payload.Set(std::move(e));
  return ev;
}

AppendBatch Batch(const std::string& command_id, std::vector<NewEvent> events) {
  AppendBatch b;
  b.command_id = CommandId(command_id);
  b.actor = Actor("tester");
  b.now = Timestamp(1000);
  b.events = std::move(events);
  b.answer = "{}";
  return b;
}

std::vector<NewEvent> Two(const std::string& cp) {
  std::vector<NewEvent> v;
  v.push_back(Added(cp, "CT0001"));
  v.push_back(Added(cp, "CT0002"));
  return v;
}

}  // namespace

TEST_CASE("appends assign global sequence and per-stream versions") {
  TempLedger t;
  auto r = t.ledger->Append(Batch("c1", Two("CP0001")));
  REQUIRE(r.ok());
  CHECK(r->first.value() == 1);
  CHECK(r->last.value() == 2);
  CHECK(t.ledger->Version(StreamId("campaign/CP0001"))->value() == 2);
  CHECK(t.ledger->Version(StreamId("campaign/CP0009"))->value() == 0);
  REQUIRE(t.ledger->Append(Batch("c2", {Added("CP0002", "CT0001")})).ok());
  CHECK(t.ledger->Head()->first.value() == 3);
  std::vector<uint64_t> versions;
  REQUIRE(t.ledger->ReadStream(StreamId("campaign/CP0001"), [&](LedgerSeq, std::string_view rec) {
    versions.push_back(fb::GetEnvelope(rec.data())->stream_version());
    return true;
  }).ok());
  CHECK(versions == std::vector<uint64_t>{1, 2});
}

TEST_CASE("a command id is applied once and its answer kept") {
  TempLedger t;
  auto b = Batch("same", {Added("CP0001", "CT0001")});
  b.answer = R"({"no":"CP0001"})";
  REQUIRE(t.ledger->Append(std::move(b)).ok());
  CHECK(*t.ledger->FindCommand(CommandId("same")) == std::optional<std::string>(R"({"no":"CP0001"})"));
  CHECK_FALSE(t.ledger->FindCommand(CommandId("other"))->has_value());
  auto again = t.ledger->Append(Batch("same", {Added("CP0001", "CT0002")}));
  CHECK(again.status().code() == StatusCode::kAborted);
  CHECK(t.ledger->Head()->first.value() == 1);
}

TEST_CASE("an expected version that moved aborts the whole batch") {
  TempLedger t;
  REQUIRE(t.ledger->Append(Batch("c1", {Added("CP0001", "CT0001")})).ok());
  auto b = Batch("c2", Two("CP0001"));
  b.expected.emplace_back(StreamId("campaign/CP0001"), StreamVersion(0));
  CHECK(t.ledger->Append(std::move(b)).status().code() == StatusCode::kAborted);
  CHECK(t.ledger->Head()->first.value() == 1);
  auto ok = Batch("c3", Two("CP0001"));
  ok.expected.emplace_back(StreamId("campaign/CP0001"), StreamVersion(1));
  CHECK(t.ledger->Append(std::move(ok)).ok());
}

TEST_CASE("number series remember their high-water mark") {
  TempLedger t;
  CHECK(*t.ledger->LastNumber(RecordKind::kCampaign) == 0);
  auto b = Batch("c1", {});
  b.numbers.emplace_back(RecordKind::kCampaign, 7);
  REQUIRE(t.ledger->Append(std::move(b)).ok());
  CHECK(*t.ledger->LastNumber(RecordKind::kCampaign) == 7);
  CHECK(*t.ledger->LastNumber(RecordKind::kContact) == 0);
}

TEST_CASE("records chain by hash and verify") {
  TempLedger t;
  for (int i = 0; i < 5; ++i) REQUIRE(t.ledger->Append(Batch("c" + std::to_string(i), Two("CP0001"))).ok());
  auto report = VerifyLedger(t.ledger.get());
  REQUIRE(report.ok());
  CHECK(report->ok);
  CHECK(report->records == 10);
  Hash prev{};
  REQUIRE(t.ledger->Read(LedgerSeq(1), [&](LedgerSeq, std::string_view rec) {
    auto env = DecodeEnvelope(rec);
    REQUIRE(env.ok());
    CHECK(StoredPrevHash(**env) == prev);
    CHECK(ComputeRecordHash(rec, **env) == StoredHash(**env));
    prev = StoredHash(**env);
    return true;
  }).ok());
  CHECK(t.ledger->Head()->second == prev);
}

TEST_CASE("verify names the first tampered, missing or reordered record") {
  TempLedger t;
  for (int i = 0; i < 4; ++i) REQUIRE(t.ledger->Append(Batch("c" + std::to_string(i), Two("CP0001"))).ok());
  auto* cf = t.store->Cf("ledger");
  auto key = [](uint64_t seq) {
    std::string k;
    PutBigEndian64(&k, seq);
    return k;
  };
  std::string rec5, rec6;
  REQUIRE(t.store->db()->Get(rocksdb::ReadOptions(), cf, key(5), &rec5).ok());
  REQUIRE(t.store->db()->Get(rocksdb::ReadOptions(), cf, key(6), &rec6).ok());

  SUBCASE("a flipped byte") {
    std::string bad = rec5;
    bad[bad.size() / 2] ^= 0x01;
    REQUIRE(t.store->db()->Put(rocksdb::WriteOptions(), cf, key(5), bad).ok());
    auto r = VerifyLedger(t.ledger.get());
    CHECK_FALSE(r->ok);
    CHECK(r->first_bad.value() == 5);
  }
  SUBCASE("a deleted record") {
    REQUIRE(t.store->db()->Delete(rocksdb::WriteOptions(), cf, key(5)).ok());
    auto r = VerifyLedger(t.ledger.get());
    CHECK_FALSE(r->ok);
    CHECK(r->first_bad.value() == 5);
  }
  SUBCASE("two records swapped") {
    REQUIRE(t.store->db()->Put(rocksdb::WriteOptions(), cf, key(5), rec6).ok());
    REQUIRE(t.store->db()->Put(rocksdb::WriteOptions(), cf, key(6), rec5).ok());
    auto r = VerifyLedger(t.ledger.get());
    CHECK_FALSE(r->ok);
    CHECK(r->first_bad.value() == 5);
  }
  SUBCASE("a truncated tail") {
    REQUIRE(t.store->db()->Delete(rocksdb::WriteOptions(), cf, key(8)).ok());
    auto r = VerifyLedger(t.ledger.get());
    CHECK_FALSE(r->ok);
    CHECK(r->first_bad.value() == 8);
  }
  SUBCASE("a record truncated in place") {
    REQUIRE(t.store->db()->Put(rocksdb::WriteOptions(), cf, key(3), rec5.substr(0, 20)).ok());
    auto r = VerifyLedger(t.ledger.get());
    CHECK_FALSE(r->ok);
    CHECK(r->first_bad.value() == 3);
  }
}

TEST_CASE("a second writer waits, then gives up with Unavailable") {
  TempLedger t;
  Store::Options o;
  o.mode = Store::Mode::kWrite;
  o.lock_timeout = std::chrono::milliseconds(200);
  auto second = Store::Open(t.dir, o, EmbeddedLedger::ColumnFamilies());
  CHECK(second.status().code() == StatusCode::kUnavailable);
  Store::Options ro;
  auto reader = Store::Open(t.dir, ro, EmbeddedLedger::ColumnFamilies());
  CHECK(reader.ok());
}

TEST_CASE("head witness: every append names the head; a ledger behind it or beside it is refused") {
  TempLedger t;
  const HeadWitness witness(t.dir);
  CHECK_FALSE(witness.Read().value().has_value());  // nothing appended yet: nothing to check
  CHECK(CheckLedgerHead(t.ledger.get()).ok());
  REQUIRE(t.ledger->Append(Batch("c1", Two("CP0001"))).ok());
  REQUIRE(t.ledger->Append(Batch("c2", Two("CP0002"))).ok());
  const auto head = t.ledger->Head().value();
  const auto noted = witness.Read().value();
  REQUIRE(noted.has_value());
  CHECK(noted->seq == LedgerSeq(4));
  CHECK(noted->hash == head.second);
  CHECK(CheckLedgerHead(t.ledger.get()).ok());

  // A witness behind the ledger (its last write lost in a crash) still checks what it names.
  auto second = t.ledger->ReadOne(LedgerSeq(2)).value();
  const Hash at_two = StoredHash(*DecodeEnvelope(second).value());
  REQUIRE(witness.Record(LedgerHead{LedgerSeq(2), at_two}).ok());
  CHECK(CheckLedgerHead(t.ledger.get()).ok());
  REQUIRE(witness.Record(LedgerHead{LedgerSeq(2), head.second}).ok());
  const Status replaced = CheckLedgerHead(t.ledger.get());
  CHECK(replaced.code() == StatusCode::kCorruption);
  CHECK(replaced.message().find("record 2 of the ledger") == 0);

  // Acknowledged records the ledger no longer has.
  REQUIRE(witness.Record(LedgerHead{LedgerSeq(5), head.second}).ok());
  const Status lost = CheckLedgerHead(t.ledger.get());
  CHECK(lost.code() == StatusCode::kCorruption);
  CHECK(lost.message().find("has lost acknowledged records: it ends at record 4 but record 5 was acknowledged") !=
        std::string::npos);

  // Not a witness at all.
  { std::ofstream(witness.path()) << "garbage\n"; }
  CHECK(CheckLedgerHead(t.ledger.get()).code() == StatusCode::kCorruption);
}

}  // namespace crm
