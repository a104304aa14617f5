// Ledger verification: sequence continuity, every record against the schema verifier, the hash
// chain, and the stored head. Stops at the first fault and names its sequence number; a fault is
// never skipped. Works on any Ledger.
#pragma once

#include <cstdint>
#include <string>

#include "events/ledger.h"

namespace crm {

struct VerifyReport {
  uint64_t records = 0;
  LedgerSeq head;
  Hash head_hash{};
  bool ok = true;
  LedgerSeq first_bad;  // when !ok
  std::string problem;  // when !ok
};

// Returns the report; the Status is non-ok only when the ledger could not be read at all.
Result<VerifyReport> VerifyLedger(Ledger* ledger);

}  // namespace crm
