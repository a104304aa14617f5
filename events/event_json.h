// JSON for ledger records, generated from the published schema by FlatBuffers reflection (the
// schema text is compiled in), never from hand-written per-event code: a new event or field shows
// up in `ledger tail` and exports without touching this file. Thread-compatible: create one
// EventJson per thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "events/status.h"

namespace crm {

class EventJson {
 public:
  EventJson();
  ~EventJson();
  // One line of JSON for a verified record: the envelope's fields, `payload_type` and `payload`.
  Result<std::string> ToJson(std::string_view record) const;

  // Field names generated from the schema, for flat (CSV) renderings: the envelope's fields in
  // schema order, the payload union as its two JSON members `payload_type` and `payload`; and
  // every field of every event type, once each, in schema order.
  std::vector<std::string> EnvelopeFields() const;
  std::vector<std::string> PayloadFields() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The schema text (events/schema/crm_events.fbs) as compiled into the binary.
std::string_view EventSchemaText();

}  // namespace crm
