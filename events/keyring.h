// The keyring: the per-person keys that seal personal data (events/sealing.h), kept in the data
// directory's column family "keys", outside the ledger and outside the read models (rebuilds
// and rebuild checks never touch it). Rows: "SUBJECT/ID" -> the 32-byte key; "SUBJECT" -> ""
// once the subject's data was erased (so an erased person is told apart from a data directory
// that lost its keys, and a key arriving late from another replica is refused); "@..." rows
// belong to the Distributor (its read position).
//
// Durability order: a key is written before any record sealed with it is appended, to the same
// write-ahead log, whose synced append makes it durable first; it is destroyed in the same
// transaction as the PersonalDataErased record (the projector does that), so an acknowledged
// erasure can never leave the key behind, nor a crash leave a sealed record without its key. In Kafka mode every
// replica needs the keys: a Distributor (events/key_topic.h) publishes them to a compacted topic before they are used,
// a tombstone on erasure, and fetches what a replica lacks.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "events/sealing.h"
#include "events/store.h"

namespace crm {

class Keyring final : public KeySource {
 public:
  static constexpr char kColumnFamily[] = "keys";

  // How keys travel between replicas (Kafka mode): a log of the rows above. Publish returns
  // once the log holds `rows` (a value of nullopt deletes the row); Fetch hands every row
  // published since the last fetch to Receive.
  using Row = std::pair<std::string, std::optional<std::string>>;
  class Distributor {
   public:
    virtual ~Distributor() = default;
    virtual Status Publish(const std::vector<Row>& rows) = 0;
    virtual Status Fetch(Keyring* keyring) = 0;
  };

  // `store` (and `distributor`, may be null) must outlive the keyring.
  explicit Keyring(Store* store, Distributor* distributor = nullptr) : store_(store), distributor_(distributor) {}

  // A replica that lacks a key fetches the published ones once, then answers.
  Result<std::optional<SealKey>> Find(std::string_view subject, std::string_view id) override;
  Result<bool> Erased(std::string_view subject) override;

  // A key for each of `subjects` (the one it has, else a new one: published first, all in one
  // publish, then stored in one write, made durable by the append that follows).
  // FailedPrecondition for a subject whose data was erased. Subjects in `fresh` are records this
  // command creates: a record number is never given twice, so they have no key and are not
  // looked up (a key left by an earlier attempt that never appended is an unused second key).
  Result<std::vector<PersonKey>> Ensure(const std::vector<std::string>& subjects,
                                        const std::set<std::string_view>& fresh = {});

  // Erasure, before the PersonalDataErased record is appended (Kafka): deletes the subject's
  // keys from the log and publishes its erased row.
  Status Unpublish(std::string_view subject);

  // Destroys every key of `subject` inside `txn`, a transaction of `store`; a no-op for a store
  // without the keys column family (a rebuild check's scratch store).
  static Status Destroy(Store* store, std::string_view subject, Store::Txn* txn);

  // For a Distributor's Fetch: applies a published row inside `txn`. An erasure is final: keys
  // of an erased subject are dropped.
  Status Receive(std::string_view row, std::optional<std::string_view> value, Store::Txn* txn);
  Store* store() const { return store_; }

  // Every subject whose data was erased.
  Result<std::vector<std::string>> AllErased();

 private:
  enum class Held { kNone, kKeys, kErased };
  // Whether `subject` has keys or was erased; the first key's row when it has.
  Result<Held> Lookup(std::string_view subject, PersonKey* first, const Store::Txn& txn) const;
  Result<std::optional<SealKey>> FindLocal(std::string_view subject, std::string_view id);
  // A row as committed; nullopt when absent.
  Result<std::optional<std::string>> Read(std::string_view row) const;

  Store* store_;
  Distributor* distributor_;
};

}  // namespace crm
