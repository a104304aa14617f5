// Segment read models (column family "segments"), written by the projector through the segment
// aggregate's own Evolve (aggregates/segment.h) over rows:
//   'h' K(segment)                              -> segment::Header JSON (with its steps)
//   'l' K(segment) K(contact)                   -> line (binary: EncodeSegmentLine)
//   'k' K(segment) step(4 BE) 'a'|'r' K(contact) -> line: what the step added / removed, the
//                                                  values go-back and redo restore
// The header is compact JSON with sorted keys; every row compares byte for byte after a rebuild.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "aggregates/segment.h"
#include "events/store.h"
#include "projections/projector.h"

namespace crm {

namespace keys {
std::string SegmentHeader(const RecordNo& segment);
std::string SegmentLine(const RecordNo& segment, const RecordNo& contact);
std::string SegmentLinePrefix(const RecordNo& segment);
std::string SegmentKept(const RecordNo& segment, uint32_t step, bool added, const RecordNo& contact);
}  // namespace keys

nlohmann::json ToJson(const segment::Header& h);
segment::Header SegmentHeaderFromJson(const nlohmann::json& j);
// A line as `show --json` prints it.
nlohmann::json ToJson(const segment::Line& l);
// A line's row ('l' and 'k'): a version byte, then description, correspondence, campaign target,
// language, subject, evaluation (projections/row_codec.h). Corruption when it does not decode.
std::string EncodeSegmentLine(const segment::Line& l);
Result<segment::Line> DecodeSegmentLine(std::string_view row);

// A segment's lines as rows of a transaction. Storage errors are kept (the first one) and
// reported by status(), since LineStore's operations do not fail.
class RowLines final : public segment::LineStore {
 public:
  RowLines(Store* store, Store::Txn* txn, RecordNo segment);
  std::optional<segment::Line> Get(const RecordNo& contact) override;
  void Put(const RecordNo& contact, const segment::Line& line) override;
  void Erase(const RecordNo& contact) override;
  void Keep(uint32_t step, bool added, const RecordNo& contact, const segment::Line& values) override;
  void ForEachKept(uint32_t step, const std::function<void(bool, const RecordNo&, const segment::Line&)>& fn) override;
  const Status& status() const { return status_; }

 private:
  void Fail(Status s) {
    if (status_.ok()) status_ = std::move(s);
  }
  Store::Txn* txn_;
  rocksdb::ColumnFamilyHandle* cf_;
  RecordNo segment_;
  Status status_;
};

}  // namespace crm
