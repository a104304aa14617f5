// crmctl interaction-template, salesperson, team and mail: the sales catalogue (SPEC §4.1) and
// where deliveries go (SPEC §4.6). An
// attachment is read here (the file is I/O; the aggregate only sees its bytes) and travels in
// its event; `interaction-template show` lists attachments by language, name, size and hash.
#include <sstream>

#include "cmd/app.h"
#include "cmd/table.h"
#include "projections/rows.h"

namespace crm::cli {

using nlohmann::json;

Result<Output> RunCatalog(App* app, catalog::Command c, const std::string& done) {
  return app->Write([&](Handler& h, const Request& rq) { return h.Catalog(rq, std::move(c)); },
                    [&](const json& a) { return a.value("changed", false) ? done : std::string("no change"); });
}

Result<Output> WithCatalog(App* app, const std::function<Result<Output>(const catalog::State&)>& print) {
  CRM_ASSIGN_OR_RETURN(Reader r, app->OpenReader());
  CRM_ASSIGN_OR_RETURN(catalog::State state, r.rm->Catalog());
  return print(state);
}

namespace {

// `sub` answers `print` on the catalogue as a reader sees it.
void OnCatalog(App* app, CLI::App* sub, std::function<Result<Output>(const catalog::State&)> print) {
  app->On(sub, [app, print = std::move(print)] { return WithCatalog(app, print); });
}

// `delete CODE` and `restore CODE` under `group`, for catalogue entries of `kind`.
void AddEntryDeleteRestore(App* app, CLI::App* group, fb::CatalogEntryKind kind, const std::string& delete_help) {
  for (const bool restore : {false, true}) {
    auto* sub = group->add_subcommand(restore ? "restore" : "delete",
                                      restore ? "bring a deleted one back into its list and use" : delete_help);
    auto code = std::make_shared<std::string>();
    sub->add_option("CODE", *code)->required();
    app->On(sub, [app, code, kind, restore]() -> Result<Output> {
      catalog::DeleteEntry c{kind, *code, restore, {}};
      return app->Write([&](Handler& h, const Request& rq) { return h.DeleteCatalogEntry(rq, c); },
                        DeletionText(restore));
    });
  }
}

Result<catalog::NewAttachment> ReadAttachment(const std::string& path, const std::string& language) {
  CRM_ASSIGN_OR_RETURN(auto file, ReadAttachmentFile(path));
  return catalog::NewAttachment{language, std::move(file.first), std::move(file.second)};
}

// The CODE and the options shared by `add` and `set`: as text, so that `set` can tell "not given"
// apart.
struct TemplateOptions {
  std::string code;
  std::optional<std::string> description, group, language, correspondence, unit_cost, unit_duration, flow,
      initiated_by, campaign_target, campaign_response;

  void Register(CLI::App* sub) {
    sub->add_option("CODE", code)->required();
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

// The templates; with `deleted`, the deleted ones too (marked so).
Output Templates(const catalog::State& s, bool deleted) {
  json out = json::array();
  Table t({"CODE", "DESCRIPTION", "CORRESPONDENCE", "UNIT COST", "MINUTES", "FLOW", "BY", "TARGET", "RESPONSE",
           "LANGUAGE", "ATTACHMENTS"});
  std::map<std::string, std::pair<const catalog::TemplateDef*, bool>> listed;
  for (const auto& [code, d] : s.templates) listed[code] = {&d, false};
  if (deleted) {
    for (const auto& [code, d] : s.deleted_templates) listed[code] = {&d, true};
  }
  for (const auto& [code, entry] : listed) {
    const catalog::TemplateDef& d = *entry.first;
    out.push_back(ToJson(d));
    if (entry.second) out.back()["deleted"] = true;
    t.Add({code, d.description, catalog::CorrespondenceName(d.correspondence), FormatMoney(d.unit_cost),
           std::to_string(d.unit_duration), catalog::InformationFlowName(d.flow),
           catalog::InitiatedByName(d.initiated_by), d.campaign_target ? "yes" : "no",
           d.campaign_response ? "yes" : "no", d.language, std::to_string(d.attachments.size())});
  }
  return ListOutput(std::move(out), t);
}

Result<Output> ShowTemplate(const catalog::State& s, const std::string& code) {
  const std::string key = Upper(Trim(code));
  const catalog::TemplateDef* def = nullptr;
  bool deleted = false;  // a deleted one is shown, marked so
  if (auto live = s.templates.find(key); live != s.templates.end()) {
    def = &live->second;
  } else if (auto gone = s.deleted_templates.find(key); gone != s.deleted_templates.end()) {
    def = &gone->second;
    deleted = true;
  }
  if (def == nullptr) return Status::NotFound("interaction template " + key + " does not exist");
  json row = ToJson(*def);
  if (deleted) row["deleted"] = true;
  std::ostringstream text;
  for (const auto& [k, v] : row.items()) {
    if (k != "attachments") text << k << ": " << (v.is_string() ? v.get<std::string>() : v.dump()) << '\n';
  }
  for (const auto& a : def->attachments) {
    text << "attachment " << (a.language.empty() ? "(any language)" : a.language) << ": " << a.file_name << ", "
         << a.size << " bytes, sha256 " << a.sha256 << '\n';
  }
  return JsonOrText(std::move(row), text.str());
}

void AddTemplateCommands(App* app) {
  auto* it =
      app->cli().add_subcommand("interaction-template", "interaction templates (what an interaction costs and is)");
  it->require_subcommand(1);

  auto* add = it->add_subcommand("add", "define an interaction template");
  auto opts = std::make_shared<TemplateOptions>();
  auto attachment = std::make_shared<std::string>();
  opts->Register(add);
  add->add_option("--attachment", *attachment, "a file attached for --language (a mail-merge template for email)");
  app->On(add, [app, opts, attachment]() -> Result<Output> {
    catalog::AddTemplate c;
    c.code = opts->code;
    CRM_ASSIGN_OR_RETURN(c.fields, opts->Fields());
    if (!c.fields.description) return Status::InvalidArgument("--description is required");
    if (!attachment->empty()) {
      CRM_ASSIGN_OR_RETURN(c.attachment, ReadAttachment(*attachment, opts->language.value_or("")));
    }
    return RunCatalog(app, c, "added " + Upper(opts->code));
  });

  auto* set = it->add_subcommand("set", "change an interaction template");
  auto sopts = std::make_shared<TemplateOptions>();
  sopts->Register(set);
  app->On(set, [app, sopts]() -> Result<Output> {
    CRM_ASSIGN_OR_RETURN(catalog::TemplateFields fields, sopts->Fields());
    return RunCatalog(app, catalog::SetTemplate{sopts->code, fields, std::nullopt}, "changed " + Upper(sopts->code));
  });

  auto* attach =
      it->add_subcommand("attach", "attach a file to a template for one language (replacing the earlier one)");
  auto acode = std::make_shared<std::string>();
  auto afile = std::make_shared<std::string>();
  auto alang = std::make_shared<std::string>();
  attach->add_option("CODE", *acode)->required();
  attach->add_option("FILE", *afile)->required();
  attach->add_option("--language", *alang, "language code; none: any language");
  app->On(attach, [app, acode, afile, alang]() -> Result<Output> {
    CRM_ASSIGN_OR_RETURN(catalog::NewAttachment a, ReadAttachment(*afile, *alang));
    return RunCatalog(app, catalog::SetTemplate{*acode, {}, a}, "attached " + a.file_name + " to " + Upper(*acode));
  });

  auto* list = it->add_subcommand("list", "list interaction templates");
  auto deleted = std::make_shared<bool>(false);
  list->add_flag("--deleted", *deleted, "deleted templates too (interaction-template delete)");
  OnCatalog(app, list, [deleted](const catalog::State& s) { return Templates(s, *deleted); });
  AddEntryDeleteRestore(app, it, fb::CatalogEntryKind::InteractionTemplate,
                        "delete: out of the list and of new segments (entries logged with it keep its code); refused "
                        "while a segment not logged uses it");
  auto* show = it->add_subcommand("show", "one template with its attachments");
  auto shcode = std::make_shared<std::string>();
  show->add_option("CODE", *shcode)->required();
  OnCatalog(app, show, [shcode](const catalog::State& s) { return ShowTemplate(s, *shcode); });
}

void AddSalesCommands(App* app) {
  auto* sp = app->cli().add_subcommand("salesperson", "salespeople");
  sp->require_subcommand(1);
  auto* add = sp->add_subcommand("add", "define a salesperson");
  auto c = std::make_shared<catalog::AddSalesperson>();
  add->add_option("CODE", c->code)->required();
  add->add_option("--name", c->name)->required();
  add->add_option("--email", c->email);
  app->On(add, [app, c] { return RunCatalog(app, *c, "added " + Upper(c->code)); });
  auto* set = sp->add_subcommand("set", "change a salesperson");
  auto s = std::make_shared<catalog::SetSalesperson>();
  set->add_option("CODE", s->code)->required();
  OptionalOption(set, "--name", &s->name, "full name");
  OptionalOption(set, "--email", &s->email, "email address ('' clears it)");
  app->On(set, [app, s] { return RunCatalog(app, *s, "changed " + Upper(s->code)); });
  auto* splist = sp->add_subcommand("list", "list salespeople");
  auto deleted = std::make_shared<bool>(false);
  splist->add_flag("--deleted", *deleted, "deleted salespeople too (salesperson delete)");
  OnCatalog(app, splist, [deleted](const catalog::State& st) {
    Table t({"CODE", "NAME", "EMAIL"});
    json out = ToJson(st)["salespeople"];
    for (const auto& [code, p] : st.salespeople) t.Add({code, p.name, p.email});
    if (*deleted) {
      for (const auto& [code, p] : st.deleted_salespeople) {
        out.push_back(ToJson(p));
        out.back()["deleted"] = true;
        t.Add({code, p.name + " (deleted)", p.email});
      }
    }
    return ListOutput(std::move(out), t);
  });
  AddEntryDeleteRestore(app, sp, fb::CatalogEntryKind::Salesperson,
                        "delete: out of the list and of new assignments (what names it keeps the code); refused while "
                        "contacts, leads, campaigns, segments, open tasks or opportunities, or teams name it");

  auto* team = app->cli().add_subcommand("team", "teams of salespeople");
  team->require_subcommand(1);
  auto* tadd = team->add_subcommand("add", "define a team");
  auto t = std::make_shared<catalog::AddTeam>();
  tadd->add_option("CODE", t->code)->required();
  tadd->add_option("--member", t->members, "salesperson code (repeatable)")->required();
  tadd->add_option("--description", t->description);
  app->On(tadd, [app, t] { return RunCatalog(app, *t, "added " + Upper(t->code)); });
  auto* tset = team->add_subcommand("set", "change a team (--member replaces the whole list)");
  auto ts = std::make_shared<catalog::SetTeam>();
  auto members = std::make_shared<std::vector<std::string>>();
  tset->add_option("CODE", ts->code)->required();
  tset->add_option("--member", *members, "salesperson code (repeatable)");
  OptionalOption(tset, "--description", &ts->description, "what the team is");
  app->On(tset, [app, ts, members] {
    if (!members->empty()) ts->members = *members;
    return RunCatalog(app, *ts, "changed " + Upper(ts->code));
  });
  OnCatalog(app, team->add_subcommand("list", "list teams"), [](const catalog::State& st) {
    Table tb({"CODE", "DESCRIPTION", "MEMBERS"});
    for (const auto& [code, tm] : st.teams) {
      std::string list;
      for (const auto& m : tm.members) list += (list.empty() ? "" : " ") + m;
      tb.Add({code, tm.description, list});
    }
    return ListOutput(ToJson(st)["teams"], tb);
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
  app->On(set, [app, m] { return RunCatalog(app, *m, "mail settings changed"); });
  OnCatalog(app, mail->add_subcommand("show", "show the mail settings"), [](const catalog::State& st) {
    const catalog::MailSettings& ms = st.mail;
    std::string text = "mail is not configured (crmctl mail set --smtp smtp://HOST:PORT --from ADDRESS)\n";
    if (ms.configured()) {
      text = "smtp:   " + ms.smtp_url + "\nfrom:   " + ms.from +
             "\noutbox: " + (ms.outbox.empty() ? "outbox/ in the data directory" : ms.outbox) + '\n';
    }
    return JsonOrText(ToJson(st)["mail"], text);
  });
}

}  // namespace

void AddCatalogCommands(App* app) {
  AddTemplateCommands(app);
  AddSalesCommands(app);
  AddMailCommands(app);
}

}  // namespace crm::cli
