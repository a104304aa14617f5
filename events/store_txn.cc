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

// The transaction's key of `key` in `cf`, in a buffer of the calling thread's that the next call
// reuses (a lookup allocates nothing).
std::string_view TxnKey(rocksdb::ColumnFamilyHandle* cf, std::string_view key) {
  thread_local std::string k;
  const uint32_t id = cf->GetID();
  k.assign(reinterpret_cast<const char*>(&id), 4);
  k.append(key);
  return k;
}

}  // namespace

Result<std::string> Store::Txn::Get(rocksdb::ColumnFamilyHandle* cf, std::string_view key) const {
  if (cf == nullptr) return Status::NotFound("no such column family yet");
  if (!pending_.empty() || !inflight_.empty() || !cache_.empty()) {
    const std::string_view k = TxnKey(cf, key);
    for (const Rows* rows : {&pending_, &inflight_, &cache_}) {  // newest first
      const RowBuffer::Row* row = rows->Find(k);
      if (row == nullptr) continue;
      if (row->deleted) return Status::NotFound(std::string(key));
      return std::string(row->value);
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
  pending_.Put(TxnKey(cf, key), value);
  bytes_ += key.size() + value.size();
}

void Store::Txn::Append(rocksdb::ColumnFamilyHandle* cf, std::string_view key, std::string_view value) {
  if (ingest_) return Put(cf, key, value);  // a table file takes its rows in key order
  (void)blind_.Put(cf, rocksdb::Slice(key.data(), key.size()), rocksdb::Slice(value.data(), value.size()));
}

void Store::Txn::Delete(rocksdb::ColumnFamilyHandle* cf, std::string_view key) {
  cfs_[cf->GetID()] = cf;
  pending_.Put(TxnKey(cf, key), std::nullopt);
  bytes_ += key.size();
}

std::unique_ptr<rocksdb::Iterator> Store::Txn::NewIterator(rocksdb::ColumnFamilyHandle* cf) const {
  if (inflight_done_.valid()) inflight_done_.wait();  // its rows are committed then
  return std::unique_ptr<rocksdb::Iterator>(store_->db()->NewIterator(rocksdb::ReadOptions(), cf));
}

Status Store::Txn::ScanPrefix(rocksdb::ColumnFamilyHandle* cf, std::string_view prefix,
                              const std::function<void(std::string_view, std::string_view)>& fn) const {
  if (cf == nullptr) return Status::Ok();
  const std::string tx_prefix(TxnKey(cf, prefix));
  std::vector<std::pair<std::string_view, const RowBuffer::Row*>> mine;
  for (const auto& [k, row] : pending_.rows()) {
    if (k.starts_with(tx_prefix)) mine.emplace_back(k.substr(4), &row);
  }
  std::sort(mine.begin(), mine.end());
  auto it = NewIterator(cf);
  size_t m = 0;
  auto emit_mine_before = [&](std::string_view bound, bool all) {
    for (; m < mine.size() && (all || mine[m].first < bound); ++m) {
      if (!mine[m].second->deleted) fn(mine[m].first, mine[m].second->value);
    }
  };
  for (it->Seek(rocksdb::Slice(prefix.data(), prefix.size())); it->Valid(); it->Next()) {
    const std::string_view k(it->key().data(), it->key().size());
    if (!k.starts_with(prefix)) break;
    emit_mine_before(k, false);
    if (m < mine.size() && mine[m].first == k) {
      if (!mine[m].second->deleted) fn(k, mine[m].second->value);  // this transaction's value wins
      ++m;
      continue;
    }
    fn(k, std::string_view(it->value().data(), it->value().size()));
  }
  emit_mine_before({}, true);
  return FromRocks(it->status(), "scanning");
}

Store::Txn::~Txn() {
  if (inflight_done_.valid()) inflight_done_.wait();
}

Status Store::Txn::Commit(bool sync) {
  CRM_RETURN_IF_ERROR(Settle());
  Status s;
  if (ingest_) {
    s = store_->Ingest(pending_, cfs_);
  } else {
    // In key order: the memtable's skiplist reuses its insertion point for sequential keys
    // (ledger positions, stream versions, roster rows).
    for (const RowBuffer::Entry* e : pending_.Sorted()) {
      const rocksdb::Slice key(e->first.data() + 4, e->first.size() - 4);
      rocksdb::ColumnFamilyHandle* cf = cfs_.at(CfIdOf(e->first));
      const RowBuffer::Row& row = e->second;
      rocksdb::Status put = row.deleted ? blind_.Delete(cf, key)
                                        : blind_.Put(cf, key, rocksdb::Slice(row.value.data(), row.value.size()));
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
  inflight_.Swap(pending_);  // Settle left inflight_ empty
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
      cache_.Clear();
      cache_bytes_ = bytes;
    }
    cache_.TakeFrom(rows);
  } else if (!s.ok()) {
    cache_.Clear();  // the store's state is unknown now
    cache_bytes_ = 0;
  }
  rows->Clear();
}

Status Store::Ingest(const RowBuffer& rows, const std::unordered_map<uint32_t, rocksdb::ColumnFamilyHandle*>& cfs) {
  const std::vector<const RowBuffer::Entry*> entries = rows.Sorted();  // a table file takes its rows in order
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
    const std::string_view k = entries[i]->first;
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
    const RowBuffer::Row& row = entries[i]->second;
    s = FromRocks(row.deleted ? writer->Delete(key) : writer->Put(key, rocksdb::Slice(row.value.data(), row.value.size())),
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
