// Thin RAII wrappers over librdkafka's C API, as the Kafka ledger uses it: configuration from
// KafkaOptions (--brokers, --topic, --kafka-config; settings the ledger's guarantees rest on
// cannot be overridden), an idempotent producer whose Send waits for
// every delivery report, and a consumer of one partition from an explicit offset (offsets live in
// the consumer's own data directory, never in a consumer group). librdkafka's log lines go to
// spdlog at info level (`crmctl -v`); failures come back as Status: a bad setting is
// InvalidArgument, broker trouble Unavailable. Each object is used by one thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <librdkafka/rdkafka.h>

#include "events/status.h"

namespace crm {

struct KafkaOptions {
  std::string brokers;                                      // HOST:PORT[,...]
  std::string topic = "crm.events";
  std::vector<std::pair<std::string, std::string>> config;  // passed to librdkafka as given
  // Bound on waiting for the cluster: metadata, delivery (message.timeout.ms, unless
  // --kafka-config sets it) and silence while catching up. Positive.
  std::chrono::milliseconds timeout{30000};
  // A replica catching up commits after this many log records (or 64 MiB), so a restart after a
  // crash re-reads at most that much.
  size_t apply_chunk = 10000;
  // A replica at least this many log records behind commits by ingesting table files
  // (Store::Txn::CommitByIngestion; default kIngestRecords).
  size_t ingest_records = 20000;
  // Asked between short waits on the cluster (a signal handler's flag: `crmctl project --follow`
  // stopping on SIGTERM while the brokers are down): when it returns true, reading the log
  // stops at a record boundary and a query of the log's end fails with Unavailable at once.
  std::function<bool()> interrupted;

  std::string DeadLetterTopic() const { return topic + ".dlq"; }
  // The keys that seal personal data (events/key_topic.h).
  std::string KeyTopic() const { return topic + ".keys"; }
};

// The ledger is one ordered chain in partition 0 of the topic (docs/kafka.md says why).
inline constexpr int32_t kLedgerPartition = 0;

struct OutMessage {
  std::string_view key;
  std::string_view value;
  std::vector<std::pair<std::string, std::string>> headers;
};

class KafkaProducer {
 public:
  static Result<std::unique_ptr<KafkaProducer>> Open(const KafkaOptions& options);
  ~KafkaProducer();
  KafkaProducer(const KafkaProducer&) = delete;
  KafkaProducer& operator=(const KafkaProducer&) = delete;

  // Sends `messages` in order to one partition and waits for all delivery reports; returns the
  // offsets in the same order. Unavailable when any was not acknowledged in time: some of them
  // may still have been written. `while_in_flight`, when given, runs once all are handed to
  // librdkafka and before waiting: work that overlaps the round trip.
  Result<std::vector<int64_t>> Send(const std::string& topic, int32_t partition, const std::vector<OutMessage>& messages,
                                    const std::function<Status()>& while_in_flight = nullptr);

  // The partition's first offset and its end. Asked through the producer's connections, which
  // have no long-polling fetch in flight for the request to queue behind.
  Result<std::pair<int64_t, int64_t>> Watermarks(const std::string& topic, int32_t partition);

  rd_kafka_t* handle() const { return rk_; }

  // Where a message's delivery report lands (its opaque points at one).
  struct Delivery {
    rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR__IN_PROGRESS;
    int64_t offset = -1;
  };

 private:
  KafkaProducer() = default;
  // Send gives up on messages that librdkafka may still report on.
  void Abandon(std::vector<Delivery> slots);

  rd_kafka_t* rk_ = nullptr;
  std::chrono::milliseconds timeout_{};
  std::function<bool()> interrupted_;
  std::chrono::milliseconds delivery_timeout_{};  // message.timeout.ms in effect
  std::list<std::vector<Delivery>> abandoned_;
};

class KafkaConsumer {
 public:
  static Result<std::unique_ptr<KafkaConsumer>> Open(const KafkaOptions& options);
  ~KafkaConsumer();
  KafkaConsumer(const KafkaConsumer&) = delete;
  KafkaConsumer& operator=(const KafkaConsumer&) = delete;

  // Reads `partition` of `topic` from `offset` on.
  Status Assign(const std::string& topic, int32_t partition, int64_t offset);

  struct MessageDeleter {
    void operator()(rd_kafka_message_t* m) const;
  };
  using Message = std::unique_ptr<rd_kafka_message_t, MessageDeleter>;
  // The next message of the assigned partition; nullptr when none came within `wait` or the
  // partition's end was reached. Broker errors that librdkafka does not retry are returned.
  Result<Message> Poll(std::chrono::milliseconds wait);

  // Calls fn for each message of the assigned partition from *next up to `end` (exclusive),
  // advancing *next past each once fn has returned it successfully, until fn returns false or
  // fails (fn's error is returned; *next then still names the message it failed on). Messages
  // before *next (delivered again after a reconnect) are skipped. Unavailable when the log
  // delivers nothing for the options' timeout.
  using MessageFn = std::function<Result<bool>(const rd_kafka_message_t&)>;
  Status ReadUntil(int64_t* next, int64_t end, const MessageFn& fn);

  // The partition's first offset and its end (the offset the next record will get).
  Result<std::pair<int64_t, int64_t>> Watermarks(const std::string& topic, int32_t partition);

 private:
  KafkaConsumer() = default;
  rd_kafka_t* rk_ = nullptr;
  std::chrono::milliseconds timeout_{};
  std::function<bool()> interrupted_;
};

// The bytes of a message's value and key.
inline std::string_view ValueOf(const rd_kafka_message_t& m) {
  return {static_cast<const char*>(m.payload), m.len};
}

}  // namespace crm
