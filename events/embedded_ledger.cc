// Key layout of the embedded ledger (column family: key -> value):
//   ledger:         seq (8 bytes big-endian)               -> Envelope record bytes
//   streams:        stream id                              -> version (8 bytes BE)
//   stream_events:  stream id '\0' version (8 bytes BE)     -> seq (8 bytes BE)
//   commands:       command id                             -> answer (JSON text)
//   ledger_meta:    "head"                                 -> seq (8 BE) + hash (32)
//                   "number/" prefix ("number/CP")         -> last number (8 BE)
//                   "command_end/" command id               -> seq of its last record (8 BE)
#include "events/embedded_ledger.h"

#include <map>

#include <spdlog/spdlog.h>

#include "events/head_witness.h"

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

std::string Text(const flatbuffers::String* s) { return s == nullptr ? std::string() : s->str(); }

std::string NumberKey(RecordKind kind) { return "number/" + std::string(RecordPrefix(kind)); }

std::string CommandEndKey(std::string_view command_id) { return "command_end/" + std::string(command_id); }

// Calls fn(seq, record) for the ledger's records from `from` on, as `options` sees them.
Status ScanLedger(Store* store, const rocksdb::ReadOptions& options, LedgerSeq from, const Ledger::RecordFn& fn) {
  auto* cf = store->Cf(kLedger);
  if (cf == nullptr) return Status::Ok();
  std::unique_ptr<rocksdb::Iterator> it(store->db()->NewIterator(options, cf));
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
  return HeadIn(txn);
}

Result<AppendResult> EmbeddedLedger::Append(AppendBatch batch) {
  if (!store_->writable()) return Status::Internal("append on a read-only store");
  Store::Txn txn(store_);
  CRM_ASSIGN_OR_RETURN(AppendResult r, AppendTo(std::move(batch), &txn));
  CRM_RETURN_IF_ERROR(txn.Commit(/*sync=*/true));
  if (r.last.value() != 0) {
    // The command is durable whatever happens here: a witness not updated names an older head,
    // which the next open still accepts (events/head_witness.h).
    auto head = Head();
    Status noted = head.ok() ? HeadWitness(store_->dir()).Record(LedgerHead{head->first, head->second}) : head.status();
    if (!noted.ok()) spdlog::warn("the ledger head witness was not updated: {}", noted.message());
  }
  return r;
}


Result<AppendResult> EmbeddedLedger::AppendTo(AppendBatch batch, Store::Txn* txn) {
  std::vector<std::string> for_sink;
  CRM_ASSIGN_OR_RETURN(std::vector<std::string> records, Prepare(batch, txn, sink_ ? &for_sink : nullptr));
  AppendResult result;
  for (size_t i = 0; i < records.size(); ++i) {
    const std::string& record = records[i];
    const fb::Envelope* env = fb::GetEnvelope(record.data());  // built just now: no verifier
    const fb::Envelope* open = i < for_sink.size() && !for_sink[i].empty() ? fb::GetEnvelope(for_sink[i].data()) : nullptr;
    CRM_RETURN_IF_ERROR(ApplyRecord(record, *env, txn, open));
    if (result.first.value() == 0) result.first = LedgerSeq(env->seq());
    result.last = LedgerSeq(env->seq());
  }
  // A command without events leaves no record; its answer is still kept for retries.
  if (records.empty()) {
    txn->Put(store_->Cf(kCommands), batch.command_id.value(), batch.answer);
    for (const auto& [kind, last] : batch.numbers) PutNumber(kind, last, txn);
  }
  return result;
}

Result<std::vector<std::string>> EmbeddedLedger::Prepare(const AppendBatch& batch, Store::Txn* txn,
                                                         std::vector<std::string>* for_sink) {
  auto* streams = store_->Cf(kStreams);
  if (txn->Exists(store_->Cf(kCommands), batch.command_id.value())) {
    return Status::Aborted("command " + batch.command_id.value() + " was already applied");
  }
  std::map<std::string, uint64_t> versions;  // stream -> version, within this batch
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
  // The head is read through the txn so that batches appended into one txn chain correctly.
  CRM_ASSIGN_OR_RETURN(auto head, HeadIn(*txn));
  uint64_t seq = head.first.value();
  Hash prev = head.second;
  std::vector<std::string> records;
  records.reserve(batch.events.size());
  for (size_t i = 0; i < batch.events.size(); ++i) {
    const NewEvent& ev = batch.events[i];
    CRM_ASSIGN_OR_RETURN(uint64_t ver, version_of(ev.stream));
    versions[ev.stream.value()] = ++ver;
    EnvelopeHeader h;
    h.seq = LedgerSeq(++seq);
    h.stream = ev.stream;
    h.stream_version = StreamVersion(ver);
    h.event_id = NewUuid();
    h.command_id = batch.command_id;
    h.correlation_id = batch.correlation_id.empty() ? batch.command_id.value() : batch.correlation_id;
    h.causation_id = batch.causation_id;
    h.actor = batch.actor;
    h.recorded_at = batch.now;
    if (i + 1 == batch.events.size()) {
      h.command_last = true;
      h.command_answer = batch.answer;
      h.numbers = batch.numbers;
    }
    records.push_back(EncodeEnvelope(h, ev.payload, prev));
    if (for_sink != nullptr) {
      const bool opened = i < batch.opened.size() && batch.opened[i].type != fb::Event::NONE;
      const bool answer = h.command_last && !batch.opened_answer.empty();
      for_sink->emplace_back();
      if (opened || answer) {
        if (answer) h.command_answer = batch.opened_answer;
        for_sink->back() = EncodeEnvelope(h, opened ? batch.opened[i] : ev.payload, prev);
      }
    }
    prev = StoredHash(*fb::GetEnvelope(records.back().data()));
  }
  return records;
}

Status EmbeddedLedger::ApplyRecord(std::string_view record, const fb::Envelope& env, Store::Txn* txn,
                                   const fb::Envelope* for_sink) {
  const uint64_t seq = env.seq();
  const StreamId stream(Text(env.stream()));
  std::string seq_value;
  PutBigEndian64(&seq_value, seq);
  txn->Append(store_->Cf(kStreamEvents), StreamEventKey(stream, env.stream_version()), seq_value);
  std::string version;
  PutBigEndian64(&version, env.stream_version());
  txn->Put(store_->Cf(kStreams), stream.value(), version);
  if (sink_ != nullptr) CRM_RETURN_IF_ERROR(sink_->Apply(LedgerSeq(seq), for_sink ? *for_sink : env, txn));
  txn->Append(store_->Cf(kLedger), SeqKey(seq), record);
  std::string head = seq_value;
  const Hash h = StoredHash(env);
  head.append(reinterpret_cast<const char*>(h.data()), h.size());
  txn->Put(store_->Cf(kMeta), "head", head);
  if (!env.command_last()) return Status::Ok();
  txn->Put(store_->Cf(kCommands), Text(env.command_id()), Text(env.command_answer()));
  txn->Put(store_->Cf(kMeta), CommandEndKey(Text(env.command_id())), seq_value);
  if (env.numbers() != nullptr) {
    for (const fb::NumberMark* mark : *env.numbers()) {
      const auto kind = KindOfPrefix(Text(mark->kind()));
      if (!kind) return Status::Corruption("record " + std::to_string(seq) + " names an unknown number series");
      PutNumber(*kind, mark->last(), txn);
    }
  }
  return Status::Ok();
}

Result<std::vector<std::string>> EmbeddedLedger::CommandRecords(const CommandId& id) {
  Store::Txn txn(store_);
  std::vector<std::string> out;
  auto end = txn.Get(store_->Cf(kMeta), CommandEndKey(id.value()));
  if (!end.ok() && end.status().code() != StatusCode::kNotFound) return end.status();
  if (!end.ok()) {
    // Written before the index: read the whole ledger (a command's records are consecutive).
    Status inner;
    CRM_RETURN_IF_ERROR(Read(LedgerSeq(1), [&](LedgerSeq seq, std::string_view record) {
      auto env = DecodeEnvelope(record);
      if (!env.ok()) {
        inner = env.status().WithContext("record " + std::to_string(seq.value()));
        return false;
      }
      const bool mine = Text((*env)->command_id()) == id.value();
      if (mine) out.emplace_back(record);
      return mine || out.empty();
    }));
    CRM_RETURN_IF_ERROR(inner);
    return out;
  }
  // Read back from its last record in growing windows until a record of another command.
  const uint64_t last = GetBigEndian64(*end);
  for (uint64_t window = 64;; window *= 4) {
    const uint64_t from = last > window ? last - window + 1 : 1;
    std::vector<std::string> records;
    Status inner;
    bool other = false;
    CRM_RETURN_IF_ERROR(Read(LedgerSeq(from), [&](LedgerSeq seq, std::string_view record) {
      if (seq.value() > last) return false;
      auto env = DecodeEnvelope(record);
      if (!env.ok()) {
        inner = env.status().WithContext("record " + std::to_string(seq.value()));
        return false;
      }
      if (Text((*env)->command_id()) != id.value()) {
        records.clear();
        other = true;
      } else {
        records.emplace_back(record);
      }
      return true;
    }));
    CRM_RETURN_IF_ERROR(inner);
    if (other || from == 1) return records;
  }
}

Result<std::optional<std::string>> EmbeddedLedger::Meta(std::string_view key, const Store::Txn& txn) {
  auto v = txn.Get(store_->Cf(kMeta), key);
  if (v.ok()) return std::optional<std::string>(std::move(v).value());
  if (v.status().code() == StatusCode::kNotFound) return std::optional<std::string>();
  return v.status();
}

void EmbeddedLedger::PutMeta(std::string_view key, std::string_view value, Store::Txn* txn) {
  txn->Put(store_->Cf(kMeta), key, value);
}

void EmbeddedLedger::PutNumber(RecordKind kind, uint64_t last, Store::Txn* txn) {
  std::string v;
  PutBigEndian64(&v, last);
  txn->Put(store_->Cf(kMeta), NumberKey(kind), v);
}

Result<std::pair<LedgerSeq, Hash>> EmbeddedLedger::HeadIn(const Store::Txn& txn) {
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

Status EmbeddedLedger::Read(LedgerSeq from, const RecordFn& fn) {
  return ScanLedger(store_, rocksdb::ReadOptions(), from, fn);
}

Status EmbeddedLedger::ReadUnflushed(const RecordFn& fn) {
  rocksdb::ReadOptions memtables_only;
  memtables_only.read_tier = rocksdb::kMemtableTier;
  return ScanLedger(store_, memtables_only, LedgerSeq(0), fn);
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
