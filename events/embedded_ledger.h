// The embedded ledger: the ledger as column families of the data directory's RocksDB (Store).
//
// Appends go into a Store::Txn together with whatever the RecordSink (the projections) adds for
// each record, and commit as one synced write: projections never lag the ledger. Single writer per
// data directory (Store's lock); readers use their own read-only Store.
#pragma once

#include <memory>

#include "events/ledger.h"
#include "events/store.h"

namespace crm {

// Receives each record as it is appended, inside the same transaction.
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual Status Apply(LedgerSeq seq, const fb::Envelope& env, Store::Txn* txn) = 0;
};

class EmbeddedLedger final : public Ledger {
 public:
  // Column families the ledger uses; pass them to Store::Open.
  static std::vector<std::string> ColumnFamilies();

  // `store` and `sink` (may be null) must outlive the ledger.
  EmbeddedLedger(Store* store, RecordSink* sink);

  Result<std::optional<std::string>> FindCommand(const CommandId& id) override;
  Result<StreamVersion> Version(const StreamId& stream) override;
  Result<uint64_t> LastNumber(RecordKind kind) override;
  Result<AppendResult> Append(AppendBatch batch) override;
  Result<std::pair<LedgerSeq, Hash>> Head() override;
  Status Read(LedgerSeq from, const RecordFn& fn) override;
  Status ReadStream(const StreamId& stream, const RecordFn& fn) override;

  // Calls fn for the records still in memtables (recovered from the write-ahead logs at open,
  // or appended since), in order, until it returns false: the part of the ledger that a
  // damaged log could have lost (events/head_witness.h).
  Status ReadUnflushed(const RecordFn& fn);

  // Appends without syncing or committing: the caller's txn (bulk loads commit many at once).
  Result<AppendResult> AppendTo(AppendBatch batch, Store::Txn* txn);

  // The two halves of AppendTo, shared with the Kafka ledger, whose data directory is a replica
  // of the log. Prepare checks the command id and expected versions against the state in `txn`
  // and encodes the batch's records chained after its head (the last carries the answer and
  // numbers). ApplyRecord adds one record to the ledger, its indexes and the sink.
  // With `for_sink`, also the records as the sink is to see them (batch.opened): "" where the
  // record itself.
  Result<std::vector<std::string>> Prepare(const AppendBatch& batch, Store::Txn* txn,
                                           std::vector<std::string>* for_sink = nullptr);
  // `for_sink`: what the sink gets instead of `env` (the same record, its personal data open).
  Status ApplyRecord(std::string_view record, const fb::Envelope& env, Store::Txn* txn,
                     const fb::Envelope* for_sink = nullptr);
  // The records of one command, in ledger order (none when it wrote nothing or is unknown).
  Result<std::vector<std::string>> CommandRecords(const CommandId& id);
  // The head as `txn` sees it.
  Result<std::pair<LedgerSeq, Hash>> HeadIn(const Store::Txn& txn);
  Store* store() const { return store_; }
  // Other metadata kept with the ledger (a Kafka replica's binding: keys "kafka/...").
  Result<std::optional<std::string>> Meta(std::string_view key, const Store::Txn& txn);
  void PutMeta(std::string_view key, std::string_view value, Store::Txn* txn);

 private:
  void PutNumber(RecordKind kind, uint64_t last, Store::Txn* txn);

  Store* store_;
  RecordSink* sink_;
};

}  // namespace crm
