// crmctl sales-cycle, opportunity (SPEC §4.8) and lead convert (SPEC §4.2): the end of the lead
// lifecycle. An opportunity's stage history is its stream: `history OP0001` lists every entry.
#include "cmd/app.h"
#include "cmd/list_page.h"
#include "cmd/table.h"
#include "projections/rows.h"

namespace crm::cli {
namespace {

using nlohmann::json;

// An optional record option: nullopt when not given.
Result<std::optional<RecordNo>> OptNo(const std::string& text, RecordKind kind) {
  if (text.empty()) return std::optional<RecordNo>();
  CRM_ASSIGN_OR_RETURN(RecordNo no, ParseNo(text, kind));
  return std::optional<RecordNo>(no);
}

void AddSalesCycleCommands(App* app) {
  auto* group = app->cli().add_subcommand("sales-cycle", "sales cycles: the stages opportunities go through");
  group->require_subcommand(1);

  auto* add = group->add_subcommand("add", "define a sales cycle and its stages, in order");
  auto c = std::make_shared<catalog::AddSalesCycle>();
  auto stages = std::make_shared<std::vector<std::string>>();
  add->add_option("CODE", c->code)->required();
  add->add_option("--description", c->description, "what the cycle is for")->required();
  add->add_option("--stage", *stages,
                  "DESCRIPTION|COMPLETED|CHANCE[|skip][|quote][|activity=CODE], repeatable, in order "
                  "(skip: a jump may pass it; quote: entering it needs --quote; activity: entering it makes the "
                  "activity's tasks)")
      ->required();
  app->On(add, [app, c, stages]() -> Result<Output> {
    c->stages.clear();
    for (const auto& text : *stages) {
      CRM_ASSIGN_OR_RETURN(catalog::Stage stage, catalog::ParseStage(text));
      c->stages.push_back(stage);
    }
    return RunCatalog(app, *c, "added " + Upper(c->code));
  });

  app->On(group->add_subcommand("list", "list sales cycles"), [app] {
    return WithCatalog(app, [](const catalog::State& st) -> Result<Output> {
      json out = json::array();
      Table t({"CODE", "DESCRIPTION", "STAGES"});
      for (const auto& [code, cycle] : st.sales_cycles) {
        out.push_back(ToJson(cycle));
        t.Add({code, cycle.description, std::to_string(cycle.stages.size())});
      }
      return ListOutput(std::move(out), t);
    });
  });

  auto* show = group->add_subcommand("show", "a sales cycle's stages");
  auto code = std::make_shared<std::string>();
  show->add_option("CODE", *code)->required();
  app->On(show, [app, code] {
    return WithCatalog(app, [code](const catalog::State& st) -> Result<Output> {
      CRM_ASSIGN_OR_RETURN(const catalog::SalesCycle* cycle, catalog::FindSalesCycle(st, *code));
      const json out = ToJson(*cycle);
      Table t({"STAGE", "DESCRIPTION", "COMPLETED %", "CHANCE %", "SKIP", "QUOTE", "ACTIVITY"});
      for (const auto& s : out["stages"]) {
        t.Add({s["stage"].dump(), s["description"], s["completed"].dump(), s["chance"].dump(),
               s["allow_skip"].get<bool>() ? "yes" : "no", s["quote_required"].get<bool>() ? "yes" : "no",
               s["activity"]});
      }
      return ListOutput(out, t);  // the cycle as JSON, its stages as a table
    });
  });
}

std::string MovedText(const json& a) {
  if (!a.value("changed", false)) return "no change";
  if (a.contains("status")) return a["no"].get<std::string>() + " " + a["status"].get<std::string>() + " (" +
                                   a.value("amount_won", "0") + ")";
  return a["no"].get<std::string>() + " at stage " + a["stage"].dump();
}

void AddOpportunityCommandGroup(App* app) {
  auto* group = app->cli().add_subcommand("opportunity", "opportunities: sales taken through a sales cycle");
  group->require_subcommand(1);

  struct CreateOpts {
    opportunity::Create c;
    std::string contact, campaign;
    std::optional<std::string> value;
  };
  auto* create = group->add_subcommand("create", "create an opportunity and print its number");
  auto o = std::make_shared<CreateOpts>();
  create->add_option("--description", o->c.description, "what is being sold")->required();
  create->add_option("--contact", o->contact, "the contact (CTxxxx) the sale is with")->required();
  create->add_option("--sales-cycle", o->c.sales_cycle, "sales cycle code")->required();
  create->add_option("--campaign", o->campaign, "the campaign it came from (CPxxxx)");
  create->add_option("--salesperson", o->c.salesperson, "salesperson code");
  OptionalOption(create, "--value", &o->value, "estimated value");
  create->add_option("--close-date", o->c.close_date, "estimated close date (YYYY-MM-DD)");
  app->On(create, [app, o]() -> Result<Output> {
    CRM_ASSIGN_OR_RETURN(auto value, OptMoney(o->value, "--value"));
    o->c.estimated_value = value.value_or(Money(0));
    CRM_ASSIGN_OR_RETURN(o->c.contact, ParseNo(o->contact, RecordKind::kContact));
    CRM_ASSIGN_OR_RETURN(o->c.campaign, OptNo(o->campaign, RecordKind::kCampaign));
    return app->Write([&](Handler& h, const Request& rq) { return h.CreateOpportunity(rq, o->c); },
                      [](const json& a) { return a["no"].get<std::string>(); });
  });

  // next / previous / jump: one stage move each.
  struct MoveOpts {
    std::string no, quote;
    int32_t to = 0;
  };
  for (const auto move : {fb::StageMove::Next, fb::StageMove::Previous, fb::StageMove::Jump}) {
    const char* help = move == fb::StageMove::Next       ? "enter the next stage"
                       : move == fb::StageMove::Previous ? "go back to the stage before"
                                                         : "go to another stage (forwards only over skippable ones)";
    auto* cmd = group->add_subcommand(std::string(opportunity::MoveName(move)), help);
    auto m = std::make_shared<MoveOpts>();
    cmd->add_option("OPPORTUNITY", m->no)->required();
    if (move == fb::StageMove::Jump) cmd->add_option("STAGE", m->to, "the stage number")->required();
    if (move != fb::StageMove::Previous) {
      cmd->add_option("--quote", m->quote, "quote reference (stages that require one)");
    }
    app->On(cmd, [app, m, move]() -> Result<Output> {
      CRM_ASSIGN_OR_RETURN(RecordNo no, ParseNo(m->no, RecordKind::kOpportunity));
      return app->Write(
          [&](Handler& h, const Request& rq) { return h.MoveOpportunity(rq, {no, move, m->to, m->quote}); }, MovedText);
    });
  }

  struct CloseOpts {
    std::string no, reason;
    bool won = false, lost = false;
    std::optional<std::string> amount;
  };
  auto* close = group->add_subcommand("close", "close as won or lost");
  auto cl = std::make_shared<CloseOpts>();
  close->add_option("OPPORTUNITY", cl->no)->required();
  auto* won = close->add_flag("--won", cl->won, "the sale was made");
  auto* lost = close->add_flag("--lost", cl->lost, "the sale was lost");
  won->excludes(lost);
  close->add_option("--reason", cl->reason, "close reason");
  OptionalOption(close, "--amount", &cl->amount, "amount won (default: the estimated value)");
  app->On(close, [app, cl]() -> Result<Output> {
    CRM_ASSIGN_OR_RETURN(RecordNo no, ParseNo(cl->no, RecordKind::kOpportunity));
    if (!cl->won && !cl->lost) return Status::InvalidArgument("opportunity close needs --won or --lost");
    CRM_ASSIGN_OR_RETURN(auto amount, OptMoney(cl->amount, "--amount"));
    return app->Write(
        [&](Handler& h, const Request& rq) { return h.CloseOpportunity(rq, {no, cl->won, cl->reason, amount}); },
        MovedText);
  });

  auto* show = group->add_subcommand("show", "one opportunity (its stage entries: history OPxxxx)");
  auto show_no = std::make_shared<std::string>();
  show->add_option("OPPORTUNITY", *show_no)->required();
  app->On(show, [app, show_no]() -> Result<Output> {
    CRM_ASSIGN_OR_RETURN(RecordNo no, ParseNo(*show_no, RecordKind::kOpportunity));
    CRM_ASSIGN_OR_RETURN(Reader r, app->OpenReader());
    CRM_ASSIGN_OR_RETURN(auto op, r.rm->Opportunity(no));
    if (!op) return Status::NotFound("opportunity " + no.ToString() + " does not exist");
    return ObjectOutput(OpportunityJson(*op));
  });

  auto* list = group->add_subcommand("list", "list opportunities");
  auto campaign = std::make_shared<std::string>();
  auto status = std::make_shared<std::string>();
  list->add_option("--campaign", *campaign, "only this campaign's");
  list->add_option("--status", *status, "only those with this status (not started, in progress, won, lost, open)");
  auto query = AddListQuery(list);
  app->On(list, [app, campaign, status, query]() -> Result<Output> {
    CRM_ASSIGN_OR_RETURN(std::optional<RecordNo> cp, OptNo(*campaign, RecordKind::kCampaign));
    const std::string want = Lower(Trim(*status));
    if (!want.empty() && want != "open" && want != opportunity::kNotStarted && want != opportunity::kInProgress &&
        want != opportunity::kWon && want != opportunity::kLost) {
      return Status::InvalidArgument("--status must be not started, in progress, won, lost or open");
    }
    CRM_ASSIGN_OR_RETURN(Reader r, app->OpenReader());
    CRM_ASSIGN_OR_RETURN(ListPage page, ListPage::Make(*query, "no", {"description", "contact", "salesperson"}));
    CRM_RETURN_IF_ERROR(r.rm->ForEachOpportunity(cp.value_or(RecordNo()), [&](const OpportunityRow& op) {
      if (!want.empty() && (want == "open" ? !op.open() : op.status != want)) return true;
      return page.Offer(OpportunityJson(op));
    }));
    return page.Finish(app->globals().json,
                       {"NO", "DESCRIPTION", "CONTACT", "CAMPAIGN", "CYCLE", "STAGE", "STATUS", "VALUE", "WON"},
                       [](const json& op) {
                         return std::vector<std::string>{op["no"],          op["description"],     op["contact"],
                                                         op["campaign"],    op["sales_cycle"],     op["stage"].dump(),
                                                         op["status"],      op["estimated_value"], op["amount_won"]};
                       });
  });
}

}  // namespace

void AddOpportunityCommands(App* app) {
  AddSalesCycleCommands(app);
  AddOpportunityCommandGroup(app);
}

void AddConvertCommand(App* app, CLI::App* lead) {
  struct Opts {
    LeadConversion c;
    std::string lead, account, campaign;
    std::optional<std::string> value;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = lead->add_subcommand(
      "convert", "convert a lead into a contact (and company, and opportunity); its memberships move along");
  cmd->add_option("LEAD", o->lead)->required();
  auto* account = cmd->add_option("--account", o->account, "link the contact to this existing company contact");
  auto* fresh = cmd->add_flag("--new-account", o->c.new_account, "make a company contact from the lead's company name");
  account->excludes(fresh);
  OptionalOption(cmd, "--opportunity", &o->c.opportunity, "also create an opportunity with this description");
  OptionalOption(cmd, "--value", &o->value, "the opportunity's estimated value");
  cmd->add_option("--sales-cycle", o->c.sales_cycle, "the opportunity's sales cycle");
  cmd->add_option("--close-date", o->c.close_date, "the opportunity's estimated close date");
  cmd->add_option("--campaign", o->campaign, "the opportunity's campaign (default: the one the lead joined last)");
  app->On(cmd, [app, o]() -> Result<Output> {
    LeadConversion& c = o->c;
    CRM_ASSIGN_OR_RETURN(c.lead, ParseNo(o->lead, RecordKind::kLead));
    CRM_ASSIGN_OR_RETURN(c.account, OptNo(o->account, RecordKind::kContact));
    if (!c.opportunity && (o->value || !c.sales_cycle.empty() || !c.close_date.empty() || !o->campaign.empty())) {
      return Status::InvalidArgument("--value, --sales-cycle, --close-date and --campaign describe the "
                                     "opportunity: give --opportunity NAME too");
    }
    CRM_ASSIGN_OR_RETURN(auto value, OptMoney(o->value, "--value"));
    c.value = value.value_or(Money(0));
    CRM_ASSIGN_OR_RETURN(c.campaign, OptNo(o->campaign, RecordKind::kCampaign));
    return app->Write([&](Handler& h, const Request& rq) { return h.ConvertLead(rq, c); }, [](const json& a) {
      std::string text = a["lead"].get<std::string>() + " -> " + a["contact"].get<std::string>();
      if (!a["company"].get<std::string>().empty()) {
        text += std::string(a["new_company"].get<bool>() ? ", new company " : ", company ") +
                a["company"].get<std::string>();
        const std::string by = a.value("company_found_by", "");
        if (!by.empty()) text += " (an existing company, found by " + by + "; --new-account makes a new one)";
      }
      if (!a["opportunity"].get<std::string>().empty()) text += ", opportunity " + a["opportunity"].get<std::string>();
      text += ", memberships moved: " + std::to_string(a["memberships_moved"].size());
      return text;
    });
  });
}

}  // namespace crm::cli
