// crmctl member and roster: campaign members (SPEC §4.4).
#include <iostream>

#include "cmd/app.h"
#include "cmd/table.h"

namespace crm::cli {
namespace {

using nlohmann::json;

Result<std::vector<RecordNo>> ParseIds(const std::vector<std::string>& ids) {
  std::vector<RecordNo> out;
  for (const auto& id : ids) {
    CRM_ASSIGN_OR_RETURN(RecordNo no, ParseMemberId(id));
    out.push_back(no);
  }
  return out;
}

std::string List(const json& arr) {
  std::string s;
  for (const auto& v : arr) s += (s.empty() ? "" : ", ") + v.get<std::string>();
  return s;
}

struct RosterOpts {
  std::string campaign, status, after;
  std::vector<std::string> filter;
  size_t limit = 0;
  bool count = false;
};

int Roster(App* app, const RosterOpts& o) {
  auto cp = ParseNo(o.campaign, RecordKind::kCampaign);
  if (!cp.ok()) return app->Fail(cp.status());
  RecordNo after;
  if (!o.after.empty()) {
    auto a = ParseMemberId(o.after);
    if (!a.ok()) return app->Fail(a.status());
    after = *a;
  }
  auto r = app->OpenReader();
  if (!r.ok()) return app->Fail(r.status());
  auto f = r->rm->ParseFilter(o.filter, RosterSchema());
  if (!f.ok()) return app->Fail(f.status());
  auto campaign = r->rm->Campaign(*cp);
  if (!campaign.ok()) return app->Fail(campaign.status());
  if (!*campaign) return app->Fail(Status::NotFound("campaign " + cp->ToString() + " does not exist"));
  std::string status;
  if (!o.status.empty()) {
    auto ref = r->rm->Reference();
    if (!ref.ok()) return app->Fail(ref.status());
    const auto* def = ref->FindStatus(o.status);
    if (def == nullptr) return app->Fail(Status::NotFound("member status '" + o.status + "' is not defined"));
    status = def->name;
  }

  if (o.count && f->empty()) {
    // Counts are kept incrementally: no scan.
    auto counts = r->rm->CountsByStatus(*cp);
    if (!counts.ok()) return app->Fail(counts.status());
    uint64_t total = 0;
    json by = json::object();
    for (const auto& [s, n] : *counts) {
      if (!status.empty() && s != status) continue;
      total += n;
      by[s] = n;
    }
    json out{{"campaign", cp->ToString()}, {"total", total}, {"by_status", by}};
    if (app->globals().json) {
      app->PrintJson(out);
    } else {
      Table t({"STATUS", "MEMBERS"});
      for (const auto& [s, n] : by.items()) t.Add({s, std::to_string(n.get<uint64_t>())});
      t.Add({"total", std::to_string(total)});
      t.Print(std::cout);
    }
    return 0;
  }

  json rows = json::array();
  std::map<std::string, uint64_t> counts;
  uint64_t total = 0;
  Status inner;
  auto s = r->rm->ForEachMember(*cp, after, [&](const RosterRow& row) {
    if (!status.empty() && row.m.status != status) return true;
    std::optional<json> party;
    if (!f->empty() || !o.count) {
      auto p = r->rm->PartyJson(row.member);
      if (!p.ok()) {
        inner = p.status();
        return false;
      }
      party = *p;
      const json empty = json::object();
      if (!f->Matches(JsonRecord(party ? &*party : &empty, &RosterSchema(), &row.m))) return true;
    }
    if (o.count) {
      ++counts[row.m.status];
      ++total;
      return true;
    }
    rows.push_back(RosterJson(row, party));
    return o.limit == 0 || rows.size() < o.limit;
  });
  if (!s.ok()) return app->Fail(s);
  if (!inner.ok()) return app->Fail(inner);
  if (o.count) {
    json out{{"campaign", cp->ToString()}, {"total", total}, {"by_status", counts}};
    if (app->globals().json) {
      app->PrintJson(out);
    } else {
      Table t({"STATUS", "MEMBERS"});
      for (const auto& [st, n] : counts) t.Add({st, std::to_string(n)});
      t.Add({"total", std::to_string(total)});
      t.Print(std::cout);
    }
    return 0;
  }
  if (app->globals().json) {
    app->PrintJson(rows);
    return 0;
  }
  Table t({"MEMBER", "KIND", "NAME", "STATUS", "RESPONDED", "ADDED", "BY", "CHANGED"});
  for (const auto& j : rows) {
    t.Add({j["contact"], j["kind"], j["name"], j["status"], j["responded"].get<bool>() ? "yes" : "no",
           j["added_at"], j["added_by"], j["changed_at"]});
  }
  t.Print(std::cout);
  return 0;
}

int History(App* app, const std::string& campaign, const std::string& id) {
  auto cp = ParseNo(campaign, RecordKind::kCampaign);
  if (!cp.ok()) return app->Fail(cp.status());
  auto member = ParseMemberId(id);
  if (!member.ok()) return app->Fail(member.status());
  auto r = app->OpenReader();
  if (!r.ok()) return app->Fail(r.status());
  auto seqs = r->rm->MemberHistory(*cp, *member);
  if (!seqs.ok()) return app->Fail(seqs.status());
  if (seqs->empty()) {
    return app->Fail(Status::NotFound(member->ToString() + " has never been a member of " + cp->ToString()));
  }
  json out = json::array();
  for (uint64_t seq : *seqs) {
    Status inner;
    auto s = r->ledger->Read(LedgerSeq(seq), [&](LedgerSeq at, std::string_view record) {
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
    });
    if (!s.ok()) return app->Fail(s);
    if (!inner.ok()) return app->Fail(inner);
  }
  if (app->globals().json) {
    app->PrintJson(out);
    return 0;
  }
  Table t({"SEQ", "AT", "ACTOR", "EVENT", "STATUS", "HOW", "COMMAND"});
  for (const auto& j : out) {
    std::string status = j.value("status", "");
    if (j.contains("from_status")) status = j["from_status"].get<std::string>() + " -> " + status;
    t.Add({std::to_string(j["seq"].get<uint64_t>()), j["at"], j["actor"], j["event"], status, j.value("how", ""),
           j["command_id"]});
  }
  t.Print(std::cout);
  return 0;
}

int Campaigns(App* app, const std::string& id) {
  auto member = ParseMemberId(id);
  if (!member.ok()) return app->Fail(member.status());
  auto r = app->OpenReader();
  if (!r.ok()) return app->Fail(r.status());
  auto list = r->rm->CampaignsOf(*member);
  if (!list.ok()) return app->Fail(list.status());
  json out = json::array();
  Table t({"CAMPAIGN", "NAME", "STATUS", "RESPONDED", "ADDED"});
  for (const auto& [cp, m] : *list) {
    auto c = r->rm->Campaign(cp);
    if (!c.ok()) return app->Fail(c.status());
    const std::string name = *c ? (*c)->name : "";
    out.push_back({{"campaign", cp.ToString()}, {"name", name}, {"status", m.status}, {"responded", m.responded},
                   {"added_at", FormatTimestamp(m.added_at)}});
    t.Add({cp.ToString(), name, m.status, m.responded ? "yes" : "no", FormatTimestamp(m.added_at)});
  }
  return app->PrintList(out, t);
}

}  // namespace

void AddMemberCommands(App* app) {
  auto& cli = app->cli();
  auto* group = cli.add_subcommand("member", "campaign members");
  group->require_subcommand(1);

  struct SelectOpts {
    std::string campaign, status;
    std::vector<std::string> ids, filter;
    bool all = false;
  };

  auto* add = group->add_subcommand("add", "add contacts or leads to a campaign, by id or --filter");
  auto a = std::make_shared<SelectOpts>();
  add->add_option("CAMPAIGN", a->campaign)->required();
  add->add_option("ID", a->ids, "contacts (CTxxxx) or leads (LDxxxx)");
  add->add_option("--status", a->status, "member status (default: the default status)");
  add->add_option("--filter", a->filter, "FIELD=EXPR over contacts and leads (repeatable)");
  add->callback([app, a] {
    app->SetAction([app, a] {
      auto cp = ParseNo(a->campaign, RecordKind::kCampaign);
      if (!cp.ok()) return app->Fail(cp.status());
      auto ids = ParseIds(a->ids);
      if (!ids.ok()) return app->Fail(ids.status());
      if (ids->empty() == a->filter.empty()) {
        return app->Fail(Status::InvalidArgument("name the members either by ID or by --filter"));
      }
      if (auto f = Filter::Parse(a->filter, PartySchema()); !f.ok()) return app->Fail(f.status());
      auto h = app->OpenWriter();
      if (!h.ok()) return app->Fail(h.status());
      MemberSelection sel{*cp, *ids, a->filter, false};
      return app->Answer((*h)->AddMembers(app->MakeRequest(), sel, a->status), [](const json& r) {
        std::string s = "added " + std::to_string(r["added"].get<size_t>()) + " member(s) to " + r["campaign"].get<std::string>();
        if (!r["already_members"].empty()) s += "; already members (no change): " + List(r["already_members"]);
        return s;
      });
    });
  });

  auto* remove = group->add_subcommand("remove", "remove members from a campaign");
  auto rm = std::make_shared<SelectOpts>();
  remove->add_option("CAMPAIGN", rm->campaign)->required();
  remove->add_option("ID", rm->ids)->required();
  remove->callback([app, rm] {
    app->SetAction([app, rm] {
      auto cp = ParseNo(rm->campaign, RecordKind::kCampaign);
      if (!cp.ok()) return app->Fail(cp.status());
      auto ids = ParseIds(rm->ids);
      if (!ids.ok()) return app->Fail(ids.status());
      auto h = app->OpenWriter();
      if (!h.ok()) return app->Fail(h.status());
      return app->Answer((*h)->RemoveMembers(app->MakeRequest(), MemberSelection{*cp, *ids, {}, false}), [](const json& r) {
        std::string s = "removed " + std::to_string(r["removed"].get<size_t>()) + " member(s) from " + r["campaign"].get<std::string>();
        if (!r["not_members"].empty()) s += "; not members (no change): " + List(r["not_members"]);
        return s;
      });
    });
  });

  auto status_answer = [](const json& r) {
    return "set " + std::to_string(r["updated"].get<size_t>()) + " member(s) of " + r["campaign"].get<std::string>() +
           " to " + r["status"].get<std::string>() + " (" + std::to_string(r["unchanged"].get<size_t>()) +
           " already had it)";
  };

  auto* set = group->add_subcommand("set-status", "change one member's status");
  auto ss = std::make_shared<SelectOpts>();
  auto ss_id = std::make_shared<std::string>();
  set->add_option("CAMPAIGN", ss->campaign)->required();
  set->add_option("ID", *ss_id)->required();
  set->add_option("STATUS", ss->status)->required();
  set->callback([app, ss, ss_id, status_answer] {
    app->SetAction([app, ss, ss_id, status_answer] {
      auto cp = ParseNo(ss->campaign, RecordKind::kCampaign);
      if (!cp.ok()) return app->Fail(cp.status());
      auto ids = ParseIds({*ss_id});
      if (!ids.ok()) return app->Fail(ids.status());
      auto h = app->OpenWriter();
      if (!h.ok()) return app->Fail(h.status());
      return app->Answer((*h)->SetMemberStatus(app->MakeRequest(), MemberSelection{*cp, *ids, {}, false}, ss->status,
                                               fb::MemberHow::Manual),
                         status_answer);
    });
  });

  auto* mass = group->add_subcommand("mass-update", "set the status of all or filtered members, as one batch");
  auto mu = std::make_shared<SelectOpts>();
  mass->add_option("CAMPAIGN", mu->campaign)->required();
  mass->add_option("--status", mu->status, "the new status")->required();
  mass->add_flag("--all", mu->all, "every member");
  mass->add_option("--filter", mu->filter, "FIELD=EXPR over members (member_status and contact fields)");
  mass->callback([app, mu, status_answer] {
    app->SetAction([app, mu, status_answer] {
      auto cp = ParseNo(mu->campaign, RecordKind::kCampaign);
      if (!cp.ok()) return app->Fail(cp.status());
      if (mu->all == !mu->filter.empty()) return app->Fail(Status::InvalidArgument("give either --all or --filter"));
      if (auto f = Filter::Parse(mu->filter, RosterSchema()); !f.ok()) return app->Fail(f.status());
      auto h = app->OpenWriter();
      if (!h.ok()) return app->Fail(h.status());
      return app->Answer((*h)->SetMemberStatus(app->MakeRequest(), MemberSelection{*cp, {}, mu->filter, mu->all},
                                               mu->status, fb::MemberHow::MassUpdate),
                         status_answer);
    });
  });

  auto* addc = group->add_subcommand("add-campaigns", "add one contact or lead to several campaigns");
  auto ac = std::make_shared<SelectOpts>();
  addc->add_option("ID", ac->campaign)->required();
  addc->add_option("CAMPAIGN", ac->ids)->required();
  addc->add_option("--status", ac->status, "member status (default: the default status)");
  addc->callback([app, ac] {
    app->SetAction([app, ac] {
      auto member = ParseMemberId(ac->campaign);
      if (!member.ok()) return app->Fail(member.status());
      std::vector<RecordNo> cps;
      for (const auto& id : ac->ids) {
        auto cp = ParseNo(id, RecordKind::kCampaign);
        if (!cp.ok()) return app->Fail(cp.status());
        cps.push_back(*cp);
      }
      auto h = app->OpenWriter();
      if (!h.ok()) return app->Fail(h.status());
      return app->Answer((*h)->AddToCampaigns(app->MakeRequest(), *member, cps, ac->status), [](const json& r) {
        std::string s = "added " + r["member"].get<std::string>() + " to " +
                        (r["added_to"].empty() ? std::string("no campaign") : List(r["added_to"]));
        if (!r["already_in"].empty()) s += "; already in " + List(r["already_in"]);
        return s;
      });
    });
  });

  auto* camps = group->add_subcommand("campaigns", "a contact's or lead's campaigns with statuses");
  auto cid = std::make_shared<std::string>();
  camps->add_option("ID", *cid)->required();
  camps->callback([app, cid] { app->SetAction([app, cid] { return Campaigns(app, *cid); }); });

  auto* hist = group->add_subcommand("history", "every change of one membership");
  auto hcp = std::make_shared<std::string>();
  auto hid = std::make_shared<std::string>();
  hist->add_option("CAMPAIGN", *hcp)->required();
  hist->add_option("ID", *hid)->required();
  hist->callback([app, hcp, hid] { app->SetAction([app, hcp, hid] { return History(app, *hcp, *hid); }); });

  auto* roster = cli.add_subcommand("roster", "a campaign's members");
  auto ro = std::make_shared<RosterOpts>();
  roster->add_option("CAMPAIGN", ro->campaign)->required();
  roster->add_option("--status", ro->status, "only members with this status");
  roster->add_option("--filter", ro->filter, "FIELD=EXPR (repeatable)");
  roster->add_option("--limit", ro->limit, "at most this many rows");
  roster->add_option("--after", ro->after, "start after this member (paging)");
  roster->add_flag("--count", ro->count, "counts per status instead of rows");
  roster->callback([app, ro] { app->SetAction([app, ro] { return Roster(app, *ro); }); });
}

json RosterJson(const RosterRow& row, const std::optional<json>& party) {
  return {{"contact", row.member.ToString()},
          {"kind", row.member.kind() == RecordKind::kLead ? "lead" : "contact"},
          {"name", party ? party->value("name", "") : ""},
          {"status", row.m.status},
          {"responded", row.m.responded},
          {"added_at", FormatTimestamp(row.m.added_at)},
          {"added_by", row.m.added_by.value()},
          {"changed_at", FormatTimestamp(row.m.changed_at)}};
}

}  // namespace crm::cli
