// Reading the ledger straight from the Kafka log, with no data directory: what `ledger verify`
// and `ledger tail`/`export` do against Kafka. Scans the ledger partition from its first offset to its
// end as of the call with a fresh ChainFollower, calls `fn` for every accepted record, and
// reports what else it met: superseded records (lost races, abandoned batches: normal) and
// corrupt ones (never normal), and whether the log still starts at the first record.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "events/chain_follower.h"
#include "events/kafka_client.h"
#include "events/ledger.h"

namespace crm {

struct LogScan {
  int64_t first_offset = 0;  // the log's low watermark: > 0 means records were deleted
  int64_t end_offset = 0;
  ChainFollower::Counts counts;
  uint64_t collected = 0;  // records of a batch still incomplete at the end (a writer mid-append)
  LedgerSeq head;
  Hash head_hash{};
  struct Fault {
    int64_t offset;
    std::string reason;
  };
  std::vector<Fault> corrupt;  // the first 100
};

// `fn` may stop the scan by returning false. With `follow`, the scan does not end at the log's
// end: it waits for new records (polling the end every 200 ms) until fn returns false or the
// process is stopped; the counts are then those of the last pass.
Result<LogScan> ScanLog(const KafkaOptions& options, const Ledger::RecordFn& fn, bool follow = false);

}  // namespace crm
