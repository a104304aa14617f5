#include "events/chain_check.h"

#include <string>

namespace crm {

Result<ChainCheck> ChainCheck::After(Ledger* ledger, LedgerSeq last) {
  if (last.value() == 0) return ChainCheck(1, std::nullopt);
  auto record = ledger->ReadOne(last);
  if (!record.ok()) return Status::Corruption("record " + std::to_string(last.value()) + " is missing");
  CRM_ASSIGN_OR_RETURN(const fb::Envelope* env, DecodeEnvelope(*record));
  return ChainCheck(last.value() + 1, StoredHash(*env));
}

Status ChainCheck::Next(LedgerSeq seq, const fb::Envelope& env) {
  if (seq.value() != next_) return Status::Corruption("record " + std::to_string(next_) + " is missing");
  if (prev_ && StoredPrevHash(env) != *prev_) {
    return Status::Corruption("record " + std::to_string(seq.value()) + " does not chain to the record before it");
  }
  prev_ = StoredHash(env);
  ++next_;
  return Status::Ok();
}

}  // namespace crm
