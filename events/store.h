// Store: one RocksDB database in the data directory, shared by the embedded ledger and the
// projections, so a command's events and its projection rows commit in one atomic write.
//
// Processes (SPEC §2): RocksDB admits one writing process. Open(kWrite) first takes an exclusive
// flock on DIR/WRITER.lock, polling until `lock_timeout` (then Unavailable: exit 4 with a clear
// message); other writers wait for it. Open(kRead) never waits: it opens a RocksDB secondary
// instance that catches up with the primary's WAL at open time, so readers see every
// acknowledged write and are never blocked by a writer.
//
// Column families are named by their users (ledger and projections) and created on first write.
// Txn gives read-your-own-writes; Commit writes it as one atomic batch, synced to the WAL when
// `sync` (every acknowledged command). A Txn belongs to one thread; several threads may each
// use their own Txn on one Store at once (RocksDB allows it; an import decides its next batch
// on a second thread while the first appends). Reopening or resetting column families needs the
// Store to itself.
#pragma once

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <rocksdb/db.h>
#include <rocksdb/statistics.h>
#include <rocksdb/write_batch.h>

#include "events/row_buffer.h"
#include "events/status.h"

namespace crm {

// A replay of at least this many records (a projection rebuild, a replica catching up with its
// log: KafkaOptions::ingest_records) commits by ingesting table files
// (Store::Txn::CommitByIngestion).
inline constexpr uint64_t kIngestRecords = 20000;

class Store {
 public:
  enum class Mode { kWrite, kRead };
  struct Options {
    Mode mode = Mode::kRead;
    std::chrono::milliseconds lock_timeout{30000};
    bool create_if_missing = false;
    std::shared_ptr<rocksdb::Statistics> statistics;  // optional: benchmarks count WAL syncs
    // A throwaway store (as-of views, rebuild checks), deleted after use: writes skip the WAL
    // and are never synced, and nothing is flushed at close.
    bool scratch = false;
    // A writer's recovery refuses a damaged log instead of healing it (store.cc, WriterOptions).
    // False for a Kafka replica, whose log is the truth: it recovers to the last intact write
    // and reads the rest of the log again.
    bool strict_recovery = true;
  };

  static Result<std::unique_ptr<Store>> Open(const std::string& dir, const Options& options,
                                             const std::vector<std::string>& column_families);
  ~Store();

  rocksdb::DB* db() const { return db_.get(); }
  // The handle of a column family named at Open; nullptr for an unknown name (a bug).
  rocksdb::ColumnFamilyHandle* Cf(std::string_view name) const;
  const std::string& dir() const { return dir_; }
  bool writable() const { return mode_ == Mode::kWrite; }
  // Closing will not flush memtables (which lets RocksDB delete the WAL files they came from):
  // for a data directory found damaged, whose files are to be left as they are.
  void LeaveFilesAsTheyAre() { flush_at_close_ = false; }

  // Drops and re-creates column families (projection rebuild). Writer only.
  Status ResetColumnFamilies(const std::vector<std::string>& names);
  // Flushes memtables so the next reader replays little WAL; when `compact`, compacts every
  // column family to the bottom and reopens the database (a fresh MANIFEST): afterwards no file
  // holds deleted or replaced data, nor its keys (erasure, `crmctl compact`).
  Status Flush(bool compact);
  // Writes a consistent copy of the database to `db_dir` (which must not exist): hard links to
  // its table files plus copies of the rest (RocksDB checkpoint). Writer only.
  Status CheckpointTo(const std::string& db_dir);

  // A transaction: writes collect in memory (one entry per key, the last write wins) and commit
  // as one atomic WriteBatch. Get sees the transaction's own writes; NewIterator sees committed
  // data only, so scans belong before writes (the handler decides, then appends).
  class Txn {
   public:
    // The batch reserves address space up front, and is cleared, not replaced, after a commit:
    // bulk appends neither copy it on growth nor fault in fresh pages for every chunk (untouched
    // pages cost nothing).
    static constexpr size_t kBatchReserve = 256 << 20;
    explicit Txn(Store* store) : store_(store), blind_(kBatchReserve) {}
    ~Txn();  // waits for a commit in the background
    Txn(const Txn&) = delete;
    Txn& operator=(const Txn&) = delete;
    // NotFound when absent.
    Result<std::string> Get(rocksdb::ColumnFamilyHandle* cf, std::string_view key) const;
    bool Exists(rocksdb::ColumnFamilyHandle* cf, std::string_view key) const;
    void Put(rocksdb::ColumnFamilyHandle* cf, std::string_view key, std::string_view value);
    // A write-once key that this transaction never reads back (ledger records, index entries):
    // it goes straight into the batch, skipping the read-your-writes map.
    void Append(rocksdb::ColumnFamilyHandle* cf, std::string_view key, std::string_view value);
    void Delete(rocksdb::ColumnFamilyHandle* cf, std::string_view key);
    std::unique_ptr<rocksdb::Iterator> NewIterator(rocksdb::ColumnFamilyHandle* cf) const;
    // Every row under `prefix` in key order as this transaction sees it: committed rows merged
    // with its own Put and Delete (not Append). For the projections' rare scans of rows that the
    // same replay may have just written (a segment step going back in a rebuild).
    Status ScanPrefix(rocksdb::ColumnFamilyHandle* cf, std::string_view prefix,
                      const std::function<void(std::string_view key, std::string_view value)>& fn) const;
    Status Commit(bool sync);
    // For bulk replays that commit in chunks: keep committed values as a read cache for later
    // chunks (rows are read back often), dropped whole once it holds more than `max_bytes`.
    // Sound because a Store has one writer and this Txn is its only user meanwhile.
    void KeepCommittedAsCache(size_t max_bytes) { cache_limit_ = max_bytes; }
    // For bulk replays (a full rebuild, a replica far behind its log): Commit writes the rows as
    // sorted table files, one per column family, and ingests them all in one atomic step instead
    // of through the WAL and memtables. Append()ed entries join the rows. A commit is durable
    // whatever `sync` says (the files and the MANIFEST are synced), and a crash before it leaves
    // none of its rows. The files are made under DIR/ingest, which a writer's open clears.
    void CommitByIngestion() { ingest_ = true; }
    // With CommitByIngestion: starts the commit on a second thread and returns at once, so the
    // next chunk of a replay is decided while this one is written. Get still sees its rows;
    // NewIterator and ScanPrefix wait for it; the next Commit or CommitInBackground waits for it
    // and returns its error. Without: Commit(false).
    Status CommitInBackground();
    size_t ByteSize() const { return bytes_ + blind_.GetDataSize(); }

   private:
    // Key: column family id (4 bytes) + key.
    using Rows = RowBuffer;
    // Waits for the commit in the background; keeps its rows as the cache, or drops the cache.
    Status Settle();
    // After a commit of `rows` (with status `s`): keeps them as the read cache when asked to
    // (KeepCommittedAsCache), forgets the cache when the commit failed; empties `rows`.
    void Committed(const Status& s, Rows* rows, size_t bytes);

    Rows pending_;
    std::unordered_map<uint32_t, rocksdb::ColumnFamilyHandle*> cfs_;
    size_t bytes_ = 0;
    Rows cache_;  // see KeepCommittedAsCache
    size_t cache_limit_ = 0;
    size_t cache_bytes_ = 0;
    bool ingest_ = false;
    Rows inflight_;  // the rows CommitInBackground is writing
    size_t inflight_bytes_ = 0;
    mutable std::future<Status> inflight_done_;
    Store* store_;
    rocksdb::WriteBatch blind_;  // Append()ed entries; committed in the same atomic write
  };

 private:
  Store() = default;
  std::string dir_;
  Mode mode_ = Mode::kRead;
  bool scratch_ = false;
  bool strict_recovery_ = true;
  bool flush_at_close_ = true;
  int lock_fd_ = -1;
  std::string secondary_dir_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::vector<std::string> names_;
  std::unique_ptr<rocksdb::DB> db_;
  std::shared_ptr<rocksdb::Statistics> statistics_;

  Status Reopen();
  // A writer closing: merges a level's small table files into one when they have piled up
  // (kMergeSmallFiles, events/store.cc). Best effort: a failure leaves them as they are.
  void MergeSmallFiles();
  // Writes `rows` (keyed as a Txn keys them: column family id, then key) as one sorted table
  // file per column family and ingests them atomically (Txn::CommitByIngestion), from a
  // directory of its own under DIR/kIngestDir.
  static constexpr char kIngestDir[] = "ingest";
  Status Ingest(const RowBuffer& rows, const std::unordered_map<uint32_t, rocksdb::ColumnFamilyHandle*>& cfs);
};

// Big-endian fixed-width integers: keys that sort in numeric order.
void PutBigEndian64(std::string* out, uint64_t v);
uint64_t GetBigEndian64(std::string_view in);

Status FromRocks(const rocksdb::Status& s, std::string_view what);

}  // namespace crm
