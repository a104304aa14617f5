// Key layout of the embedded ledger (column family: key -> value):
//   ledger:         seq (8 bytes big-endian)               -> Envelope record bytes
//   streams:        stream id                              -> version (8 bytes BE)
//   stream_events:  stream id '\0' version (8 bytes BE)     -> seq (8 bytes BE)
//   commands:       command id                             -> answer (JSON text)
//   ledger_meta:    "head"                                 -> seq (8 BE) + hash (32)
//                   "number/" prefix ("number/CP")         -> last number (8 BE)
#include "events/embedded_ledger.h"

#include <map>

namespace crm {
namespace {

constexpr char kLedger[] = "ledger";
constexpr char kStreams[] = "streams";
constexpr char kStreamEvents[] = "stream_events";
constexpr char kCommands[] = "commands";
constexpr char kMeta[] = "ledger_meta";

std::string SeqKey(uint64_t seq) {
  std::string k;
  PutBigEndian64(&k, seq);
  return k;
}

std::string StreamEventKey(const StreamId& stream, uint64_t version) {
  std::string k = stream.value();
  k.push_back('\0');
  PutBigEndian64(&k, version);
  return k;
}

std::string NumberKey(RecordKind kind) { return "number/" + std::string(RecordPrefix(kind)); }

}  // namespace

std::vector<std::string> EmbeddedLedger::ColumnFamilies() {
  return {kLedger, kStreams, kStreamEvents, kCommands, kMeta};
}

EmbeddedLedger::EmbeddedLedger(Store* store, RecordSink* sink) : store_(store), sink_(sink) {}

Result<std::optional<std::string>> EmbeddedLedger::FindCommand(const CommandId& id) {
  Store::Txn txn(store_);
  auto v = txn.Get(store_->Cf(kCommands), id.value());
  if (v.ok()) return std::optional<std::string>(std::move(v).value());
  if (v.status().code() == StatusCode::kNotFound) return std::optional<std::string>();
  return v.status();
}

Result<StreamVersion> EmbeddedLedger::Version(const StreamId& stream) {
  Store::Txn txn(store_);
  auto v = txn.Get(store_->Cf(kStreams), stream.value());
  if (v.ok()) return StreamVersion(GetBigEndian64(*v));
  if (v.status().code() == StatusCode::kNotFound) return StreamVersion(0);
  return v.status();
}

Result<uint64_t> EmbeddedLedger::LastNumber(RecordKind kind) {
  Store::Txn txn(store_);
  auto v = txn.Get(store_->Cf(kMeta), NumberKey(kind));
  if (v.ok()) return GetBigEndian64(*v);
  if (v.status().code() == StatusCode::kNotFound) return uint64_t{0};
  return v.status();
}

Result<std::pair<LedgerSeq, Hash>> EmbeddedLedger::Head() {
  Store::Txn txn(store_);
  auto v = txn.Get(store_->Cf(kMeta), "head");
  if (!v.ok()) {
    if (v.status().code() == StatusCode::kNotFound) return std::make_pair(LedgerSeq(0), Hash{});
    return v.status();
  }
  if (v->size() != 40) return Status::Corruption("ledger head record has a bad size");
  Hash h{};
  std::copy(v->begin() + 8, v->end(), h.begin());
  return std::make_pair(LedgerSeq(GetBigEndian64(*v)), h);
}

Result<AppendResult> EmbeddedLedger::Append(AppendBatch batch) {
  if (!store_->writable()) return Status::Internal("append on a read-only store");
  Store::Txn txn(store_);
  CRM_ASSIGN_OR_RETURN(AppendResult r, AppendTo(std::move(batch), &txn));
  CRM_RETURN_IF_ERROR(txn.Commit(/*sync=*/true));
  return r;
}

Result<AppendResult> EmbeddedLedger::AppendTo(AppendBatch batch, Store::Txn* txn) {
  auto* commands = store_->Cf(kCommands);
  auto* streams = store_->Cf(kStreams);
  auto* meta = store_->Cf(kMeta);
  if (txn->Exists(commands, batch.command_id.value())) {
    return Status::Aborted("command " + batch.command_id.value() + " was already applied");
  }
  std::map<std::string, uint64_t> versions;  // stream -> current version, within this batch
  auto version_of = [&](const StreamId& s) -> Result<uint64_t> {
    auto it = versions.find(s.value());
    if (it != versions.end()) return it->second;
    auto v = txn->Get(streams, s.value());
    uint64_t ver = 0;
    if (v.ok()) {
      ver = GetBigEndian64(*v);
    } else if (v.status().code() != StatusCode::kNotFound) {
      return v.status();
    }
    versions[s.value()] = ver;
    return ver;
  };
  for (const auto& [stream, expected] : batch.expected) {
    CRM_ASSIGN_OR_RETURN(uint64_t ver, version_of(stream));
    if (ver != expected.value()) {
      return Status::Aborted(stream.value() + " is at version " + std::to_string(ver) + ", expected " +
                             std::to_string(expected.value()) + "; reload and retry");
    }
  }

  // Head is read through the txn so that batches appended into one txn chain correctly.
  uint64_t seq = 0;
  Hash prev{};
  if (auto head = txn->Get(meta, "head"); head.ok()) {
    if (head->size() != 40) return Status::Corruption("ledger head record has a bad size");
    seq = GetBigEndian64(*head);
    std::copy(head->begin() + 8, head->end(), prev.begin());
  } else if (head.status().code() != StatusCode::kNotFound) {
    return head.status();
  }

  AppendResult result;
  for (auto& ev : batch.events) {
    CRM_ASSIGN_OR_RETURN(uint64_t ver, version_of(ev.stream));
    ++ver;
    ++seq;
    versions[ev.stream.value()] = ver;
    EnvelopeHeader h{LedgerSeq(seq),  ev.stream,           StreamVersion(ver), NewUuid(), batch.command_id,
                     batch.correlation_id.empty() ? batch.command_id.value() : batch.correlation_id,
                     batch.causation_id, batch.actor, batch.now};
    const std::string record = EncodeEnvelope(h, ev.payload, prev);
    const fb::Envelope* env = fb::GetEnvelope(record.data());
    prev = StoredHash(*env);
    std::string seq_value;
    PutBigEndian64(&seq_value, seq);
    txn->Append(store_->Cf(kStreamEvents), StreamEventKey(ev.stream, ver), seq_value);
    if (sink_ != nullptr) CRM_RETURN_IF_ERROR(sink_->Apply(LedgerSeq(seq), *env, txn));
    txn->Append(store_->Cf(kLedger), SeqKey(seq), record);
    if (result.first.value() == 0) result.first = LedgerSeq(seq);
    result.last = LedgerSeq(seq);
  }
  for (const auto& [stream, ver] : versions) {
    std::string v;
    PutBigEndian64(&v, ver);
    txn->Put(streams, stream, v);
  }
  std::string head;
  PutBigEndian64(&head, seq);
  head.append(reinterpret_cast<const char*>(prev.data()), prev.size());
  txn->Put(meta, "head", head);
  for (const auto& [kind, n] : batch.numbers) {
    std::string v;
    PutBigEndian64(&v, n);
    txn->Put(meta, NumberKey(kind), v);
  }
  txn->Put(commands, batch.command_id.value(), batch.answer);
  return result;
}

Status EmbeddedLedger::Read(LedgerSeq from, const RecordFn& fn) {
  auto* cf = store_->Cf(kLedger);
  if (cf == nullptr) return Status::Ok();
  std::unique_ptr<rocksdb::Iterator> it(store_->db()->NewIterator(rocksdb::ReadOptions(), cf));
  for (it->Seek(SeqKey(from.value())); it->Valid(); it->Next()) {
    const auto k = it->key();
    if (k.size() != 8) return Status::Corruption("ledger key of " + std::to_string(k.size()) + " bytes");
    if (!fn(LedgerSeq(GetBigEndian64(std::string_view(k.data(), k.size()))),
            std::string_view(it->value().data(), it->value().size()))) {
      break;
    }
  }
  return FromRocks(it->status(), "reading the ledger");
}

Status EmbeddedLedger::ReadStream(const StreamId& stream, const RecordFn& fn) {
  auto* idx = store_->Cf(kStreamEvents);
  if (idx == nullptr) return Status::Ok();
  std::string prefix = stream.value();
  prefix.push_back('\0');
  std::unique_ptr<rocksdb::Iterator> it(store_->db()->NewIterator(rocksdb::ReadOptions(), idx));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    const uint64_t seq = GetBigEndian64(std::string_view(it->value().data(), it->value().size()));
    std::string record;
    auto s = store_->db()->Get(rocksdb::ReadOptions(), store_->Cf(kLedger), SeqKey(seq), &record);
    if (s.IsNotFound()) return Status::Corruption("stream index points at missing record " + std::to_string(seq));
    CRM_RETURN_IF_ERROR(FromRocks(s, "reading the ledger"));
    if (!fn(LedgerSeq(seq), record)) break;
  }
  return FromRocks(it->status(), "reading the stream index");
}

}  // namespace crm
