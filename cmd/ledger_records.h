// Ledger records for `ledger tail` and `ledger export`, read the same way in both modes: from the
// data directory (embedded) or straight from the Kafka log through the chain rule (no data
// directory needed), filtered by sequence range, stream and event type. EventRows renders a
// record for analytics: the schema's own JSON (events/event_json.h) with the hashes as hex and
// recorded_at as an ISO 8601 UTC time, or a CSV line whose columns are generated from the schema.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "cmd/app.h"
#include "events/event_json.h"
#include "events/sealing.h"

namespace crm::cli {

struct RecordFilter {
  uint64_t from = 1;  // first sequence number
  uint64_t to = 0;    // last sequence number; 0: no end
  std::string stream;
  std::string type;   // event type name, any case
  size_t limit = 0;   // at most this many records; 0: all

  Status Validate() const;
};

// Calls `sink` for each record that passes `filter`, in sequence order; the sink returns false to
// stop. With `follow`, waits for new records until stopped (SIGINT) or the filter is exhausted.
// Records come opened (events/sealing.h): personal data in the clear, or "(erased)"; the keys are
// the data directory's, or in Kafka mode the key topic's.
using RecordSink = std::function<Result<bool>(LedgerSeq seq, std::string_view record)>;
Status ForEachRecord(App* app, const RecordFilter& filter, bool follow, const RecordSink& sink);

class EventRows {
 public:
  // With `keys`, records are opened first (events/sealing.h); without, they are taken as given.
  explicit EventRows(KeySource* keys = nullptr) : keys_(keys) {}
  // The record as one JSON object, members in schema order (one line with dump()).
  Result<nlohmann::ordered_json> Object(std::string_view record) const;

  // The CSV header: the envelope's fields, then `payload.NAME` for every field of every event
  // type (empty where an event has no such field).
  std::vector<std::string> Columns() const;
  // One CSV record (RFC 4180: a value with a comma, quote or line break is quoted; nested
  // values as compact JSON) for an object from Object(); ends with '\n'.
  std::string CsvLine(const nlohmann::ordered_json& object) const;
  std::string CsvHeader() const;

 private:
  KeySource* keys_;
  EventJson json_;
  std::vector<std::string> envelope_ = json_.EnvelopeFields();
  std::vector<std::string> payload_ = json_.PayloadFields();
};

}  // namespace crm::cli
