// The handler's task commands (SPEC §4.8): task create, set, complete and cancel, and activity
// assign, which makes a task per step of an activity. Each loads the catalogue and what the task
// names, and the aggregate (aggregates/task.h) decides.
#include "app/handler.h"
#include "app/handler_internal.h"

namespace crm {

using namespace handler_internal;  // NOLINT: this file implements the handler

namespace {

using nlohmann::json;

// What the aggregate needs to know of the records a task names.
Result<task::Context> TaskContext(ReadModel& rm, const catalog::State* catalog, const task::Subject& s) {
  task::Context cx;
  cx.catalog = catalog;
  if (s.contact) {
    CRM_ASSIGN_OR_RETURN(std::optional<PartyState> party, rm.Party(*s.contact));
    cx.contact_exists = party.has_value();
    if (party) cx.contact_erased = std::visit([](const auto& p) { return p.erased; }, *party);
  }
  if (s.campaign) {
    CRM_ASSIGN_OR_RETURN(auto campaign, rm.Campaign(*s.campaign));
    cx.campaign_exists = campaign.has_value();
  }
  if (s.opportunity) {
    CRM_ASSIGN_OR_RETURN(auto op, rm.Opportunity(*s.opportunity));
    cx.opportunity_exists = op.has_value();
  }
  return cx;
}

// The aggregate's state of a task, from the tasks read model's row (nothing: not exists).
task::State StateOf(const std::optional<TaskRow>& row) {
  task::State s;
  if (!row) return s;
  s.exists = true;
  s.no = row->no;
  s.type = row->type;
  s.description = row->description;
  s.status = row->status;
  s.priority = row->priority;
  s.due = row->due;
  s.salesperson = row->salesperson;
  s.team = row->team;
  s.contact = row->contact;
  s.campaign = row->campaign;
  s.opportunity = row->opportunity;
  s.activity = row->activity;
  s.step = static_cast<int32_t>(row->step);
  return s;
}

}  // namespace

Result<json> Handler::CreateTask(const Request& r, task::Create c) {
  return Run(r, StreamId(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_RETURN_IF_ERROR(InitializedReference(rm).status());
    CRM_ASSIGN_OR_RETURN(catalog::State catalog, rm.Catalog());
    CRM_ASSIGN_OR_RETURN(task::Context cx, TaskContext(rm, &catalog, c.subject));
    if (Trim(c.due).empty()) c.due = FormatDate(DateOf(r.now));  // due today unless given
    CRM_ASSIGN_OR_RETURN(std::vector<std::string> assignees, task::Assignees(cx, c.subject));
    CRM_ASSIGN_OR_RETURN(uint64_t first, NextNumbers(RecordKind::kTask, assignees.size(), batch));
    CRM_ASSIGN_OR_RETURN(Events events, task::DecideCreate(cx, c, first));
    json answer{{"no", events.front().payload.AsTaskCreated()->no}, {"tasks", TaskNumbers(events)}, {"changed", true}};
    batch->events = std::move(events);
    return answer;
  });
}

Result<Events> Handler::ActivityTasks(ReadModel& rm, const catalog::State& catalog, const task::Assign& c,
                                      AppendBatch* batch) {
  CRM_ASSIGN_OR_RETURN(const catalog::Activity* activity, catalog::FindActivity(catalog, c.activity));
  CRM_ASSIGN_OR_RETURN(task::Context cx, TaskContext(rm, &catalog, c.subject));
  CRM_ASSIGN_OR_RETURN(std::vector<std::string> assignees, task::Assignees(cx, c.subject));
  CRM_ASSIGN_OR_RETURN(uint64_t first, NextNumbers(RecordKind::kTask, activity->steps.size() * assignees.size(), batch));
  return task::DecideAssign(cx, c, first);
}

Result<json> Handler::AssignActivity(const Request& r, const task::Assign& c) {
  return Run(r, StreamId(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_RETURN_IF_ERROR(InitializedReference(rm).status());
    CRM_ASSIGN_OR_RETURN(catalog::State catalog, rm.Catalog());
    CRM_ASSIGN_OR_RETURN(Events events, ActivityTasks(rm, catalog, c, batch));
    json answer{{"activity", catalog::FindActivity(catalog, c.activity).value()->code},
                {"tasks", TaskNumbers(events)},
                {"changed", true}};
    batch->events = std::move(events);
    return answer;
  });
}

nlohmann::json handler_internal::TaskNumbers(const Events& events) {
  nlohmann::json tasks = nlohmann::json::array();
  for (const auto& e : events) {
    if (const auto* t = e.payload.AsTaskCreated()) tasks.push_back(t->no);
  }
  return tasks;
}

Result<json> Handler::ChangeTask(const Request& r, const task::Change& c) {
  return Run(r, c.no.Stream(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_ASSIGN_OR_RETURN(catalog::State catalog, rm.Catalog());
    CRM_ASSIGN_OR_RETURN(std::optional<TaskRow> row, rm.Task(c.no));
    task::Context cx;
    cx.catalog = &catalog;
    CRM_ASSIGN_OR_RETURN(Events events, task::DecideChange(StateOf(row), cx, c));
    json answer{{"no", c.no.ToString()}, {"changed", !events.empty()}};
    answer["status"] = events.empty() ? row->status : std::string(events.front().payload.AsTaskChanged()->status);
    batch->events = std::move(events);
    return answer;
  });
}

}  // namespace crm
