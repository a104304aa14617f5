#include "projections/task_rows.h"

#include "aggregates/task.h"
#include "projections/projector.h"
#include "projections/row_codec.h"
#include "projections/rows.h"
#include "projections/stats_rows.h"

namespace crm {

namespace keys {
std::string Task(const RecordNo& task) { return "k" + SortKey(task); }
std::string CampaignTask(const RecordNo& campaign, const RecordNo& task) {
  return "l" + SortKey(campaign) + SortKey(task);
}
}  // namespace keys

namespace {

constexpr uint8_t kTaskRowVersion = 1;

}  // namespace

std::string EncodeTask(const TaskRow& row) {
  RowWriter w;
  w.Byte(kTaskRowVersion);
  w.Byte(static_cast<uint8_t>(row.type));
  w.Byte(static_cast<uint8_t>(row.priority));
  for (const std::string* s : {&row.status, &row.description, &row.due, &row.salesperson, &row.team, &row.contact,
                               &row.campaign, &row.opportunity, &row.activity}) {
    w.Str(*s);
  }
  w.I64(row.step);
  w.I64(row.created_at.value());
  w.I64(row.modified_at.value());
  return w.Take();
}

Result<TaskRow> DecodeTask(const RecordNo& no, std::string_view bytes) {
  RowReader r(bytes);
  TaskRow row;
  row.no = no;
  uint8_t version = 0, type = 0, priority = 0;
  int64_t created = 0, modified = 0;
  bool ok = r.Byte(&version) && version == kTaskRowVersion && r.Byte(&type) && r.Byte(&priority);
  for (std::string* s : {&row.status, &row.description, &row.due, &row.salesperson, &row.team, &row.contact,
                         &row.campaign, &row.opportunity, &row.activity}) {
    ok = ok && r.Str(s);
  }
  ok = ok && r.I64(&row.step) && r.I64(&created) && r.I64(&modified) && r.done();
  if (!ok || type > static_cast<uint8_t>(fb::TaskType::MAX) || priority > static_cast<uint8_t>(fb::TaskPriority::MAX)) {
    return Status::Corruption("task row of " + no.ToString() + " does not decode");
  }
  row.type = static_cast<fb::TaskType>(type);
  row.priority = static_cast<fb::TaskPriority>(priority);
  row.created_at = Timestamp(created);
  row.modified_at = Timestamp(modified);
  return row;
}

Status ApplyTaskEvent(Store* store, Store::Txn* txn, const fb::Envelope& env) {
  auto* cf = store->Cf(kCfCampaigns);
  CRM_ASSIGN_OR_RETURN(RecordNo no, RecordNo::OfStream(StreamId(Str(env.stream()))));
  const std::string key = keys::Task(no);
  const Timestamp at(env.recorded_at());
  TaskRow row;
  if (env.payload_type() != fb::Event::TaskCreated) {
    CRM_ASSIGN_OR_RETURN(std::string bytes, txn->Get(cf, key));
    CRM_ASSIGN_OR_RETURN(row, DecodeTask(no, bytes));
  }
  const TaskRow before = row;
  Visit(task::OwnEvents{}, env,
        Overloaded{[&](const fb::TaskCreated* e) {
                     row.no = no;
                     row.team = Str(e->team());
                     row.activity = Str(e->activity());
                     row.step = e->step();
                     row.created_at = row.modified_at = at;
                     task::CopyTaskFields(*e, &row);
                   },
                   [&](const fb::TaskChanged* e) {
                     row.modified_at = at;
                     task::CopyTaskFields(*e, &row);
                   }});
  txn->Put(cf, key, EncodeTask(row));
  if (env.payload_type() == fb::Event::TaskCreated && !row.campaign.empty()) {
    CRM_ASSIGN_OR_RETURN(RecordNo cp, RecordNo::Parse(row.campaign));
    txn->Put(cf, keys::CampaignTask(cp, no), "");
  }
  CRM_ASSIGN_OR_RETURN(RecordNo from, RecordNo::ParseOptional(before.campaign));
  CRM_ASSIGN_OR_RETURN(RecordNo to, RecordNo::ParseOptional(row.campaign));
  return MoveFigures(store, txn, from, FiguresOf(before), to, FiguresOf(row));
}

}  // namespace crm
