// Verification of a ledger for auditors (`crmctl ledger verify` and `ledger digest`, SPEC §2):
// the data directory's ledger through the chain rule (events/verify.h), or in Kafka mode the log
// itself (events/kafka_log.h): every record intact, the log complete from its start, a replica's
// head on the log's chain, and a digest kept earlier (the chain's hash at a position) still the
// ledger's. A fault is an answer, not an error: the caller reports it after the answer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "app/reader.h"

namespace crm {

// A digest to check: the chain's hash at a position, kept by an auditor (`ledger digest`).
struct DigestCheck {
  std::string hex;
  uint64_t at = 0;
};

// What a verification found: its answer (records, head and head_hash, or first_bad and problem;
// "digest" when one was checked and matches) and its fault ("" when none).
struct Audit {
  nlohmann::json answer;
  std::string fault;
};

// The data directory's ledger (`r` opened without --at).
Result<Audit> VerifyDataDir(ReadView* r, const std::optional<DigestCheck>& digest);
// The Kafka log; `replica`, when not null, is the data directory `replica_dir` replicating it.
Result<Audit> VerifyKafkaLog(const KafkaOptions& kafka, ReadView* replica, const std::string& replica_dir,
                             const std::optional<DigestCheck>& digest);

// The chain's hash at record `at` (default: the head) and that position, after verifying every
// record up to it: from the data directory `r`, or with `kafka` from the log (r unused).
// FailedPrecondition "cannot give a digest: ..." when a record is bad or there is none at `at`.
Result<std::pair<uint64_t, Hash>> LedgerDigest(const std::optional<KafkaOptions>& kafka, ReadView* r,
                                               std::optional<uint64_t> at);

}  // namespace crm
