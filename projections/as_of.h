// As-of read models (SPEC §4.10 `--at SEQ|TIMESTAMP`): the projections as they stood after an
// earlier record, built without touching the live ones.
//
// Snapshots make this cheap on a long ledger. The writer keeps one every `interval` records in
// DATA/snapshots/ (a RocksDB checkpoint: hard links to the table files, so taking one costs a
// memtable flush). An as-of read copies the newest snapshot at or before the point into a scratch
// directory (hard links again), replays the records after it (ReplayAsOf: never half a command)
// and answers from the copy, which is removed when the view closes. Without a snapshot before
// the point it replays from the first record. The chosen design and its measurements are in
// docs/design.md ("As-of reads") and docs/performance.md.
//
// At most kMaxSnapshots are kept (thinned, see there). A reader copying a snapshot that the
// writer deletes meanwhile fails to open its copy and answers with an error; asking again works.
// Snapshot directory names are `<seq, 20 digits>-<time of that record, µs>-f<projection format>`;
// snapshots of another projection format are deleted by the next MaybeSnapshot.
//
// Erasure (docs/design.md): a snapshot taken before the last PersonalDataErased holds the
// erased people's rows in the clear; a view built on one masks them first (Projector::Scrub),
// so it answers exactly as a replay from the first record would. Sealed records are opened
// with the live keyring, never a snapshot's copy. `crmctl compact` deletes the snapshots.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "events/ledger.h"
#include "events/store.h"
#include "projections/rebuild.h"

namespace crm {

// The default distance between snapshots, in records (CRM_SNAPSHOT_INTERVAL; 0: none).
inline constexpr uint64_t kDefaultSnapshotInterval = 250000;
// At most this many snapshots are kept. Past it, each new one costs the older snapshot whose
// removal leaves the smallest gap (never the first or the newest few), so recent points stay
// dense and distant ones grow sparse: disk stays bounded, old answers replay further.
inline constexpr size_t kMaxSnapshots = 16;

// `--at`: a record number ("1234") or a timestamp ("2027-01-10", "2027-01-10T09:00:00Z").
// InvalidArgument otherwise.
Result<ReplayBound> ParseAsOf(std::string_view text);

// Takes a snapshot of `store` when its projections stand `interval` or more records past the
// newest snapshot (none when interval is 0). Writer only. A failure costs only speed: callers
// log it and go on.
Status MaybeSnapshot(Store* store, Ledger* ledger, uint64_t interval);

// Deletes every snapshot and every reader's scratch copy (hard links to snapshot files: an --at
// read running meanwhile fails, and works when asked again); returns how many snapshots. Writer
// only: `crmctl compact`, so that no old table file outlives a compaction (erasure).
Result<size_t> DropSnapshots(Store* store);

class AsOfView {
 public:
  // The read model of `live` (a data directory's store, read-only is fine) as of `bound`, or
  // nullptr when the live projections already answer (the bound is at or past their last
  // record). InvalidArgument when the bound lies past the end of the ledger or before its start.
  static Result<std::unique_ptr<AsOfView>> Open(Store* live, Ledger* ledger, const ReplayBound& bound);
  ~AsOfView();
  AsOfView(const AsOfView&) = delete;
  AsOfView& operator=(const AsOfView&) = delete;

  Store* store() const { return store_.get(); }
  uint64_t seq() const { return seq_; }                      // the last record included
  uint64_t snapshot() const { return snapshot_; }            // where the replay started (0: the beginning)
  uint64_t replayed() const { return seq_ - snapshot_; }    // records replayed on top of it

 private:
  AsOfView() = default;
  std::string dir_;
  std::unique_ptr<Store> store_;
  uint64_t seq_ = 0;
  uint64_t snapshot_ = 0;
};

}  // namespace crm
