#include "events/kafka_log.h"

#include <chrono>
#include <thread>

namespace crm {

Result<LogScan> ScanLog(const KafkaOptions& options, const Ledger::RecordFn& fn, bool follow) {
  CRM_ASSIGN_OR_RETURN(auto consumer, KafkaConsumer::Open(options));
  CRM_ASSIGN_OR_RETURN(auto marks, consumer->Watermarks(options.topic, kLedgerPartition));
  LogScan scan;
  scan.first_offset = marks.first;
  scan.end_offset = marks.second;
  ChainFollower follower(LedgerSeq(0), Hash{});
  CRM_RETURN_IF_ERROR(consumer->Assign(options.topic, kLedgerPartition, marks.first));
  int64_t next = marks.first;
  bool stopped = false;
  auto offer = [&](const rd_kafka_message_t& m) -> Result<bool> {
    ChainFollower::Batch batch;
    std::string reason;
    switch (follower.Offer(m.offset, ValueOf(m), &batch, &reason)) {
      case ChainFollower::Verdict::kCollected:
      case ChainFollower::Verdict::kSuperseded: break;
      case ChainFollower::Verdict::kCorrupt:
        if (scan.corrupt.size() < 100) scan.corrupt.push_back({m.offset, reason});
        break;
      case ChainFollower::Verdict::kAccepted:
        for (const std::string& record : batch.records) {
          if (!stopped && !fn(LedgerSeq(fb::GetEnvelope(record.data())->seq()), record)) stopped = true;
        }
        break;
    }
    return !stopped;
  };
  CRM_RETURN_IF_ERROR(consumer->ReadUntil(&next, marks.second, offer));
  while (follow && !stopped) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    CRM_ASSIGN_OR_RETURN(marks, consumer->Watermarks(options.topic, kLedgerPartition));
    scan.end_offset = marks.second;
    CRM_RETURN_IF_ERROR(consumer->ReadUntil(&next, marks.second, offer));
  }
  scan.counts = follower.counts();
  scan.collected = static_cast<uint64_t>(next - follower.ResumeOffset(next));
  scan.head = follower.head();
  scan.head_hash = follower.head_hash();
  return scan;
}

}  // namespace crm
