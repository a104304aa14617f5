// Replica metadata (ledger_meta column family):
//   "kafka/topic"   -> the topic this data directory replicates
//   "kafka/resume"  -> the offset to resume reading from (8 bytes big-endian)
#include "events/kafka_ledger.h"

#include <spdlog/spdlog.h>

namespace crm {
namespace {

constexpr char kTopicKey[] = "kafka/topic";
constexpr char kResumeKey[] = "kafka/resume";

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
  Binding b{*topic, resume ? static_cast<int64_t>(GetBigEndian64(*resume)) : 0};
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
  CRM_ASSIGN_OR_RETURN(k->consumer_, KafkaConsumer::Open(options));
  CRM_ASSIGN_OR_RETURN(k->producer_, KafkaProducer::Open(options));
  CRM_RETURN_IF_ERROR(k->consumer_->Assign(options.topic, kLedgerPartition, k->next_));
  if (!binding) {
    Store::Txn txn(replica->store());
    replica->PutMeta(kTopicKey, options.topic, &txn);
    replica->PutMeta(kResumeKey, Offset(0), &txn);
    CRM_RETURN_IF_ERROR(txn.Commit(/*sync=*/true));
  }
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

Status KafkaLedger::Commit(Store::Txn* txn) {
  progress_.resume = follower_.ResumeOffset(next_);
  replica_->PutMeta(kResumeKey, Offset(progress_.resume), txn);
  // Not synced: the log is the durable copy. A replica that loses its unsynced tail in a power
  // failure is still consistent (rows and offset are one batch) and reads the tail again.
  return txn->Commit(/*sync=*/false);
}

Status KafkaLedger::CatchUp(int64_t at_least) {
  CRM_ASSIGN_OR_RETURN(auto marks, producer_->Watermarks(options_.topic, kLedgerPartition));
  progress_.end = std::max(marks.second, at_least);
  if (next_ < marks.first) {
    return Status::FailedPrecondition("the log starts at offset " + std::to_string(marks.first) + " but " +
                                      replica_->store()->dir() + " needs offset " + std::to_string(next_) +
                                      ": records were deleted (topic retention must be unlimited)");
  }
  constexpr size_t kChunkBytes = 64 << 20;
  Store::Txn txn(replica_->store());
  txn.KeepCommittedAsCache(256 << 20);
  size_t in_txn = 0;  // records read since the last commit
  Status read = consumer_->ReadUntil(&next_, progress_.end, [&](const rd_kafka_message_t& m) -> Result<bool> {
    ChainFollower::Batch batch;
    std::string reason;
    switch (follower_.Offer(m.offset, ValueOf(m), &batch, &reason)) {
      case ChainFollower::Verdict::kCollected: break;
      case ChainFollower::Verdict::kSuperseded: ++progress_.superseded; break;
      case ChainFollower::Verdict::kAccepted: {
        progress_.accepted += batch.records.size();
        AppendResult ignored;
        CRM_RETURN_IF_ERROR(ApplyBatch(batch, &txn, &ignored));
        break;
      }
      case ChainFollower::Verdict::kCorrupt:
        ++progress_.corrupt;
        spdlog::warn("log offset {} is not a valid record ({}); skipped", m.offset, reason);
        if (on_corrupt_) CRM_RETURN_IF_ERROR(on_corrupt_(m.offset, ValueOf(m), reason));
        break;
    }
    if (++in_txn >= options_.apply_chunk || txn.ByteSize() > kChunkBytes) {
      CRM_RETURN_IF_ERROR(Commit(&txn));
      in_txn = 0;
    }
    return true;
  });
  // What was applied is kept even when reading stopped early.
  CRM_RETURN_IF_ERROR(Commit(&txn));
  return read;
}

Result<AppendResult> KafkaLedger::Append(AppendBatch batch) {
  Store::Txn txn(replica_->store());
  if (batch.events.empty()) {
    // Nothing to publish; the answer is kept in this replica for retries against it.
    CRM_ASSIGN_OR_RETURN(AppendResult r, replica_->AppendTo(std::move(batch), &txn));
    CRM_RETURN_IF_ERROR(txn.Commit(/*sync=*/true));
    return r;
  }
  CRM_ASSIGN_OR_RETURN(std::vector<std::string> records, replica_->Prepare(batch, &txn));
  // Cheap early loss: when the log has grown since the replica read it, this batch cannot
  // continue the chain; do not publish it (the check is advisory: the log decides).
  CRM_ASSIGN_OR_RETURN(auto marks, producer_->Watermarks(options_.topic, kLedgerPartition));
  if (marks.second != next_) {
    CRM_RETURN_IF_ERROR(CatchUp());
    AppendResult lost;
    lost.superseded = true;
    return lost;
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
  if (!sent.ok()) {
    // Some records may have landed: only the log can say whether the command took effect.
    if (CatchUp().ok()) {
      CRM_ASSIGN_OR_RETURN(auto found, replica_->FindCommand(batch.command_id));
      if (found) return AppendResult{};
    }
    return Status::Unavailable(sent.status().message() + "; whether the command took effect is unknown: repeat it with --command-id " +
                               batch.command_id.value());
  }
  const std::vector<int64_t>& offsets = *sent;
  bool contiguous = offsets.front() == next_;
  for (size_t i = 1; i < offsets.size(); ++i) contiguous = contiguous && offsets[i] == offsets[i - 1] + 1;
  if (contiguous) {
    // Nothing landed between the replica's end and these records: they continue the chain.
    follower_.AcceptOwn(records);
    progress_.accepted += records.size();
    next_ = offsets.back() + 1;
    CRM_RETURN_IF_ERROR(Commit(&txn));
    return result;
  }
  result = AppendResult();
  CRM_RETURN_IF_ERROR(CatchUp(offsets.back() + 1));
  CRM_ASSIGN_OR_RETURN(auto found, replica_->FindCommand(batch.command_id));
  result.superseded = !found.has_value();
  return result;
}

}  // namespace crm
