#include "events/chain_follower.h"

namespace crm {

ChainFollower::ChainFollower(LedgerSeq head, const Hash& head_hash) : head_(head), head_hash_(head_hash) {}

void ChainFollower::Abandon() {
  counts_.superseded += pending_.records.size();
  pending_ = Batch();
}

ChainFollower::Verdict ChainFollower::Offer(int64_t offset, std::string_view record, Batch* accepted,
                                            std::string* reason) {
  auto decoded = DecodeEnvelope(record);
  std::string why;
  if (!decoded.ok()) {
    why = decoded.status().message();
  } else if (ComputeRecordHash(record, **decoded) != StoredHash(**decoded)) {
    why = "record content does not match its hash";
  }
  if (!why.empty()) {
    *reason = std::move(why);
    Abandon();
    ++counts_.corrupt;
    return Verdict::kCorrupt;
  }
  const fb::Envelope& env = **decoded;
  const std::string_view command = env.command_id() == nullptr ? std::string_view() : env.command_id()->string_view();
  const bool continues_batch = !pending_.records.empty() && command == pending_command_ &&
                               env.seq() == pending_seq_ + 1 && StoredPrevHash(env) == pending_hash_;
  if (!continues_batch) {
    Abandon();
    if (env.seq() != head_.value() + 1 || StoredPrevHash(env) != head_hash_) {
      ++counts_.superseded;
      return Verdict::kSuperseded;
    }
    pending_.first_offset = offset;
    pending_command_ = std::string(command);
  }
  pending_.records.emplace_back(record);
  pending_seq_ = env.seq();
  pending_hash_ = StoredHash(env);
  if (!env.command_last()) return Verdict::kCollected;
  head_ = LedgerSeq(pending_seq_);
  head_hash_ = pending_hash_;
  counts_.accepted += pending_.records.size();
  *accepted = std::move(pending_);
  pending_ = Batch();
  return Verdict::kAccepted;
}

void ChainFollower::AcceptOwn(const std::vector<std::string>& records) {
  Abandon();
  const fb::Envelope* last = fb::GetEnvelope(records.back().data());
  head_ = LedgerSeq(last->seq());
  head_hash_ = StoredHash(*last);
  counts_.accepted += records.size();
}

}  // namespace crm
