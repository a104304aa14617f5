// Ledger verification: sequence continuity, every record against the schema verifier, the hash
// chain, and the stored head. Stops at the first fault and names its sequence number; a fault is
// never skipped. Works on any Ledger. A digest (the chain's hash at a position) lets an auditor
// prove later that the ledger up to there is unchanged (`ledger digest`, `verify --digest`).
#pragma once

#include <cstdint>
#include <optional>
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
  // The digest at `at` (VerifyOptions): the hash of record `at`, which chains every record up to
  // it. Set when records 1..at verified.
  std::optional<Hash> digest;
};

struct VerifyOptions {
  std::optional<uint64_t> at;  // also report the digest at this position
  bool stop_at = false;        // verify only records 1..at (ledger digest); the head is not checked
};

// Returns the report; the Status is non-ok only when the ledger could not be read at all.
Result<VerifyReport> VerifyLedger(Ledger* ledger, const VerifyOptions& options = {});

}  // namespace crm
