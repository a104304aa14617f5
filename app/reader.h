// A read-only view of a data directory for the read commands: it never waits for a writer (a
// RocksDB secondary instance, events/store.h), checks the ledger's head witness, and lets only
// an actor whose role may read through (decided by the users of the ledger now, also for an
// as-of read). In Kafka mode the data directory must be a replica of the topic asked about, and
// the view says how far it is behind the log (answering from the replica even when the cluster
// cannot be reached). With an as-of bound (SPEC §3 `--at`) the read model is the state as of
// then (projections/as_of.h).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "events/embedded_ledger.h"
#include "events/kafka_client.h"
#include "events/store.h"
#include "projections/as_of.h"
#include "projections/queries.h"

namespace crm {

struct ReadOptions {
  std::string data_dir;
  std::optional<KafkaOptions> kafka;  // Kafka mode: the topic the data directory replicates
  Actor actor;
  std::string at;  // empty: now; else SEQ or TIMESTAMP (ParseAsOf)
  // Lines for the person at the terminal ("note: ...", "warning: ..."), said as they arise.
  std::function<void(const std::string&)> note;
};

struct ReadView {
  std::unique_ptr<Store> store;
  std::unique_ptr<EmbeddedLedger> ledger;  // always the whole ledger
  std::unique_ptr<AsOfView> view;          // an as-of read older than the head
  std::unique_ptr<Store::Txn> txn;
  std::unique_ptr<ReadModel> rm;            // the state now, or as of `as_of`
  std::optional<uint64_t> as_of;            // an as-of read: the last record it includes
  // Kafka mode: {"topic", "offset" (read to), "end" (of the log), "lag"}; lag is null when the
  // log could not be asked or the replica is ahead of it.
  std::optional<nlohmann::json> projection;
  // An as-of read: {"seq", "snapshot", "replayed"} (how the state was built).
  std::optional<nlohmann::json> as_of_json;
};

Result<ReadView> OpenReadView(const ReadOptions& options);

}  // namespace crm
