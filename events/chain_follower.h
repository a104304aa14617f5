// ChainFollower: which records of a shared log are the ledger. Every reader of a Kafka partition
// (writers catching up, projectors, `ledger verify`) applies this one rule, so all of them agree
// on the ledger whatever the order in which concurrent writers' records landed (docs/kafka.md).
//
// A record continues the chain when it is intact (schema verifier, its own hash), its seq is one
// past the chain's last record and its prev_hash is that record's hash. The chain's last record is
// the ledger head, or the previous record of the batch being collected. A command's records take
// effect together: they are collected until the one marked command_last arrives, and the batch is
// then accepted whole. Any record that does not continue a collected batch abandons it (its
// writer lost a race or died mid-batch); it may itself start a new batch from the head. Records
// that continue nothing are superseded: writers that decided on a stale head, leftovers of an
// abandoned batch. Pure and deterministic; not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "events/codec.h"

namespace crm {

class ChainFollower {
 public:
  enum class Verdict {
    kCollected,   // continues the chain; waits for the rest of its command
    kAccepted,    // completed a batch: the batch is now part of the ledger
    kSuperseded,  // continues nothing
    kCorrupt,     // fails the verifier or its own hash
  };
  struct Batch {
    int64_t first_offset = -1;
    std::vector<std::string> records;  // in order; the last is marked command_last
  };
  struct Counts {
    uint64_t accepted = 0;    // records in accepted batches
    uint64_t superseded = 0;  // including the records of abandoned batches
    uint64_t corrupt = 0;
  };

  // Follows a chain whose last accepted record is `head` (0 and a zero hash for an empty ledger).
  ChainFollower(LedgerSeq head, const Hash& head_hash);

  // Offers the log's record at `offset` (offsets increase). On kAccepted, `*accepted` holds the
  // completed batch; on kCorrupt, `*reason` says why.
  Verdict Offer(int64_t offset, std::string_view record, Batch* accepted, std::string* reason);

  // For a writer whose own batch landed at the offsets right after the last one offered, with
  // nothing in between: what Offer would conclude for each record, without verifying bytes
  // this process has just built (a collected batch is abandoned; the batch becomes the head).
  void AcceptOwn(const std::vector<std::string>& records);

  // Where a reader that has consumed everything before `next` must resume so that no collected
  // record is lost: the first offset of the batch being collected, else `next`.
  int64_t ResumeOffset(int64_t next) const { return pending_.records.empty() ? next : pending_.first_offset; }

  LedgerSeq head() const { return head_; }
  const Hash& head_hash() const { return head_hash_; }
  const Counts& counts() const { return counts_; }

 private:
  void Abandon();

  LedgerSeq head_;
  Hash head_hash_;
  Batch pending_;
  uint64_t pending_seq_ = 0;  // seq of the last collected record
  Hash pending_hash_{};
  std::string pending_command_;
  Counts counts_;
};

}  // namespace crm
