// crmctl activity (SPEC §4.8): activities of the sales catalogue, the steps that become tasks.
// `activity show CODE --date D` answers when each step would be due if assigned on D.
#include "cmd/app.h"
#include "cmd/table.h"
#include "projections/rows.h"

namespace crm::cli {

void AddActivityCommands(App* app) {
  auto* group = app->cli().add_subcommand("activity", "activities: steps that become tasks, due by date formulas");
  group->require_subcommand(1);

  auto* add = group->add_subcommand("add", "define an activity and its steps, in order");
  auto c = std::make_shared<catalog::AddActivity>();
  auto steps = std::make_shared<std::vector<std::string>>();
  add->add_option("CODE", c->code)->required();
  add->add_option("--description", c->description, "what the activity is for")->required();
  add->add_option("--step", *steps,
                  "TYPE|FORMULA|DESCRIPTION[|PRIORITY], repeatable, in order; TYPE task, meeting or phone-call; "
                  "FORMULA like 1W, CM+5D, -1D (empty: the assignment date); PRIORITY low, normal or high")
      ->required();
  app->On(add, [app, c, steps]() -> Result<Output> {
    c->steps.clear();
    for (const auto& text : *steps) {
      CRM_ASSIGN_OR_RETURN(catalog::ActivityStep step, catalog::ParseActivityStep(text));
      c->steps.push_back(std::move(step));
    }
    return RunCatalog(app, *c, "added " + Upper(c->code));
  });

  app->On(group->add_subcommand("list", "list activities"), [app] {
    return WithCatalog(app, [](const catalog::State& st) -> Result<Output> {
      nlohmann::json out = nlohmann::json::array();
      Table t({"CODE", "DESCRIPTION", "STEPS"});
      for (const auto& [code, activity] : st.activities) {
        out.push_back(ToJson(activity));
        t.Add({code, activity.description, std::to_string(activity.steps.size())});
      }
      return ListOutput(std::move(out), t);
    });
  });

  auto* show = group->add_subcommand("show", "an activity's steps; with --date, when each would be due");
  auto code = std::make_shared<std::string>();
  auto date = std::make_shared<std::string>();
  show->add_option("CODE", *code)->required();
  show->add_option("--date", *date, "an assignment date (YYYY-MM-DD): adds each step's due date");
  app->On(show, [app, code, date] {
    return WithCatalog(app, [code, date](const catalog::State& st) -> Result<Output> {
      CRM_ASSIGN_OR_RETURN(const catalog::Activity* activity, catalog::FindActivity(st, *code));
      std::optional<Date> assigned;
      if (!date->empty()) {
        CRM_ASSIGN_OR_RETURN(assigned, ParseDate(*date));
      }
      nlohmann::json out = ToJson(*activity);
      std::vector<std::string> columns = {"STEP", "TYPE", "PRIORITY", "FORMULA", "DESCRIPTION"};
      if (assigned) {
        columns.push_back("DUE");
        out["assigned"] = FormatDate(*assigned);
      }
      Table t(columns);
      for (size_t i = 0; i < activity->steps.size(); ++i) {
        nlohmann::json& step = out["steps"][i];
        std::vector<std::string> row = {std::to_string(i + 1), step["type"], step["priority"], step["date_formula"],
                                        step["description"]};
        if (assigned) {
          CRM_ASSIGN_OR_RETURN(Date due, catalog::StepDue(activity->steps[i], *assigned));
          step["due"] = FormatDate(due);
          row.push_back(step["due"]);
        }
        t.Add(row);
      }
      return ListOutput(out, t);  // the activity as JSON, its steps as a table
    });
  });

  AddTaskCommands(app, group);
}

}  // namespace crm::cli
