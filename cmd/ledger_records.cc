#include "cmd/ledger_records.h"

#include <algorithm>
#include <chrono>
#include <deque>
#include <iostream>
#include <thread>
#include <utility>

#include "aggregates/common.h"
#include "events/codec.h"
#include "events/kafka_log.h"
#include "events/key_topic.h"
#include "events/keyring.h"

namespace crm::cli {
Status RecordFilter::Validate() const {
  if (from == 0) return Status::InvalidArgument("--from counts from 1");
  if (to != 0 && to < from) {
    return Status::InvalidArgument("--to " + std::to_string(to) + " is before --from " + std::to_string(from));
  }
  if (last != 0 && limit != 0) {
    return Status::InvalidArgument("-n takes the last records and --limit the first: give one of them");
  }
  return Status::Ok();
}

Status ForEachRecord(App* app, const RecordFilter& f, bool follow, const RecordSink& sink) {
  CRM_RETURN_IF_ERROR(f.Validate());
  CRM_ASSIGN_OR_RETURN(auto kafka, app->Kafka());
  std::unique_ptr<KeySource> keys;
  std::optional<Reader> r;
  if (kafka) {
    CRM_ASSIGN_OR_RETURN(keys, KeyTopicSnapshot::Read(*kafka));
  } else {
    CRM_ASSIGN_OR_RETURN(r, app->OpenReader(false));
    keys = std::make_unique<Keyring>(r->store.get());
  }
  uint64_t next = f.from;
  // The last records asked for: the ledger's last ones when any record passes (no stream or
  // type to match) and the data directory knows its head; otherwise the last of a whole pass.
  if (f.last != 0 && r && f.stream.empty() && f.type.empty()) {
    CRM_ASSIGN_OR_RETURN(auto head, r->ledger->Head());
    const uint64_t end = f.to != 0 ? std::min(f.to, head.first.value()) : head.first.value();
    if (end >= f.last) next = std::max(next, end - f.last + 1);
  }
  std::deque<std::pair<LedgerSeq, std::string>> kept;  // with `last`: the last that passed so far
  bool keeping = f.last != 0;                           // the first pass of a `last`
  auto keep = [&](LedgerSeq seq, std::string_view record) -> Result<bool> {
    kept.emplace_back(seq, std::string(record));
    if (kept.size() > f.last) kept.pop_front();
    return true;
  };
  size_t passed = 0;
  bool done = false;
  // Whether to read on after `seq` (done: the filter is exhausted).
  auto offer = [&](LedgerSeq seq, std::string_view record) -> Result<bool> {
    if (seq.value() < next) return true;  // seen already (a follow pass starts over)
    next = seq.value() + 1;
    if (f.to != 0 && seq.value() > f.to) {
      done = true;
      return false;
    }
    auto in_record = [&](const Status& s) { return s.WithContext("record " + std::to_string(seq.value())); };
    auto env = DecodeEnvelope(record);
    if (!env.ok()) return in_record(env.status());
    if (!f.stream.empty() && (*env)->stream()->string_view() != f.stream) return true;
    if (!f.type.empty() && !EqualsIgnoreCase(EventTypeName((*env)->payload_type()), f.type)) return true;
    auto opened = OpenRecord(**env, keys.get());
    if (!opened.ok()) return in_record(opened.status());
    const std::string_view passing = *opened ? std::string_view(**opened) : record;
    CRM_ASSIGN_OR_RETURN(bool go_on, keeping ? keep(seq, passing) : sink(seq, passing));
    done = !go_on || (f.limit != 0 && ++passed >= f.limit) || (f.to != 0 && seq.value() >= f.to);
    return !done;
  };
  Status inner;  // the error that stopped a read
  auto read = [&](LedgerSeq seq, std::string_view record) {
    Result<bool> go_on = offer(seq, record);
    if (!go_on.ok()) inner = go_on.status();
    return go_on.ok() && *go_on;
  };
  // Hands the kept records to the sink once the first pass is over.
  auto hand_over = [&]() -> Status {
    if (!keeping) return Status::Ok();
    keeping = false;
    for (const auto& [seq, record] : kept) {
      CRM_ASSIGN_OR_RETURN(bool go_on, sink(seq, record));
      if (!go_on) {
        done = true;
        break;
      }
    }
    return Status::Ok();
  };
  if (kafka) {
    CRM_RETURN_IF_ERROR(ScanLog(*kafka, read, follow && !keeping).status());
    CRM_RETURN_IF_ERROR(inner);
    if (!keeping) return Status::Ok();
    CRM_RETURN_IF_ERROR(hand_over());
    if (!follow || done) return Status::Ok();
    CRM_RETURN_IF_ERROR(ScanLog(*kafka, read, true).status());  // records seen are skipped
    return inner;
  }
  for (;;) {
    CRM_RETURN_IF_ERROR(r->ledger->Read(LedgerSeq(next), read));
    CRM_RETURN_IF_ERROR(inner);
    CRM_RETURN_IF_ERROR(hand_over());
    if (!follow || done) return Status::Ok();
    std::cout.flush();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    CRM_RETURN_IF_ERROR(FromRocks(r->store->db()->TryCatchUpWithPrimary(), "following the ledger"));
  }
}

}  // namespace crm::cli
