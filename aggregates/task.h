// Task aggregate (stream "task/TD0001"), SPEC §4.8: a salesperson's to-do, made by hand or by
// assigning an activity (catalog_activities.h), one task per step, each due by its formula.
//
// Rules: a description (<= 100 chars); a type (task, meeting, phone-call) and a priority (low,
// normal, high); a due date; a salesperson of the catalogue, or a team, whose members each get a
// task of their own (BC's team to-dos; a team without members is refused); the contact, when
// given, an existing contact or lead not erased; the campaign and the opportunity, when given,
// existing. Status is one of not started, in progress, completed, waiting, postponed, canceled;
// a task is open unless completed or canceled, and a closed task changes only by reopening it
// (`set --status` to an open status). Changing nothing appends nothing (a retry).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aggregates/catalog.h"
#include "aggregates/common.h"

namespace crm::task {

inline constexpr char kNotStarted[] = "not started";
inline constexpr char kInProgress[] = "in progress";
inline constexpr char kCompleted[] = "completed";
inline constexpr char kWaiting[] = "waiting";
inline constexpr char kPostponed[] = "postponed";
inline constexpr char kCanceled[] = "canceled";

// The status as written (any case, "not-started" too), or InvalidArgument listing the six.
Result<std::string> ParseStatus(std::string_view text);
bool IsOpen(std::string_view status);

struct State {
  bool exists = false;
  RecordNo no;
  fb::TaskType type = fb::TaskType::Task;
  std::string description, status = kNotStarted;
  fb::TaskPriority priority = fb::TaskPriority::Normal;
  std::string due, salesperson, team, contact, campaign, opportunity, activity;
  int32_t step = 0;
  bool open() const { return IsOpen(status); }
};

// The events this aggregate owns and folds (events/owner.h: Owner::kTask).
using OwnEvents = EventList<fb::TaskCreated, fb::TaskChanged>;

State Evolve(State state, const fb::Envelope& env);

// The fields TaskCreated and TaskChanged both carry, from either into anything with members of
// those names: the aggregate's State here, the tasks read model's row (projections/task_rows.h).
template <typename Event, typename Target>
void CopyTaskFields(const Event& e, Target* t) {
  t->type = e.type();
  t->priority = e.priority();
  t->status = Str(e.status());
  t->description = Str(e.description());
  t->due = Str(e.due());
  t->salesperson = Str(e.salesperson());
  t->contact = Str(e.contact());
  t->campaign = Str(e.campaign());
  t->opportunity = Str(e.opportunity());
}

// What a task is about, shared by `task create` and `activity assign`.
struct Subject {
  std::string salesperson, team;  // one of them
  std::optional<RecordNo> contact, campaign, opportunity;
};

// Facts from the read models.
struct Context {
  const catalog::State* catalog = nullptr;
  bool contact_exists = false, contact_erased = false;
  bool campaign_exists = false, opportunity_exists = false;
};

// task create --description TEXT [--type T] [--priority P] [--due D] (--salesperson SP | --team T)
//             [--contact ID] [--campaign CP] [--opportunity OP]
struct Create {
  fb::TaskType type = fb::TaskType::Task;
  fb::TaskPriority priority = fb::TaskPriority::Normal;
  std::string description, due;  // due: YYYY-MM-DD
  Subject subject;
};
// The salespeople a subject's tasks go to: its salesperson, or each member of its team (in the
// team's order); the errors a bad subject gets. Decide functions call it; the handler calls it
// first to know how many numbers to allocate.
Result<std::vector<std::string>> Assignees(const Context& cx, const Subject& subject);
// One TaskCreated per assignee, numbered from `first` on.
Result<Events> DecideCreate(const Context& cx, const Create& c, uint64_t first);

// activity assign CODE --date D (--salesperson SP | --team T) [--campaign CP] [--contact ID]: a
// task per step and assignee, due by the step's formula from `date`, numbered from `first` on
// (steps first, then assignees).
struct Assign {
  std::string activity;
  std::string date;
  Subject subject;
};
Result<Events> DecideAssign(const Context& cx, const Assign& c, uint64_t first);

// task set TD [--description] [--type] [--priority] [--due] [--status] [--salesperson]; complete;
// cancel. Unset fields keep their values.
struct Change {
  RecordNo no;
  std::optional<std::string> description, due, status, salesperson;
  std::optional<fb::TaskType> type;
  std::optional<fb::TaskPriority> priority;
};
Result<Events> DecideChange(const State& state, const Context& cx, const Change& c);
// The TaskChanged that makes a task's fields those of `next` (DecideChange; undo restores a
// task's fields as they were with it).
NewEvent ChangedTo(const State& next);

}  // namespace crm::task
