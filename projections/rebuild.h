// Rebuilding read models from the ledger, and proving a rebuild equals what is live.
//
// CatchUp applies records after the checkpoint (after an interrupted rebuild the checkpoint lags
// the ledger; the writer calls it on every open, a no-op when up to date). Rebuild drops the
// projection column families and catches up from record 1; a crash midway leaves a lagging
// checkpoint that the next writer completes. CheckRebuild replays the ledger into a scratch store
// and compares every projection column family with the live one, byte for byte.
#pragma once

#include <functional>
#include <string>

#include "events/ledger.h"
#include "events/store.h"

namespace crm {

struct RebuildStats {
  uint64_t records = 0;
  uint64_t keys_compared = 0;
};

// `progress(done)` is called now and then (may be empty).
using ProgressFn = std::function<void(uint64_t done, uint64_t total)>;

Result<RebuildStats> CatchUp(Store* store, Ledger* ledger, const ProgressFn& progress);
Result<RebuildStats> Rebuild(Store* store, Ledger* ledger, const ProgressFn& progress);
// Ok when identical; FailedPrecondition naming the first differing key otherwise.
Result<RebuildStats> CheckRebuild(Store* live, Ledger* ledger, const ProgressFn& progress);

}  // namespace crm
