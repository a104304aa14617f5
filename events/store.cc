#include "events/store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <thread>

#include <rocksdb/options.h>
#include <rocksdb/cache.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/sst_file_writer.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/checkpoint.h>
#include <spdlog/spdlog.h>

namespace crm {
namespace {

// Memtable data above this is flushed when a writer closes, so that the next process (writer or
// reader) replays little WAL at open; below it, data stays in the WAL and no tiny SST is made.
constexpr uint64_t kFlushAtCloseBytes = 2 << 20;
constexpr size_t kMemtableBudget = 64 << 20;
constexpr char kIngestDir[] = "ingest";  // table files made for Txn::CommitByIngestion

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

namespace {

uint32_t CfIdOf(std::string_view txn_key) {
  uint32_t id;
  std::memcpy(&id, txn_key.data(), 4);
  return id;
}

std::string TxnKey(rocksdb::ColumnFamilyHandle* cf, std::string_view key) {
  std::string k(4, '\0');
  const uint32_t id = cf->GetID();
  std::memcpy(k.data(), &id, 4);
  k.append(key);
  return k;
}

}  // namespace

Result<std::string> Store::Txn::Get(rocksdb::ColumnFamilyHandle* cf, std::string_view key) const {
  if (cf == nullptr) return Status::NotFound("no such column family yet");
  if (!pending_.empty() || !inflight_.empty() || !cache_.empty()) {
    const std::string k = TxnKey(cf, key);
    for (const Rows* rows : {&pending_, &inflight_, &cache_}) {  // newest first
      auto it = rows->find(k);
      if (it == rows->end()) continue;
      if (!it->second) return Status::NotFound(std::string(key));
      return *it->second;
    }
  }
  std::string value;
  auto s = store_->db()->Get(rocksdb::ReadOptions(), cf, rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return Status::NotFound(std::string(key));
  if (!s.ok()) return FromRocks(s, "read");
  return value;
}

bool Store::Txn::Exists(rocksdb::ColumnFamilyHandle* cf, std::string_view key) const { return Get(cf, key).ok(); }

void Store::Txn::Put(rocksdb::ColumnFamilyHandle* cf, std::string_view key, std::string_view value) {
  cfs_[cf->GetID()] = cf;
  auto& slot = pending_[TxnKey(cf, key)];
  bytes_ += key.size() + value.size();
  slot = std::string(value);
}

void Store::Txn::Append(rocksdb::ColumnFamilyHandle* cf, std::string_view key, std::string_view value) {
  if (ingest_) return Put(cf, key, value);  // a table file takes its rows in key order
  (void)blind_.Put(cf, rocksdb::Slice(key.data(), key.size()), rocksdb::Slice(value.data(), value.size()));
}

void Store::Txn::Delete(rocksdb::ColumnFamilyHandle* cf, std::string_view key) {
  cfs_[cf->GetID()] = cf;
  pending_[TxnKey(cf, key)] = std::nullopt;
  bytes_ += key.size();
}

std::unique_ptr<rocksdb::Iterator> Store::Txn::NewIterator(rocksdb::ColumnFamilyHandle* cf) const {
  if (inflight_done_.valid()) inflight_done_.wait();  // its rows are committed then
  return std::unique_ptr<rocksdb::Iterator>(store_->db()->NewIterator(rocksdb::ReadOptions(), cf));
}

Status Store::Txn::ScanPrefix(rocksdb::ColumnFamilyHandle* cf, std::string_view prefix,
                             const std::function<void(std::string_view, std::string_view)>& fn) const {
  if (cf == nullptr) return Status::Ok();
  const std::string tx_prefix = TxnKey(cf, prefix);
  std::vector<std::pair<std::string_view, const std::optional<std::string>*>> mine;
  for (const auto& [k, v] : pending_) {
    if (std::string_view(k).starts_with(tx_prefix)) mine.emplace_back(std::string_view(k).substr(4), &v);
  }
  std::sort(mine.begin(), mine.end());
  auto it = NewIterator(cf);
  size_t m = 0;
  auto emit_mine_before = [&](std::string_view bound, bool all) {
    for (; m < mine.size() && (all || mine[m].first < bound); ++m) {
      if (*mine[m].second) fn(mine[m].first, **mine[m].second);
    }
  };
  for (it->Seek(rocksdb::Slice(prefix.data(), prefix.size())); it->Valid(); it->Next()) {
    const std::string_view k(it->key().data(), it->key().size());
    if (!k.starts_with(prefix)) break;
    emit_mine_before(k, false);
    if (m < mine.size() && mine[m].first == k) {
      if (*mine[m].second) fn(k, **mine[m].second);  // this transaction's value wins
      ++m;
      continue;
    }
    fn(k, std::string_view(it->value().data(), it->value().size()));
  }
  emit_mine_before({}, true);
  return FromRocks(it->status(), "scanning");
}

namespace {

using Entries = std::vector<const std::pair<const std::string, std::optional<std::string>>*>;

// Rows in key order (column family first): the memtable's skiplist reuses its insertion point
// for sequential keys (ledger positions, stream versions, roster rows), and a table file must
// be written in order.
Entries Sorted(const std::unordered_map<std::string, std::optional<std::string>>& rows) {
  Entries entries;
  entries.reserve(rows.size());
  for (const auto& e : rows) entries.push_back(&e);
  std::sort(entries.begin(), entries.end(), [](const auto* a, const auto* b) { return a->first < b->first; });
  return entries;
}

}  // namespace

Store::Txn::~Txn() {
  if (inflight_done_.valid()) inflight_done_.wait();
}

Status Store::Txn::Commit(bool sync) {
  CRM_RETURN_IF_ERROR(Settle());
  Status s;
  if (ingest_) {
    s = store_->IngestRows(pending_, cfs_);
  } else {
    rocksdb::WriteBatch batch = std::move(blind_);
    blind_ = rocksdb::WriteBatch();
    for (const auto* e : Sorted(pending_)) {
      const rocksdb::Slice key(e->first.data() + 4, e->first.size() - 4);
      rocksdb::ColumnFamilyHandle* cf = cfs_.at(CfIdOf(e->first));
      rocksdb::Status put = e->second ? batch.Put(cf, key, *e->second) : batch.Delete(cf, key);
      if (!put.ok()) return FromRocks(put, "batch");
    }
    rocksdb::WriteOptions wo;
    wo.sync = sync && !store_->scratch_;
    wo.disableWAL = store_->scratch_;
    s = FromRocks(store_->db()->Write(wo, &batch), "write");
  }
  Committed(s, &pending_, bytes_);
  bytes_ = 0;
  return s;
}

Status Store::Txn::CommitInBackground() {
  if (!ingest_) return Commit(false);
  CRM_RETURN_IF_ERROR(Settle());
  inflight_.swap(pending_);  // Settle left inflight_ empty
  inflight_bytes_ = bytes_;
  bytes_ = 0;
  inflight_done_ = std::async(std::launch::async, [this, cfs = cfs_] { return store_->IngestRows(inflight_, cfs); });
  return Status::Ok();
}

Status Store::Txn::Settle() {
  if (!inflight_done_.valid()) return Status::Ok();
  const Status s = inflight_done_.get();
  Committed(s, &inflight_, inflight_bytes_);
  inflight_bytes_ = 0;
  return s;
}

void Store::Txn::Committed(const Status& s, Rows* rows, size_t bytes) {
  if (s.ok() && cache_limit_ > 0) {
    cache_bytes_ += bytes;
    if (cache_bytes_ > cache_limit_) {
      cache_.clear();
      cache_bytes_ = bytes;
    }
    // Hand the nodes over instead of copying keys: merge moves those the cache lacks, and only
    // keys written again (left behind in `rows`) are assigned.
    cache_.merge(*rows);
    for (auto& [k, v] : *rows) cache_[k] = std::move(v);
  } else if (!s.ok()) {
    cache_.clear();  // the store's state is unknown now
    cache_bytes_ = 0;
  }
  rows->clear();
}

Status Store::IngestRows(const std::unordered_map<std::string, std::optional<std::string>>& rows,
                         const std::unordered_map<uint32_t, rocksdb::ColumnFamilyHandle*>& cfs) {
  return Ingest(Sorted(rows), cfs);
}

Status Store::Ingest(const std::vector<const SortedEntry*>& entries,
                     const std::unordered_map<uint32_t, rocksdb::ColumnFamilyHandle*>& cfs) {
  // A directory of its own per call: transactions of one store may ingest at the same time.
  static std::atomic<uint64_t> calls{0};
  const std::string dir = dir_ + "/" + kIngestDir + "/" + std::to_string(calls.fetch_add(1));
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::Unavailable("cannot create " + dir + ": " + ec.message());
  std::vector<rocksdb::IngestExternalFileArg> args;
  std::unique_ptr<rocksdb::SstFileWriter> writer;
  auto finish = [&]() -> Status {
    if (writer == nullptr) return Status::Ok();
    rocksdb::Status s = writer->Finish();
    writer.reset();
    return FromRocks(s, "writing " + args.back().external_files.front());
  };
  Status s;
  for (size_t i = 0; i < entries.size() && s.ok(); ++i) {
    const std::string& k = entries[i]->first;
    const uint32_t id = CfIdOf(k);
    if (writer == nullptr || id != CfIdOf(entries[i - 1]->first)) {
      s = finish();
      if (!s.ok()) break;
      rocksdb::ColumnFamilyHandle* cf = cfs.at(id);
      rocksdb::IngestExternalFileArg arg;
      arg.column_family = cf;
      arg.external_files.push_back(dir + "/" + std::to_string(id) + ".sst");
      arg.options.move_files = true;  // hard links: the bytes are written once
      args.push_back(std::move(arg));
      writer = std::make_unique<rocksdb::SstFileWriter>(rocksdb::EnvOptions(), db_->GetOptions(cf), cf);
      s = FromRocks(writer->Open(args.back().external_files.front()), "creating " + args.back().external_files.front());
      if (!s.ok()) break;
    }
    const rocksdb::Slice key(k.data() + 4, k.size() - 4);
    s = FromRocks(entries[i]->second ? writer->Put(key, *entries[i]->second) : writer->Delete(key),
                  "writing a table file");
  }
  if (s.ok()) s = finish();
  writer.reset();
  if (s.ok() && !args.empty()) s = FromRocks(db_->IngestExternalFiles(args), "ingesting table files");
  std::filesystem::remove_all(dir, ec);                 // whatever was not moved in
  std::filesystem::remove(dir_ + "/" + kIngestDir, ec);  // when no other call is using it
  return s;
}

}  // namespace crm
