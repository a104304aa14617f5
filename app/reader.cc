#include "app/reader.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "aggregates/access.h"
#include "events/head_witness.h"
#include "events/kafka_ledger.h"
#include "projections/projector.h"
#include "projections/rebuild.h"

namespace crm {
namespace {

// Kafka mode: the replica must be bound to the topic; how far it is behind the log.
Result<nlohmann::json> MeasureLag(const ReadOptions& o, KafkaOptions kafka, EmbeddedLedger* ledger) {
  CRM_ASSIGN_OR_RETURN(auto binding, KafkaLedger::BindingOf(ledger));
  if (!binding || binding->topic != kafka.topic) {
    return Status::FailedPrecondition(o.data_dir + " is not a replica of Kafka topic " + kafka.topic +
                                      " (build one with: crmctl project --data DIR)");
  }
  nlohmann::json projection{{"topic", kafka.topic}, {"offset", binding->resume}};
  // Reads are served from the data directory even when the cluster cannot be reached.
  kafka.timeout = std::min(kafka.timeout, std::chrono::milliseconds(5000));
  auto consumer = KafkaConsumer::Open(kafka);
  auto marks = consumer.ok() ? (*consumer)->Watermarks(kafka.topic, kLedgerPartition)
                             : Result<std::pair<int64_t, int64_t>>(consumer.status());
  if (marks.ok() && marks->second < binding->resume) {
    // Not lag: this replica is ahead of the log it is asked about (writers refuse it).
    projection["end"] = marks->second;
    projection["lag"] = nullptr;
    o.note("warning: the log of topic " + kafka.topic + " ends at offset " + std::to_string(marks->second) +
           ", before offset " + std::to_string(binding->resume) + " that " + o.data_dir +
           " has read to: the topic was created again or is another cluster's; answering from " + o.data_dir +
           " as it is");
  } else if (marks.ok()) {
    const int64_t lag = marks->second - binding->resume;
    projection["end"] = marks->second;
    projection["lag"] = lag;
    if (lag > 0) o.note("note: " + o.data_dir + " is " + std::to_string(lag) + " log records behind Kafka");
  } else {
    projection["lag"] = nullptr;
    o.note("warning: answering from " + o.data_dir + " without knowing its lag: " + marks.status().message());
  }
  return projection;
}

}  // namespace

Result<ReadView> OpenReadView(const ReadOptions& o) {
  ReadView r;
  Store::Options so;
  so.mode = Store::Mode::kRead;
  CRM_ASSIGN_OR_RETURN(r.store, Store::Open(o.data_dir, so, AllColumnFamilies()));
  r.ledger = std::make_unique<EmbeddedLedger>(r.store.get(), nullptr);
  CRM_RETURN_IF_ERROR(CheckLedgerHead(r.ledger.get()));
  CRM_RETURN_IF_ERROR(ProjectionsReadable(r.store.get()));
  r.txn = std::make_unique<Store::Txn>(r.store.get());
  r.rm = std::make_unique<ReadModel>(r.store.get(), r.txn.get());
  if (o.kafka) {
    CRM_ASSIGN_OR_RETURN(r.projection, MeasureLag(o, *o.kafka, r.ledger.get()));
  }
  // Who may read is decided by the users of the ledger now, not as of --at.
  CRM_ASSIGN_OR_RETURN(access::State users, r.rm->Users());
  CRM_RETURN_IF_ERROR(access::Authorize(users, o.actor, access::Need::kRead));
  if (!o.at.empty()) {
    CRM_ASSIGN_OR_RETURN(ReplayBound bound, ParseAsOf(o.at));
    CRM_ASSIGN_OR_RETURN(r.view, AsOfView::Open(r.store.get(), r.ledger.get(), bound));
    if (r.view) {
      r.rm.reset();
      r.txn = std::make_unique<Store::Txn>(r.view->store());
      r.rm = std::make_unique<ReadModel>(r.view->store(), r.txn.get());
      r.as_of = r.view->seq();
      r.as_of_json =
          nlohmann::json{{"seq", r.view->seq()}, {"snapshot", r.view->snapshot()}, {"replayed", r.view->replayed()}};
    } else {
      CRM_ASSIGN_OR_RETURN(auto head, r.ledger->Head());
      r.as_of = head.first.value();
      r.as_of_json = nlohmann::json{{"seq", r.as_of.value()}, {"snapshot", nullptr}, {"replayed", 0}};
    }
  }
  return r;
}

}  // namespace crm
