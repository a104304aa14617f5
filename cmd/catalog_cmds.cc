// crmctl interaction-template, salesperson, team and mail: the sales catalogue (SPEC §4.1) and
// where deliveries go (SPEC §4.6). An
// attachment is read here (the file is I/O; the aggregate only sees its bytes) and travels in
// its event; `interaction-template show` lists attachments by language, name, size and hash.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <system_error>

#include "cmd/app.h"
#include "cmd/table.h"
#include "projections/rows.h"

namespace crm::cli {

using nlohmann::json;

int RunCatalog(App* app, catalog::Command c, const std::string& done) {
  auto h = app->OpenWriter();
  if (!h.ok()) return app->Fail(h.status());
  return app->Answer((*h)->Catalog(app->MakeRequest(), std::move(c)),
                     [done](const json& a) { return a.value("changed", false) ? done : std::string("no change"); });
}

int WithCatalog(App* app, const std::function<int(const catalog::State&)>& print) {
  auto r = app->OpenReader();
  if (!r.ok()) return app->Fail(r.status());
  auto state = r->rm->Catalog();
  if (!state.ok()) return app->Fail(state.status());
  return print(*state);
}

namespace {

Result<catalog::NewAttachment> ReadAttachment(const std::string& path, const std::string& language) {
  CRM_ASSIGN_OR_RETURN(auto file, ReadAttachmentFile(path));
  return catalog::NewAttachment{language, std::move(file.first), std::move(file.second)};
}

// Options shared by `add` and `set`: as text, so that `set` can tell "not given" apart.
struct TemplateOptions {
  std::optional<std::string> description, group, language, correspondence, unit_cost, unit_duration, flow,
      initiated_by, campaign_target, campaign_response;

  void Register(CLI::App* sub) {
    OptionalOption(sub, "--description", &description, "what the template is for");
    OptionalOption(sub, "--group", &group, "interaction group code");
    OptionalOption(sub, "--correspondence", &correspondence, "email or letter");
    OptionalOption(sub, "--unit-cost", &unit_cost, "cost of one interaction");
    OptionalOption(sub, "--unit-duration", &unit_duration, "minutes one interaction takes");
    OptionalOption(sub, "--information-flow", &flow, "outbound or inbound");
    OptionalOption(sub, "--initiated-by", &initiated_by, "us or them");
    OptionalOption(sub, "--campaign-target", &campaign_target, "yes or no: lines become campaign targets");
    OptionalOption(sub, "--campaign-response", &campaign_response, "yes or no: interactions are responses");
    OptionalOption(sub, "--language", &language, "default language code");
  }

  Result<catalog::TemplateFields> Fields() const {
    catalog::TemplateFields f;
    f.description = description;
    f.group = group;
    f.language = language;
    if (correspondence) {
      CRM_ASSIGN_OR_RETURN(f.correspondence, catalog::ParseCorrespondence(*correspondence));
    }
    CRM_ASSIGN_OR_RETURN(f.unit_cost, OptMoney(unit_cost, "--unit-cost"));
    CRM_ASSIGN_OR_RETURN(f.unit_duration, OptMinutes(unit_duration, "--unit-duration"));
    if (flow) {
      CRM_ASSIGN_OR_RETURN(f.flow, catalog::ParseInformationFlow(*flow));
    }
    if (initiated_by) {
      CRM_ASSIGN_OR_RETURN(f.initiated_by, catalog::ParseInitiatedBy(*initiated_by));
    }
    CRM_ASSIGN_OR_RETURN(f.campaign_target, ParseYesNo(campaign_target, "--campaign-target"));
    CRM_ASSIGN_OR_RETURN(f.campaign_response, ParseYesNo(campaign_response, "--campaign-response"));
    return f;
  }
};

void PrintTemplates(App* app, const catalog::State& s) {
  if (app->globals().json) {
    json out = json::array();
    for (const auto& [code, t] : s.templates) out.push_back(ToJson(t));
    app->PrintJson(out);
    return;
  }
  Table t({"CODE", "DESCRIPTION", "CORRESPONDENCE", "UNIT COST", "MINUTES", "FLOW", "BY", "TARGET", "RESPONSE", "LANGUAGE",
           "ATTACHMENTS"});
  for (const auto& [code, d] : s.templates) {
    t.Add({code, d.description, catalog::CorrespondenceName(d.correspondence), FormatMoney(d.unit_cost),
           std::to_string(d.unit_duration), catalog::InformationFlowName(d.flow), catalog::InitiatedByName(d.initiated_by),
           d.campaign_target ? "yes" : "no", d.campaign_response ? "yes" : "no", d.language,
           std::to_string(d.attachments.size())});
  }
  t.Print(std::cout);
}

int ShowTemplate(App* app, const catalog::State& s, const std::string& code) {
  auto it = s.templates.find(Upper(Trim(code)));
  if (it == s.templates.end()) return app->Fail(Status::NotFound("interaction template " + Upper(Trim(code)) + " does not exist"));
  const json row = ToJson(it->second);
  if (app->globals().json) {
    app->PrintJson(row);
    return 0;
  }
  for (const auto& [k, v] : row.items()) {
    if (k != "attachments") std::cout << k << ": " << (v.is_string() ? v.get<std::string>() : v.dump()) << '\n';
  }
  for (const auto& a : it->second.attachments) {
    std::cout << "attachment " << (a.language.empty() ? "(any language)" : a.language) << ": " << a.file_name << ", "
              << a.size << " bytes, sha256 " << a.sha256 << '\n';
  }
  return 0;
}

void AddTemplateCommands(App* app) {
  auto* it = app->cli().add_subcommand("interaction-template", "interaction templates (what an interaction costs and is)");
  it->require_subcommand(1);

  auto* add = it->add_subcommand("add", "define an interaction template");
  auto code = std::make_shared<std::string>();
  auto opts = std::make_shared<TemplateOptions>();
  auto attachment = std::make_shared<std::string>();
  add->add_option("CODE", *code)->required();
  opts->Register(add);
  add->add_option("--attachment", *attachment, "a file attached for --language (a mail-merge template for email)");
  add->callback([app, code, opts, attachment] {
    app->SetAction([app, code, opts, attachment] {
      catalog::AddTemplate c;
      c.code = *code;
      auto fields = opts->Fields();
      if (!fields.ok()) return app->Fail(fields.status());
      if (!fields->description) return app->Fail(Status::InvalidArgument("--description is required"));
      c.fields = *fields;
      if (!attachment->empty()) {
        auto a = ReadAttachment(*attachment, opts->language.value_or(""));
        if (!a.ok()) return app->Fail(a.status());
        c.attachment = *a;
      }
      return RunCatalog(app, c, "added " + Upper(*code));
    });
  });

  auto* set = it->add_subcommand("set", "change an interaction template");
  auto scode = std::make_shared<std::string>();
  auto sopts = std::make_shared<TemplateOptions>();
  set->add_option("CODE", *scode)->required();
  sopts->Register(set);
  set->callback([app, scode, sopts] {
    app->SetAction([app, scode, sopts] {
      auto fields = sopts->Fields();
      if (!fields.ok()) return app->Fail(fields.status());
      return RunCatalog(app, catalog::SetTemplate{*scode, *fields, std::nullopt}, "changed " + Upper(*scode));
    });
  });

  auto* attach = it->add_subcommand("attach", "attach a file to a template for one language (replacing the earlier one)");
  auto acode = std::make_shared<std::string>();
  auto afile = std::make_shared<std::string>();
  auto alang = std::make_shared<std::string>();
  attach->add_option("CODE", *acode)->required();
  attach->add_option("FILE", *afile)->required();
  attach->add_option("--language", *alang, "language code; none: any language");
  attach->callback([app, acode, afile, alang] {
    app->SetAction([app, acode, afile, alang] {
      auto a = ReadAttachment(*afile, *alang);
      if (!a.ok()) return app->Fail(a.status());
      return RunCatalog(app, catalog::SetTemplate{*acode, {}, *a}, "attached " + a->file_name + " to " + Upper(*acode));
    });
  });

  it->add_subcommand("list", "list interaction templates")->callback([app] {
    app->SetAction([app] {
      return WithCatalog(app, [app](const catalog::State& s) {
        PrintTemplates(app, s);
        return 0;
      });
    });
  });
  auto* show = it->add_subcommand("show", "one template with its attachments");
  auto shcode = std::make_shared<std::string>();
  show->add_option("CODE", *shcode)->required();
  show->callback([app, shcode] {
    app->SetAction([app, shcode] {
      return WithCatalog(app, [app, shcode](const catalog::State& s) { return ShowTemplate(app, s, *shcode); });
    });
  });
}

void AddSalesCommands(App* app) {
  auto* sp = app->cli().add_subcommand("salesperson", "salespeople");
  sp->require_subcommand(1);
  auto* add = sp->add_subcommand("add", "define a salesperson");
  auto c = std::make_shared<catalog::AddSalesperson>();
  add->add_option("CODE", c->code)->required();
  add->add_option("--name", c->name)->required();
  add->add_option("--email", c->email);
  add->callback([app, c] { app->SetAction([app, c] { return RunCatalog(app, *c, "added " + Upper(c->code)); }); });
  auto* set = sp->add_subcommand("set", "change a salesperson");
  auto s = std::make_shared<catalog::SetSalesperson>();
  set->add_option("CODE", s->code)->required();
  OptionalOption(set, "--name", &s->name, "full name");
  OptionalOption(set, "--email", &s->email, "email address ('' clears it)");
  set->callback([app, s] { app->SetAction([app, s] { return RunCatalog(app, *s, "changed " + Upper(s->code)); }); });
  sp->add_subcommand("list", "list salespeople")->callback([app] {
    app->SetAction([app] {
      return WithCatalog(app, [app](const catalog::State& st) {
        json out = ToJson(st)["salespeople"];
        if (app->globals().json) {
          app->PrintJson(out);
          return 0;
        }
        Table t({"CODE", "NAME", "EMAIL"});
        for (const auto& [code, p] : st.salespeople) t.Add({code, p.name, p.email});
        t.Print(std::cout);
        return 0;
      });
    });
  });

  auto* team = app->cli().add_subcommand("team", "teams of salespeople");
  team->require_subcommand(1);
  auto* tadd = team->add_subcommand("add", "define a team");
  auto t = std::make_shared<catalog::AddTeam>();
  tadd->add_option("CODE", t->code)->required();
  tadd->add_option("--member", t->members, "salesperson code (repeatable)")->required();
  tadd->add_option("--description", t->description);
  tadd->callback([app, t] { app->SetAction([app, t] { return RunCatalog(app, *t, "added " + Upper(t->code)); }); });
  auto* tset = team->add_subcommand("set", "change a team (--member replaces the whole list)");
  auto ts = std::make_shared<catalog::SetTeam>();
  auto members = std::make_shared<std::vector<std::string>>();
  tset->add_option("CODE", ts->code)->required();
  tset->add_option("--member", *members, "salesperson code (repeatable)");
  OptionalOption(tset, "--description", &ts->description, "what the team is");
  tset->callback([app, ts, members] {
    app->SetAction([app, ts, members] {
      if (!members->empty()) ts->members = *members;
      return RunCatalog(app, *ts, "changed " + Upper(ts->code));
    });
  });
  team->add_subcommand("list", "list teams")->callback([app] {
    app->SetAction([app] {
      return WithCatalog(app, [app](const catalog::State& st) {
        if (app->globals().json) {
          app->PrintJson(ToJson(st)["teams"]);
          return 0;
        }
        Table tb({"CODE", "DESCRIPTION", "MEMBERS"});
        for (const auto& [code, tm] : st.teams) {
          std::string list;
          for (const auto& m : tm.members) list += (list.empty() ? "" : " ") + m;
          tb.Add({code, tm.description, list});
        }
        tb.Print(std::cout);
        return 0;
      });
    });
  });
}

void AddMailCommands(App* app) {
  auto* mail = app->cli().add_subcommand("mail", "where deliveries go (SMTP server, sender, outbox)");
  mail->require_subcommand(1);
  auto* set = mail->add_subcommand("set", "set the SMTP server, the sender address and the letters' outbox");
  auto m = std::make_shared<catalog::SetMail>();
  OptionalOption(set, "--smtp", &m->smtp_url, "smtp://HOST[:PORT] or smtps://HOST[:PORT]");
  OptionalOption(set, "--from", &m->from, "the sender's address");
  OptionalOption(set, "--outbox", &m->outbox, "directory for letters (default: outbox/ in the data directory)");
  set->callback([app, m] { app->SetAction([app, m] { return RunCatalog(app, *m, "mail settings changed"); }); });
  mail->add_subcommand("show", "show the mail settings")->callback([app] {
    app->SetAction([app] {
      return WithCatalog(app, [app](const catalog::State& st) {
        const json out = ToJson(st)["mail"];
        if (app->globals().json) {
          app->PrintJson(out);
          return 0;
        }
        if (!st.mail.configured()) {
          std::cout << "mail is not configured (crmctl mail set --smtp smtp://HOST:PORT --from ADDRESS)\n";
          return 0;
        }
        std::cout << "smtp:   " << st.mail.smtp_url << "\nfrom:   " << st.mail.from
                  << "\noutbox: " << (st.mail.outbox.empty() ? "outbox/ in the data directory" : st.mail.outbox) << '\n';
        return 0;
      });
    });
  });
}

}  // namespace

void AddCatalogCommands(App* app) {
  AddTemplateCommands(app);
  AddSalesCommands(app);
  AddMailCommands(app);
}

}  // namespace crm::cli
