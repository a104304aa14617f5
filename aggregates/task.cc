#include "aggregates/task.h"

#include <algorithm>
#include <utility>

namespace crm::task {
namespace {

constexpr size_t kMaxText = 100;
constexpr const char* kStatuses[] = {kNotStarted, kInProgress, kCompleted, kWaiting, kPostponed, kCanceled};

Result<std::string> CheckDue(std::string_view text) {
  auto d = ParseDate(Trim(text));
  if (!d.ok()) return Status::InvalidArgument("due date '" + std::string(text) + "' is not a date (YYYY-MM-DD)");
  return FormatDate(*d);
}

Status CheckSubject(const Context& cx, const Subject& s) {
  if (s.contact) {
    if (!cx.contact_exists) return Status::NotFound(s.contact->ToString() + " does not exist");
    if (cx.contact_erased) return Status::FailedPrecondition(s.contact->ToString() + " was erased");
  }
  if (s.campaign && !cx.campaign_exists) return Status::NotFound("campaign " + s.campaign->ToString() + " does not exist");
  if (s.opportunity && !cx.opportunity_exists) {
    return Status::NotFound("opportunity " + s.opportunity->ToString() + " does not exist");
  }
  return Status::Ok();
}

std::string NoText(const std::optional<RecordNo>& no) { return no ? no->ToString() : ""; }

// The TaskCreated of one task; `first` is advanced.
NewEvent Created(uint64_t* first, fb::TaskType type, fb::TaskPriority priority, const std::string& description,
                 const std::string& due, const std::string& salesperson, const Subject& s,
                 const std::string& activity, int32_t step) {
  const RecordNo no(RecordKind::kTask, (*first)++);
  fb::TaskCreatedT e;
  e.no = no.ToString();
  e.type = type;
  e.description = description;
  e.status = kNotStarted;
  e.priority = priority;
  e.due = due;
  e.salesperson = salesperson;
  e.team = s.team.empty() ? "" : Upper(Trim(s.team));
  e.contact = NoText(s.contact);
  e.campaign = NoText(s.campaign);
  e.opportunity = NoText(s.opportunity);
  e.activity = activity;
  e.step = step;
  return MakeEvent(no.Stream(), std::move(e));
}

}  // namespace

Result<std::string> ParseStatus(std::string_view text) {
  std::string s = Lower(Trim(text));
  std::replace_if(s.begin(), s.end(), [](char c) { return c == '-' || c == '_'; }, ' ');
  for (const char* status : kStatuses) {
    if (s == status) return std::string(status);
  }
  return Status::InvalidArgument("task status '" + std::string(text) +
                                 "' is not one of not started, in progress, completed, waiting, postponed, canceled");
}

bool IsOpen(std::string_view status) { return status != kCompleted && status != kCanceled; }

State Evolve(State s, const fb::Envelope& env) {
  Visit(OwnEvents{}, env,
        Overloaded{[&](const fb::TaskCreated* e) {
                     s.exists = true;
                     s.no = NoOf(e->no());
                     s.team = Str(e->team());
                     s.activity = Str(e->activity());
                     s.step = e->step();
                     CopyTaskFields(*e, &s);
                   },
                   [&](const fb::TaskChanged* e) { CopyTaskFields(*e, &s); }});
  return s;
}

Result<std::vector<std::string>> Assignees(const Context& cx, const Subject& subject) {
  const std::string salesperson = Upper(Trim(subject.salesperson)), team = Upper(Trim(subject.team));
  if (salesperson.empty() == team.empty()) {
    return Status::FailedPrecondition("a task goes to a salesperson (--salesperson SP) or to a team (--team T)" +
                                      std::string(salesperson.empty() ? "" : ", not both"));
  }
  if (!salesperson.empty()) {
    if (!cx.catalog->salespeople.contains(salesperson)) {
      return Status::NotFound("salesperson " + salesperson + " is not defined");
    }
    return std::vector<std::string>{salesperson};
  }
  auto it = cx.catalog->teams.find(team);
  if (it == cx.catalog->teams.end()) return Status::NotFound("team " + team + " is not defined");
  if (it->second.members.empty()) return Status::FailedPrecondition("team " + team + " has no members");
  return it->second.members;
}

Result<Events> DecideCreate(const Context& cx, const Create& c, uint64_t first) {
  CRM_ASSIGN_OR_RETURN(std::string description, CheckText(c.description, "task description", kMaxText, true));
  CRM_ASSIGN_OR_RETURN(std::string due, CheckDue(c.due));
  CRM_ASSIGN_OR_RETURN(std::vector<std::string> assignees, Assignees(cx, c.subject));
  CRM_RETURN_IF_ERROR(CheckSubject(cx, c.subject));
  Events events;
  for (const std::string& salesperson : assignees) {
    events.push_back(Created(&first, c.type, c.priority, description, due, salesperson, c.subject, "", 0));
  }
  return events;
}

Result<Events> DecideAssign(const Context& cx, const Assign& c, uint64_t first) {
  CRM_ASSIGN_OR_RETURN(const catalog::Activity* activity, catalog::FindActivity(*cx.catalog, c.activity));
  auto date = ParseDate(Trim(c.date));
  if (!date.ok()) return Status::InvalidArgument("--date '" + c.date + "' is not a date (YYYY-MM-DD)");
  CRM_ASSIGN_OR_RETURN(std::vector<std::string> assignees, Assignees(cx, c.subject));
  CRM_RETURN_IF_ERROR(CheckSubject(cx, c.subject));
  Events events;
  for (size_t i = 0; i < activity->steps.size(); ++i) {
    const catalog::ActivityStep& step = activity->steps[i];
    CRM_ASSIGN_OR_RETURN(Date due, catalog::StepDue(step, *date));
    for (const std::string& salesperson : assignees) {
      events.push_back(Created(&first, step.type, step.priority, step.description, FormatDate(due), salesperson,
                               c.subject, activity->code, static_cast<int32_t>(i + 1)));
    }
  }
  return events;
}

Result<Events> DecideChange(const State& state, const Context& cx, const Change& c) {
  if (!state.exists) return Status::NotFound("task " + c.no.ToString() + " does not exist");
  State next = state;
  if (c.description) {
    CRM_ASSIGN_OR_RETURN(next.description, CheckText(*c.description, "task description", kMaxText, true));
  }
  if (c.due) {
    CRM_ASSIGN_OR_RETURN(next.due, CheckDue(*c.due));
  }
  if (c.status) {
    CRM_ASSIGN_OR_RETURN(next.status, ParseStatus(*c.status));
  }
  if (c.salesperson) {
    next.salesperson = Upper(Trim(*c.salesperson));
    if (!cx.catalog->salespeople.contains(next.salesperson)) {
      return Status::NotFound("salesperson " + next.salesperson + " is not defined");
    }
  }
  if (c.type) next.type = *c.type;
  if (c.priority) next.priority = *c.priority;
  const bool same = next.description == state.description && next.due == state.due && next.status == state.status &&
                    next.salesperson == state.salesperson && next.type == state.type &&
                    next.priority == state.priority;
  if (same) return Events{};
  if (!state.open() && !next.open()) {
    return Status::FailedPrecondition("task " + c.no.ToString() + " is " + state.status +
                                      ": reopen it first (task set " + c.no.ToString() + " --status 'in progress')");
  }
  return Events{ChangedTo(next)};
}

NewEvent ChangedTo(const State& next) {
  fb::TaskChangedT e;
  e.no = next.no.ToString();
  e.type = next.type;
  e.description = next.description;
  e.status = next.status;
  e.priority = next.priority;
  e.due = next.due;
  e.salesperson = next.salesperson;
  e.contact = next.contact;
  e.campaign = next.campaign;
  e.opportunity = next.opportunity;
  return MakeEvent(next.no.Stream(), std::move(e));
}

}  // namespace crm::task
