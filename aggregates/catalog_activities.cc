// Activities of the catalogue (SPEC §4.8): `activity add`, its rules (catalog_activities.h) and
// its fold. An activity, once added, is never redefined: tasks made from it name it.
#include "aggregates/catalog_activities.h"

#include <string>
#include <utility>
#include <vector>

#include "aggregates/catalog_internal.h"
#include "aggregates/date_formula.h"

namespace crm::catalog {
namespace {

constexpr size_t kMaxSteps = 50;
constexpr size_t kMaxText = 100;

}  // namespace

std::string_view TaskTypeName(fb::TaskType type) {
  switch (type) {
    case fb::TaskType::Task: return "task";
    case fb::TaskType::Meeting: return "meeting";
    case fb::TaskType::PhoneCall: return "phone-call";
  }
  return "task";
}

std::string_view TaskPriorityName(fb::TaskPriority priority) {
  switch (priority) {
    case fb::TaskPriority::Low: return "low";
    case fb::TaskPriority::Normal: return "normal";
    case fb::TaskPriority::High: return "high";
  }
  return "normal";
}

Result<fb::TaskType> ParseTaskType(std::string_view name) {
  const std::string n = Lower(Trim(name));
  for (fb::TaskType t : {fb::TaskType::Task, fb::TaskType::Meeting, fb::TaskType::PhoneCall}) {
    if (n == TaskTypeName(t)) return t;
  }
  return Status::InvalidArgument("task type '" + std::string(name) + "' is not one of task, meeting, phone-call");
}

Result<fb::TaskPriority> ParseTaskPriority(std::string_view name) {
  const std::string n = Lower(Trim(name));
  for (fb::TaskPriority p : {fb::TaskPriority::Low, fb::TaskPriority::Normal, fb::TaskPriority::High}) {
    if (n == TaskPriorityName(p)) return p;
  }
  return Status::InvalidArgument("priority '" + std::string(name) + "' is not one of low, normal, high");
}

Result<ActivityStep> ParseActivityStep(std::string_view text) {
  const std::vector<std::string_view> parts = SplitBars(text);
  if (parts.size() < 3 || parts.size() > 4) {
    return Status::InvalidArgument("--step '" + std::string(text) +
                                   "' must be TYPE|FORMULA|DESCRIPTION[|PRIORITY] (like 'phone-call|+1W|Call the "
                                   "visitor')");
  }
  ActivityStep s;
  CRM_ASSIGN_OR_RETURN(s.type, ParseTaskType(parts[0]));
  CRM_ASSIGN_OR_RETURN(DateFormula formula, DateFormula::Parse(Trim(parts[1])));
  s.date_formula = formula.Canonical();
  CRM_ASSIGN_OR_RETURN(s.description, CheckText(parts[2], "step description", kMaxText, true));
  if (parts.size() == 4) {
    CRM_ASSIGN_OR_RETURN(s.priority, ParseTaskPriority(parts[3]));
  }
  return s;
}

Result<Events> DecideAddActivity(const State& state, const AddActivity& c) {
  Activity a;
  CRM_ASSIGN_OR_RETURN(a.code, NormalizeCode(c.code, "activity code"));
  CRM_ASSIGN_OR_RETURN(a.description, CheckText(c.description, "description", kMaxText, true));
  if (c.steps.empty()) return Status::FailedPrecondition("an activity needs at least one --step");
  if (c.steps.size() > kMaxSteps) {
    return Status::FailedPrecondition("an activity has at most " + std::to_string(kMaxSteps) + " steps");
  }
  for (const ActivityStep& s : c.steps) {
    // Steps normally come from ParseActivityStep; a formula that is not canonical did not.
    auto formula = DateFormula::Parse(s.date_formula);
    if (!formula.ok() || formula->Canonical() != s.date_formula) {
      return Status::InvalidArgument("step '" + s.description + "': date formula '" + s.date_formula +
                                     "' is not in canonical form");
    }
    CRM_ASSIGN_OR_RETURN(std::string description, CheckText(s.description, "step description", kMaxText, true));
    a.steps.push_back({s.type, s.priority, s.date_formula, std::move(description)});
  }
  if (auto done = AddedOnce(state.activities, a, "activity", "tasks refer to it")) return *done;
  fb::ActivityAddedT e;
  e.code = a.code;
  e.description = a.description;
  for (const ActivityStep& s : a.steps) {
    auto t = std::make_unique<fb::ActivityStepT>();
    t->type = s.type;
    t->priority = s.priority;
    t->date_formula = s.date_formula;
    t->description = s.description;
    e.steps.push_back(std::move(t));
  }
  return Events{MakeEvent(CatalogStream(), std::move(e))};
}

State EvolveActivities(State state, const fb::ActivityAdded& e) {
  Activity a{Str(e.code()), Str(e.description()), {}};
  if (e.steps() != nullptr) {
    for (const auto* t : *e.steps()) {
      a.steps.push_back({t->type(), t->priority(), Str(t->date_formula()), Str(t->description())});
    }
  }
  state.activities[a.code] = std::move(a);
  return state;
}

Result<Events> DecideOne(const reference::State&, const State& s, const AddActivity& c) {
  return DecideAddActivity(s, c);
}

void Fold(State* s, const fb::ActivityAdded* e) { *s = EvolveActivities(std::move(*s), *e); }

Result<Date> StepDue(const ActivityStep& step, Date assigned) {
  CRM_ASSIGN_OR_RETURN(DateFormula formula, DateFormula::Parse(step.date_formula));
  return formula.Apply(assigned);
}

Result<const Activity*> FindActivity(const State& state, std::string_view code) {
  const std::string key = Upper(Trim(code));
  auto it = state.activities.find(key);
  if (it == state.activities.end()) return Status::NotFound("activity " + key + " does not exist (see activity list)");
  return &it->second;
}

}  // namespace crm::catalog
