// librdkafka, loaded when Kafka mode first needs it.
//
// librdkafka brings OpenSSL, Cyrus SASL, zstd and more: linked into crmctl, every command, Kafka
// mode or not, paid for mapping and relocating them before main (docs/performance.md, "The
// whole-process floor"). crmctl therefore does not link it: the Kafka client (kafka_client.cc,
// the only code calling it) reaches its C API through this table of the functions it uses,
// filled from librdkafka.so.1 by dlopen on the first Kafka client opened. The declarations and
// types stay librdkafka's own (rdkafka.h), so a signature cannot drift. The mock cluster
// (tools/dev_kafka.cc) links librdkafka as usual.
#pragma once

#include <librdkafka/rdkafka.h>

#include "events/status.h"

namespace crm {

// X(function) for each librdkafka function the Kafka client calls.
#define CRM_RDKAFKA_FUNCTIONS(X)                                                                                   \
  X(rd_kafka_assign) X(rd_kafka_conf_destroy) X(rd_kafka_conf_get) X(rd_kafka_conf_new) X(rd_kafka_conf_set)        \
  X(rd_kafka_conf_set_dr_msg_cb) X(rd_kafka_conf_set_error_cb) X(rd_kafka_conf_set_log_cb)                           \
  X(rd_kafka_consumer_close) X(rd_kafka_consumer_poll) X(rd_kafka_destroy) X(rd_kafka_err2name) X(rd_kafka_err2str) \
  X(rd_kafka_fatal_error) X(rd_kafka_flush) X(rd_kafka_header_add) X(rd_kafka_headers_destroy)                       \
  X(rd_kafka_headers_new) X(rd_kafka_message_destroy) X(rd_kafka_message_errstr) X(rd_kafka_new)                     \
  X(rd_kafka_outq_len) X(rd_kafka_poll) X(rd_kafka_producev) X(rd_kafka_purge) X(rd_kafka_query_watermark_offsets)   \
  X(rd_kafka_topic_partition_list_add) X(rd_kafka_topic_partition_list_destroy) X(rd_kafka_topic_partition_list_new)

struct RdKafkaApi {
#define CRM_RDKAFKA_MEMBER(fn) decltype(&::fn) fn = nullptr;
  CRM_RDKAFKA_FUNCTIONS(CRM_RDKAFKA_MEMBER)
#undef CRM_RDKAFKA_MEMBER
};

// Loads librdkafka on first use (thread-safe); Unavailable, with the loader's reason, when it
// cannot be loaded or lacks a function.
Result<const RdKafkaApi*> LoadRdKafka();

// The table once LoadRdKafka succeeded: every Kafka client is made by an Open that loads it first.
const RdKafkaApi& RdKafka();

}  // namespace crm
