// Activities of the catalogue (aggregates/catalog_activities.h): steps parsed from the CLI's text,
// added once, refused when defined otherwise, and their due dates from an assignment date.
#include "aggregates/catalog_activities.h"

#include <doctest/doctest.h>

#include <string>

#include "aggregates/catalog.h"
#include "tests/aggregates/aggregate_test_util.h"

namespace crm::testing {
namespace {

catalog::ActivityStep Step(std::string text) { return catalog::ParseActivityStep(text).value(); }

TEST_CASE("activity steps: TYPE|FORMULA|DESCRIPTION[|PRIORITY]") {
  const catalog::ActivityStep call = Step("phone-call|+1w|Call the visitor");
  CHECK(call.type == fb::TaskType::PhoneCall);
  CHECK(call.priority == fb::TaskPriority::Normal);
  CHECK(call.date_formula == "1W");  // canonical
  CHECK(call.description == "Call the visitor");
  const catalog::ActivityStep visit = Step(" Meeting |cm+5d|Visit| HIGH ");
  CHECK(visit.type == fb::TaskType::Meeting);
  CHECK(visit.priority == fb::TaskPriority::High);
  CHECK(visit.date_formula == "CM+5D");
  CHECK(Step("task||Send the brochure").date_formula.empty());

  auto error = [](std::string text) { return catalog::ParseActivityStep(text).status().message(); };
  CHECK(error("call|1W|x") == "task type 'call' is not one of task, meeting, phone-call");
  CHECK(error("task|1X|x").starts_with("date formula '1X': expected a unit at position 2"));
  CHECK(error("task|1W|") == "step description is required");
  CHECK(error("task|1W|x|urgent") == "priority 'urgent' is not one of low, normal, high");
  CHECK(error("task|1W").starts_with("--step 'task|1W' must be TYPE|FORMULA|DESCRIPTION[|PRIORITY]"));
  CHECK(error("task|1W|x|low|more").starts_with("--step 'task|1W|x|low|more' must be"));
}

TEST_CASE("an activity: added once, never redefined, steps due by their formulas") {
  Given<catalog::State> given(catalog::Evolve);
  const reference::State ref = Reference();
  catalog::AddActivity add{"followup", "Trade show follow-up",
                           {Step("phone-call|+1W|Call the visitor"), Step("meeting|CM+5D|Visit|high")}};
  auto decide = [&](const catalog::State& s) { return catalog::Decide(ref, s, add); };
  CHECK(EmittedTwice(given, decide) == "ActivityAdded / nothing");
  given.Add(*decide(given.state()));
  const catalog::Activity& a = *catalog::FindActivity(given.state(), "FollowUp").value();
  CHECK(a.code == "FOLLOWUP");
  REQUIRE(a.steps.size() == 2);
  // SPEC §4.8 scenario: assigned on 2027-02-04, due 2027-02-11 and 2027-03-05.
  CHECK(FormatDate(catalog::StepDue(a.steps[0], Day("2027-02-04")).value()) == "2027-02-11");
  CHECK(FormatDate(catalog::StepDue(a.steps[1], Day("2027-02-04")).value()) == "2027-03-05");
  CHECK(catalog::StepDue(a.steps[0], Day("9999-12-30")).status().code() == StatusCode::kInvalidArgument);

  catalog::AddActivity other = add;
  other.steps.pop_back();
  CHECK(ErrorOf(catalog::Decide(ref, given.state(), other)) == StatusCode::kAlreadyExists);
  CHECK(catalog::FindActivity(given.state(), "NONE").status().message() ==
        "activity NONE does not exist (see activity list)");

  catalog::AddActivity empty{"EMPTY", "No steps", {}};
  CHECK(ErrorOf(catalog::Decide(ref, given.state(), empty)) == StatusCode::kFailedPrecondition);
  catalog::AddActivity undescribed{"X", "", {Step("task|1D|x")}};
  CHECK(ErrorOf(catalog::Decide(ref, given.state(), undescribed)) == StatusCode::kFailedPrecondition);
  catalog::AddActivity raw{"RAW", "Not canonical", {Step("task|1D|x")}};
  raw.steps[0].date_formula = "+1d";
  CHECK(ErrorOf(catalog::Decide(ref, given.state(), raw)) == StatusCode::kInvalidArgument);
  catalog::AddActivity many{"MANY", "Too many steps", std::vector<catalog::ActivityStep>(51, Step("task|1D|x"))};
  CHECK(ErrorOf(catalog::Decide(ref, given.state(), many)) == StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace crm::testing
