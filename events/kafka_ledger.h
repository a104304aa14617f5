// The Kafka ledger: the ledger is the chain of records in partition 0 of a Kafka topic (record
// key = stream id, value = the envelope, headers event_type and schema_version), as
// ChainFollower reads it. The data directory is this process's replica of that chain: the
// embedded ledger's column families, whatever its sink (the projections) makes of each record,
// and the log offset to resume from, all in one write batch, so that a crash at any point
// neither loses nor doubles an effect.
//
// Decisions read the replica after CatchUp. Append publishes a batch chained after the
// replica's head and learns from the log whether it won (docs/kafka.md):
//   - the records landed right after the last offset the replica had read: nothing came in
//     between, so they continue the chain and are accepted (no read-back);
//   - otherwise the log is read up to them: if another writer's batch came first, this one no
//     longer continues the chain. Append then reports `superseded`: the caller looks the command
//     up in the caught-up replica (a copy of it may have landed) and decides again if absent.
// On opening, the replica's head record is read again from the log, so a data directory never
// follows a topic that was created again or belongs to another cluster.
// One writing process per data directory (Store's lock); any number of data directories.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "events/chain_follower.h"
#include "events/embedded_ledger.h"
#include "events/kafka_client.h"
#include "events/ledger.h"

namespace crm {

class KafkaLedger final : public Ledger {
 public:
  struct Progress {
    int64_t resume = 0;  // offset the replica resumes from
    int64_t end = 0;     // the log's end when last asked
    uint64_t accepted = 0, superseded = 0, corrupt = 0;  // records seen by this object
  };
  // Called for a record that fails the verifier, before the replica moves past it.
  using CorruptFn = std::function<Status(int64_t offset, std::string_view record, const std::string& reason)>;

  // `replica` is the writable data directory's embedded ledger (with its projection sink); it
  // must outlive this object. Binds an empty data directory to the topic (with its first
  // commit); refuses one that holds an embedded ledger or another topic's replica.
  static Result<std::unique_ptr<KafkaLedger>> Open(const KafkaOptions& options, EmbeddedLedger* replica);

  void SetCorruptHandler(CorruptFn fn) { on_corrupt_ = std::move(fn); }

  // Reads the log from the replica's position to the log's current end (or at least to
  // `at_least`), applying accepted batches.
  Status CatchUp(int64_t at_least = 0);
  const Progress& progress() const { return progress_; }

  // Reads answer from the replica.
  Result<std::optional<std::string>> FindCommand(const CommandId& id) override { return replica_->FindCommand(id); }
  Result<StreamVersion> Version(const StreamId& stream) override { return replica_->Version(stream); }
  Result<uint64_t> LastNumber(RecordKind kind) override { return replica_->LastNumber(kind); }
  Result<std::pair<LedgerSeq, Hash>> Head() override { return replica_->Head(); }
  Status Read(LedgerSeq from, const RecordFn& fn) override { return replica_->Read(from, fn); }
  Status ReadStream(const StreamId& stream, const RecordFn& fn) override { return replica_->ReadStream(stream, fn); }
  Result<AppendResult> Append(AppendBatch batch) override;

  // The replica's binding, as stored in its ledger metadata: topic and resume offset. nullopt
  // for a data directory that is not a Kafka replica.
  struct Binding {
    std::string topic;
    int64_t resume = 0;
    int64_t last = -1;  // offset of the head record; -1 when unknown
  };
  static Result<std::optional<Binding>> BindingOf(EmbeddedLedger* ledger);

 private:
  KafkaLedger(const KafkaOptions& options, EmbeddedLedger* replica, const ChainFollower& follower)
      : options_(options), replica_(replica), follower_(follower) {}
  // Applies an accepted batch into `txn`; fills `result` with its positions.
  Status ApplyBatch(const ChainFollower::Batch& batch, Store::Txn* txn, AppendResult* result);
  // Offers one log record to the follower and applies what it accepts into `txn`.
  Status Apply(const rd_kafka_message_t& m, Store::Txn* txn);
  // Commits `txn` with the resume position for a reader that has consumed up to `read_to`.
  Status Commit(Store::Txn* txn, int64_t read_to);
  // Reads the record at verify_at_ and checks that it is the replica's head.
  Status VerifyHead();

  KafkaOptions options_;
  EmbeddedLedger* replica_;
  ChainFollower follower_;
  int64_t next_ = 0;           // the next offset to read
  int64_t last_accepted_ = -1;  // offset of the last record accepted by this object
  int64_t verify_at_ = -1;      // offset of the head record still to be checked against the log
  // When the replica last knew itself at the log's end; Append skips its advisory check for a
  // moment after (a lost race then costs a publish, never correctness).
  static constexpr std::chrono::milliseconds kEndFreshFor{10};
  std::chrono::steady_clock::time_point end_known_at_{};
  bool unbound_ = false;        // the data directory is not yet bound to the topic
  Status broken_;               // set when an error left this object out of step with its replica
  Progress progress_;
  CorruptFn on_corrupt_;
  std::unique_ptr<KafkaConsumer> consumer_;
  std::unique_ptr<KafkaProducer> producer_;
};

}  // namespace crm
