#include "projections/rebuild.h"

#include <unistd.h>

#include <filesystem>

#include "aggregates/common.h"
#include "events/chain_check.h"
#include "projections/keys.h"
#include "projections/projector.h"
#include "projections/queries.h"

namespace crm {
namespace {

constexpr size_t kChunkBytes = 32 << 20;    // commit the replay in chunks of about this size
constexpr size_t kCacheBytes = 512 << 20;  // rows kept across chunks (read back by later events)
// A long replay commits its chunks as ingested table files (kIngestRecords), not through WAL
// and memtables: a quarter of the bytes written. A full rebuild always does, so every
// `projections rebuild --check` compares rows written command by command with rows ingested.
enum class Commits { kIngest, kBySize };

std::string Printable(std::string_view key) {
  std::string out;
  for (unsigned char c : key) {
    if (c >= 0x20 && c < 0x7f) {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[5];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  return out;
}

// Replays records after `from` into `target` through a Projector, up to `bound` (see ReplayAsOf:
// a bound that falls inside a command's records is carried to the command's last record).
Result<RebuildStats> Replay(Store* target, Ledger* ledger, uint64_t from, const ReplayBound& bound,
                            const ProgressFn& progress, KeySource* keys, Commits commits) {
  RebuildStats stats;
  stats.last_seq = from;
  Projector projector(target, keys);
  auto txn = std::make_unique<Store::Txn>(target);
  txn->KeepCommittedAsCache(kCacheBytes);
  const uint64_t total = bound.upto > from ? bound.upto - from : 0;
  if (commits == Commits::kIngest || total >= kIngestRecords) txn->CommitByIngestion();
  std::string open_command;  // the command of the last record applied, while it has more records
  Status inner;
  // Read models are built from an unbroken chain only: a missing record (a damaged log) or one
  // that does not link to the record before it (the first: to the last one applied) fails the
  // replay instead of being skipped.
  CRM_ASSIGN_OR_RETURN(ChainCheck chain, ChainCheck::After(ledger, LedgerSeq(from)));
  CRM_RETURN_IF_ERROR(ledger->Read(LedgerSeq(from + 1), [&](LedgerSeq seq, std::string_view record) {
    auto env = DecodeEnvelope(record);
    if (!env.ok()) {
      inner = env.status().WithContext("record " + std::to_string(seq.value()));
      return false;
    }
    inner = chain.Next(seq, **env);
    if (!inner.ok()) {
      inner = inner.WithContext("the ledger (crmctl ledger verify names the damage)");
      return false;
    }
    const bool past = seq.value() > bound.upto || (bound.until && (*env)->recorded_at() > bound.until->value());
    if (past && (open_command.empty() || open_command != Str((*env)->command_id()))) return false;
    inner = projector.Apply(seq, **env, txn.get());
    if (!inner.ok()) return false;
    open_command = (*env)->command_last() ? std::string() : Str((*env)->command_id());
    ++stats.records;
    stats.last_seq = seq.value();
    if (txn->ByteSize() > kChunkBytes) {
      inner = txn->CommitInBackground();  // the next chunk is replayed meanwhile
      if (progress) progress(stats.records, total);
    }
    return inner.ok();
  }));
  CRM_RETURN_IF_ERROR(inner);
  CRM_RETURN_IF_ERROR(txn->Commit(true));
  if (progress) progress(stats.records, total);
  return stats;
}

Result<RebuildStats> CatchUp(Store* store, Ledger* ledger, const ProgressFn& progress, KeySource* keys,
                             Commits commits) {
  Store::Txn txn(store);
  CRM_ASSIGN_OR_RETURN(uint64_t checkpoint, ReadModel(store, &txn).Checkpoint());
  CRM_ASSIGN_OR_RETURN(auto head, ledger->Head());
  if (checkpoint >= head.first.value()) return RebuildStats{};
  return Replay(store, ledger, checkpoint, ReplayBound{head.first.value(), std::nullopt}, progress, keys, commits);
}

}  // namespace

Result<RebuildStats> CatchUp(Store* store, Ledger* ledger, const ProgressFn& progress, KeySource* keys) {
  return CatchUp(store, ledger, progress, keys, Commits::kBySize);
}

namespace {

constexpr char kRebuildMarker[] = "rebuild_in_progress";  // in the default column family

constexpr char kFormatKey[] = "projection_format";     // in the default column family

// Sets the marker, or clears it and records the format the rebuilt read models have.
Status SetMarker(Store* store, bool on) {
  rocksdb::WriteOptions wo;
  wo.sync = true;
  auto* cf = store->Cf(rocksdb::kDefaultColumnFamilyName);
  rocksdb::WriteBatch batch;
  if (on) {
    (void)batch.Put(cf, kRebuildMarker, "1");
  } else {
    (void)batch.Delete(cf, kRebuildMarker);
    (void)batch.Put(cf, kFormatKey, std::to_string(kProjectionFormat));
  }
  return FromRocks(store->db()->Write(wo, &batch), "rebuild marker");
}

}  // namespace

Result<RebuildStats> Rebuild(Store* store, Ledger* ledger, const ProgressFn& progress, KeySource* keys) {
  CRM_RETURN_IF_ERROR(SetMarker(store, true));
  CRM_RETURN_IF_ERROR(store->ResetColumnFamilies(ProjectionColumnFamilies()));
  CRM_ASSIGN_OR_RETURN(RebuildStats stats, CatchUp(store, ledger, progress, keys, Commits::kIngest));
  CRM_RETURN_IF_ERROR(SetMarker(store, false));
  return stats;
}

Result<RebuildStats> ReplayAsOf(Store* target, Ledger* ledger, const ReplayBound& bound, KeySource* keys) {
  Store::Txn txn(target);
  CRM_ASSIGN_OR_RETURN(uint64_t checkpoint, ReadModel(target, &txn).Checkpoint());
  return Replay(target, ledger, checkpoint, bound, nullptr, keys, Commits::kBySize);
}

Result<RebuildStats> Recover(Store* store, Ledger* ledger, KeySource* keys) {
  std::string marker;
  auto s = store->db()->Get(rocksdb::ReadOptions(), store->Cf(rocksdb::kDefaultColumnFamilyName), kRebuildMarker, &marker);
  if (s.ok()) return Rebuild(store, ledger, nullptr, keys);
  if (!s.IsNotFound()) return FromRocks(s, "rebuild marker");
  std::string format;
  s = store->db()->Get(rocksdb::ReadOptions(), store->Cf(rocksdb::kDefaultColumnFamilyName), kFormatKey, &format);
  if (!s.ok() && !s.IsNotFound()) return FromRocks(s, "projection format");
  if (!s.ok() || format != std::to_string(kProjectionFormat)) return Rebuild(store, ledger, nullptr, keys);
  return CatchUp(store, ledger, nullptr, keys);
}

Status ProjectionsReadable(Store* store) {
  auto* cf = store->Cf(rocksdb::kDefaultColumnFamilyName);
  std::string value;
  auto s = store->db()->Get(rocksdb::ReadOptions(), cf, kRebuildMarker, &value);
  if (s.ok()) {
    return Status::Unavailable("the projections of " + store->dir() +
                               " are being rebuilt, or a rebuild was cut short: try again when it is done (the next "
                               "write, or crmctl projections rebuild, completes one that was cut short)");
  }
  if (!s.IsNotFound()) return FromRocks(s, "rebuild marker");
  s = store->db()->Get(rocksdb::ReadOptions(), cf, kFormatKey, &value);
  if (!s.ok() && !s.IsNotFound()) return FromRocks(s, "projection format");
  if (!s.ok() || value != std::to_string(kProjectionFormat)) {
    return Status::Unavailable("the projections of " + store->dir() +
                               " were written by another version of crmctl: the next write, or crmctl projections "
                               "rebuild, rebuilds them from the ledger");
  }
  return Status::Ok();
}

Result<RebuildStats> CheckRebuild(Store* live, Ledger* ledger, const ProgressFn& progress, KeySource* keys) {
  Keyring live_keys(live);
  Store::Txn live_txn(live);
  CRM_ASSIGN_OR_RETURN(uint64_t checkpoint, ReadModel(live, &live_txn).Checkpoint());
  char tmpl[] = "/tmp/crmctl-rebuild-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) return Status::Unavailable("cannot create a scratch directory in /tmp");
  struct Cleanup {
    std::string dir;
    ~Cleanup() {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  } cleanup{tmpl};
  Store::Options options;
  options.mode = Store::Mode::kWrite;
  options.create_if_missing = true;
  options.scratch = true;
  CRM_ASSIGN_OR_RETURN(auto scratch, Store::Open(tmpl, options, ProjectionColumnFamilies()));
  CRM_ASSIGN_OR_RETURN(RebuildStats stats, Replay(scratch.get(), ledger, 0, ReplayBound{checkpoint, std::nullopt},
                                                  progress, keys != nullptr ? keys : &live_keys, Commits::kIngest));

  for (const auto& name : ProjectionColumnFamilies()) {
    auto* a_cf = live->Cf(name);
    auto* b_cf = scratch->Cf(name);
    std::unique_ptr<rocksdb::Iterator> a(a_cf ? live->db()->NewIterator(rocksdb::ReadOptions(), a_cf) : nullptr);
    std::unique_ptr<rocksdb::Iterator> b(scratch->db()->NewIterator(rocksdb::ReadOptions(), b_cf));
    if (a) a->SeekToFirst();
    b->SeekToFirst();
    while ((a && a->Valid()) || b->Valid()) {
      const bool a_ok = a && a->Valid();
      if (!a_ok || !b->Valid() || a->key() != b->key()) {
        const std::string key = a_ok && (!b->Valid() || a->key().compare(b->key()) < 0) ? a->key().ToString()
                                                                                           : b->key().ToString();
        const char* side = a_ok && (!b->Valid() || a->key().compare(b->key()) < 0) ? "only in the live projection"
                                                                                      : "only in the rebuild";
        return Status::FailedPrecondition("projection " + name + " differs at key '" + Printable(key) + "' (" + side + ")");
      }
      if (a->value() != b->value()) {
        return Status::FailedPrecondition("projection " + name + " differs at key '" + Printable(a->key().ToString()) +
                                          "' (values differ)");
      }
      ++stats.keys_compared;
      a->Next();
      b->Next();
    }
    if (a) CRM_RETURN_IF_ERROR(FromRocks(a->status(), "reading " + name));
    CRM_RETURN_IF_ERROR(FromRocks(b->status(), "reading the rebuild"));
  }
  return stats;
}

}  // namespace crm
