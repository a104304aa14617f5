// Activities of the sales catalogue (SPEC §4.8), part of the catalog aggregate (catalog.h): named
// lists of steps that become tasks when the activity is assigned, each step due by its date
// formula (date_formula.h) from the assignment date. Command AddActivity (`activity add`); its
// decision and fold are in catalog_activities.cc, reached through catalog.h's Decide and Evolve.
//
// Rules: the code is normalised (upper case, <= 20 chars); an activity is described (<= 100
// characters) and has 1..50 steps; a step has a type (task, meeting, phone-call), a priority
// (low, normal, high; normal unless given), a date formula (stored in its canonical text; empty:
// due on the assignment date) and a description (<= 100 characters). An activity is never
// redefined (tasks made from it name it): adding it again the same is a no-op, otherwise refused.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "aggregates/common.h"

namespace crm::catalog {

struct State;  // catalog.h

struct ActivityStep {
  fb::TaskType type = fb::TaskType::Task;
  fb::TaskPriority priority = fb::TaskPriority::Normal;
  std::string date_formula;  // canonical
  std::string description;
  bool operator==(const ActivityStep&) const = default;
};
struct Activity {
  std::string code, description;
  std::vector<ActivityStep> steps;
  bool operator==(const Activity&) const = default;
};

// activity add CODE --description TEXT --step "TYPE|FORMULA|DESCRIPTION[|PRIORITY]"...
struct AddActivity {
  std::string code, description;
  std::vector<ActivityStep> steps;
};
Result<Events> DecideAddActivity(const State& state, const AddActivity& c);
State EvolveActivities(State state, const fb::ActivityAdded& e);

// A step as the CLI takes it: "TYPE|FORMULA|DESCRIPTION[|PRIORITY]", like "phone-call|+1W|Call
// the visitor" or "meeting|CM+5D|Visit|high". The formula is checked and made canonical here.
Result<ActivityStep> ParseActivityStep(std::string_view text);
// The names the CLI and the JSON rows use: task, meeting, phone-call; low, normal, high.
std::string_view TaskTypeName(fb::TaskType type);
std::string_view TaskPriorityName(fb::TaskPriority priority);
Result<fb::TaskType> ParseTaskType(std::string_view name);
Result<fb::TaskPriority> ParseTaskPriority(std::string_view name);
// When a step of an activity assigned on `assigned` is due: its date formula applied to that date
// (InvalidArgument when the result leaves the calendar, date_formula.h).
Result<Date> StepDue(const ActivityStep& step, Date assigned);
// The activity by code (any case); NotFound when none.
Result<const Activity*> FindActivity(const State& state, std::string_view code);

}  // namespace crm::catalog
