#include "events/store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <thread>

#include <rocksdb/options.h>
#include <rocksdb/cache.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/checkpoint.h>
#include <spdlog/spdlog.h>

namespace crm {
namespace {

// Memtable data above this is flushed when a writer closes, so that the next process (writer or
// reader) replays little WAL at open; below it, data stays in the WAL and no tiny SST is made.
constexpr uint64_t kFlushAtCloseBytes = 2 << 20;
constexpr size_t kMemtableBudget = 64 << 20;
// A process per command flushes a small table file per column family it wrote at close (above).
// Level 0 compacts them down, but the ledger's keys only grow, so RocksDB moves each of its files
// to level 1 as it is (a trivial move, no merge): small files piled up there (3,045 table files
// after 6,000 commands; every open opens them all, and a read took 405 ms instead of 36). When a
// level of a column family holds this many files under kSmallFileBytes, the closing writer merges
// them into one (CompactFiles into the same level: it rewrites only those small files).
constexpr size_t kMergeSmallFiles = 8;
constexpr uint64_t kSmallFileBytes = 1 << 20;

rocksdb::ColumnFamilyOptions CfOptions() {
  static const std::shared_ptr<rocksdb::TableFactory> table = [] {
    rocksdb::BlockBasedTableOptions t;
    t.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
    t.block_cache = rocksdb::NewLRUCache(64 << 20);  // shared by every column family
    // Partitioned index and filters, loaded into the cache on demand: opening a table reads only
    // its small top-level index, so a process per command starts fast on a large data set.
    t.index_type = rocksdb::BlockBasedTableOptions::kTwoLevelIndexSearch;
    t.partition_filters = true;
    t.cache_index_and_filter_blocks = true;
    t.pin_top_level_index_and_filter = true;
    return std::shared_ptr<rocksdb::TableFactory>(rocksdb::NewBlockBasedTableFactory(t));
  }();
  rocksdb::ColumnFamilyOptions o;
  o.write_buffer_size = 64 << 20;
  o.table_factory = table;
  o.compression = rocksdb::kLZ4Compression;
  return o;
}

// RocksDB's info log goes through spdlog (stderr): its own LOG file in the data directory
// aborted the process when a full disk failed its write, and was one more file holding data
// paths. Its warnings and errors show with -v; our own error line says what failed.
class RocksLog final : public rocksdb::Logger {
 public:
  RocksLog() : rocksdb::Logger(rocksdb::InfoLogLevel::WARN_LEVEL) {}
  using rocksdb::Logger::Logv;
  void Logv(const rocksdb::InfoLogLevel level, const char* format, va_list ap) override {
    if (level < GetInfoLogLevel()) return;
    char line[1024];
    std::vsnprintf(line, sizeof line, format, ap);
    spdlog::log(level >= rocksdb::InfoLogLevel::WARN_LEVEL ? spdlog::level::info : spdlog::level::debug,
                "rocksdb: {}", line);
  }
};

rocksdb::DBOptions DbOptions(bool create) {
  static const auto log = std::make_shared<RocksLog>();
  rocksdb::DBOptions o;
  o.info_log = log;
  o.create_if_missing = create;
  o.create_missing_column_families = create;
  o.max_open_files = -1;  // required by secondary instances; cheap at our sizes
  // A process per command would otherwise turn every open's WAL replay into new L0 files.
  o.avoid_flush_during_recovery = true;
  // Opening table files spawns this many threads per column family at every open.
  o.max_file_opening_threads = 1;
  o.max_total_wal_size = 256 << 20;
  // All memtables together (every column family's): memory stays bounded however much one
  // command writes (an import of a million rows); the fullest is flushed first.
  o.db_write_buffer_size = kMemtableBudget;
  o.keep_log_file_num = 3;
  o.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  return o;
}

// A writer's recovery never heals a damaged log silently. Point-in-time recovery (RocksDB's
// default) stops at the first bad record and drops it and everything after it, in later logs
// too. Here a torn tail, the incomplete last record of a write a crash interrupted (a large
// batch takes several write calls), is dropped, and anything else fails the open. Whether a
// dropped tail had been acknowledged is for the head witness to say (events/head_witness.h).
rocksdb::DBOptions WriterOptions(bool strict) {
  rocksdb::DBOptions o = DbOptions(true);
  if (strict) o.wal_recovery_mode = rocksdb::WALRecoveryMode::kTolerateCorruptedTailRecords;
  return o;
}

}  // namespace

Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return Status::Ok();
  if (s.IsCorruption()) return Status::Corruption(std::string(what) + ": " + s.ToString());
  if (s.IsNoSpace()) {
    return Status::Unavailable(std::string(what) + ": the disk is full (" + s.ToString() +
                               "); nothing was written: free space and run the command again");
  }
  return Status::Unavailable(std::string(what) + ": " + s.ToString());
}

void PutBigEndian64(std::string* out, uint64_t v) {
  for (int i = 7; i >= 0; --i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

uint64_t GetBigEndian64(std::string_view in) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8 && i < in.size(); ++i) v = v << 8 | static_cast<uint8_t>(in[i]);
  return v;
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& dir, const Options& options,
                                           const std::vector<std::string>& column_families) {
  std::unique_ptr<Store> store(new Store());
  store->dir_ = dir;
  store->mode_ = options.mode;
  store->scratch_ = options.scratch;
  store->strict_recovery_ = options.strict_recovery;
  std::error_code ec;
  const std::string db_dir = dir + "/db";
  if (!std::filesystem::exists(db_dir + "/CURRENT", ec) && !options.create_if_missing) {
    return Status::FailedPrecondition("no data set at " + dir + " (run 'crmctl init' first)");
  }

  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  cfs.emplace_back(rocksdb::kDefaultColumnFamilyName, CfOptions());
  for (const auto& name : column_families) cfs.emplace_back(name, CfOptions());
  store->names_.push_back(rocksdb::kDefaultColumnFamilyName);
  for (const auto& name : column_families) store->names_.push_back(name);

  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  if (options.mode == Mode::kWrite) {
    // A new data directory is the owner's alone, whatever the umask: it holds personal data.
    if (std::filesystem::create_directories(dir, ec)) {
      std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
    }
    if (ec) return Status::Unavailable("cannot create " + dir + ": " + ec.message());
    const std::string lock_path = dir + "/WRITER.lock";
    store->lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (store->lock_fd_ < 0) return Status::Unavailable("cannot open " + lock_path);
    const auto deadline = std::chrono::steady_clock::now() + options.lock_timeout;
    while (::flock(store->lock_fd_, LOCK_EX | LOCK_NB) != 0) {
      if (std::chrono::steady_clock::now() >= deadline) {
        char waited[32];
        std::snprintf(waited, sizeof waited, "%.1fs", static_cast<double>(options.lock_timeout.count()) / 1000);
        return Status::Unavailable("another crmctl is writing to " + dir + "; gave up after " + waited +
                                   " (set CRM_LOCK_TIMEOUT to wait longer)");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    std::filesystem::remove_all(dir + "/" + kIngestDir, ec);  // table files a crash left uningested
    auto db_options = WriterOptions(options.strict_recovery);
    db_options.statistics = options.statistics;
    store->statistics_ = options.statistics;
    db_options.avoid_flush_during_shutdown = options.scratch;  // a scratch store is deleted after
    // Existing data sets may lack column families added by newer code; create those too.
    auto s = rocksdb::DB::Open(db_options, db_dir, cfs, &handles, &raw);
    if (!s.ok()) return FromRocks(s, "opening " + db_dir);
  } else {
    char tmpl[] = "/tmp/crmctl-reader-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) return Status::Unavailable("cannot create a reader directory in /tmp");
    store->secondary_dir_ = tmpl;
    // A reader cannot create column families; open those that exist and leave the others null.
    std::vector<std::string> existing;
    auto s = rocksdb::DB::ListColumnFamilies(DbOptions(false), db_dir, &existing);
    if (!s.ok()) return FromRocks(s, "listing " + db_dir);
    std::vector<rocksdb::ColumnFamilyDescriptor> present;
    for (const auto& d : cfs) {
      for (const auto& e : existing) {
        if (e == d.name) present.push_back(d);
      }
    }
    s = rocksdb::DB::OpenAsSecondary(DbOptions(false), db_dir, store->secondary_dir_, present, &handles, &raw);
    if (!s.ok()) return FromRocks(s, "opening " + db_dir + " for reading");
    std::vector<rocksdb::ColumnFamilyHandle*> full(cfs.size(), nullptr);
    for (size_t i = 0, j = 0; i < cfs.size() && j < present.size(); ++i) {
      if (cfs[i].name == present[j].name) full[i] = handles[j++];
    }
    handles = std::move(full);
  }
  store->db_.reset(raw);
  store->handles_ = std::move(handles);
  return store;
}

Store::~Store() {
  if (db_ != nullptr) {
    if (mode_ == Mode::kWrite && !scratch_ && flush_at_close_) {
      // Keep reader start-up cheap: a reader replays whatever WAL is not yet in SST files.
      uint64_t mem = 0;
      if (db_->GetAggregatedIntProperty("rocksdb.cur-size-all-mem-tables", &mem) && mem > kFlushAtCloseBytes) {
        (void)Flush(false);
      }
      MergeSmallFiles();
    }
    for (auto* h : handles_) {
      if (h != nullptr) (void)db_->DestroyColumnFamilyHandle(h);
    }
    (void)db_->Close();
    db_.reset();
  }
  if (!secondary_dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(secondary_dir_, ec);
  }
  if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the flock
}

rocksdb::ColumnFamilyHandle* Store::Cf(std::string_view name) const {
  for (size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) return handles_[i];
  }
  return nullptr;
}

Status Store::ResetColumnFamilies(const std::vector<std::string>& names) {
  if (mode_ != Mode::kWrite) return Status::Internal("reset needs a writable store");
  for (const auto& name : names) {
    for (size_t i = 0; i < names_.size(); ++i) {
      if (names_[i] != name) continue;
      CRM_RETURN_IF_ERROR(FromRocks(db_->DropColumnFamily(handles_[i]), "dropping " + name));
      (void)db_->DestroyColumnFamilyHandle(handles_[i]);
      handles_[i] = nullptr;
      CRM_RETURN_IF_ERROR(FromRocks(db_->CreateColumnFamily(CfOptions(), name, &handles_[i]), "creating " + name));
    }
  }
  return Status::Ok();
}

Status Store::CheckpointTo(const std::string& db_dir) {
  if (mode_ != Mode::kWrite) return Status::Internal("checkpoint of a read-only store");
  // Flushed first, so that the checkpoint finds no live log holding the data: RocksDB reads the
  // first record of every live log to order them, and after a bulk command that record is the
  // whole batch (100 MB for 100k members). The flush is the one closing the store would do.
  CRM_RETURN_IF_ERROR(Flush(false));
  rocksdb::Checkpoint* raw = nullptr;
  CRM_RETURN_IF_ERROR(FromRocks(rocksdb::Checkpoint::Create(db_.get(), &raw), "checkpoint"));
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  return FromRocks(checkpoint->CreateCheckpoint(db_dir), "checkpoint to " + db_dir);
}

Status Store::Flush(bool compact) {
  rocksdb::FlushOptions fo;
  std::vector<rocksdb::ColumnFamilyHandle*> live;
  for (auto* h : handles_) {
    if (h != nullptr) live.push_back(h);
  }
  CRM_RETURN_IF_ERROR(FromRocks(db_->Flush(fo, live), "flush"));
  if (compact) {
    for (auto* h : live) {
      rocksdb::CompactRangeOptions co;
      co.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
      CRM_RETURN_IF_ERROR(FromRocks(db_->CompactRange(co, h, nullptr, nullptr), "compaction"));
    }
    // The MANIFEST is a log of version edits: it still names the key ranges of the files the
    // compaction deleted (their first and last keys: an email index entry, say). Opening the
    // database writes a new one describing the live files only, and deletes the old.
    if (mode_ == Mode::kWrite && !scratch_) CRM_RETURN_IF_ERROR(Reopen());
  }
  return Status::Ok();
}

void Store::MergeSmallFiles() {
  for (auto* h : handles_) {
    if (h == nullptr) continue;
    rocksdb::ColumnFamilyMetaData meta;
    db_->GetColumnFamilyMetaData(h, &meta);
    for (const auto& level : meta.levels) {
      std::vector<std::string> small;
      for (const auto& f : level.files) {
        if (f.size < kSmallFileBytes) small.push_back(f.name);
      }
      if (small.size() < kMergeSmallFiles) continue;
      rocksdb::CompactionOptions co;
      co.compression = rocksdb::kLZ4Compression;  // as the column family's own (CfOptions)
      const rocksdb::Status s = db_->CompactFiles(co, h, small, level.level);
      if (!s.ok()) spdlog::debug("merging {} small files of {}: {}", small.size(), h->GetName(), s.ToString());
    }
  }
}

Status Store::Reopen() {
  for (auto* h : handles_) {
    if (h != nullptr) (void)db_->DestroyColumnFamilyHandle(h);
  }
  handles_.clear();
  CRM_RETURN_IF_ERROR(FromRocks(db_->Close(), "closing " + dir_));
  db_.reset();
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  for (const auto& name : names_) cfs.emplace_back(name, CfOptions());
  auto db_options = WriterOptions(strict_recovery_);
  db_options.statistics = statistics_;
  rocksdb::DB* raw = nullptr;
  CRM_RETURN_IF_ERROR(FromRocks(rocksdb::DB::Open(db_options, dir_ + "/db", cfs, &handles_, &raw), "reopening " + dir_));
  db_.reset(raw);
  return Status::Ok();
}

}  // namespace crm
