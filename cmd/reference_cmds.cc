// crmctl init, campaign-status, member-status, code, view and field: the reference data (SPEC
// §4.1, §4.11).
#include <filesystem>

#include "cmd/app.h"
#include "cmd/list_page.h"
#include "cmd/table.h"
#include "projections/rows.h"

namespace crm::cli {
namespace {

using nlohmann::json;

// Runs a reference-data command through the handler.
Result<Output> RunReference(App* app, reference::Command c, const App::HumanFn& human, bool create = false) {
  CRM_ASSIGN_OR_RETURN(auto h, app->OpenWriter(create));
  return app->Answer(h->Reference(app->MakeRequest(), std::move(c)), human);
}

Result<Output> ListReference(App* app, const std::function<Output(const reference::State&)>& list) {
  CRM_ASSIGN_OR_RETURN(Reader r, app->OpenReader());
  CRM_ASSIGN_OR_RETURN(reference::State ref, r.rm->Reference());
  return list(ref);
}

// The answer's text: `done` when it changed something, else `unchanged`.
App::HumanFn Done(std::string done, std::string unchanged = "no change") {
  return [done = std::move(done), unchanged = std::move(unchanged)](const json& a) {
    return a.value("changed", false) ? done : unchanged;
  };
}

// remove NAME [--replace-with TO]: also how many `what` (members, leads) moved to TO.
App::HumanFn Removed(const std::string& name, const std::string& what, const std::string& to) {
  return [done = Done("removed " + name), what, to](const json& a) {
    std::string s = done(a);
    if (a.contains(what + "_moved")) {
      s += " (" + std::to_string(a[what + "_moved"].get<int>()) + " " + what + " moved to " + to + ")";
    }
    return s;
  };
}

// The names a custom field of `on` may not take: those its list filters on, its rows show and its
// imports read (contacts and leads share one list, so they keep each other's names too).
std::vector<std::string> OwnFieldNames(const std::string& on) {
  std::vector<std::string> out;
  const bool campaign = on == "campaign";
  for (const FieldDef& f : (campaign ? CampaignSchema() : SegmentSchema()).fields()) out.push_back(f.name);
  for (const FieldDef& f : RosterSchema().fields()) out.push_back(f.name);
  auto keys = [&](const json& row) {
    for (const auto& [k, v] : row.items()) out.push_back(k);
  };
  if (campaign) {
    keys(ToJson(campaign::State{}));
  } else {
    keys(ToJson(contact::ContactState{}));
    contact::LeadState converted;
    converted.converted_to = "CT0001";
    keys(ToJson(converted));
    for (const auto target : {import::Target::kContacts, import::Target::kLeads}) {
      for (const std::string& name : import::FieldNames(target)) out.push_back(name);
    }
  }
  out.push_back("custom");
  return out;
}

void AddFieldCommands(App* app) {
  auto* field = app->cli().add_subcommand("field", "custom fields of contacts, leads and campaigns");
  field->require_subcommand(1);
  auto* add = field->add_subcommand("add", "define a custom field");
  auto c = std::make_shared<reference::AddCustomField>();
  auto type = std::make_shared<std::string>("text");
  add->add_option("ON", c->def.on, "contact, lead or campaign")->required();
  add->add_option("NAME", c->def.name, "a letter, then letters, digits or _")->required();
  add->add_option("--type", *type, "text (default), number, date, bool or picklist");
  add->add_option("--values", c->def.values, "a picklist's values, in order (A,B,C)")->delimiter(',');
  app->On(add, [app, c, type]() -> Result<Output> {
    CRM_ASSIGN_OR_RETURN(c->def.type, custom::ParseType(*type));
    CRM_ASSIGN_OR_RETURN(c->def.on, custom::ParseOn(c->def.on));
    c->reserved = OwnFieldNames(c->def.on);
    return RunReference(app, *c, Done("added " + c->def.on + " field " + Trim(c->def.name)));
  });
  auto* list = field->add_subcommand("list", "list the custom fields");
  auto on = std::make_shared<std::string>();
  list->add_option("ON", *on, "only those of contact, lead or campaign");
  app->On(list, [app, on]() -> Result<Output> {
    std::string only;
    if (!on->empty()) {
      CRM_ASSIGN_OR_RETURN(only, custom::ParseOn(*on));
    }
    return ListReference(app, [only](const reference::State& ref) {
      json out = json::array();
      Table t({"ON", "NAME", "TYPE", "VALUES"});
      for (const custom::FieldDef& f : ref.custom_fields) {
        if (!only.empty() && f.on != only) continue;
        out.push_back(ToJson(f));
        std::string values;
        for (const std::string& v : f.values) values += (values.empty() ? "" : ", ") + v;
        t.Add({f.on, f.name, custom::TypeName(f.type), values});
      }
      return ListOutput(std::move(out), t);
    });
  });
}

}  // namespace

void AddReferenceCommands(App* app) {
  auto& cli = app->cli();

  auto* init = cli.add_subcommand("init", "create a data set in --data");
  auto currency = std::make_shared<std::optional<std::string>>();
  OptionalOption(init, "--currency", currency.get(), "ISO 4217 currency of all amounts (default EUR; fixed once set)");
  app->On(init, [app, currency] {
    const std::string& dir = app->globals().data_dir;
    std::error_code ec;
    const bool existed = std::filesystem::exists(dir, ec);
    Result<Output> out = RunReference(app, reference::InitDataSet{*currency},
                                      Done("initialised " + dir, dir + " was already initialised"), /*create=*/true);
    // A refused init (a currency that is no currency) leaves no data directory it made behind.
    if (!out.ok() && !existed) std::filesystem::remove_all(dir, ec);
    return out;
  });

  // campaign-status
  auto* cs = cli.add_subcommand("campaign-status", "campaign status codes");
  cs->require_subcommand(1);
  {
    auto* add = cs->add_subcommand("add", "define a campaign status code");
    auto c = std::make_shared<reference::AddCampaignStatus>();
    add->add_option("CODE", c->code)->required();
    add->add_option("--description", c->description);
    app->On(add, [app, c] { return RunReference(app, *c, Done("added " + Upper(c->code))); });
    auto* rm = cs->add_subcommand("remove", "remove an unused campaign status code");
    auto r = std::make_shared<reference::RemoveCampaignStatus>();
    rm->add_option("CODE", r->code)->required();
    app->On(rm, [app, r] { return RunReference(app, *r, Done("removed " + Upper(r->code))); });
    app->On(cs->add_subcommand("list", "list campaign status codes"), [app] {
      return ListReference(app, [](const reference::State& ref) {
        json out = json::array();
        Table t({"CODE", "DESCRIPTION"});
        for (const auto& [code, desc] : ref.campaign_statuses) {
          out.push_back({{"code", code}, {"description", desc}});
          t.Add({code, desc});
        }
        return ListOutput(std::move(out), t);
      });
    });
  }

  // member-status
  auto* ms = cli.add_subcommand("member-status", "the campaign member status catalogue");
  ms->require_subcommand(1);
  {
    auto* add = ms->add_subcommand("add", "define a member status");
    auto c = std::make_shared<reference::AddMemberStatus>();
    add->add_option("NAME", c->name)->required();
    add->add_flag("--responded", c->responded, "members with it count as responded");
    add->add_flag("--default", c->is_default, "the status new members get");
    add->add_option("--order", c->order, "display order");
    app->On(add, [app, c] { return RunReference(app, *c, Done("added " + c->name)); });

    auto* set = ms->add_subcommand("set", "change a member status");
    auto sc = std::make_shared<reference::SetMemberStatus>();
    auto responded = std::make_shared<std::optional<std::string>>();
    auto make_default = std::make_shared<bool>(false);
    set->add_option("NAME", sc->name)->required();
    OptionalOption(set, "--responded", responded.get(), "yes or no");
    set->add_flag("--default", *make_default, "make it the default");
    set->add_option("--order", sc->order, "display order");
    app->On(set, [app, sc, responded, make_default]() -> Result<Output> {
      CRM_ASSIGN_OR_RETURN(sc->responded, ParseYesNo(*responded, "--responded"));
      if (*make_default) sc->is_default = true;
      return RunReference(app, *sc, Done("changed " + sc->name));
    });

    auto* rm = ms->add_subcommand("remove", "remove a member status");
    auto r = std::make_shared<reference::RemoveMemberStatus>();
    rm->add_option("NAME", r->name)->required();
    rm->add_option("--replace-with", r->replace_with, "move its members to this status first");
    app->On(rm, [app, r] { return RunReference(app, *r, Removed(r->name, "members", r->replace_with)); });

    app->On(ms->add_subcommand("list", "list member statuses"), [app] {
      return ListReference(app, [](const reference::State& ref) {
        json out = json::array();
        Table t({"NAME", "RESPONDED", "DEFAULT", "ORDER"});
        for (const auto& d : ref.member_statuses) {
          out.push_back({{"name", d.name}, {"responded", d.responded}, {"default", d.is_default}, {"order", d.order}});
          t.Add({d.name, d.responded ? "yes" : "no", d.is_default ? "yes" : "", std::to_string(d.order)});
        }
        return ListOutput(std::move(out), t);
      });
    });
  }

  // lead-status
  auto* ls =
      cli.add_subcommand("lead-status", "the lead status catalogue (New, Contacted, Qualified, Lost until changed)");
  ls->require_subcommand(1);
  {
    auto* add = ls->add_subcommand("add", "define a lead status");
    auto c = std::make_shared<reference::AddLeadStatus>();
    add->add_option("NAME", c->name)->required();
    add->add_option("--order", c->order, "display order (default: after the last; the first is what new leads get)");
    app->On(add, [app, c] { return RunReference(app, *c, Done("added " + c->name)); });
    auto* rm = ls->add_subcommand("remove", "remove a lead status");
    auto r = std::make_shared<reference::RemoveLeadStatus>();
    rm->add_option("NAME", r->name)->required();
    rm->add_option("--replace-with", r->replace_with, "move its leads to this status first");
    app->On(rm, [app, r] { return RunReference(app, *r, Removed(r->name, "leads", r->replace_with)); });
    app->On(ls->add_subcommand("list", "list lead statuses"), [app] {
      return ListReference(app, [](const reference::State& ref) {
        json out = json::array();
        Table t({"NAME", "ORDER"});
        for (const auto& d : ref.LeadStatuses()) {
          out.push_back({{"name", d.name}, {"order", d.order}});
          t.Add({d.name, std::to_string(d.order)});
        }
        return ListOutput(std::move(out), t);
      });
    });
  }

  // view save|list|remove: saved views of contacts, leads and campaigns (SPEC §4.11).
  {
    auto* view = app->cli().add_subcommand("view", "saved views: named lists with their filters, sort and search");
    view->require_subcommand(1);
    auto* save = view->add_subcommand("save", "save a view (again under its name: replaces it)");
    auto v = std::make_shared<reference::SavedView>();
    save->add_option("NAME", v->name)->required();
    save->add_option("--on", v->on, "the list it is of: contacts, leads or campaigns")
        ->required()
        ->check(CLI::IsMember({"contacts", "leads", "campaigns"}));
    save->add_option("--filter", v->filters, "FIELD=EXPR (repeatable; all must hold)");
    save->add_option("--sort", v->sort, "FIELD[,-FIELD]");
    save->add_option("--search", v->search, "text the rows contain");
    app->On(save, [app, v]() -> Result<Output> {
      // Its filters and sort must read as the list's own would, now rather than when used.
      {
        CRM_ASSIGN_OR_RETURN(Reader r, app->OpenReader());
        const FieldSchema& schema = v->on == "campaigns" ? CampaignSchema() : PartySchema();
        CRM_RETURN_IF_ERROR(r.rm->ParseFilter(v->filters, schema).status());
        ListQuery q;
        q.sort = v->sort;
        CRM_RETURN_IF_ERROR(ListPage::Make(q, "no", {}).status());
      }
      return RunReference(app, reference::SaveView{*v}, Done("saved view " + v->name));
    });
    auto* remove = view->add_subcommand("remove", "remove a saved view");
    auto name = std::make_shared<std::string>();
    remove->add_option("NAME", *name)->required();
    app->On(remove, [app, name] { return RunReference(app, reference::RemoveView{*name}, Done("removed view " + *name)); });
    app->On(view->add_subcommand("list", "list saved views"), [app] {
      return ListReference(app, [](const reference::State& ref) {
        json out = json::array();
        Table t({"NAME", "ON", "FILTERS", "SORT", "SEARCH"});
        for (const auto& [key, v] : ref.views) {
          out.push_back({{"name", v.name}, {"on", v.on}, {"filters", v.filters}, {"sort", v.sort}, {"search", v.search}});
          std::string filters;
          for (const auto& f : v.filters) filters += (filters.empty() ? "" : " ") + f;
          t.Add({v.name, v.on, filters, v.sort, v.search});
        }
        return ListOutput(std::move(out), t);
      });
    });
  }

  // code
  auto* code = cli.add_subcommand(
      "code", "profile codes: job-responsibility, business-relation, industry-group, mailing-group, territory");
  code->require_subcommand(1);
  {
    auto* add = code->add_subcommand("add", "define a profile code");
    auto kind = std::make_shared<std::string>();
    auto c = std::make_shared<reference::AddProfileCode>();
    add->add_option("KIND", *kind)->required();
    add->add_option("CODE", c->code)->required();
    add->add_option("--description", c->description);
    app->On(add, [app, kind, c]() -> Result<Output> {
      CRM_ASSIGN_OR_RETURN(c->kind, reference::ParseProfileKind(*kind));
      return RunReference(app, *c, Done("added " + *kind + " " + Upper(c->code)));
    });
    auto* list = code->add_subcommand("list", "list profile codes");
    auto lkind = std::make_shared<std::string>();
    list->add_option("KIND", *lkind);
    app->On(list, [app, lkind]() -> Result<Output> {
      std::optional<fb::ProfileKind> only;
      if (!lkind->empty()) {
        CRM_ASSIGN_OR_RETURN(only, reference::ParseProfileKind(*lkind));
      }
      return ListReference(app, [only](const reference::State& ref) {
        json out = json::array();
        Table t({"KIND", "CODE", "DESCRIPTION"});
        for (const auto& [k, codes] : ref.codes) {
          if (only && *only != k) continue;
          for (const auto& [c, d] : codes) {
            out.push_back({{"kind", reference::ProfileKindName(k)}, {"code", c}, {"description", d}});
            t.Add({reference::ProfileKindName(k), c, d});
          }
        }
        return ListOutput(std::move(out), t);
      });
    });
  }
  AddFieldCommands(app);
}

}  // namespace crm::cli
