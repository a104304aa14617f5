// Handler::Undo: reads the undone command's records from the replica (both modes keep one),
// lets aggregates/undo.h say what compensates them, and runs that as a command of its own whose
// events carry the undone command's id as their causation id. Segment steps and cancellations
// are undone through the segment and logging decisions themselves (go-back, redo, cancel).
#include "aggregates/handler.h"
#include "aggregates/handler_internal.h"
#include "aggregates/undo.h"

namespace crm {

using nlohmann::json;
using handler_internal::Ctx;

Result<json> Handler::Undo(const Request& r, const CommandId& target) {
  CRM_ASSIGN_OR_RETURN(std::vector<std::string> raw, replica_->CommandRecords(target));
  if (raw.empty()) {
    CRM_ASSIGN_OR_RETURN(auto known, ledger_->FindCommand(target));
    if (!known) return Status::NotFound("no command " + target.value() + " in the ledger");
  }
  std::vector<const fb::Envelope*> records;
  for (const std::string& record : raw) {
    CRM_ASSIGN_OR_RETURN(const fb::Envelope* env, DecodeEnvelope(record));
    records.push_back(env);
  }
  CRM_ASSIGN_OR_RETURN(undo::Plan plan, undo::Classify(target, records));
  Request inner = r;
  inner.undoes = target;

  switch (plan.kind) {
    case undo::Kind::kMembers: {
      const std::vector<undo::MemberKey> touched = undo::TouchedMembers(records);
      return Run(inner, StreamId(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
        CRM_ASSIGN_OR_RETURN(reference::State ref, rm.Reference());
        undo::MembersNow now{&ref, {}};
        for (const auto& key : touched) {
          CRM_ASSIGN_OR_RETURN(auto m, rm.Member(key.first, key.second));
          now.status[key] = m ? std::optional<std::string>(m->status) : std::nullopt;
        }
        CRM_ASSIGN_OR_RETURN(batch->events, undo::CompensateMembers(records, now, "undo " + target.value()));
        return json{{"members_changed", batch->events.size()}, {"changed", !batch->events.empty()}};
      });
    }
    case undo::Kind::kCancel:
      return CancelEntry(inner, plan.target, /*undo=*/!plan.cancel);
    case undo::Kind::kGoBack:
    case undo::Kind::kRedo: {
      Store::Txn txn(store_.get());
      ReadModel rm(store_.get(), &txn);
      CRM_ASSIGN_OR_RETURN(auto header, rm.Segment(plan.target));
      if (!header) return Status::NotFound("segment " + plan.target.ToString() + " does not exist");
      CRM_RETURN_IF_ERROR(undo::CheckSegmentPosition(target, plan, header->active));
      if (plan.kind == undo::Kind::kGoBack) return Segment(inner, segment::GoBack{Ctx(r), plan.target});
      return Segment(inner, segment::Redo{Ctx(r), plan.target});
    }
  }
  return Status::Internal("unknown undo plan");
}

}  // namespace crm
