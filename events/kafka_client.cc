#include "events/kafka_client.h"

#include <algorithm>
#include <cstdlib>
#include <thread>

#include <spdlog/spdlog.h>

#include "events/rdkafka_api.h"

namespace crm {
namespace {

void LogLine(const rd_kafka_t* /*rk*/, int level, const char* facility, const char* buf) {
  spdlog::info("librdkafka {} {}: {}", level, facility, buf);
}

void ErrorLine(rd_kafka_t* /*rk*/, int err, const char* reason, void* /*opaque*/) {
  spdlog::info("librdkafka error {}: {}", RdKafka().rd_kafka_err2name(static_cast<rd_kafka_resp_err_t>(err)), reason);
}

struct ConfDeleter {
  void operator()(rd_kafka_conf_t* c) const { RdKafka().rd_kafka_conf_destroy(c); }
};
using Conf = std::unique_ptr<rd_kafka_conf_t, ConfDeleter>;

Status Set(rd_kafka_conf_t* conf, const std::string& key, const std::string& value) {
  char err[512];
  if (RdKafka().rd_kafka_conf_set(conf, key.c_str(), value.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
    return Status::InvalidArgument("Kafka setting " + key + "=" + value + ": " + err);
  }
  return Status::Ok();
}

// Our defaults first, then the user's --kafka-config, which may override any of them except
// `fixed`: the settings the ledger's correctness rests on, which a user setting may not change.
Result<Conf> MakeConf(const KafkaOptions& o, const std::vector<std::pair<std::string, std::string>>& defaults,
                      const std::vector<std::pair<std::string, std::string>>& fixed) {
  if (o.brokers.empty()) return Status::InvalidArgument("no Kafka brokers given (--brokers or CRM_BROKERS)");
  Conf conf(RdKafka().rd_kafka_conf_new());
  CRM_RETURN_IF_ERROR(Set(conf.get(), "bootstrap.servers", o.brokers));
  CRM_RETURN_IF_ERROR(Set(conf.get(), "client.id", "crmledger"));
  for (const auto& [k, v] : defaults) CRM_RETURN_IF_ERROR(Set(conf.get(), k, v));
  for (const auto& [k, v] : o.config) {
    for (const auto& [fixed_key, fixed_value] : fixed) {
      if (k == fixed_key && v != fixed_value) {
        return Status::InvalidArgument("Kafka setting " + k + " must stay " + fixed_value +
                                       ": the ledger's guarantees rest on it (docs/kafka.md)");
      }
    }
    CRM_RETURN_IF_ERROR(Set(conf.get(), k, v));
  }
  for (const auto& [k, v] : fixed) CRM_RETURN_IF_ERROR(Set(conf.get(), k, v));
  RdKafka().rd_kafka_conf_set_log_cb(conf.get(), LogLine);
  RdKafka().rd_kafka_conf_set_error_cb(conf.get(), ErrorLine);
  return conf;
}

// A numeric setting as the configuration holds it after the user's overrides.
std::chrono::milliseconds MillisecondsSetting(rd_kafka_conf_t* conf, const char* key, std::chrono::milliseconds fallback) {
  char value[64];
  size_t size = sizeof value;
  if (RdKafka().rd_kafka_conf_get(conf, key, value, &size) != RD_KAFKA_CONF_OK) return fallback;
  return std::chrono::milliseconds(std::strtoll(value, nullptr, 10));
}

Result<rd_kafka_t*> NewClient(rd_kafka_type_t type, Conf conf) {
  char err[512];
  rd_kafka_t* rk = RdKafka().rd_kafka_new(type, conf.get(), err, sizeof err);
  if (rk == nullptr) return Status::InvalidArgument(std::string("Kafka client: ") + err);
  (void)conf.release();  // owned by rk now
  return rk;
}

Status KafkaError(rd_kafka_resp_err_t err, std::string_view what) {
  return Status::Unavailable(std::string(what) + ": " + RdKafka().rd_kafka_err2str(err));
}

void OnDelivery(rd_kafka_t* /*rk*/, const rd_kafka_message_t* m, void* /*opaque*/) {
  auto* d = static_cast<KafkaProducer::Delivery*>(m->_private);
  d->err = m->err;
  d->offset = m->offset;
}

Result<std::pair<int64_t, int64_t>> QueryWatermarks(rd_kafka_t* rk, const std::string& topic, int32_t partition,
                                                    std::chrono::milliseconds timeout,
                                                    const std::function<bool()>& interrupted) {
  int64_t low = 0, high = 0;
  // Asked in slices when it may be interrupted, so that a stop is noticed within one slice.
  constexpr std::chrono::milliseconds kSlice{250};
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  rd_kafka_resp_err_t err;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    const auto wait = interrupted ? std::min(left, kSlice) : left;
    err = RdKafka().rd_kafka_query_watermark_offsets(rk, topic.c_str(), partition, &low, &high,
                                                     static_cast<int>(std::max<int64_t>(1, wait.count())));
    if (err != RD_KAFKA_RESP_ERR__TIMED_OUT || std::chrono::steady_clock::now() >= deadline) break;
    if (interrupted && interrupted()) return Status::Unavailable("interrupted while asking the cluster for the end of " + topic);
  }
  if (err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) {
    return Status::NotFound("Kafka topic " + topic + " does not exist (create it, or start tools/dev-kafka)");
  }
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return KafkaError(err, "asking the cluster for the end of " + topic);
  return std::make_pair(low, high);
}

}  // namespace

Result<std::unique_ptr<KafkaProducer>> KafkaProducer::Open(const KafkaOptions& o) {
  CRM_RETURN_IF_ERROR(LoadRdKafka().status());
  CRM_ASSIGN_OR_RETURN(Conf conf, MakeConf(o, {{"message.timeout.ms", std::to_string(o.timeout.count())}, {"linger.ms", "2"}},
                                           {{"enable.idempotence", "true"}}));
  RdKafka().rd_kafka_conf_set_dr_msg_cb(conf.get(), OnDelivery);
  std::unique_ptr<KafkaProducer> p(new KafkaProducer());
  p->timeout_ = o.timeout;
  p->interrupted_ = o.interrupted;
  p->delivery_timeout_ = MillisecondsSetting(conf.get(), "message.timeout.ms", o.timeout);
  CRM_ASSIGN_OR_RETURN(p->rk_, NewClient(RD_KAFKA_PRODUCER, std::move(conf)));
  return p;
}

KafkaProducer::~KafkaProducer() {
  if (rk_ != nullptr) {
    RdKafka().rd_kafka_flush(rk_, 5000);
    RdKafka().rd_kafka_destroy(rk_);
  }
  // abandoned_ outlives rk_: no delivery report can reach a freed slot.
}

void KafkaProducer::Abandon(std::vector<Delivery> slots) {
  // Messages still queued or in flight point at `slots`: withdraw them and serve their reports
  // (they arrive as purged). Should any remain, their slots are kept until the client is gone.
  RdKafka().rd_kafka_purge(rk_, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  while (RdKafka().rd_kafka_outq_len(rk_) > 0 && std::chrono::steady_clock::now() < deadline) {
    RdKafka().rd_kafka_poll(rk_, 10);
  }
  if (RdKafka().rd_kafka_outq_len(rk_) > 0) abandoned_.push_back(std::move(slots));  // the buffer keeps its address
}

Result<std::vector<int64_t>> KafkaProducer::Send(const std::string& topic, int32_t partition,
                                                 const std::vector<OutMessage>& messages,
                                                 const std::function<Status()>& while_in_flight) {
  std::vector<Delivery> slots(messages.size());
  for (size_t i = 0; i < messages.size(); ++i) {
    const OutMessage& m = messages[i];
    for (;;) {
      rd_kafka_headers_t* headers = RdKafka().rd_kafka_headers_new(m.headers.size());
      for (const auto& [k, v] : m.headers) {
        RdKafka().rd_kafka_header_add(headers, k.data(), k.size(), v.data(), v.size());
      }
      const rd_kafka_resp_err_t err = RdKafka().rd_kafka_producev(
          rk_, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(partition),
          RD_KAFKA_V_KEY(m.key.data(), m.key.size()),
          RD_KAFKA_V_VALUE(const_cast<char*>(m.value.data()), m.value.size()),  // copied: no MSGFLAG_FREE
          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(headers), RD_KAFKA_V_OPAQUE(&slots[i]),
          RD_KAFKA_V_END);
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR) break;
      RdKafka().rd_kafka_headers_destroy(headers);  // not taken over on failure
      if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        Abandon(std::move(slots));
        return KafkaError(err, "producing to " + topic);
      }
      RdKafka().rd_kafka_poll(rk_, 10);  // the local queue is full: let deliveries drain it
    }
    RdKafka().rd_kafka_poll(rk_, 0);
  }
  Status overlapped = while_in_flight ? while_in_flight() : Status::Ok();
  // Every message gets its report within message.timeout.ms; the margin covers serving them.
  const rd_kafka_resp_err_t flushed = RdKafka().rd_kafka_flush(rk_, static_cast<int>(delivery_timeout_.count()) + 5000);
  std::vector<int64_t> offsets;
  offsets.reserve(slots.size());
  for (const Delivery& d : slots) {
    if (d.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      const rd_kafka_resp_err_t err = d.err == RD_KAFKA_RESP_ERR__IN_PROGRESS ? flushed : d.err;
      Abandon(std::move(slots));
      return KafkaError(err, "the Kafka cluster did not acknowledge the write");
    }
    offsets.push_back(d.offset);
  }
  CRM_RETURN_IF_ERROR(overlapped);
  return offsets;
}

Result<std::unique_ptr<KafkaConsumer>> KafkaConsumer::Open(const KafkaOptions& o) {
  CRM_RETURN_IF_ERROR(LoadRdKafka().status());
  // A group id is required by assign(); offsets are never committed to it.
  CRM_ASSIGN_OR_RETURN(Conf conf, MakeConf(o, {{"group.id", "crmledger"}, {"fetch.wait.max.ms", "100"}},
                                           {{"enable.auto.commit", "false"},
                                            {"enable.auto.offset.store", "false"},
                                            {"auto.offset.reset", "error"},
                                            {"enable.partition.eof", "true"}}));
  std::unique_ptr<KafkaConsumer> c(new KafkaConsumer());
  CRM_ASSIGN_OR_RETURN(c->rk_, NewClient(RD_KAFKA_CONSUMER, std::move(conf)));
  c->timeout_ = o.timeout;
  c->interrupted_ = o.interrupted;
  return c;
}

KafkaConsumer::~KafkaConsumer() {
  if (rk_ != nullptr) {
    RdKafka().rd_kafka_consumer_close(rk_);
    RdKafka().rd_kafka_destroy(rk_);
  }
}

Status KafkaConsumer::Assign(const std::string& topic, int32_t partition, int64_t offset) {
  rd_kafka_topic_partition_list_t* list = RdKafka().rd_kafka_topic_partition_list_new(1);
  RdKafka().rd_kafka_topic_partition_list_add(list, topic.c_str(), partition)->offset = offset;
  const rd_kafka_resp_err_t err = RdKafka().rd_kafka_assign(rk_, list);
  RdKafka().rd_kafka_topic_partition_list_destroy(list);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return KafkaError(err, "assigning " + topic);
  return Status::Ok();
}

Result<KafkaConsumer::Message> KafkaConsumer::Poll(std::chrono::milliseconds wait) {
  Message m(RdKafka().rd_kafka_consumer_poll(rk_, static_cast<int>(wait.count())));
  if (!m) return Message();
  switch (m->err) {
    case RD_KAFKA_RESP_ERR_NO_ERROR: return m;
    case RD_KAFKA_RESP_ERR__PARTITION_EOF: return Message();
    default: break;
  }
  const std::string what = RdKafka().rd_kafka_message_errstr(m.get());
  if (m->err == RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE || m->err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET) {
    return Status::FailedPrecondition("the log no longer holds the records this data directory needs (" + what +
                                      "): were they deleted by retention?");
  }
  switch (m->err) {
    case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC:
    case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
    case RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION:
      return Status::NotFound("reading the log: " + what);
    case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR__AUTHENTICATION:
    case RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED:
    case RD_KAFKA_RESP_ERR__SSL:
      return Status::FailedPrecondition("reading the log: " + what);
    default: break;
  }
  if (RdKafka().rd_kafka_fatal_error(rk_, nullptr, 0) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Status::Unavailable("reading the log: " + what);
  }
  // Transient (a broker down, an injected error): librdkafka retries; the caller's deadline rules.
  spdlog::info("reading the log: {}", what);
  return Message();
}

Status KafkaConsumer::ReadUntil(int64_t* next, int64_t end, const MessageFn& fn) {
  // The bound is on silence, not on the whole read: a long catch-up that keeps receiving
  // records is progress, however long it takes.
  auto deadline = std::chrono::steady_clock::now() + timeout_;
  while (*next < end) {
    if (interrupted_ && interrupted_()) return Status::Ok();  // what was taken stays taken
    CRM_ASSIGN_OR_RETURN(Message m, Poll(std::chrono::milliseconds(100)));
    if (!m) {
      if (std::chrono::steady_clock::now() > deadline) {
        return Status::Unavailable("the Kafka log did not deliver offsets " + std::to_string(*next) + " to " +
                                   std::to_string(end) + " within " + std::to_string(timeout_.count()) + " ms");
      }
      continue;
    }
    deadline = std::chrono::steady_clock::now() + timeout_;
    if (m->offset < *next) continue;
    CRM_ASSIGN_OR_RETURN(bool go_on, fn(*m));
    *next = m->offset + 1;  // only once fn has taken the message
    if (!go_on) break;
  }
  return Status::Ok();
}

Result<std::pair<int64_t, int64_t>> KafkaConsumer::Watermarks(const std::string& topic, int32_t partition) {
  return QueryWatermarks(rk_, topic, partition, timeout_, interrupted_);
}

Result<std::pair<int64_t, int64_t>> KafkaProducer::Watermarks(const std::string& topic, int32_t partition) {
  return QueryWatermarks(rk_, topic, partition, timeout_, interrupted_);
}

void KafkaConsumer::MessageDeleter::operator()(rd_kafka_message_t* m) const { RdKafka().rd_kafka_message_destroy(m); }

}  // namespace crm
