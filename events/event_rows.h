// A ledger record rendered for analytics (`ledger tail`, `ledger export`, `history`): the schema's
// own JSON (events/event_json.h) with the hashes as hex and recorded_at as an ISO 8601 UTC time,
// or a CSV line whose columns are generated from the schema.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "events/event_json.h"
#include "events/sealing.h"

namespace crm {

class EventRows {
 public:
  // With `keys`, records are opened first (events/sealing.h); without, they are taken as given.
  explicit EventRows(KeySource* keys = nullptr) : keys_(keys) {}
  // The record as one JSON object, members in schema order (one line with dump()).
  Result<nlohmann::ordered_json> Object(std::string_view record) const;

  // The CSV header: the envelope's fields, then `payload.NAME` for every field of every event
  // type (empty where an event has no such field).
  std::string CsvHeader() const;
  // One CSV record (RFC 4180: a value with a comma, quote or line break is quoted; nested
  // values as compact JSON) for an object from Object(); ends with '\n'.
  std::string CsvLine(const nlohmann::ordered_json& object) const;

 private:
  // A CSV line of `cell(name, in_payload)` for the envelope's fields, then the payload's.
  std::string CsvRow(const std::function<std::string(const std::string&, bool)>& cell) const;
  KeySource* keys_;
  EventJson json_;
  std::vector<std::string> envelope_ = json_.EnvelopeFields();
  std::vector<std::string> payload_ = json_.PayloadFields();
};

}  // namespace crm
