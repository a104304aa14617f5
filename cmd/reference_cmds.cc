// crmctl init, campaign-status, member-status and code: the reference data (SPEC §4.1).
#include <iostream>

#include "cmd/app.h"
#include "cmd/table.h"

namespace crm::cli {
namespace {

using nlohmann::json;

// Runs a reference-data command through the handler.
int RunReference(App* app, reference::Command c, std::function<std::string(const json&)> human, bool create = false) {
  auto h = app->OpenWriter(create);
  if (!h.ok()) return app->Fail(h.status());
  return app->Answer((*h)->Reference(app->MakeRequest(), std::move(c)), human);
}

int ListReference(App* app, const std::function<int(const reference::State&)>& print) {
  auto r = app->OpenReader();
  if (!r.ok()) return app->Fail(r.status());
  auto ref = r->rm->Reference();
  if (!ref.ok()) return app->Fail(ref.status());
  return print(*ref);
}

std::string Changed(const json& a, const std::string& yes, const std::string& no) {
  return a.value("changed", false) ? yes : no;
}

}  // namespace

void AddReferenceCommands(App* app) {
  auto& cli = app->cli();

  auto* init = cli.add_subcommand("init", "create a data set in --data");
  auto currency = std::make_shared<std::string>("EUR");
  init->add_option("--currency", *currency, "ISO 4217 currency of all amounts");
  init->callback([app, currency] {
    app->SetAction([app, currency] {
      return RunReference(app, reference::InitDataSet{*currency},
                          [app](const json& a) {
                            return Changed(a, "initialised " + app->globals().data_dir,
                                           app->globals().data_dir + " was already initialised");
                          },
                          /*create=*/true);
    });
  });

  // campaign-status
  auto* cs = cli.add_subcommand("campaign-status", "campaign status codes");
  cs->require_subcommand(1);
  {
    auto* add = cs->add_subcommand("add", "define a campaign status code");
    auto c = std::make_shared<reference::AddCampaignStatus>();
    add->add_option("CODE", c->code)->required();
    add->add_option("--description", c->description);
    add->callback([app, c] {
      app->SetAction([app, c] {
        return RunReference(app, *c, [c](const json& a) { return Changed(a, "added " + Upper(c->code), "no change"); });
      });
    });
    auto* rm = cs->add_subcommand("remove", "remove an unused campaign status code");
    auto r = std::make_shared<reference::RemoveCampaignStatus>();
    rm->add_option("CODE", r->code)->required();
    rm->callback([app, r] {
      app->SetAction([app, r] {
        return RunReference(app, *r, [r](const json& a) { return Changed(a, "removed " + Upper(r->code), "no change"); });
      });
    });
    cs->add_subcommand("list", "list campaign status codes")->callback([app] {
      app->SetAction([app] {
        return ListReference(app, [app](const reference::State& ref) {
          if (app->globals().json) {
            json out = json::array();
            for (const auto& [code, desc] : ref.campaign_statuses) out.push_back({{"code", code}, {"description", desc}});
            app->PrintJson(out);
            return 0;
          }
          Table t({"CODE", "DESCRIPTION"});
          for (const auto& [code, desc] : ref.campaign_statuses) t.Add({code, desc});
          t.Print(std::cout);
          return 0;
        });
      });
    });
  }

  // member-status
  auto* ms = cli.add_subcommand("member-status", "the campaign member status catalogue");
  ms->require_subcommand(1);
  {
    auto* add = ms->add_subcommand("add", "define a member status");
    auto c = std::make_shared<reference::AddMemberStatus>();
    auto order = std::make_shared<std::optional<int32_t>>();
    add->add_option("NAME", c->name)->required();
    add->add_flag("--responded", c->responded, "members with it count as responded");
    add->add_flag("--default", c->is_default, "the status new members get");
    add->add_option("--order", *order, "display order");
    add->callback([app, c, order] {
      app->SetAction([app, c, order] {
        c->order = *order;
        return RunReference(app, *c, [c](const json& a) { return Changed(a, "added " + c->name, "no change"); });
      });
    });

    auto* set = ms->add_subcommand("set", "change a member status");
    auto sname = std::make_shared<std::string>();
    auto responded = std::make_shared<std::optional<std::string>>();
    auto make_default = std::make_shared<bool>(false);
    auto sorder = std::make_shared<std::optional<int32_t>>();
    set->add_option("NAME", *sname)->required();
    OptionalOption(set, "--responded", responded.get(), "yes or no");
    set->add_flag("--default", *make_default, "make it the default");
    set->add_option("--order", *sorder, "display order");
    set->callback([app, sname, responded, make_default, sorder] {
      app->SetAction([app, sname, responded, make_default, sorder] {
        reference::SetMemberStatus c;
        c.name = *sname;
        auto yes = ParseYesNo(*responded, "--responded");
        if (!yes.ok()) return app->Fail(yes.status());
        c.responded = *yes;
        if (*make_default) c.is_default = true;
        c.order = *sorder;
        return RunReference(app, c, [sname](const json& a) { return Changed(a, "changed " + *sname, "no change"); });
      });
    });

    auto* rm = ms->add_subcommand("remove", "remove a member status");
    auto r = std::make_shared<reference::RemoveMemberStatus>();
    rm->add_option("NAME", r->name)->required();
    rm->add_option("--replace-with", r->replace_with, "move its members to this status first");
    rm->callback([app, r] {
      app->SetAction([app, r] {
        return RunReference(app, *r, [r](const json& a) {
          std::string s = Changed(a, "removed " + r->name, "no change");
          if (a.contains("members_moved")) s += " (" + std::to_string(a["members_moved"].get<int>()) + " members moved to " + r->replace_with + ")";
          return s;
        });
      });
    });

    ms->add_subcommand("list", "list member statuses")->callback([app] {
      app->SetAction([app] {
        return ListReference(app, [app](const reference::State& ref) {
          if (app->globals().json) {
            json out = json::array();
            for (const auto& d : ref.member_statuses) {
              out.push_back({{"name", d.name}, {"responded", d.responded}, {"default", d.is_default}, {"order", d.order}});
            }
            app->PrintJson(out);
            return 0;
          }
          Table t({"NAME", "RESPONDED", "DEFAULT", "ORDER"});
          for (const auto& d : ref.member_statuses) {
            t.Add({d.name, d.responded ? "yes" : "no", d.is_default ? "yes" : "", std::to_string(d.order)});
          }
          t.Print(std::cout);
          return 0;
        });
      });
    });
  }

  // lead-status
  auto* ls = cli.add_subcommand("lead-status", "the lead status catalogue (New, Contacted, Qualified, Lost until changed)");
  ls->require_subcommand(1);
  {
    auto* add = ls->add_subcommand("add", "define a lead status");
    auto c = std::make_shared<reference::AddLeadStatus>();
    auto order = std::make_shared<std::optional<int32_t>>();
    add->add_option("NAME", c->name)->required();
    add->add_option("--order", *order, "display order (default: after the last; the first is what new leads get)");
    add->callback([app, c, order] {
      app->SetAction([app, c, order] {
        c->order = *order;
        return RunReference(app, *c, [c](const json& a) { return Changed(a, "added " + c->name, "no change"); });
      });
    });
    auto* rm = ls->add_subcommand("remove", "remove a lead status");
    auto r = std::make_shared<reference::RemoveLeadStatus>();
    rm->add_option("NAME", r->name)->required();
    rm->add_option("--replace-with", r->replace_with, "move its leads to this status first");
    rm->callback([app, r] {
      app->SetAction([app, r] {
        return RunReference(app, *r, [r](const json& a) {
          std::string s = Changed(a, "removed " + r->name, "no change");
          if (a.contains("leads_moved")) s += " (" + std::to_string(a["leads_moved"].get<int>()) + " leads moved to " + r->replace_with + ")";
          return s;
        });
      });
    });
    ls->add_subcommand("list", "list lead statuses")->callback([app] {
      app->SetAction([app] {
        return ListReference(app, [app](const reference::State& ref) {
          if (app->globals().json) {
            json out = json::array();
            for (const auto& d : ref.LeadStatuses()) out.push_back({{"name", d.name}, {"order", d.order}});
            app->PrintJson(out);
            return 0;
          }
          Table t({"NAME", "ORDER"});
          for (const auto& d : ref.LeadStatuses()) t.Add({d.name, std::to_string(d.order)});
          t.Print(std::cout);
          return 0;
        });
      });
    });
  }

  // code
  auto* code = cli.add_subcommand("code", "profile codes: job-responsibility, business-relation, industry-group, mailing-group, territory");
  code->require_subcommand(1);
  {
    auto* add = code->add_subcommand("add", "define a profile code");
    auto kind = std::make_shared<std::string>();
    auto c = std::make_shared<reference::AddProfileCode>();
    add->add_option("KIND", *kind)->required();
    add->add_option("CODE", c->code)->required();
    add->add_option("--description", c->description);
    add->callback([app, kind, c] {
      app->SetAction([app, kind, c] {
        auto k = reference::ParseProfileKind(*kind);
        if (!k.ok()) return app->Fail(k.status());
        c->kind = *k;
        return RunReference(app, *c, [c, kind](const json& a) {
          return Changed(a, "added " + *kind + " " + Upper(c->code), "no change");
        });
      });
    });
    auto* list = code->add_subcommand("list", "list profile codes");
    auto lkind = std::make_shared<std::string>();
    list->add_option("KIND", *lkind);
    list->callback([app, lkind] {
      app->SetAction([app, lkind] {
        std::optional<fb::ProfileKind> only;
        if (!lkind->empty()) {
          auto k = reference::ParseProfileKind(*lkind);
          if (!k.ok()) return app->Fail(k.status());
          only = *k;
        }
        return ListReference(app, [app, only](const reference::State& ref) {
          json out = json::array();
          Table t({"KIND", "CODE", "DESCRIPTION"});
          for (const auto& [k, codes] : ref.codes) {
            if (only && *only != k) continue;
            for (const auto& [c, d] : codes) {
              out.push_back({{"kind", reference::ProfileKindName(k)}, {"code", c}, {"description", d}});
              t.Add({reference::ProfileKindName(k), c, d});
            }
          }
          return app->PrintList(out, t);
        });
      });
    });
  }
}

}  // namespace crm::cli
