#include "events/keyring.h"

#include <cstring>
#include <map>
#include <set>

namespace crm {
namespace {

std::string KeyRow(std::string_view subject, std::string_view id) {
  std::string row(subject);
  row.push_back('/');
  row.append(id);
  return row;
}

std::string_view Bytes(const SealKey& key) { return {reinterpret_cast<const char*>(key.data()), key.size()}; }

Result<SealKey> KeyFrom(std::string_view value, std::string_view row) {
  SealKey key;
  if (value.size() != key.size()) return Status::Corruption("key " + std::string(row) + " has the wrong size");
  std::memcpy(key.data(), value.data(), key.size());
  return key;
}

}  // namespace

Result<Keyring::Held> Keyring::Lookup(std::string_view subject, PersonKey* first, const Store::Txn& txn) const {
  auto* cf = store_->Cf(kColumnFamily);
  if (cf == nullptr) return Held::kNone;
  // One scan finds both the erased mark ("CT0001") and the keys ("CT0001/ID"); it also passes
  // other subjects that merely start alike ("CT00010/..."), which are skipped.
  Held held = Held::kNone;
  Status bad;
  const std::string prefix = KeyRow(subject, "");
  CRM_RETURN_IF_ERROR(txn.ScanPrefix(cf, std::string(subject), [&](std::string_view row, std::string_view value) {
    if (row == subject) {
      held = Held::kErased;
      return;
    }
    if (held != Held::kNone || row.substr(0, prefix.size()) != prefix) return;
    auto key = KeyFrom(value, row);
    if (!key.ok()) {
      bad = key.status();
      return;
    }
    first->id = std::string(row.substr(prefix.size()));
    first->key = *key;
    held = Held::kKeys;
  }));
  CRM_RETURN_IF_ERROR(bad);
  return held;
}

Result<std::optional<std::string>> Keyring::Read(std::string_view row) const {
  auto* cf = store_->Cf(kColumnFamily);
  if (cf == nullptr) return std::optional<std::string>();
  // A point read of what is committed: readers open every sealed record through here.
  rocksdb::PinnableSlice value;
  const auto s = store_->db()->Get(rocksdb::ReadOptions(), cf, rocksdb::Slice(row.data(), row.size()), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  CRM_RETURN_IF_ERROR(FromRocks(s, "reading the keyring"));
  return std::optional<std::string>(value.ToString());
}

Result<std::optional<SealKey>> Keyring::FindLocal(std::string_view subject, std::string_view id) {
  // An erased subject holds no keys (Destroy deletes them in the write that marks it erased, and
  // Receive drops late ones), so a key found needs no look at the erased mark: one point read per
  // sealed record opened, which a rebuild does for every one.
  const std::string row = KeyRow(subject, id);
  CRM_ASSIGN_OR_RETURN(std::optional<std::string> value, Read(row));
  if (value) {
    CRM_ASSIGN_OR_RETURN(SealKey key, KeyFrom(*value, row));
    return std::optional<SealKey>(key);
  }
  CRM_ASSIGN_OR_RETURN(std::optional<std::string> erased, Read(subject));
  if (erased) return std::optional<SealKey>();
  return Status::NotFound("the key that sealed the personal data of " + std::string(subject) + " is missing");
}

Result<std::optional<SealKey>> Keyring::Find(std::string_view subject, std::string_view id) {
  auto found = FindLocal(subject, id);
  if (found.ok() || found.status().code() != StatusCode::kNotFound || distributor_ == nullptr) return found;
  CRM_RETURN_IF_ERROR(distributor_->Fetch(this));
  return FindLocal(subject, id);
}

Result<std::vector<PersonKey>> Keyring::Ensure(const std::vector<std::string>& subjects,
                                               const std::set<std::string_view>& fresh) {
  std::vector<PersonKey> keys;
  std::vector<Row> published;
  // Lookups read what is committed (`probe` holds no writes: a scan of a transaction merges its
  // pending writes, which would make a large batch quadratic); this call's keys are in `made`.
  const Store::Txn probe(store_);
  Store::Txn txn(store_);
  std::map<std::string_view, PersonKey> made;  // a subject named twice gets one key
  for (const std::string& subject : subjects) {
    if (auto it = made.find(subject); it != made.end()) {
      keys.push_back(it->second);
      continue;
    }
    PersonKey key;
    Held held = Held::kNone;
    if (!fresh.contains(subject)) {
      CRM_ASSIGN_OR_RETURN(held, Lookup(subject, &key, probe));
    }
    if (held == Held::kErased) return Status::FailedPrecondition("the personal data of " + subject + " was erased");
    if (held == Held::kNone) {
      key = NewPersonKey();
      const std::string row = KeyRow(subject, key.id);
      if (distributor_ != nullptr) published.emplace_back(row, std::string(Bytes(key.key)));
      txn.Put(store_->Cf(kColumnFamily), row, Bytes(key.key));
      made.emplace(subject, key);
    }
    keys.push_back(key);
  }
  // Every replica needs the new keys before any record sealed with them: one publish for all.
  if (!published.empty()) CRM_RETURN_IF_ERROR(distributor_->Publish(published));
  // Not synced by itself: the command's append that follows is a synced write to the same
  // write-ahead log, which makes every earlier write in it durable first, so the key is never
  // behind a record sealed with it, and a command still costs one sync. (A key whose command
  // then fails is unused: harmless.) In Kafka mode the key is in the key topic already.
  if (!made.empty()) CRM_RETURN_IF_ERROR(txn.Commit(/*sync=*/false));
  return keys;
}

Result<bool> Keyring::Erased(std::string_view subject) {
  CRM_ASSIGN_OR_RETURN(std::optional<std::string> erased, Read(subject));
  return erased.has_value();
}

Result<std::vector<std::string>> Keyring::AllErased() {
  std::vector<std::string> erased;
  auto* cf = store_->Cf(kColumnFamily);
  if (cf == nullptr) return erased;
  Store::Txn txn(store_);
  CRM_RETURN_IF_ERROR(txn.ScanPrefix(cf, "", [&](std::string_view row, std::string_view) {
    if (!row.starts_with('@') && row.find('/') == std::string_view::npos) erased.emplace_back(row);
  }));
  return erased;
}

Status Keyring::Unpublish(std::string_view subject) {
  if (distributor_ == nullptr) return Status::Ok();
  // Every key another writer published for the subject is deleted too.
  CRM_RETURN_IF_ERROR(distributor_->Fetch(this));
  std::vector<Row> rows;
  Store::Txn txn(store_);
  CRM_RETURN_IF_ERROR(
      txn.ScanPrefix(store_->Cf(kColumnFamily), KeyRow(subject, ""),
                     [&](std::string_view row, std::string_view) { rows.emplace_back(row, std::nullopt); }));
  rows.emplace_back(std::string(subject), std::string());
  return distributor_->Publish(rows);
}

Status Keyring::Destroy(Store* store, std::string_view subject, Store::Txn* txn) {
  auto* cf = store->Cf(kColumnFamily);
  if (cf == nullptr) return Status::Ok();
  std::vector<std::string> rows;
  CRM_RETURN_IF_ERROR(txn->ScanPrefix(cf, KeyRow(subject, ""),
                                      [&](std::string_view row, std::string_view) { rows.emplace_back(row); }));
  for (const std::string& row : rows) txn->Delete(cf, row);
  txn->Put(cf, subject, "");
  return Status::Ok();
}

Status Keyring::Receive(std::string_view row, std::optional<std::string_view> value, Store::Txn* txn) {
  auto* cf = store_->Cf(kColumnFamily);
  const size_t slash = row.find('/');
  if (slash == std::string_view::npos) {
    return value ? Destroy(store_, row, txn) : Status::Ok();  // erased rows are never deleted
  }
  if (!value) {
    txn->Delete(cf, row);
    return Status::Ok();
  }
  // A point check (a scan would merge the fetch's pending writes: quadratic on a new replica).
  if (!txn->Exists(cf, row.substr(0, slash))) txn->Put(cf, row, *value);
  return Status::Ok();
}

}  // namespace crm
