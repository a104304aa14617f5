// Every change of one record, oldest first (`crmctl history`, SPEC §4.10), read from the ledger
// of a read view (in Kafka mode, the data directory's replica of the log): the record's own
// stream; for a contact or lead also the changes of its current memberships (on the campaigns'
// streams); for an interaction or campaign entry of a logged segment, the events of that
// segment's stream that name the entry, and the segment's own cancels (for a deleted entry, whose
// row is gone, the events anywhere in the ledger that name it).
#pragma once

#include <cstdint>
#include <map>

#include <nlohmann/json.hpp>

#include "app/reader.h"

namespace crm {

// The record's changes by ledger position, each {seq, at, actor, command_id, event, payload},
// the payload's fields as the schema names them and personal data opened (or shown as erased).
Result<std::map<uint64_t, nlohmann::json>> RecordHistory(ReadView* r, const RecordNo& no);

}  // namespace crm
