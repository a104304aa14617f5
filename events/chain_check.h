// ChainCheck: follows ledger records one at a time and says when one is not the next number or
// does not chain to the record before it (its prev_hash). What replays (projections/rebuild.cc)
// and a writer's open (events/head_witness.cc) ask of the records they go through; the full
// check of every hash and of the schema is `ledger verify` (events/verify.h).
#pragma once

#include <cstdint>
#include <optional>

#include "events/codec.h"
#include "events/ids.h"
#include "events/ledger.h"
#include "events/status.h"

namespace crm {

class ChainCheck {
 public:
  // Starts after record `last` (0: the ledger's start), whose hash `ledger` is asked for:
  // Corruption when it is missing.
  static Result<ChainCheck> After(Ledger* ledger, LedgerSeq last);

  // Ok when `env`, found at `seq`, is the next record and chains to the one before; otherwise
  // Corruption saying "record N is missing" or "record N does not chain to the record before it".
  Status Next(LedgerSeq seq, const fb::Envelope& env);

 private:
  ChainCheck(uint64_t next, std::optional<Hash> prev) : next_(next), prev_(prev) {}
  uint64_t next_;
  std::optional<Hash> prev_;
};

}  // namespace crm
