// Ledger records for `ledger tail` and `ledger export`, read the same way in both modes: from the
// data directory (embedded) or straight from the Kafka log through the chain rule (no data
// directory needed), filtered by sequence range, stream and event type (rendered by
// events/event_rows.h).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "cmd/app.h"
#include "events/sealing.h"

namespace crm::cli {

struct RecordFilter {
  uint64_t from = 1;  // first sequence number
  uint64_t to = 0;    // last sequence number; 0: no end
  std::string stream;
  std::string type;   // event type name, any case
  size_t limit = 0;   // at most this many records; 0: all
  size_t last = 0;    // only the last this many records that pass (`ledger tail -n`); 0: all

  Status Validate() const;
};

// Calls `sink` for each record that passes `filter`, in sequence order; the sink returns false to
// stop. With `follow`, waits for new records until stopped (SIGINT) or the filter is exhausted
// (with `last`, after the last records there are at the start).
// Records come opened (events/sealing.h): personal data in the clear, or "(erased)"; the keys are
// the data directory's, or in Kafka mode the key topic's.
using RecordSink = std::function<Result<bool>(LedgerSeq seq, std::string_view record)>;
Status ForEachRecord(App* app, const RecordFilter& filter, bool follow, const RecordSink& sink);

}  // namespace crm::cli
