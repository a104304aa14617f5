// The rule every reader of a shared log applies (events/chain_follower.h): batches are accepted
// whole, a race's loser and an interrupted batch are superseded, a damaged record is corrupt,
// and a reader that restarts from ResumeOffset reaches the same ledger as one that never stopped.
#include <doctest/doctest.h>

#include "events/chain_follower.h"

namespace crm {
namespace {

using Verdict = ChainFollower::Verdict;

// The records a writer publishes for one command that decided on `head`: n events, chained.
std::vector<std::string> Command(const std::string& id, LedgerSeq head, Hash prev, int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) {
    fb::MemberAddedT e;
    e.campaign = "CP0001";
    e.member = "CT000" + std::to_string(i + 1);
    e.status = "Sent";
    fb::EventUnion payload;
    payload.Set(std::move(e));
    EnvelopeHeader h;
    h.seq = LedgerSeq(head.value() + i + 1);
    h.stream = StreamId("campaign/CP0001");
    h.stream_version = StreamVersion(head.value() + i + 1);
    h.command_id = CommandId(id);
    h.command_last = i + 1 == n;
    h.command_answer = "{}";
    out.push_back(EncodeEnvelope(h, payload, prev));
    prev = StoredHash(*fb::GetEnvelope(out.back().data()));
  }
  return out;
}

Hash HashOf(const std::string& record) { return StoredHash(*fb::GetEnvelope(record.data())); }

// Offers `log` from offset `from` on; returns the verdicts.
std::vector<Verdict> Feed(ChainFollower* f, const std::vector<std::string>& log, int64_t from = 0,
                          std::vector<ChainFollower::Batch>* accepted = nullptr) {
  std::vector<Verdict> v;
  for (int64_t o = from; o < static_cast<int64_t>(log.size()); ++o) {
    ChainFollower::Batch b;
    std::string reason;
    v.push_back(f->Offer(o, log[o], &b, &reason));
    if (v.back() == Verdict::kAccepted && accepted != nullptr) accepted->push_back(std::move(b));
  }
  return v;
}

TEST_CASE("a command's records are collected, then accepted together") {
  ChainFollower f(LedgerSeq(0), Hash{});
  auto log = Command("a", LedgerSeq(0), Hash{}, 3);
  std::vector<ChainFollower::Batch> accepted;
  CHECK(Feed(&f, log, 0, &accepted) == std::vector{Verdict::kCollected, Verdict::kCollected, Verdict::kAccepted});
  REQUIRE(accepted.size() == 1);
  CHECK(accepted[0].records == log);
  CHECK(accepted[0].first_offset == 0);
  CHECK(f.head() == LedgerSeq(3));
  CHECK(f.head_hash() == HashOf(log.back()));
  CHECK(f.counts().accepted == 3);
}

TEST_CASE("two writers that decided on the same head: the first complete batch wins") {
  ChainFollower f(LedgerSeq(0), Hash{});
  auto a = Command("a", LedgerSeq(0), Hash{}, 2);
  auto b = Command("b", LedgerSeq(0), Hash{}, 2);
  std::vector<std::string> log = {a[0], a[1], b[0], b[1]};
  CHECK(Feed(&f, log) == std::vector{Verdict::kCollected, Verdict::kAccepted, Verdict::kSuperseded, Verdict::kSuperseded});
  CHECK(f.head_hash() == HashOf(a[1]));
  CHECK(f.counts().superseded == 2);
}

TEST_CASE("a batch interrupted by another writer's records is abandoned") {
  ChainFollower f(LedgerSeq(0), Hash{});
  auto a = Command("a", LedgerSeq(0), Hash{}, 2);
  auto b = Command("b", LedgerSeq(0), Hash{}, 1);
  std::vector<std::string> log = {a[0], b[0], a[1]};
  CHECK(Feed(&f, log) == std::vector{Verdict::kCollected, Verdict::kAccepted, Verdict::kSuperseded});
  CHECK(f.head() == LedgerSeq(1));
  CHECK(f.head_hash() == HashOf(b[0]));
  CHECK(f.counts().superseded == 2);  // a[0] abandoned, a[1] continues nothing
  CHECK(f.counts().accepted == 1);
}

TEST_CASE("a writer's retry after an abandoned batch is accepted") {
  ChainFollower f(LedgerSeq(0), Hash{});
  auto first = Command("a", LedgerSeq(0), Hash{}, 2);
  auto retry = Command("a", LedgerSeq(0), Hash{}, 2);  // same command, new event ids
  std::vector<std::string> log = {first[0], retry[0], retry[1], first[1]};
  CHECK(Feed(&f, log) == std::vector{Verdict::kCollected, Verdict::kCollected, Verdict::kAccepted, Verdict::kSuperseded});
  CHECK(f.head_hash() == HashOf(retry[1]));
}

TEST_CASE("a damaged record is corrupt and never accepted") {
  ChainFollower f(LedgerSeq(0), Hash{});
  auto a = Command("a", LedgerSeq(0), Hash{}, 2);
  std::string flipped = a[1];
  flipped[flipped.size() / 2] ^= 0x01;
  ChainFollower::Batch b;
  std::string reason;
  CHECK(f.Offer(0, a[0], &b, &reason) == Verdict::kCollected);
  CHECK(f.Offer(1, flipped, &b, &reason) == Verdict::kCorrupt);
  CHECK(!reason.empty());
  CHECK(f.Offer(2, "garbage", &b, &reason) == Verdict::kCorrupt);
  CHECK(f.Offer(3, a[1], &b, &reason) == Verdict::kSuperseded);  // its batch was abandoned
  CHECK(f.head() == LedgerSeq(0));
  CHECK(f.counts().corrupt == 2);
}

TEST_CASE("a record delivered twice is applied once") {
  ChainFollower f(LedgerSeq(0), Hash{});
  auto a = Command("a", LedgerSeq(0), Hash{}, 1);
  CHECK(Feed(&f, {a[0], a[0]}) == std::vector{Verdict::kAccepted, Verdict::kSuperseded});
  CHECK(f.counts().accepted == 1);
}

TEST_CASE("a reader restarting from ResumeOffset reaches the same ledger") {
  auto a = Command("a", LedgerSeq(0), Hash{}, 2);
  auto b = Command("b", LedgerSeq(2), HashOf(a[1]), 3);
  auto lost = Command("c", LedgerSeq(2), HashOf(a[1]), 2);  // only its first record lands
  auto d = Command("d", LedgerSeq(5), HashOf(b[2]), 2);
  std::vector<std::string> log = {a[0], a[1], b[0], b[1], lost[0], b[0], b[1], b[2], d[0], d[1]};
  ChainFollower whole(LedgerSeq(0), Hash{});
  Feed(&whole, log);
  CHECK(whole.head() == LedgerSeq(7));
  for (int64_t stop = 0; stop <= static_cast<int64_t>(log.size()); ++stop) {
    ChainFollower first(LedgerSeq(0), Hash{});
    Feed(&first, std::vector<std::string>(log.begin(), log.begin() + stop));
    const int64_t resume = first.ResumeOffset(stop);
    CHECK(resume <= stop);
    ChainFollower second(first.head(), first.head_hash());  // what a restarted replica knows
    Feed(&second, log, resume);
    CHECK(second.head() == whole.head());
    CHECK(second.head_hash() == whole.head_hash());
  }
}

}  // namespace
}  // namespace crm
