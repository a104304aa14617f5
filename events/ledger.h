// The ledger interface: an append-only, hash-chained sequence of event records, with per-stream
// versions, command-id idempotency and number series. Two implementations: the embedded RocksDB
// ledger (events/embedded_ledger.h) and the Kafka ledger (events/kafka_ledger.h).
//
// Contract for Append: all of a batch's events become visible together or not at all; when
// Append returns ok the batch is durable (synced). It fails with Aborted, writing nothing, when a
// stream named in `expected` is no longer at that version, or when the command id was already
// used (a racing retry). Callers ask FindCommand first to answer retries as the first time.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "events/codec.h"
#include "events/ids.h"
#include "events/status.h"
#include "events/values.h"

namespace crm {

struct AppendBatch {
  CommandId command_id;
  std::string correlation_id;
  std::string causation_id;
  Actor actor;
  Timestamp now;
  std::vector<NewEvent> events;
  // Versions the decision was based on; checked atomically with the write.
  std::vector<std::pair<StreamId, StreamVersion>> expected;
  // New high-water marks of number series used by this command.
  std::vector<std::pair<RecordKind, uint64_t>> numbers;
  // The command's answer (JSON), returned again for a retry with the same command id.
  std::string answer;
  // Set by sealing (Handler::Seal): each event as it was before its personal data was sealed
  // (type NONE: not sealed) and the answer before sealing (empty: not sealed). Only this
  // process's own projections get these (the embedded ledger passes them to its sink, which
  // then need not open what was just sealed); the ledger stores the sealed ones.
  std::vector<fb::EventUnion> opened;
  std::string opened_answer;
};

struct AppendResult {
  LedgerSeq first;  // 0 when the batch had no events
  LedgerSeq last;
  // A shared log only (Kafka): the log, not this batch, settled the command: another writer's
  // batch came first, or a copy of this command landed there. The ledger has caught up; look
  // the command up (FindCommand) and decide again if it is absent. first/last are unset.
  bool superseded = false;
};

class Ledger {
 public:
  virtual ~Ledger() = default;

  virtual Result<std::optional<std::string>> FindCommand(const CommandId& id) = 0;
  virtual Result<StreamVersion> Version(const StreamId& stream) = 0;
  // The highest number handed out so far in a series (0 when none).
  virtual Result<uint64_t> LastNumber(RecordKind kind) = 0;
  virtual Result<AppendResult> Append(AppendBatch batch) = 0;
  // Position of the last record (0 when empty) and its hash.
  virtual Result<std::pair<LedgerSeq, Hash>> Head() = 0;
  // Calls fn(seq, record) for records from `from` on, in order, until fn returns false.
  using RecordFn = std::function<bool(LedgerSeq, std::string_view)>;
  virtual Status Read(LedgerSeq from, const RecordFn& fn) = 0;
  // The records of one stream, in stream order.
  virtual Status ReadStream(const StreamId& stream, const RecordFn& fn) = 0;

  // Record `seq`'s bytes; Corruption when the ledger does not hold it.
  Result<std::string> ReadOne(LedgerSeq seq) {
    std::optional<std::string> found;
    CRM_RETURN_IF_ERROR(Read(seq, [&](LedgerSeq at, std::string_view record) {
      if (at == seq) found.emplace(record);
      return false;
    }));
    if (!found) return Status::Corruption("record " + std::to_string(seq.value()) + " is missing from the ledger");
    return std::move(*found);
  }
};

}  // namespace crm
