// The key topic: how the keys that seal personal data (events/keyring.h) reach every replica in
// Kafka mode. Topic `<ledger topic>.keys`, partition 0, meant to be compacted
// (cleanup.policy=compact): message key = a keyring row ("CT0001/ID" or "CT0001"), value = the
// row's value, a null value (tombstone) deleting the row. An erasure deletes the person's keys
// and publishes the erased row "CT0001" -> "" (kept by compaction: it holds no personal data
// and tells later replicas that the data was erased, not lost). A replica fetches the topic
// when a record names a key it lacks; its read position is the keyring row "@offset".
//
// The brokers keep tombstoned values until compaction runs (delete.retention.ms and the
// segment roll decide when); that is the Kafka half of "found nowhere" (docs/design.md).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "events/kafka_client.h"
#include "events/keyring.h"
#include "events/sealing.h"

namespace crm {

class KeyTopic final : public Keyring::Distributor {
 public:
  static Result<std::unique_ptr<KeyTopic>> Open(const KafkaOptions& options);
  Status Publish(const std::vector<Keyring::Row>& rows) override;
  Status Fetch(Keyring* keyring) override;

 private:
  explicit KeyTopic(KafkaOptions options) : options_(std::move(options)) {}
  KafkaOptions options_;
  // Opened when first needed: most commands make no key and meet none they lack.
  std::unique_ptr<KafkaProducer> producer_;
  std::unique_ptr<KafkaConsumer> consumer_;
};

// The whole key topic read into memory, for reading the log without a data directory
// (`ledger tail` and `ledger export` in Kafka mode); read again when a key is missing (a
// record newer than the last read, while following).
class KeyTopicSnapshot final : public KeySource {
 public:
  static Result<std::unique_ptr<KeyTopicSnapshot>> Read(const KafkaOptions& options);
  Result<std::optional<SealKey>> Find(std::string_view subject, std::string_view id) override;
  Result<bool> Erased(std::string_view subject) override { return rows_.contains(subject); }

 private:
  explicit KeyTopicSnapshot(KafkaOptions options) : options_(std::move(options)) {}
  Status Load();
  Result<std::optional<SealKey>> FindLoaded(std::string_view subject, std::string_view id) const;

  KafkaOptions options_;
  std::map<std::string, std::string, std::less<>> rows_;
};

}  // namespace crm
