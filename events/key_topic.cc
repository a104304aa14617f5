#include "events/key_topic.h"

#include <charconv>
#include <cstring>

namespace crm {
namespace {

constexpr char kOffsetRow[] = "@offset";

std::string_view KeyOf(const rd_kafka_message_t& m) { return {static_cast<const char*>(m.key), m.key_len}; }

// A message's value; nullopt for a tombstone (null value).
std::optional<std::string_view> RowValue(const rd_kafka_message_t& m) {
  if (m.payload == nullptr) return std::nullopt;
  return ValueOf(m);
}

// Reads partition 0 of the key topic from *next to its current end.
Status ReadKeys(KafkaConsumer* consumer, const std::string& topic, int64_t* next, const KafkaConsumer::MessageFn& fn) {
  CRM_ASSIGN_OR_RETURN(auto marks, consumer->Watermarks(topic, 0));
  *next = std::max(*next, marks.first);
  if (*next >= marks.second) return Status::Ok();
  CRM_RETURN_IF_ERROR(consumer->Assign(topic, 0, *next));
  return consumer->ReadUntil(next, marks.second, fn).WithContext("reading the key topic " + topic);
}

}  // namespace

Result<std::unique_ptr<KeyTopic>> KeyTopic::Open(const KafkaOptions& options) {
  return std::unique_ptr<KeyTopic>(new KeyTopic(options));
}

Status KeyTopic::Publish(const std::vector<Keyring::Row>& rows) {
  if (!producer_) {
    CRM_ASSIGN_OR_RETURN(producer_, KafkaProducer::Open(options_));
  }
  std::vector<OutMessage> messages;
  for (const auto& [row, value] : rows) {
    // A default string_view has no data: librdkafka sends a null value, the tombstone.
    messages.push_back(OutMessage{row, value ? std::string_view(*value) : std::string_view(), {}});
  }
  return producer_->Send(options_.KeyTopic(), 0, messages).status().WithContext("publishing to the key topic");
}

Status KeyTopic::Fetch(Keyring* keyring) {
  Store* store = keyring->store();
  auto* cf = store->Cf(Keyring::kColumnFamily);
  Store::Txn txn(store);
  int64_t next = 0;
  if (auto v = txn.Get(cf, kOffsetRow); v.ok()) {
    const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), next);
    if (ec != std::errc() || end != v->data() + v->size())
      return Status::Corruption("the key topic position is not a number");
  } else if (v.status().code() != StatusCode::kNotFound) {
    return v.status();
  }
  if (!consumer_) {
    CRM_ASSIGN_OR_RETURN(consumer_, KafkaConsumer::Open(options_));
  }
  const int64_t from = next;
  CRM_RETURN_IF_ERROR(
      ReadKeys(consumer_.get(), options_.KeyTopic(), &next, [&](const rd_kafka_message_t& m) -> Result<bool> {
        CRM_RETURN_IF_ERROR(keyring->Receive(KeyOf(m), RowValue(m), &txn));
        return true;
      }));
  if (next == from) return Status::Ok();
  txn.Put(cf, kOffsetRow, std::to_string(next));
  // Unsynced: lost in a crash, the keys are fetched again from the topic.
  return txn.Commit(/*sync=*/false);
}

Result<std::unique_ptr<KeyTopicSnapshot>> KeyTopicSnapshot::Read(const KafkaOptions& options) {
  std::unique_ptr<KeyTopicSnapshot> s(new KeyTopicSnapshot(options));
  CRM_RETURN_IF_ERROR(s->Load());
  return s;
}

Status KeyTopicSnapshot::Load() {
  rows_.clear();
  CRM_ASSIGN_OR_RETURN(auto consumer, KafkaConsumer::Open(options_));
  int64_t next = 0;
  return ReadKeys(consumer.get(), options_.KeyTopic(), &next, [&](const rd_kafka_message_t& m) -> Result<bool> {
    const std::string row(KeyOf(m));
    const auto value = RowValue(m);
    const size_t slash = row.find('/');
    if (slash == std::string::npos) {
      if (!value) return true;
      rows_[row] = "";  // erased: its keys go
      for (auto it = rows_.lower_bound(row + "/"); it != rows_.end() && it->first.starts_with(row + "/");) {
        it = rows_.erase(it);
      }
    } else if (!value) {
      rows_.erase(row);
    } else if (!rows_.contains(row.substr(0, slash))) {
      rows_[row] = std::string(*value);
    }
    return true;
  });
}

Result<std::optional<SealKey>> KeyTopicSnapshot::Find(std::string_view subject, std::string_view id) {
  auto found = FindLoaded(subject, id);
  if (found.ok() || found.status().code() != StatusCode::kNotFound) return found;
  CRM_RETURN_IF_ERROR(Load());
  return FindLoaded(subject, id);
}

Result<std::optional<SealKey>> KeyTopicSnapshot::FindLoaded(std::string_view subject, std::string_view id) const {
  if (rows_.contains(subject)) return std::optional<SealKey>();
  const std::string row = std::string(subject) + "/" + std::string(id);
  auto it = rows_.find(row);
  SealKey key;
  if (it == rows_.end() || it->second.size() != key.size()) {
    return Status::NotFound("the key topic holds no key " + row);
  }
  std::memcpy(key.data(), it->second.data(), key.size());
  return std::optional<SealKey>(key);
}

}  // namespace crm
