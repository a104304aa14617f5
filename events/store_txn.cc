// Store::Txn (events/store.h): a transaction's reads over its own writes, and its two ways of
// committing: a write batch through WAL and memtables, or sorted table files ingested in one
// step (CommitByIngestion), in the foreground or on a second thread (CommitInBackground).
#include "events/store.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <filesystem>
#include <future>

#include <rocksdb/sst_file_writer.h>

namespace crm {

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
    s = store_->Ingest(pending_, cfs_);
  } else {
    for (const auto* e : Sorted(pending_)) {
      const rocksdb::Slice key(e->first.data() + 4, e->first.size() - 4);
      rocksdb::ColumnFamilyHandle* cf = cfs_.at(CfIdOf(e->first));
      rocksdb::Status put = e->second ? blind_.Put(cf, key, *e->second) : blind_.Delete(cf, key);
      if (!put.ok()) {
        blind_.Clear();
        return FromRocks(put, "batch");
      }
    }
    rocksdb::WriteOptions wo;
    wo.sync = sync && !store_->scratch_;
    wo.disableWAL = store_->scratch_;
    s = FromRocks(store_->db()->Write(wo, &blind_), "write");
    blind_.Clear();  // keeps its memory for the next chunk
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
  inflight_done_ = std::async(std::launch::async, [this, cfs = cfs_] { return store_->Ingest(inflight_, cfs); });
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

Status Store::Ingest(const std::unordered_map<std::string, std::optional<std::string>>& rows,
                     const std::unordered_map<uint32_t, rocksdb::ColumnFamilyHandle*>& cfs) {
  const Entries entries = Sorted(rows);
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
  std::filesystem::remove_all(dir, ec);                  // whatever was not moved in
  std::filesystem::remove(dir_ + "/" + kIngestDir, ec);  // when no other call is using it
  return s;
}

}  // namespace crm
