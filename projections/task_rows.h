// The tasks read model (column family "campaigns", beside campaigns and opportunities):
//   'k' K(task)               -> task row
//   'l' K(campaign) K(task)   -> ""   (a campaign's tasks)
// The row is the read model's own, binary and versioned:
//   row := version u8 (1), type u8 (fb::TaskType), priority u8 (fb::TaskPriority), status str,
//          description str, due str, salesperson str, team str, contact str, campaign str,
//          opportunity str, activity str, step i64, created_at i64, modified_at i64
// (projections/row_codec.h). The JSON `task show` prints is made in cmd/.
#pragma once

#include <string>
#include <string_view>

#include "events/codec.h"
#include "events/store.h"
#include "events/values.h"

namespace crm {

namespace keys {
std::string Task(const RecordNo& task);
std::string CampaignTask(const RecordNo& campaign, const RecordNo& task);
}  // namespace keys

struct TaskRow {
  RecordNo no;
  fb::TaskType type = fb::TaskType::Task;
  fb::TaskPriority priority = fb::TaskPriority::Normal;
  std::string status, description, due, salesperson, team, contact, campaign, opportunity, activity;
  int64_t step = 0;
  Timestamp created_at, modified_at;
};

std::string EncodeTask(const TaskRow& row);
// Corruption when the row is not one EncodeTask wrote; `no` is the caller's (from the key).
Result<TaskRow> DecodeTask(const RecordNo& no, std::string_view row);

// Writes the row of TaskCreated (and the campaign's index entry) and rewrites it on TaskChanged.
// A typed visit over the task owner's events: a new one does not compile until it has its Apply.
Status ApplyTaskEvent(Store* store, Store::Txn* txn, const fb::Envelope& env);

}  // namespace crm
