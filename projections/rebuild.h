// Rebuilding read models from the ledger, and proving a rebuild equals what is live.
//
// CatchUp applies records after the checkpoint. Rebuild writes a synced "rebuild in progress"
// marker, drops the projection column families, replays from record 1 and clears the marker; a
// crash midway leaves the marker, and Recover (run by every writer at open) then rebuilds from
// scratch instead of replaying onto half-dropped read models. It also rebuilds read models
// written by an older projection format (kProjectionFormat; none recorded: format 1). Otherwise
// Recover is CatchUp, a no-op when projections are up to date. CheckRebuild replays the ledger into a scratch store
// and compares every projection column family with the live one, byte for byte. ReplayAsOf
// brings a scratch copy forward to an earlier point of the ledger (as-of reads).
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "events/ledger.h"
#include "events/sealing.h"
#include "events/store.h"

namespace crm {

// The layout of the projection rows. A writer finding another one rebuilds them from the ledger
// at open. 1: up to schema 4; 2: delivery and consent fields (schema 5); 3: leads' consent;
// 4: sales cycles in the catalogue row, opportunities, converted leads (schema 9).
// 5: binary contact and lead rows (party_rows.h); 6: binary segment lines (segment_rows.h);
// 7: campaign rows list their attachments (schema 10); 8: campaign statistics kept by their
// read model (stats_rows.h); 9: binary opportunity rows (opportunity_rows.h); 10: binary
// interaction log entries (interaction_rows.h); 11: binary logged segment and campaign entry rows;
// 12: companies indexed by name and email domain (keys.h 'f', 'd': lead conversion); 13: contact
// and lead rows end with `deleted` (party_rows.cc version 2; schema 11); 14: then their custom
// values (version 3; schema 13); 15: mobile, source and source id (version 4; schema 14), the
// external-id index (keys.h 'i'); 16: source_modified_at (version 5; schema 15), campaigns' source
// ids and times, memberships' responded_at.
inline constexpr int kProjectionFormat = 16;

struct RebuildStats {
  uint64_t records = 0;
  uint64_t keys_compared = 0;
  uint64_t last_seq = 0;  // the last record applied (the start when none was)
};

// Where a replay stops: after record `upto`, and before the first record stamped later than
// `until` when set. A bound inside a command's records is carried to the command's last record,
// so a replay never shows half a command.
struct ReplayBound {
  uint64_t upto = 0;
  std::optional<Timestamp> until;
};

// `progress(done)` is called now and then (may be empty).
using ProgressFn = std::function<void(uint64_t done, uint64_t total)>;

// Sealed personal data is opened with `keys`: by default the keyring of the data directory
// (`store`, `live`); a Kafka replica passes the one that can fetch keys it lacks.
Result<RebuildStats> CatchUp(Store* store, Ledger* ledger, const ProgressFn& progress, KeySource* keys = nullptr);
Result<RebuildStats> Rebuild(Store* store, Ledger* ledger, const ProgressFn& progress, KeySource* keys = nullptr);
Result<RebuildStats> Recover(Store* store, Ledger* ledger, KeySource* keys = nullptr);
// Brings `target` (a scratch store: projections only, of an earlier point of the same ledger)
// forward to `bound` (as-of reads, projections/as_of.h), opening sealed data with the live `keys`.
Result<RebuildStats> ReplayAsOf(Store* target, Ledger* ledger, const ReplayBound& bound, KeySource* keys);
// Ok when the read models of `store` can answer; Unavailable while a rebuild is under way or
// after one was cut short, and when they are of another format (a reader must not answer from
// them; the next writer rebuilds them).
Status ProjectionsReadable(Store* store);
// Ok when identical; FailedPrecondition naming the first differing key otherwise.
Result<RebuildStats> CheckRebuild(Store* live, Ledger* ledger, const ProgressFn& progress, KeySource* keys = nullptr);

}  // namespace crm
