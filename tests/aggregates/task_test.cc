// Tasks (aggregates/task.h): made by hand or from an activity's steps, for a salesperson or each
// member of a team, numbered in order; changed, completed, canceled and reopened.
#include "aggregates/task.h"

#include <doctest/doctest.h>

#include <string>

#include "tests/aggregates/aggregate_test_util.h"

namespace crm::testing {
namespace {

// A catalogue with salespeople AH and JD, team SALES of both, team EMPTY, and activity FOLLOWUP
// (phone call 1W, meeting CM+5D, high).
const catalog::State& Catalog() {
  static const catalog::State cat = [] {
    catalog::State s;
    s.salespeople["AH"] = {"AH", "Anna Hansen", ""};
    s.salespeople["JD"] = {"JD", "Jane Doe", ""};
    s.teams["SALES"] = {"SALES", "Sales", {"AH", "JD"}};
    s.teams["EMPTY"] = {"EMPTY", "Nobody", {}};
    s.activities["FOLLOWUP"] = {"FOLLOWUP",
                                "Trade show follow-up",
                                {catalog::ParseActivityStep("phone-call|+1W|Call the visitor").value(),
                                 catalog::ParseActivityStep("meeting|CM+5D|Visit|high").value()}};
    return s;
  }();
  return cat;
}

task::Context Cx() {
  task::Context cx;
  cx.catalog = &Catalog();
  cx.contact_exists = cx.campaign_exists = cx.opportunity_exists = true;
  return cx;
}

TEST_CASE("activity assign: a task per step, due by its formula (SPEC §4.8 scenario)") {
  task::Assign a{"followup", "2027-02-04", {"ah", "", std::nullopt, No("CP0001"), std::nullopt}};
  const Result<Events> made = task::DecideAssign(Cx(), a, 1);
  REQUIRE(Emitted(made) == "TaskCreated TaskCreated");
  const auto* call = (*made)[0].payload.AsTaskCreated();
  const auto* visit = (*made)[1].payload.AsTaskCreated();
  CHECK(call->no == "TD0001");
  CHECK(call->due == "2027-02-11");
  CHECK(call->type == fb::TaskType::PhoneCall);
  CHECK(call->salesperson == "AH");
  CHECK(call->campaign == "CP0001");
  CHECK(call->activity == "FOLLOWUP");
  CHECK(call->step == 1);
  CHECK(visit->no == "TD0002");
  CHECK(visit->due == "2027-03-05");
  CHECK(visit->priority == fb::TaskPriority::High);
  CHECK((*made)[1].stream.value() == "task/TD0002");
}

TEST_CASE("a team's tasks: one per member and step, steps first") {
  task::Assign a{"FOLLOWUP", "2027-02-04", {"", "sales", No("CT0001"), std::nullopt, std::nullopt}};
  const Result<Events> made = task::DecideAssign(Cx(), a, 7);
  REQUIRE(Emitted(made) == "TaskCreated TaskCreated TaskCreated TaskCreated");
  const char* expected[][3] = {{"TD0007", "AH", "2027-02-11"},
                               {"TD0008", "JD", "2027-02-11"},
                               {"TD0009", "AH", "2027-03-05"},
                               {"TD0010", "JD", "2027-03-05"}};
  for (size_t i = 0; i < 4; ++i) {
    const auto* t = (*made)[i].payload.AsTaskCreated();
    CHECK(t->no == expected[i][0]);
    CHECK(t->salesperson == expected[i][1]);
    CHECK(t->due == expected[i][2]);
    CHECK(t->team == "SALES");
    CHECK(t->contact == "CT0001");
  }
  a.subject.team = "EMPTY";
  CHECK(task::DecideAssign(Cx(), a, 1).status().message() == "team EMPTY has no members");
}

TEST_CASE("task create: who it goes to, what it names") {
  task::Create c{fb::TaskType::Task, fb::TaskPriority::Normal, "Send the brochure", "2027-02-10",
                 {"JD", "", std::nullopt, std::nullopt, std::nullopt}};
  REQUIRE(Emitted(task::DecideCreate(Cx(), c, 3)) == "TaskCreated");
  auto error = [&](task::Create bad, task::Context cx = Cx()) { return task::DecideCreate(cx, bad, 1).status().message(); };
  task::Create neither = c;
  neither.subject.salesperson = "";
  CHECK(error(neither) == "a task goes to a salesperson (--salesperson SP) or to a team (--team T)");
  task::Create both = c;
  both.subject.team = "SALES";
  CHECK(error(both) == "a task goes to a salesperson (--salesperson SP) or to a team (--team T), not both");
  task::Create unknown = c;
  unknown.subject.salesperson = "XX";
  CHECK(error(unknown) == "salesperson XX is not defined");
  task::Create undated = c;
  undated.due = "2027-02-30";
  CHECK(error(undated) == "due date '2027-02-30' is not a date (YYYY-MM-DD)");
  task::Create undescribed = c;
  undescribed.description = " ";
  CHECK(error(undescribed) == "task description is required");
  task::Create about = c;
  about.subject.contact = No("CT0009");
  task::Context missing = Cx();
  missing.contact_exists = false;
  CHECK(error(about, missing) == "CT0009 does not exist");
  task::Context erased = Cx();
  erased.contact_erased = true;
  CHECK(error(about, erased) == "CT0009 was erased");
  CHECK(task::DecideAssign(Cx(), {"NONE", "2027-02-04", c.subject}, 1).status().code() == StatusCode::kNotFound);
}

TEST_CASE("task changes: the same twice writes once; a closed task changes only by reopening") {
  task::Create c{fb::TaskType::Task, fb::TaskPriority::Normal, "Send the brochure", "2027-02-10",
                 {"JD", "", std::nullopt, std::nullopt, std::nullopt}};
  Given<task::State> given(task::Evolve);
  given.Add(*task::DecideCreate(Cx(), c, 1));
  CHECK(given.state().status == task::kNotStarted);
  CHECK(given.state().open());

  auto change = [&](task::Change ch) { return [ch](const task::State& s) { return task::DecideChange(s, Cx(), ch); }; };
  task::Change progress{No("TD0001"), std::nullopt, std::nullopt, std::string("In-Progress"), std::nullopt};
  CHECK(EmittedTwice(given, change(progress)) == "TaskChanged / nothing");
  task::Change complete{No("TD0001"), std::nullopt, std::nullopt, std::string(task::kCompleted), std::nullopt};
  given.Add(*change(complete)(given.state()));
  CHECK(given.state().status == task::kCompleted);
  CHECK_FALSE(given.state().open());
  CHECK(Emitted(change(complete)(given.state())) == "nothing");  // completing again: a retry

  task::Change cancel{No("TD0001"), std::nullopt, std::nullopt, std::string(task::kCanceled), std::nullopt};
  CHECK(change(cancel)(given.state()).status().message() ==
        "task TD0001 is completed: reopen it first (task set TD0001 --status 'in progress')");
  task::Change redate{No("TD0001"), std::nullopt, std::string("2027-03-01"), std::nullopt, std::nullopt};
  CHECK(ErrorOf(change(redate)(given.state())) == StatusCode::kFailedPrecondition);
  given.Add(*change(progress)(given.state()));  // reopened
  CHECK(given.state().open());
  given.Add(*change(redate)(given.state()));
  CHECK(given.state().due == "2027-03-01");

  task::Change hand_over{No("TD0001"), std::nullopt, std::nullopt, std::nullopt, std::string("ah")};
  given.Add(*change(hand_over)(given.state()));
  CHECK(given.state().salesperson == "AH");
  task::Change nobody{No("TD0001"), std::nullopt, std::nullopt, std::nullopt, std::string("XX")};
  CHECK(ErrorOf(change(nobody)(given.state())) == StatusCode::kNotFound);
  task::Change bad{No("TD0001"), std::nullopt, std::nullopt, std::string("done"), std::nullopt};
  CHECK(ErrorOf(change(bad)(given.state())) == StatusCode::kInvalidArgument);
  CHECK(ErrorOf(task::DecideChange(task::State{}, Cx(), {No("TD0009")})) == StatusCode::kNotFound);
}

}  // namespace
}  // namespace crm::testing
