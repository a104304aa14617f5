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
// Txn gives read-your-own-writes over one WriteBatchWithIndex; Commit writes it atomically, synced
// to the WAL when `sync` (every acknowledged command). A Store is used by one thread at a time.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <rocksdb/db.h>
#include <rocksdb/utilities/write_batch_with_index.h>

#include "events/status.h"

namespace crm {

class Store {
 public:
  enum class Mode { kWrite, kRead };
  struct Options {
    Mode mode = Mode::kRead;
    std::chrono::milliseconds lock_timeout{30000};
    bool create_if_missing = false;
  };

  static Result<std::unique_ptr<Store>> Open(const std::string& dir, const Options& options,
                                             const std::vector<std::string>& column_families);
  ~Store();

  rocksdb::DB* db() const { return db_.get(); }
  // The handle of a column family named at Open; nullptr for an unknown name (a bug).
  rocksdb::ColumnFamilyHandle* Cf(std::string_view name) const;
  const std::string& dir() const { return dir_; }
  bool writable() const { return mode_ == Mode::kWrite; }

  // Drops and re-creates column families (projection rebuild). Writer only.
  Status ResetColumnFamilies(const std::vector<std::string>& names);
  // Flushes memtables so the next reader replays little WAL; compacts when `compact`.
  Status Flush(bool compact);

  class Txn {
   public:
    explicit Txn(Store* store);
    // NotFound when absent.
    Result<std::string> Get(rocksdb::ColumnFamilyHandle* cf, std::string_view key) const;
    bool Exists(rocksdb::ColumnFamilyHandle* cf, std::string_view key) const;
    void Put(rocksdb::ColumnFamilyHandle* cf, std::string_view key, std::string_view value);
    void Delete(rocksdb::ColumnFamilyHandle* cf, std::string_view key);
    // Iterator over the batch and the database.
    std::unique_ptr<rocksdb::Iterator> NewIterator(rocksdb::ColumnFamilyHandle* cf) const;
    Status Commit(bool sync);
    size_t Count() const { return static_cast<size_t>(batch_.GetWriteBatch()->Count()); }
    size_t ByteSize() const { return batch_.GetWriteBatch()->GetDataSize(); }

   private:
    Store* store_;
    mutable rocksdb::WriteBatchWithIndex batch_;  // its read methods are non-const
  };

 private:
  Store() = default;
  std::string dir_;
  Mode mode_ = Mode::kRead;
  int lock_fd_ = -1;
  std::string secondary_dir_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::vector<std::string> names_;
  std::unique_ptr<rocksdb::DB> db_;
};

// Big-endian fixed-width integers: keys that sort in numeric order.
void PutBigEndian64(std::string* out, uint64_t v);
uint64_t GetBigEndian64(std::string_view in);

Status FromRocks(const rocksdb::Status& s, std::string_view what);

}  // namespace crm
