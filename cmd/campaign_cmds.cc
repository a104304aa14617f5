// crmctl campaign: create, set, show, list, clone (SPEC §4.3).
#include <algorithm>
#include <charconv>

#include "cmd/app.h"
#include "cmd/list_page.h"
#include "projections/party_rows.h"
#include "cmd/report_text.h"
#include "cmd/table.h"
#include "io/files.h"
#include "projections/stats.h"
#include "projections/rows.h"

namespace crm::cli {
namespace {

using nlohmann::json;

// Every campaign field option, each remembering whether it was given.
struct CampaignOpts {
  std::optional<std::string> name, description, type, status, owner, salesperson, parent, start, end, budgeted_cost,
      actual_cost, expected_revenue, expected_response, number_sent;
  std::vector<std::string> fields;  // --field NAME=VALUE

  void Register(CLI::App* sub) {
    auto opt = [sub](const char* flag, std::optional<std::string>* dst, const char* help) {
      OptionalOption(sub, flag, dst, help);
    };
    opt("--name", &name, "name (at most 80 characters)");
    opt("--description", &description, "description");
    opt("--type", &type, "Conference, Webinar, Trade Show, Email, ...");
    opt("--status", &status, "campaign status code");
    opt("--owner", &owner, "owning user (default: you)");
    opt("--salesperson", &salesperson, "salesperson code");
    opt("--parent", &parent, "parent campaign CPxxxx ('' to clear)");
    opt("--start", &start, "start date YYYY-MM-DD");
    opt("--end", &end, "end date YYYY-MM-DD");
    opt("--budgeted-cost", &budgeted_cost, "amount, e.g. 1250.50");
    opt("--actual-cost", &actual_cost, "amount");
    opt("--expected-revenue", &expected_revenue, "amount");
    opt("--expected-response", &expected_response, "percent, e.g. 12.5");
    opt("--number-sent", &number_sent, "how many were sent (whole number)");
    FieldValuesOption(sub, &fields);
  }
};

Result<std::optional<Date>> OptDate(const std::optional<std::string>& text, const char* flag) {
  if (!text || text->empty()) return std::optional<Date>();
  auto d = ParseDate(*text);
  if (!d.ok()) return d.status().WithContext(flag);
  return std::optional<Date>(*d);
}

Result<std::optional<Percent>> OptPercent(const std::optional<std::string>& text) {
  if (!text) return std::optional<Percent>();
  auto p = ParsePercent(text->empty() ? "0" : *text);
  if (!p.ok()) return p.status().WithContext("--expected-response");
  return std::optional<Percent>(*p);
}

Result<std::optional<int64_t>> OptCount(const std::optional<std::string>& text, const char* flag) {
  if (!text) return std::optional<int64_t>();
  int64_t n = 0;
  const char* end = text->data() + text->size();
  auto [ptr, ec] = std::from_chars(text->data(), end, n);
  if (text->empty() || ec != std::errc() || ptr != end) {
    return Status::InvalidArgument(std::string(flag) + " takes a whole number, not '" + *text + "'");
  }
  return std::optional<int64_t>(n);
}

Result<campaign::CreateCampaign> ToCreate(const CampaignOpts& o) {
  campaign::CreateCampaign c;
  if (!o.name) return Status::InvalidArgument("--name is required");
  c.f.name = *o.name;
  c.f.description = o.description.value_or("");
  c.f.type = o.type.value_or("");
  c.f.status = o.status.value_or("");
  c.f.owner = o.owner.value_or("");
  c.f.salesperson = o.salesperson.value_or("");
  c.f.parent = o.parent.value_or("");
  CRM_ASSIGN_OR_RETURN(c.f.start, OptDate(o.start, "--start"));
  CRM_ASSIGN_OR_RETURN(c.f.end, OptDate(o.end, "--end"));
  CRM_ASSIGN_OR_RETURN(auto budgeted, OptMoney(o.budgeted_cost, "--budgeted-cost"));
  CRM_ASSIGN_OR_RETURN(auto actual, OptMoney(o.actual_cost, "--actual-cost"));
  CRM_ASSIGN_OR_RETURN(auto revenue, OptMoney(o.expected_revenue, "--expected-revenue"));
  CRM_ASSIGN_OR_RETURN(auto response, OptPercent(o.expected_response));
  c.f.budgeted_cost = budgeted.value_or(Money(0));
  c.f.actual_cost = actual.value_or(Money(0));
  c.f.expected_revenue = revenue.value_or(Money(0));
  c.f.expected_response = response.value_or(Percent(0));
  CRM_ASSIGN_OR_RETURN(auto sent, OptCount(o.number_sent, "--number-sent"));
  c.f.number_sent = sent.value_or(0);
  CRM_ASSIGN_OR_RETURN(c.f.custom, ParseFieldValues(o.fields));
  return c;
}

Result<campaign::ChangeCampaign> ToChange(const CampaignOpts& o, const RecordNo& no) {
  campaign::ChangeCampaign c;
  c.no = no;
  c.name = o.name;
  c.description = o.description;
  c.type = o.type;
  c.status = o.status;
  c.owner = o.owner;
  c.salesperson = o.salesperson;
  c.parent = o.parent;
  if (o.start) {
    CRM_ASSIGN_OR_RETURN(c.start, OptDate(o.start, "--start"));
  }
  if (o.end) {
    CRM_ASSIGN_OR_RETURN(c.end, OptDate(o.end, "--end"));
  }
  CRM_ASSIGN_OR_RETURN(c.budgeted_cost, OptMoney(o.budgeted_cost, "--budgeted-cost"));
  CRM_ASSIGN_OR_RETURN(c.actual_cost, OptMoney(o.actual_cost, "--actual-cost"));
  CRM_ASSIGN_OR_RETURN(c.expected_revenue, OptMoney(o.expected_revenue, "--expected-revenue"));
  CRM_ASSIGN_OR_RETURN(c.expected_response, OptPercent(o.expected_response));
  CRM_ASSIGN_OR_RETURN(c.number_sent, OptCount(o.number_sent, "--number-sent"));
  CRM_ASSIGN_OR_RETURN(c.custom, ParseFieldValues(o.fields));
  return c;
}

Result<Output> Show(App* app, const std::string& id) {
  CRM_ASSIGN_OR_RETURN(RecordNo no, ParseNo(id, RecordKind::kCampaign));
  CRM_ASSIGN_OR_RETURN(Reader r, app->OpenReader());
  CRM_ASSIGN_OR_RETURN(auto cp, r.rm->Campaign(no));
  if (!cp) return Status::NotFound("campaign " + no.ToString() + " does not exist");
  CRM_ASSIGN_OR_RETURN(auto counts, r.rm->CountsByStatus(no));
  CRM_ASSIGN_OR_RETURN(auto children, r.rm->Children(no));
  json j = ToJson(*cp);
  uint64_t total = 0;
  for (const auto& [s, n] : counts) total += n;
  j["members"] = total;
  j["members_by_status"] = counts;
  json kids = json::array();
  for (const auto& k : children) kids.push_back(k.ToString());
  j["children"] = kids;
  // What belongs to it (SPEC §4.7, §4.8): segments and logged segments for it, its opportunities,
  // and its tasks open and closed. Segments and logged segments are few: scanned.
  json segments = json::array(), logged = json::array(), opportunities = json::array();
  json open_tasks = json::array(), closed_tasks = json::array();
  const std::string cp_text = no.ToString();
  CRM_RETURN_IF_ERROR(r.rm->ForEachSegment([&](const segment::Header& h) {
    if (h.campaign == cp_text && !h.deleted) segments.push_back(h.no.ToString());
    return true;
  }));
  CRM_RETURN_IF_ERROR(r.rm->ForEachLoggedSegment([&](const LoggedSegmentRow& ls) {
    if (ls.campaign == no) logged.push_back(ls.no.ToString());
    return true;
  }));
  CRM_RETURN_IF_ERROR(r.rm->ForEachOpportunity(no, [&](const OpportunityRow& op) {
    opportunities.push_back(op.no.ToString());
    return true;
  }));
  CRM_RETURN_IF_ERROR(r.rm->ForEachTask(no, [&](const TaskRow& t) {
    (task::IsOpen(t.status) ? open_tasks : closed_tasks).push_back(t.no.ToString());
    return true;
  }));
  j["segments"] = segments;
  j["logged_segments"] = logged;
  j["opportunities"] = opportunities;
  j["open_tasks"] = open_tasks;
  j["closed_tasks"] = closed_tasks;
  std::vector<std::pair<std::string, std::string>> fields;
  for (const auto& [k, v] : j.items()) {
    if (k == "custom") {  // its fields by name
      for (const auto& [name, value] : v.items()) fields.emplace_back(name, value.get<std::string>());
    } else if (k == "attachments") {
      std::string s;
      for (const auto& a : v) {
        s += (s.empty() ? "" : ", ") + a["file_name"].get<std::string>() + " (" + a["size"].dump() + " bytes)";
      }
      fields.emplace_back(k, s);
    } else if (k == "prices") {
      // A line per price: "1000 discount 10.0 %" or "1000 price 99.50", its unit and minimum after.
      std::string s;
      for (const campaign::PriceLine& p : cp->prices) {
        s += (s.empty() ? "" : ", ") + p.item + ' ' + PriceText(p) + (p.unit.empty() ? "" : " per " + p.unit) +
             (p.min_qty > 0 ? " from " + std::to_string(p.min_qty) : "");
      }
      fields.emplace_back(k, s);
    } else if (k == "members_by_status") {
      std::string s;
      for (const auto& [st, n] : v.items()) s += (s.empty() ? "" : ", ") + st + " " + std::to_string(n.get<uint64_t>());
      fields.emplace_back(k, s);
    } else if (v.is_array()) {
      fields.emplace_back(k, JoinText(v));
    } else {
      fields.emplace_back(k, v.is_string() ? v.get<std::string>() : v.dump());
    }
  }
  return JsonOrText(std::move(j), RecordText(std::move(fields)));
}

Result<Output> List(App* app, std::vector<std::string> filter, ListQuery query, const std::string& view, bool deleted) {
  CRM_ASSIGN_OR_RETURN(Reader r, app->OpenReader());
  if (!view.empty()) {
    CRM_ASSIGN_OR_RETURN(reference::State ref, r.rm->Reference());
    CRM_RETURN_IF_ERROR(ApplyView(ref, view, "campaigns", &filter, &query));
  }
  CRM_ASSIGN_OR_RETURN(Filter f, r.rm->ParseFilter(filter, CampaignSchema()));
  CRM_ASSIGN_OR_RETURN(ListPage page, ListPage::Make(query, "no", {"name", "description", "owner"}));
  CRM_RETURN_IF_ERROR(r.rm->ForEachCampaign([&](const campaign::State& cp) {
    if (!deleted && HiddenByDeletion(cp.deleted, f)) return true;
    json j = ToJson(cp);
    if (!f.Matches(JsonRecord(&j, &CampaignSchema()))) return true;
    return page.Offer(std::move(j));
  }));
  return page.Finish(app->globals().json, {"NO", "NAME", "TYPE", "STATUS", "START", "END", "PARENT", "OWNER"},
                     [](const json& j) {
                       return std::vector<std::string>{j["no"],       j["name"],     j["type"],   j["status"],
                                                       j["start_date"], j["end_date"], j["parent"], j["owner"]};
                     });
}

}  // namespace

void AddCampaignCommands(App* app) {
  auto* group = app->cli().add_subcommand("campaign", "campaigns");
  group->require_subcommand(1);

  auto* create = group->add_subcommand("create", "create a campaign and print its number");
  auto c = std::make_shared<CampaignOpts>();
  c->Register(create);
  app->On(create, [app, c]() -> Result<Output> {
    CRM_ASSIGN_OR_RETURN(auto cmd, ToCreate(*c));
    return app->Write([&](Handler& h, const Request& rq) { return h.CreateCampaign(rq, cmd); });
  });

  auto* set = group->add_subcommand("set", "change campaign fields");
  auto s = std::make_shared<CampaignOpts>();
  auto set_id = std::make_shared<std::string>();
  set->add_option("CAMPAIGN", *set_id)->required();
  s->Register(set);
  app->On(set, [app, s, set_id]() -> Result<Output> {
    CRM_ASSIGN_OR_RETURN(RecordNo no, ParseNo(*set_id, RecordKind::kCampaign));
    CRM_ASSIGN_OR_RETURN(auto cmd, ToChange(*s, no));
    return app->Write([&](Handler& h, const Request& rq) { return h.ChangeCampaign(rq, cmd); }, [](const json& a) {
      return a.value("changed", false) ? "changed " + a["no"].get<std::string>() : std::string("no change");
    });
  });

  auto* show = group->add_subcommand("show", "show a campaign: its fields, member counts and what belongs to it");
  auto show_id = std::make_shared<std::string>();
  show->add_option("CAMPAIGN", *show_id)->required();
  app->On(show, [app, show_id] { return Show(app, *show_id); });

  auto* stats = group->add_subcommand("stats", "members, targets, responses, interactions, cost and duration");
  auto stats_id = std::make_shared<std::string>();
  auto rollup = std::make_shared<bool>(false);
  stats->add_option("CAMPAIGN", *stats_id)->required();
  stats->add_flag("--rollup", *rollup, "sum the campaign's whole hierarchy");
  app->On(stats, [app, stats_id, rollup]() -> Result<Output> {
    CRM_ASSIGN_OR_RETURN(RecordNo no, ParseNo(*stats_id, RecordKind::kCampaign));
    CRM_ASSIGN_OR_RETURN(Reader r, app->OpenReader());
    CRM_ASSIGN_OR_RETURN(auto s, ComputeCampaignStats(*r.rm, no, *rollup));
    json j = ToJson(s);
    std::string text = CampaignStatsText(j);
    return JsonOrText(std::move(j), std::move(text));
  });

  auto* attach = group->add_subcommand("attach", "attach a file to a campaign (one per file name; again: replaced)");
  auto attach_id = std::make_shared<std::string>();
  auto attach_file = std::make_shared<std::string>();
  attach->add_option("CAMPAIGN", *attach_id)->required();
  attach->add_option("FILE", *attach_file)->required();
  app->On(attach, [app, attach_id, attach_file]() -> Result<Output> {
    CRM_ASSIGN_OR_RETURN(RecordNo no, ParseNo(*attach_id, RecordKind::kCampaign));
    CRM_ASSIGN_OR_RETURN(auto file, ReadAttachmentFile(*attach_file));
    const campaign::Attach c{no, std::move(file.first), std::move(file.second)};
    return app->Write([&](Handler& h, const Request& rq) { return h.AttachToCampaign(rq, c); },
                      [](const json& a) {
                        return a["file_name"].get<std::string>() + (a["changed"].get<bool>() ? " attached" : " unchanged");
                      });
  });

  auto* detach = group->add_subcommand("detach", "remove a campaign's attachment by file name");
  auto detach_id = std::make_shared<std::string>();
  auto detach_name = std::make_shared<std::string>();
  detach->add_option("CAMPAIGN", *detach_id)->required();
  detach->add_option("NAME", *detach_name, "the attachment's file name")->required();
  app->On(detach, [app, detach_id, detach_name]() -> Result<Output> {
    CRM_ASSIGN_OR_RETURN(RecordNo no, ParseNo(*detach_id, RecordKind::kCampaign));
    const campaign::Detach c{no, *detach_name};
    return app->Write([&](Handler& h, const Request& rq) { return h.DetachFromCampaign(rq, c); },
                      [](const json& a) { return a["file_name"].get<std::string>() + " detached"; });
  });

  auto* save = group->add_subcommand("attachment", "write a campaign's attachment to a file");
  auto save_id = std::make_shared<std::string>();
  auto save_name = std::make_shared<std::string>();
  auto save_output = std::make_shared<std::string>();
  save->add_option("CAMPAIGN", *save_id)->required();
  save->add_option("NAME", *save_name, "the attachment's file name")->required();
  save->add_option("--output", *save_output, "the file to write (replaced whole)")->required();
  app->On(save, [app, save_id, save_name, save_output]() -> Result<Output> {
    CRM_ASSIGN_OR_RETURN(RecordNo no, ParseNo(*save_id, RecordKind::kCampaign));
    CRM_ASSIGN_OR_RETURN(Reader r, app->OpenReader());
    CRM_ASSIGN_OR_RETURN(auto cp, r.rm->Campaign(no));
    if (!cp) return Status::NotFound("campaign " + no.ToString() + " does not exist");
    const auto it = std::find_if(cp->attachments.begin(), cp->attachments.end(),
                                 [&](const campaign::Attachment& a) { return a.file_name == Trim(*save_name); });
    if (it == cp->attachments.end()) {
      return Status::NotFound("campaign " + no.ToString() + " has no attachment '" + Trim(*save_name) + "'");
    }
    CRM_ASSIGN_OR_RETURN(auto content, r.rm->AttachmentContent(it->sha256));
    if (!content) return Status::Corruption("the content of " + it->file_name + " (" + it->sha256 + ") is missing");
    CRM_RETURN_IF_ERROR(WriteFileAtomically(*save_output, *content));
    json out{{"no", no.ToString()}, {"file_name", it->file_name}, {"size", content->size()}, {"output", *save_output}};
    return JsonOrText(std::move(out), "wrote " + it->file_name + " to " + *save_output + '\n');
  });

  AddPriceCommands(app, group);

  auto* list = group->add_subcommand("list", "list campaigns");
  auto filter = std::make_shared<std::vector<std::string>>();
  list->add_option("--filter", *filter, "FIELD=EXPR (repeatable)");
  auto view = std::make_shared<std::string>();
  auto query = AddListQuery(list, view.get());
  auto deleted = std::make_shared<bool>(false);
  list->add_flag("--deleted", *deleted, "deleted campaigns too (left out by default)");
  app->On(list, [app, filter, query, view, deleted] { return List(app, *filter, *query, *view, *deleted); });

  AddDeleteRestore(app, group, RecordKind::kCampaign,
                   "delete: out of campaign lists and filters (members, entries and statistics kept; refused while "
                   "interactions logged on it are not canceled or its opportunities are open)",
                   [](Handler& h, const Request& rq, const RecordNo& no, bool restore) {
                     return h.DeleteCampaign(rq, campaign::DeleteCampaign{{}, no, restore});
                   });

  auto* clone = group->add_subcommand("clone", "copy a campaign's details (not its members)");
  auto clone_id = std::make_shared<std::string>();
  auto clone_name = std::make_shared<std::optional<std::string>>();
  clone->add_option("CAMPAIGN", *clone_id)->required();
  OptionalOption(clone, "--name", clone_name.get(), "name of the copy (default: the same)");
  app->On(clone, [app, clone_id, clone_name]() -> Result<Output> {
    CRM_ASSIGN_OR_RETURN(RecordNo no, ParseNo(*clone_id, RecordKind::kCampaign));
    return app->Write([&](Handler& h, const Request& rq) { return h.CloneCampaign(rq, no, *clone_name); });
  });
}

}  // namespace crm::cli
