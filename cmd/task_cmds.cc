// crmctl task (SPEC §4.8): salespeople's to-dos, made by hand or by `activity assign`; and
// `activity assign` itself. A task's changes are its stream: `history TDxxxx` lists them.
#include "cmd/app.h"
#include "cmd/table.h"

namespace crm::cli {
namespace {

using nlohmann::json;

// The record options every task command may name, parsed.
struct SubjectOpts {
  std::string salesperson, team, contact, campaign, opportunity;
  void Add(CLI::App* cmd, bool with_opportunity) {
    auto* sp = cmd->add_option("--salesperson", salesperson, "the salesperson the task goes to");
    auto* tm = cmd->add_option("--team", team, "or a team: each member gets a task");
    sp->excludes(tm);
    cmd->add_option("--contact", contact, "the contact or lead it is about (CTxxxx, LDxxxx)");
    cmd->add_option("--campaign", campaign, "the campaign it belongs to (CPxxxx)");
    if (with_opportunity) cmd->add_option("--opportunity", opportunity, "the opportunity (OPxxxx)");
  }
  Result<task::Subject> Parse() const {
    task::Subject s{salesperson, team, std::nullopt, std::nullopt, std::nullopt};
    if (!contact.empty()) {
      CRM_ASSIGN_OR_RETURN(s.contact, ParseMemberId(contact));
    }
    if (!campaign.empty()) {
      CRM_ASSIGN_OR_RETURN(s.campaign, ParseNo(campaign, RecordKind::kCampaign));
    }
    if (!opportunity.empty()) {
      CRM_ASSIGN_OR_RETURN(s.opportunity, ParseNo(opportunity, RecordKind::kOpportunity));
    }
    return s;
  }
};

std::string MadeText(const json& a) {
  std::string out;
  for (const auto& no : a["tasks"]) out += (out.empty() ? "" : " ") + no.get<std::string>();
  return out;
}

void AddAssignCommand(App* app, CLI::App* activity) {
  struct Opts {
    task::Assign c;
    SubjectOpts subject;
  };
  auto o = std::make_shared<Opts>();
  auto* assign = activity->add_subcommand("assign", "make a task per step (and per team member), due by its formula");
  assign->add_option("CODE", o->c.activity)->required();
  assign->add_option("--date", o->c.date, "the date the formulas start from (YYYY-MM-DD)")->required();
  o->subject.Add(assign, false);
  app->On(assign, [app, o]() -> Result<Output> {
    CRM_ASSIGN_OR_RETURN(o->c.subject, o->subject.Parse());
    return app->Write([&](Handler& h, const Request& rq) { return h.AssignActivity(rq, o->c); }, MadeText);
  });
}

void AddTaskCommandGroup(App* app) {
  auto* group = app->cli().add_subcommand("task", "tasks: to-dos of salespeople, by hand or from activities");
  group->require_subcommand(1);

  struct CreateOpts {
    task::Create c;
    SubjectOpts subject;
    std::string type = "task", priority = "normal";
  };
  auto o = std::make_shared<CreateOpts>();
  auto* create = group->add_subcommand("create", "create a task (one per member for a team) and print its number");
  create->add_option("--description", o->c.description, "what is to be done")->required();
  create->add_option("--type", o->type, "task, meeting or phone-call (default task)");
  create->add_option("--priority", o->priority, "low, normal or high (default normal)");
  create->add_option("--due", o->c.due, "due date (YYYY-MM-DD; default today)");
  o->subject.Add(create, true);
  app->On(create, [app, o]() -> Result<Output> {
    CRM_ASSIGN_OR_RETURN(o->c.type, catalog::ParseTaskType(o->type));
    CRM_ASSIGN_OR_RETURN(o->c.priority, catalog::ParseTaskPriority(o->priority));
    CRM_ASSIGN_OR_RETURN(o->c.subject, o->subject.Parse());
    return app->Write([&](Handler& h, const Request& rq) { return h.CreateTask(rq, o->c); }, MadeText);
  });

  struct SetOpts {
    std::string no;
    std::optional<std::string> description, due, status, salesperson, type, priority;
  };
  auto changed = [](const json& a) {
    return a["no"].get<std::string>() + (a["changed"].get<bool>() ? " " : " unchanged, ") + a["status"].get<std::string>();
  };
  auto* set = group->add_subcommand("set", "change a task's description, type, priority, due date, status or salesperson");
  auto so = std::make_shared<SetOpts>();
  set->add_option("TASK", so->no)->required();
  OptionalOption(set, "--description", &so->description, "what is to be done");
  OptionalOption(set, "--type", &so->type, "task, meeting or phone-call");
  OptionalOption(set, "--priority", &so->priority, "low, normal or high");
  OptionalOption(set, "--due", &so->due, "due date (YYYY-MM-DD)");
  OptionalOption(set, "--status", &so->status,
                 "not started, in progress, completed, waiting, postponed or canceled (an open status reopens)");
  OptionalOption(set, "--salesperson", &so->salesperson, "hand it to another salesperson");
  app->On(set, [app, so, changed]() -> Result<Output> {
    task::Change c;
    CRM_ASSIGN_OR_RETURN(c.no, ParseNo(so->no, RecordKind::kTask));
    c.description = so->description;
    c.due = so->due;
    c.status = so->status;
    c.salesperson = so->salesperson;
    if (so->type) {
      CRM_ASSIGN_OR_RETURN(c.type, catalog::ParseTaskType(*so->type));
    }
    if (so->priority) {
      CRM_ASSIGN_OR_RETURN(c.priority, catalog::ParseTaskPriority(*so->priority));
    }
    return app->Write([&](Handler& h, const Request& rq) { return h.ChangeTask(rq, c); }, changed);
  });

  for (const char* status : {task::kCompleted, task::kCanceled}) {
    const std::string name = std::string_view(status) == task::kCompleted ? "complete" : "cancel";
    auto* cmd = group->add_subcommand(name, name == "complete" ? "mark a task completed" : "cancel a task");
    auto no = std::make_shared<std::string>();
    cmd->add_option("TASK", *no)->required();
    app->On(cmd, [app, no, status, changed]() -> Result<Output> {
      task::Change c;
      CRM_ASSIGN_OR_RETURN(c.no, ParseNo(*no, RecordKind::kTask));
      c.status = status;
      return app->Write([&](Handler& h, const Request& rq) { return h.ChangeTask(rq, c); }, changed);
    });
  }

  auto* show = group->add_subcommand("show", "one task (its changes: history TDxxxx)");
  auto show_no = std::make_shared<std::string>();
  show->add_option("TASK", *show_no)->required();
  app->On(show, [app, show_no]() -> Result<Output> {
    CRM_ASSIGN_OR_RETURN(RecordNo no, ParseNo(*show_no, RecordKind::kTask));
    CRM_ASSIGN_OR_RETURN(Reader r, app->OpenReader());
    CRM_ASSIGN_OR_RETURN(auto t, r.rm->Task(no));
    if (!t) return Status::NotFound("task " + no.ToString() + " does not exist");
    return ObjectOutput(TaskJson(*t));
  });

  struct ListOpts {
    std::string salesperson, team, campaign, contact, status, due_before;
    bool open = false;
  };
  auto lo = std::make_shared<ListOpts>();
  auto* list = group->add_subcommand("list", "list tasks, by due date");
  list->add_option("--salesperson", lo->salesperson, "only this salesperson's");
  list->add_option("--team", lo->team, "only those assigned through this team");
  list->add_option("--campaign", lo->campaign, "only this campaign's");
  list->add_option("--contact", lo->contact, "only those about this contact or lead");
  list->add_option("--status", lo->status, "only those with this status");
  list->add_flag("--open", lo->open, "only open ones (not completed or canceled)");
  list->add_option("--due-before", lo->due_before, "only those due before this date (YYYY-MM-DD)");
  app->On(list, [app, lo]() -> Result<Output> {
    RecordNo cp;
    if (!lo->campaign.empty()) {
      CRM_ASSIGN_OR_RETURN(cp, ParseNo(lo->campaign, RecordKind::kCampaign));
    }
    std::string contact, status, before;
    if (!lo->contact.empty()) {
      CRM_ASSIGN_OR_RETURN(RecordNo no, ParseMemberId(lo->contact));
      contact = no.ToString();
    }
    if (!lo->status.empty()) {
      CRM_ASSIGN_OR_RETURN(status, task::ParseStatus(lo->status));
    }
    if (!lo->due_before.empty()) {
      CRM_ASSIGN_OR_RETURN(Date d, ParseDate(lo->due_before));
      before = FormatDate(d);
    }
    const std::string salesperson = Upper(Trim(lo->salesperson)), team = Upper(Trim(lo->team));
    CRM_ASSIGN_OR_RETURN(Reader r, app->OpenReader());
    std::vector<TaskRow> rows;
    CRM_RETURN_IF_ERROR(r.rm->ForEachTask(cp, [&](const TaskRow& t) {
      const bool keep = (salesperson.empty() || t.salesperson == salesperson) && (team.empty() || t.team == team) &&
                        (contact.empty() || t.contact == contact) && (status.empty() || t.status == status) &&
                        (!lo->open || task::IsOpen(t.status)) && (before.empty() || t.due < before);
      if (keep) rows.push_back(t);
      return true;
    }));
    std::stable_sort(rows.begin(), rows.end(), [](const TaskRow& a, const TaskRow& b) { return a.due < b.due; });
    json out = json::array();
    Table table({"NO", "DUE", "TYPE", "PRIORITY", "STATUS", "SALESPERSON", "CONTACT", "CAMPAIGN", "DESCRIPTION"});
    for (const TaskRow& t : rows) {
      out.push_back(TaskJson(t));
      table.Add({t.no.ToString(), t.due, std::string(catalog::TaskTypeName(t.type)),
                 std::string(catalog::TaskPriorityName(t.priority)), t.status, t.salesperson, t.contact, t.campaign,
                 t.description});
    }
    return ListOutput(std::move(out), table);
  });
}

}  // namespace

nlohmann::json TaskJson(const TaskRow& t) {
  return {{"no", t.no.ToString()},
          {"type", catalog::TaskTypeName(t.type)},
          {"description", t.description},
          {"status", t.status},
          {"open", task::IsOpen(t.status)},
          {"priority", catalog::TaskPriorityName(t.priority)},
          {"due", t.due},
          {"salesperson", t.salesperson},
          {"team", t.team},
          {"contact", t.contact},
          {"campaign", t.campaign},
          {"opportunity", t.opportunity},
          {"activity", t.activity},
          {"step", t.step},
          {"created_at", FormatTimestamp(t.created_at)},
          {"modified_at", FormatTimestamp(t.modified_at)}};
}

void AddTaskCommands(App* app, CLI::App* activity) {
  AddAssignCommand(app, activity);
  AddTaskCommandGroup(app);
}

}  // namespace crm::cli
