// crmctl member and roster: campaign members (SPEC §4.4).
#include <map>

#include "cmd/app.h"
#include "cmd/list_page.h"
#include "cmd/table.h"
#include "projections/party_rows.h"
#include "projections/rows.h"

namespace crm::cli {
namespace {

using nlohmann::json;

// What the member writes answer without --json.
std::string AddedText(const json& r) {
  std::string s = "added " + std::to_string(r["added"].get<size_t>()) + " member(s) to " +
                  r["campaign"].get<std::string>();
  if (!r["already_members"].empty()) s += "; already members (no change): " + JoinText(r["already_members"]);
  return s;
}

std::string RemovedText(const json& r) {
  std::string s = "removed " + std::to_string(r["removed"].get<size_t>()) + " member(s) from " +
                  r["campaign"].get<std::string>();
  if (!r["not_members"].empty()) s += "; not members (no change): " + JoinText(r["not_members"]);
  return s;
}

std::string StatusText(const json& r) {
  return "set " + std::to_string(r["updated"].get<size_t>()) + " member(s) of " + r["campaign"].get<std::string>() +
         " to " + r["status"].get<std::string>() + " (" + std::to_string(r["unchanged"].get<size_t>()) +
         " already had it)";
}

std::string AddedToText(const json& r) {
  std::string s = "added " + r["member"].get<std::string>() + " to " +
                  (r["added_to"].empty() ? std::string("no campaign") : JoinText(r["added_to"]));
  if (!r["already_in"].empty()) s += "; already in " + JoinText(r["already_in"]);
  return s;
}

struct SelectOpts {
  std::string campaign, status;
  std::vector<std::string> ids, filter;
  bool all = false;
};

// The members `o` names: its campaign, the member `ids`, its filter and --all as given.
Result<MemberSelection> Select(const SelectOpts& o, const std::vector<std::string>& ids) {
  MemberSelection sel{RecordNo(), {}, o.filter, o.all};
  CRM_ASSIGN_OR_RETURN(sel.campaign, ParseNo(o.campaign, RecordKind::kCampaign));
  for (const auto& id : ids) {
    CRM_ASSIGN_OR_RETURN(RecordNo no, ParseMemberId(id));
    sel.ids.push_back(no);
  }
  return sel;
}

struct RosterOpts {
  std::string campaign, status;
  std::vector<std::string> filter;
  bool count = false;
  std::shared_ptr<ListQuery> query;  // --search, --sort, --limit, --after, --total
};

// `roster --count`: members per status and their total (a table, or one JSON object).
Output CountOutput(const RecordNo& cp, const std::map<std::string, uint64_t>& by_status) {
  uint64_t total = 0;
  Table t({"STATUS", "MEMBERS"});
  for (const auto& [status, n] : by_status) {
    total += n;
    t.Add({status, std::to_string(n)});
  }
  t.Add({"total", std::to_string(total)});
  return ListOutput(json{{"campaign", cp.ToString()}, {"total", total}, {"by_status", by_status}}, t);
}

Result<Output> Roster(App* app, const RosterOpts& o) {
  CRM_ASSIGN_OR_RETURN(RecordNo cp, ParseNo(o.campaign, RecordKind::kCampaign));
  // In the roster's own order (members by number), --after seeks in the read model, unless
  // --total must count the members before it too; a sorted roster's cursor is the page's.
  ListQuery query = *o.query;
  if (o.count && (!query.search.empty() || !query.sort.empty() || query.total)) {
    return Status::InvalidArgument("--count counts members by status; --search, --sort and --total list them");
  }
  RecordNo after;
  if (!query.after.empty() && query.sort.empty()) {
    CRM_ASSIGN_OR_RETURN(RecordNo member, ParseMemberId(query.after));
    if (query.total) {
      query.after = member.ToString();  // the page skips up to it, in the same order
    } else {
      after = member;
      query.after.clear();
    }
  }
  CRM_ASSIGN_OR_RETURN(ListPage page, ListPage::Make(query, "contact", {"name", "email", "company", "contact"}));
  CRM_ASSIGN_OR_RETURN(Reader r, app->OpenReader());
  CRM_ASSIGN_OR_RETURN(Filter f, r.rm->ParseFilter(o.filter, RosterSchema()));
  CRM_ASSIGN_OR_RETURN(auto campaign, r.rm->Campaign(cp));
  if (!campaign) return Status::NotFound("campaign " + cp.ToString() + " does not exist");
  std::string status;
  if (!o.status.empty()) {
    CRM_ASSIGN_OR_RETURN(auto ref, r.rm->Reference());
    const auto* def = ref.FindStatus(o.status);
    if (def == nullptr) return Status::NotFound("member status '" + o.status + "' is not defined");
    status = def->name;
  }

  if (o.count && f.empty()) {
    // Counts are kept incrementally: no scan.
    CRM_ASSIGN_OR_RETURN(auto counts, r.rm->CountsByStatus(cp));
    if (!status.empty()) std::erase_if(counts, [&](const auto& c) { return c.first != status; });
    return CountOutput(cp, counts);
  }

  std::map<std::string, uint64_t> counts;
  // (Counting without a filter returned above: every member reaching here needs its party row.)
  CRM_RETURN_IF_ERROR(r.rm->ForEachMemberWithParty(cp, after, [&](const RosterRow& row, const PartyState* party) {
    if (!status.empty() && row.m.status != status) return true;
    if (!f.Matches(PartyRecord(party, &RosterSchema(), &row.m))) return true;
    if (o.count) {
      ++counts[row.m.status];
      return true;
    }
    return page.Offer(RosterJson(row, party ? std::optional<json>(PartyToJson(*party)) : std::nullopt));
  }));
  if (o.count) return CountOutput(cp, counts);
  return page.Finish(app->globals().json, {"MEMBER", "KIND", "NAME", "STATUS", "RESPONDED", "ADDED", "BY", "CHANGED"},
                     [](const json& j) {
                       return std::vector<std::string>{j["contact"],  j["kind"],
                                                       j["name"],     j["status"],
                                                       j["responded"].get<bool>() ? "yes" : "no", j["added_at"],
                                                       j["added_by"], j["changed_at"]};
                     });
}

Result<Output> History(App* app, const std::string& campaign, const std::string& id) {
  CRM_ASSIGN_OR_RETURN(RecordNo cp, ParseNo(campaign, RecordKind::kCampaign));
  CRM_ASSIGN_OR_RETURN(RecordNo member, ParseMemberId(id));
  CRM_ASSIGN_OR_RETURN(Reader r, app->OpenReader());
  CRM_ASSIGN_OR_RETURN(auto seqs, r.rm->MemberHistory(cp, member));
  if (seqs.empty()) return Status::NotFound(member.ToString() + " has never been a member of " + cp.ToString());
  json out = json::array();
  for (uint64_t seq : seqs) {
    Status inner;
    CRM_RETURN_IF_ERROR(r.ledger->Read(LedgerSeq(seq), [&](LedgerSeq at, std::string_view record) {
      auto env = DecodeEnvelope(record);
      if (!env.ok() || at.value() != seq) {
        inner = Status::Corruption("record " + std::to_string(seq) + " of the member history is unreadable");
        return false;
      }
      const fb::Envelope& e = **env;
      json j{{"seq", seq},
             {"at", FormatTimestamp(Timestamp(e.recorded_at()))},
             {"actor", e.actor()->str()},
             {"command_id", e.command_id()->str()},
             {"event", std::string(EventTypeName(e.payload_type()))}};
      if (const auto* a = e.payload_as_MemberAdded()) {
        j["status"] = a->status()->str();
        j["responded"] = a->responded();
        j["how"] = membership::HowName(a->how());
        if (a->criteria() && a->criteria()->size()) j["criteria"] = a->criteria()->str();
      } else if (const auto* u = e.payload_as_MemberStatusUpdated()) {
        j["from_status"] = u->from_status()->str();
        j["status"] = u->status()->str();
        j["responded"] = u->responded();
        j["how"] = membership::HowName(u->how());
        if (u->criteria() && u->criteria()->size()) j["criteria"] = u->criteria()->str();
      } else if (const auto* m = e.payload_as_MemberRemoved()) {
        j["status"] = m->status() ? m->status()->str() : "";
        j["how"] = membership::HowName(m->how());
      } else if (const auto* mv = e.payload_as_MemberMoved()) {
        j["status"] = mv->status()->str();
        j["responded"] = mv->responded();
        j["from"] = mv->from()->str();
        j["to"] = mv->to()->str();
        j["how"] = "converted";
      }
      out.push_back(std::move(j));
      return false;
    }));
    CRM_RETURN_IF_ERROR(inner);
  }
  Table t({"SEQ", "AT", "ACTOR", "EVENT", "STATUS", "HOW", "COMMAND"});
  for (const auto& j : out) {
    std::string status = j.value("status", "");
    if (j.contains("from_status")) status = j["from_status"].get<std::string>() + " -> " + status;
    t.Add({std::to_string(j["seq"].get<uint64_t>()), j["at"], j["actor"], j["event"], status, j.value("how", ""),
           j["command_id"]});
  }
  return ListOutput(std::move(out), t);
}

Result<Output> Campaigns(App* app, const std::string& id) {
  CRM_ASSIGN_OR_RETURN(RecordNo member, ParseMemberId(id));
  CRM_ASSIGN_OR_RETURN(Reader r, app->OpenReader());
  CRM_ASSIGN_OR_RETURN(auto list, r.rm->CampaignsOf(member));
  json out = json::array();
  Table t({"CAMPAIGN", "NAME", "STATUS", "RESPONDED", "ADDED"});
  for (const auto& [cp, m] : list) {
    CRM_ASSIGN_OR_RETURN(auto c, r.rm->Campaign(cp));
    const std::string name = c ? c->name : "";
    out.push_back({{"campaign", cp.ToString()}, {"name", name}, {"status", m.status}, {"responded", m.responded},
                   {"added_at", FormatTimestamp(m.added_at)}});
    t.Add({cp.ToString(), name, m.status, m.responded ? "yes" : "no", FormatTimestamp(m.added_at)});
  }
  return ListOutput(std::move(out), t);
}

}  // namespace

void AddMemberCommands(App* app) {
  auto& cli = app->cli();
  auto* group = cli.add_subcommand("member", "campaign members");
  group->require_subcommand(1);

  auto* add = group->add_subcommand("add", "add contacts or leads to a campaign, by id or --filter");
  auto a = std::make_shared<SelectOpts>();
  add->add_option("CAMPAIGN", a->campaign)->required();
  add->add_option("ID", a->ids, "contacts (CTxxxx) or leads (LDxxxx)");
  add->add_option("--status", a->status, "member status (default: the default status)");
  add->add_option("--filter", a->filter, "FIELD=EXPR over contacts and leads (repeatable)");
  app->On(add, [app, a]() -> Result<Output> {
    CRM_ASSIGN_OR_RETURN(MemberSelection sel, Select(*a, a->ids));
    if (sel.ids.empty() == sel.filter.empty()) {
      return Status::InvalidArgument("name the members either by ID or by --filter");
    }
    CRM_RETURN_IF_ERROR(Filter::CheckSyntax(sel.filter, PartySchema()));
    return app->Write([&](Handler& h, const Request& rq) { return h.AddMembers(rq, sel, a->status); }, AddedText);
  });

  auto* remove = group->add_subcommand("remove", "remove members from a campaign");
  auto rm = std::make_shared<SelectOpts>();
  remove->add_option("CAMPAIGN", rm->campaign)->required();
  remove->add_option("ID", rm->ids)->required();
  app->On(remove, [app, rm]() -> Result<Output> {
    CRM_ASSIGN_OR_RETURN(MemberSelection sel, Select(*rm, rm->ids));
    return app->Write([&](Handler& h, const Request& rq) { return h.RemoveMembers(rq, sel); }, RemovedText);
  });

  // set-status and mass-update: the status given to the members `sel` names.
  auto set_status = [app](const MemberSelection& sel, const std::string& status, fb::MemberHow how) {
    return app->Write([&](Handler& h, const Request& rq) { return h.SetMemberStatus(rq, sel, status, how); },
                      StatusText);
  };

  auto* set = group->add_subcommand("set-status", "change one member's status");
  auto ss = std::make_shared<SelectOpts>();
  auto ss_id = std::make_shared<std::string>();
  set->add_option("CAMPAIGN", ss->campaign)->required();
  set->add_option("ID", *ss_id)->required();
  set->add_option("STATUS", ss->status)->required();
  app->On(set, [ss, ss_id, set_status]() -> Result<Output> {
    CRM_ASSIGN_OR_RETURN(MemberSelection sel, Select(*ss, {*ss_id}));
    return set_status(sel, ss->status, fb::MemberHow::Manual);
  });

  auto* mass = group->add_subcommand("mass-update", "set the status of all or filtered members, as one batch");
  auto mu = std::make_shared<SelectOpts>();
  mass->add_option("CAMPAIGN", mu->campaign)->required();
  mass->add_option("--status", mu->status, "the new status")->required();
  mass->add_flag("--all", mu->all, "every member");
  mass->add_option("--filter", mu->filter, "FIELD=EXPR over members (member_status and contact fields)");
  app->On(mass, [mu, set_status]() -> Result<Output> {
    CRM_ASSIGN_OR_RETURN(MemberSelection sel, Select(*mu, {}));
    if (sel.all == !sel.filter.empty()) return Status::InvalidArgument("give either --all or --filter");
    CRM_RETURN_IF_ERROR(Filter::CheckSyntax(sel.filter, RosterSchema()));
    return set_status(sel, mu->status, fb::MemberHow::MassUpdate);
  });

  auto* addc = group->add_subcommand("add-campaigns", "add one contact or lead to several campaigns");
  auto ac = std::make_shared<SelectOpts>();
  addc->add_option("ID", ac->campaign)->required();
  addc->add_option("CAMPAIGN", ac->ids)->required();
  addc->add_option("--status", ac->status, "member status (default: the default status)");
  app->On(addc, [app, ac]() -> Result<Output> {
    CRM_ASSIGN_OR_RETURN(RecordNo member, ParseMemberId(ac->campaign));
    std::vector<RecordNo> cps;
    for (const auto& id : ac->ids) {
      CRM_ASSIGN_OR_RETURN(RecordNo cp, ParseNo(id, RecordKind::kCampaign));
      cps.push_back(cp);
    }
    return app->Write([&](Handler& h, const Request& rq) { return h.AddToCampaigns(rq, member, cps, ac->status); },
                      AddedToText);
  });

  auto* camps = group->add_subcommand("campaigns", "a contact's or lead's campaigns with statuses");
  auto cid = std::make_shared<std::string>();
  camps->add_option("ID", *cid)->required();
  app->On(camps, [app, cid] { return Campaigns(app, *cid); });

  auto* hist = group->add_subcommand("history", "every change of one membership");
  auto hcp = std::make_shared<std::string>();
  auto hid = std::make_shared<std::string>();
  hist->add_option("CAMPAIGN", *hcp)->required();
  hist->add_option("ID", *hid)->required();
  app->On(hist, [app, hcp, hid] { return History(app, *hcp, *hid); });

  auto* roster = cli.add_subcommand("roster", "a campaign's members");
  auto ro = std::make_shared<RosterOpts>();
  roster->add_option("CAMPAIGN", ro->campaign)->required();
  roster->add_option("--status", ro->status, "only members with this status");
  roster->add_option("--filter", ro->filter, "FIELD=EXPR (repeatable)");
  ro->query = AddListQuery(roster);
  roster->add_flag("--count", ro->count, "counts per status instead of rows");
  app->On(roster, [app, ro] { return Roster(app, *ro); });
}

json RosterJson(const RosterRow& row, const std::optional<json>& party) {
  return {{"contact", row.member.ToString()},
          {"kind", row.member.kind() == RecordKind::kLead ? "lead" : "contact"},
          {"name", party ? party->value("name", "") : ""},
          {"status", row.m.status},
          {"responded", row.m.responded},
          {"added_at", FormatTimestamp(row.m.added_at)},
          {"added_by", row.m.added_by.value()},
          {"changed_at", FormatTimestamp(row.m.changed_at)},
          {"responded_at", row.m.responded_at.value() != 0 ? FormatTimestamp(row.m.responded_at) : ""}};
}

}  // namespace crm::cli
