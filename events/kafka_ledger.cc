// Replica metadata (ledger_meta column family):
//   "kafka/topic"   -> the topic this data directory replicates
//   "kafka/resume"  -> the offset to resume reading from (8 bytes big-endian)
//   "kafka/last"    -> the offset of the replica's head record (8 bytes big-endian), checked
//                      against the log when the replica is opened
#include "events/kafka_ledger.h"

#include <spdlog/spdlog.h>

namespace crm {
namespace {

constexpr char kTopicKey[] = "kafka/topic";
constexpr char kResumeKey[] = "kafka/resume";
constexpr char kLastKey[] = "kafka/last";

std::string Offset(int64_t offset) {
  std::string v;
  PutBigEndian64(&v, static_cast<uint64_t>(offset));
  return v;
}

}  // namespace

Result<std::optional<KafkaLedger::Binding>> KafkaLedger::BindingOf(EmbeddedLedger* ledger) {
  Store::Txn txn(ledger->store());
  CRM_ASSIGN_OR_RETURN(auto topic, ledger->Meta(kTopicKey, txn));
  if (!topic) return std::optional<Binding>();
  CRM_ASSIGN_OR_RETURN(auto resume, ledger->Meta(kResumeKey, txn));
  CRM_ASSIGN_OR_RETURN(auto last, ledger->Meta(kLastKey, txn));
  Binding b;
  b.topic = *topic;
  if (resume) b.resume = static_cast<int64_t>(GetBigEndian64(*resume));
  if (last) b.last = static_cast<int64_t>(GetBigEndian64(*last));
  return std::optional<Binding>(b);
}

Result<std::unique_ptr<KafkaLedger>> KafkaLedger::Open(const KafkaOptions& options, EmbeddedLedger* replica) {
  CRM_ASSIGN_OR_RETURN(auto binding, BindingOf(replica));
  CRM_ASSIGN_OR_RETURN(auto head, replica->Head());
  const std::string& dir = replica->store()->dir();
  if (!binding && head.first.value() > 0) {
    return Status::FailedPrecondition(dir + " holds an embedded ledger; give the Kafka mode its own --data directory");
  }
  if (binding && binding->topic != options.topic) {
    return Status::FailedPrecondition(dir + " replicates Kafka topic " + binding->topic + ", not " + options.topic);
  }
  std::unique_ptr<KafkaLedger> k(new KafkaLedger(options, replica, ChainFollower(head.first, head.second)));
  k->next_ = binding ? binding->resume : 0;
  k->progress_.resume = k->next_;
  // The head record is read again first, to check that the log still holds this replica's chain.
  if (binding && binding->last >= 0 && head.first.value() > 0) k->verify_at_ = binding->last;
  CRM_ASSIGN_OR_RETURN(k->consumer_, KafkaConsumer::Open(options));
  CRM_ASSIGN_OR_RETURN(k->producer_, KafkaProducer::Open(options));
  CRM_RETURN_IF_ERROR(
      k->consumer_->Assign(options.topic, kLedgerPartition, k->verify_at_ >= 0 ? k->verify_at_ : k->next_));
  // An empty directory is bound to the topic by its first commit, once the log has answered:
  // a mistyped --brokers or --topic leaves it unbound.
  k->unbound_ = !binding.has_value();
  return k;
}

Status KafkaLedger::ApplyBatch(const ChainFollower::Batch& batch, Store::Txn* txn, AppendResult* result) {
  for (const std::string& record : batch.records) {
    const fb::Envelope* env = fb::GetEnvelope(record.data());  // the follower verified it
    CRM_RETURN_IF_ERROR(replica_->ApplyRecord(record, *env, txn));
    if (result->first.value() == 0) result->first = LedgerSeq(env->seq());
    result->last = LedgerSeq(env->seq());
  }
  return Status::Ok();
}

Status KafkaLedger::Commit(Store::Txn* txn, int64_t read_to) {
  progress_.resume = follower_.ResumeOffset(read_to);
  replica_->PutMeta(kResumeKey, Offset(progress_.resume), txn);
  if (last_accepted_ >= 0) replica_->PutMeta(kLastKey, Offset(last_accepted_), txn);
  if (unbound_) replica_->PutMeta(kTopicKey, options_.topic, txn);
  // Not synced (but the binding is): the log is the durable copy. A replica that loses its
  // unsynced tail in a power failure is still consistent (rows and offset are one batch) and
  // reads the tail again.
  CRM_RETURN_IF_ERROR(txn->Commit(/*sync=*/unbound_));
  unbound_ = false;
  return Status::Ok();
}

Status KafkaLedger::VerifyHead() {
  const std::string& dir = replica_->store()->dir();
  int64_t cursor = verify_at_;
  CRM_RETURN_IF_ERROR(consumer_->ReadUntil(&cursor, verify_at_ + 1, [&](const rd_kafka_message_t& m) -> Result<bool> {
    auto env = DecodeEnvelope(ValueOf(m));
    if (!env.ok() || (*env)->seq() != follower_.head().value() || StoredHash(**env) != follower_.head_hash()) {
      return Status::FailedPrecondition("log offset " + std::to_string(m.offset) + " of topic " + options_.topic +
                                        " is not the record " + dir + " last read there (seq " +
                                        std::to_string(follower_.head().value()) +
                                        "): the topic was created again or is another cluster's; give it its own --data directory");
    }
    return false;
  }));
  verify_at_ = -1;
  if (cursor != next_) CRM_RETURN_IF_ERROR(consumer_->Assign(options_.topic, kLedgerPartition, next_));
  return Status::Ok();
}

Status KafkaLedger::CatchUp(int64_t at_least) {
  CRM_RETURN_IF_ERROR(broken_);
  const auto asked_at = std::chrono::steady_clock::now();
  CRM_ASSIGN_OR_RETURN(auto marks, producer_->Watermarks(options_.topic, kLedgerPartition));
  const std::string& dir = replica_->store()->dir();
  if (marks.second < next_) {
    return Status::FailedPrecondition("the log of topic " + options_.topic + " ends at offset " + std::to_string(marks.second) +
                                      ", before offset " + std::to_string(next_) + " that " + dir +
                                      " has read to: the topic was created again or is another cluster's; give it its own --data directory");
  }
  const int64_t needed = verify_at_ >= 0 ? verify_at_ : next_;
  if (needed < marks.first) {
    return Status::FailedPrecondition("the log starts at offset " + std::to_string(marks.first) + " but " + dir +
                                      " needs offset " + std::to_string(needed) +
                                      ": records were deleted (topic retention must be unlimited)");
  }
  if (verify_at_ >= 0) CRM_RETURN_IF_ERROR(VerifyHead());
  progress_.end = std::max(marks.second, at_least);
  constexpr size_t kChunkBytes = 64 << 20;
  Store::Txn txn(replica_->store());
  txn.KeepCommittedAsCache(256 << 20);
  if (const int64_t behind = progress_.end - next_;
      behind > 0 && static_cast<uint64_t>(behind) >= options_.ingest_records) {
    txn.CommitByIngestion();
  }
  size_t in_txn = 0;  // records read since the last commit
  // An error while applying leaves this object's follower ahead of what was committed: the
  // transaction is dropped and the object refuses further work (the data directory is intact).
  Status applying;
  Status read = consumer_->ReadUntil(&next_, progress_.end, [&](const rd_kafka_message_t& m) -> Result<bool> {
    applying = Apply(m, &txn);
    if (applying.ok() && (++in_txn >= options_.apply_chunk || txn.ByteSize() > kChunkBytes)) {
      applying = Commit(&txn, m.offset + 1);
      in_txn = 0;
    }
    if (!applying.ok()) return applying;
    return true;
  });
  if (!applying.ok()) {
    broken_ = applying.WithContext("reading the log stopped at offset " + std::to_string(next_));
    return broken_;
  }
  if (read.ok() && next_ >= marks.second) end_known_at_ = asked_at;
  // What was applied is kept even when reading stopped early (a broker went away).
  CRM_RETURN_IF_ERROR(Commit(&txn, next_));
  return read;
}

Status KafkaLedger::Apply(const rd_kafka_message_t& m, Store::Txn* txn) {
  ChainFollower::Batch batch;
  std::string reason;
  switch (follower_.Offer(m.offset, ValueOf(m), &batch, &reason)) {
    case ChainFollower::Verdict::kCollected: return Status::Ok();
    case ChainFollower::Verdict::kSuperseded: ++progress_.superseded; return Status::Ok();
    case ChainFollower::Verdict::kAccepted: {
      progress_.accepted += batch.records.size();
      last_accepted_ = m.offset;
      AppendResult ignored;
      return ApplyBatch(batch, txn, &ignored);
    }
    case ChainFollower::Verdict::kCorrupt:
      ++progress_.corrupt;
      if (on_corrupt_) return on_corrupt_(m.offset, ValueOf(m), reason);
      spdlog::warn("log offset {} is not a valid record ({}); skipped", m.offset, reason);
      return Status::Ok();
  }
  return Status::Internal("unknown chain verdict");
}

Result<AppendResult> KafkaLedger::Append(AppendBatch batch) {
  CRM_RETURN_IF_ERROR(broken_);
  Store::Txn txn(replica_->store());
  if (batch.events.empty()) {
    // Nothing to publish; the answer is kept in this replica for retries against it.
    CRM_ASSIGN_OR_RETURN(AppendResult r, replica_->AppendTo(std::move(batch), &txn));
    CRM_RETURN_IF_ERROR(txn.Commit(/*sync=*/true));
    return r;
  }
  // The outcome is settled by the log; the caller then reads it from the caught-up replica.
  AppendResult settled_by_log;
  settled_by_log.superseded = true;
  CRM_ASSIGN_OR_RETURN(std::vector<std::string> records, replica_->Prepare(batch, &txn));
  // Cheap early loss: when the log has grown since the replica read it, this batch cannot
  // continue the chain; do not publish it. The check is advisory (the log decides) and costs a
  // round trip, so it is skipped when the replica learned the log's end a moment ago.
  if (std::chrono::steady_clock::now() - end_known_at_ > kEndFreshFor) {
    CRM_ASSIGN_OR_RETURN(auto marks, producer_->Watermarks(options_.topic, kLedgerPartition));
    if (marks.second != next_) {
      CRM_RETURN_IF_ERROR(CatchUp());
      return settled_by_log;
    }
  }
  std::vector<OutMessage> messages;
  messages.reserve(records.size());
  const std::string version = std::to_string(kSchemaVersion);
  for (size_t i = 0; i < records.size(); ++i) {
    const fb::Envelope* env = fb::GetEnvelope(records[i].data());
    messages.push_back(OutMessage{env->stream()->string_view(), records[i],
                                  {{"event_type", std::string(EventTypeName(env->payload_type()))},
                                   {"schema_version", version}}});
  }
  // While the records travel, write them into the replica's transaction; it commits only if
  // the log shows they took effect as written.
  AppendResult result;
  auto sent = producer_->Send(options_.topic, kLedgerPartition, messages, [&]() -> Status {
    ChainFollower::Batch own;
    own.records = std::move(records);
    Status s = ApplyBatch(own, &txn, &result);
    records = std::move(own.records);
    return s;
  });
  const std::string repeat = "; repeat it with --command-id " + batch.command_id.value() +
                             " (a command id is applied at most once)";
  if (!sent.ok()) {
    // Some records may have landed: only the log can say whether the command took effect.
    if (Status caught = CatchUp(); !caught.ok()) {
      return Status::Unavailable(sent.status().message() + "; whether the command took effect is unknown (" +
                                 caught.message() + ")" + repeat);
    }
    CRM_ASSIGN_OR_RETURN(auto found, replica_->FindCommand(batch.command_id));
    if (found) return settled_by_log;
    // Not in the log yet; a write librdkafka gave up on may still land, so it is not "failed".
    return Status::Unavailable(sent.status().message() + "; whether the command took effect is unknown" + repeat);
  }
  const std::vector<int64_t>& offsets = *sent;
  bool contiguous = offsets.front() == next_;
  for (size_t i = 1; i < offsets.size(); ++i) contiguous = contiguous && offsets[i] == offsets[i - 1] + 1;
  if (contiguous) {
    // Nothing landed between the replica's end and these records: they continue the chain.
    follower_.AcceptOwn(records);
    progress_.accepted += records.size();
    next_ = offsets.back() + 1;
    last_accepted_ = offsets.back();
    end_known_at_ = std::chrono::steady_clock::now();
    if (Status committed = Commit(&txn, next_); !committed.ok()) {
      broken_ = committed;
      return Status::Unavailable("the command took effect (log offsets " + std::to_string(offsets.front()) + " to " +
                                 std::to_string(offsets.back()) + ") but " + replica_->store()->dir() +
                                 " could not record it (" + committed.message() + "); it reads it again next time");
    }
    return result;
  }
  // Something landed first: read the log up to these records; it says whether they count.
  if (Status caught = CatchUp(offsets.back() + 1); !caught.ok()) {
    return Status::Unavailable("the log holds the command at offsets " + std::to_string(offsets.front()) + " to " +
                               std::to_string(offsets.back()) + " but reading up to them failed (" + caught.message() +
                               "); whether it took effect is unknown" + repeat);
  }
  return settled_by_log;
}

}  // namespace crm
