// crmctl contact and lead: create, set, show, list (SPEC §4.2).
#include <iostream>

#include "cmd/app.h"
#include "app/delivery.h"
#include "cmd/table.h"
#include "io/eml.h"

namespace crm::cli {
namespace {

using nlohmann::json;

// Options for the fields contacts and leads share; each remembers whether it was given.
struct FieldOpts {
  std::optional<std::string> name, email, phone, address, post_code, city, country, language, salesperson, territory;
  bool unique_email = false;

  void Register(CLI::App* sub) {
    auto opt = [sub](const char* flag, std::optional<std::string>* dst, const char* help) {
      OptionalOption(sub, flag, dst, help);
    };
    opt("--name", &name, "name");
    opt("--email", &email, "email address");
    opt("--phone", &phone, "phone number");
    opt("--address", &address, "street address");
    opt("--post-code", &post_code, "post code");
    opt("--city", &city, "city");
    opt("--country", &country, "country");
    opt("--language", &language, "language code");
    opt("--salesperson", &salesperson, "salesperson code");
    opt("--territory", &territory, "territory code");
    sub->add_flag("--unique-email", unique_email, "refuse an email another contact or lead already has");
  }
  contact::Fields Fields() const {
    return {name.value_or(""),     email.value_or(""),    phone.value_or(""),    address.value_or(""),
            post_code.value_or(""), city.value_or(""),     country.value_or(""),  language.value_or(""),
            salesperson.value_or(""), territory.value_or("")};
  }
  contact::FieldPatch Patch() const {
    return {name, email, phone, address, post_code, city, country, language, salesperson, territory};
  }
};

struct ContactOpts {
  FieldOpts f;
  std::string type = "person";
  std::optional<std::string> company;
  std::optional<std::vector<std::string>> job, relation, industry, mailing;
  std::optional<std::string> exclude;

  void Register(CLI::App* sub, bool with_type) {
    f.Register(sub);
    if (with_type) sub->add_option("--type", type, "person or company");
    OptionalOption(sub, "--company", &company, "company contact (CTxxxx) of a person");
    auto multi = [sub](const char* flag, std::optional<std::vector<std::string>>* dst, const char* help) {
      sub->add_option_function<std::vector<std::string>>(
             flag,
             [dst](const std::vector<std::string>& v) {
               std::vector<std::string> codes;
               for (const auto& s : v) {
                 if (!s.empty()) codes.push_back(s);
               }
               *dst = codes;
             },
             help)
          ->expected(1)
          ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    };
    multi("--job-responsibility", &job, "job responsibility code (repeatable; '' clears)");
    multi("--business-relation", &relation, "business relation code (repeatable)");
    multi("--industry-group", &industry, "industry group code (repeatable)");
    multi("--mailing-group", &mailing, "mailing group code (repeatable)");
    OptionalOption(sub, "--exclude-from-segment", &exclude, "yes or no");
  }
};

struct LeadOpts {
  FieldOpts f;
  std::optional<std::string> company_name, lead_status, lead_source, description;
  void Register(CLI::App* sub) {
    f.Register(sub);
    OptionalOption(sub, "--company-name", &company_name, "company");
    OptionalOption(sub, "--status", &lead_status, "lead status (crmctl lead-status list)");
    OptionalOption(sub, "--source", &lead_source, "lead source");
    OptionalOption(sub, "--description", &description, "description");
  }
};

std::string Join(const json& arr) {
  std::string s;
  for (const auto& v : arr) s += (s.empty() ? "" : ", ") + v.get<std::string>();
  return s;
}

int Show(App* app, const std::string& id, RecordKind kind) {
  auto no = ParseNo(id, kind);
  if (!no.ok()) return app->Fail(no.status());
  auto r = app->OpenReader();
  if (!r.ok()) return app->Fail(r.status());
  auto row = r->rm->PartyJson(*no);
  if (!row.ok()) return app->Fail(row.status());
  if (!*row) return app->Fail(Status::NotFound(std::string(RecordStreamName(kind)) + " " + no->ToString() + " does not exist"));
  const json& j = **row;
  if (app->globals().json) {
    app->PrintJson(j);
    return 0;
  }
  std::vector<std::pair<std::string, std::string>> fields;
  for (const auto& [k, v] : j.items()) {
    if (v.is_array()) {
      fields.emplace_back(k, Join(v));
    } else if (v.is_boolean()) {
      fields.emplace_back(k, v.get<bool>() ? "yes" : "no");
    } else {
      fields.emplace_back(k, v.get<std::string>());
    }
  }
  PrintFields(std::cout, fields);
  return 0;
}

int List(App* app, bool contacts, const std::vector<std::string>& filter, size_t limit) {
  auto r = app->OpenReader();
  if (!r.ok()) return app->Fail(r.status());
  auto f = r->rm->ParseFilter(filter, PartySchema());
  if (!f.ok()) return app->Fail(f.status());
  json out = json::array();
  Table t(contacts ? std::vector<std::string>{"NO", "TYPE", "NAME", "COMPANY", "EMAIL", "CITY"}
                   : std::vector<std::string>{"NO", "NAME", "COMPANY", "EMAIL", "STATUS", "SOURCE"});
  auto s = r->rm->ForEachParty(contacts, !contacts, [&](const RecordNo&, const json& row) {
    if (!f->Matches(JsonRecord(&row, &PartySchema()))) return true;
    if (app->globals().json) {
      out.push_back(row);
    } else if (contacts) {
      t.Add({row["no"], row["type"], row["name"], row["company"], row["email"], row["city"]});
    } else {
      t.Add({row["no"], row["name"], row["company_name"], row["email"], row["lead_status"], row["lead_source"]});
    }
    return limit == 0 || out.size() + t.size() < limit;
  });
  if (!s.ok()) return app->Fail(s);
  return app->PrintList(out, t);
}

std::string ChangedText(const json& a) {
  std::string s = a.value("changed", false) ? "changed " + a["no"].get<std::string>() : "no change";
  if (a.contains("duplicate_of")) s += " (warning: email also used by " + a["duplicate_of"].get<std::string>() + ")";
  return s;
}

void WarnDuplicate(const json& a) {
  if (a.contains("duplicate_of")) {
    std::cerr << "warning: email also used by " << a["duplicate_of"].get<std::string>() << '\n';
  }
}

}  // namespace

// contact|lead opt-in, opt-out and bounce: consent as events on the contact or lead.
void AddConsentCommands(App* app, CLI::App* group, RecordKind record_kind) {
  struct Kind {
    const char* name;
    const char* help;
    fb::ConsentKind kind;
  };
  for (const Kind& k : {Kind{"opt-in", "record the person's consent to marketing", fb::ConsentKind::OptIn},
                        Kind{"opt-out", "record that the person wants no marketing (segments and sends skip them)",
                             fb::ConsentKind::OptOut},
                        Kind{"bounce", "record that the email address bounces (letters instead)",
                             fb::ConsentKind::Bounce}}) {
    auto* cmd = group->add_subcommand(k.name, k.help);
    auto id = std::make_shared<std::string>();
    auto reason = std::make_shared<std::string>();
    cmd->add_option("ID", *id)->required();
    cmd->add_option("--reason", *reason, "why (kept with the event)");
    const fb::ConsentKind kind = k.kind;
    cmd->callback([app, id, reason, kind, record_kind] {
      app->SetAction([app, id, reason, kind, record_kind] {
        auto no = ParseNo(*id, record_kind);
        if (!no.ok()) return app->Fail(no.status());
        contact::RecordConsent c;
        c.no = *no;
        c.kind = kind;
        c.reason = *reason;
        auto h = app->OpenWriter();
        if (!h.ok()) return app->Fail(h.status());
        return app->Answer((*h)->RecordConsent(app->MakeRequest(), c), ChangedText);
      });
    });
  }
}

// lead from-email MESSAGE.eml (SPEC §4.2): a lead from a real message's sender, signature and
// subject (io/eml.h), created as `lead create` would.
void AddFromEmailCommand(App* app, CLI::App* group) {
  auto* cmd = group->add_subcommand("from-email", "create a lead from an email message (.eml): sender, signature, subject");
  auto file = std::make_shared<std::string>();
  auto source = std::make_shared<std::string>("Email");
  auto status = std::make_shared<std::string>();
  cmd->add_option("MESSAGE", *file, "the message file (RFC 5322, MIME)")->required();
  cmd->add_option("--source", *source, "lead source (default: Email)");
  cmd->add_option("--status", *status, "lead status (default: New)");
  cmd->callback([app, file, source, status] {
    app->SetAction([app, file, source, status] {
      auto mail = io::ReadEmailLead(*file);
      if (!mail.ok()) return app->Fail(mail.status());
      contact::CreateLead c;
      c.f.name = mail->name;
      c.f.email = mail->email;
      c.f.phone = mail->phone;
      c.company_name = mail->company;
      c.description = mail->subject;
      c.lead_source = *source;
      c.lead_status = *status;
      auto h = app->OpenWriter();
      if (!h.ok()) return app->Fail(h.status());
      auto a = (*h)->CreateLead(app->MakeRequest(), c);
      if (a.ok()) {
        WarnDuplicate(*a);
        (*a)["company_from"] = mail->company_from;
      }
      return app->Answer(a, ChangedText);
    });
  });
}

void AddPartyCommands(App* app) {
  auto& cli = app->cli();
  for (const bool is_contact : {true, false}) {
    auto* group = cli.add_subcommand(is_contact ? "contact" : "lead", is_contact ? "contacts (persons and companies)"
                                                                                 : "leads (not yet contacts)");
    group->require_subcommand(1);
    const RecordKind kind = is_contact ? RecordKind::kContact : RecordKind::kLead;

    auto* create = group->add_subcommand("create", "create and print its number");
    auto* set = group->add_subcommand("set", "change fields");
    auto set_id = std::make_shared<std::string>();
    set->add_option("ID", *set_id)->required();
    if (is_contact) {
      auto c = std::make_shared<ContactOpts>();
      c->Register(create, true);
      create->callback([app, c] {
        app->SetAction([app, c] {
          contact::CreateContact cmd;
          if (c->type != "person" && c->type != "company") {
            return app->Fail(Status::InvalidArgument("--type takes person or company, not '" + c->type + "'"));
          }
          cmd.type = c->type == "company" ? fb::ContactType::Company : fb::ContactType::Person;
          cmd.f = c->f.Fields();
          cmd.company = c->company.value_or("");
          cmd.job_responsibilities = c->job.value_or(std::vector<std::string>{});
          cmd.business_relations = c->relation.value_or(std::vector<std::string>{});
          cmd.industry_groups = c->industry.value_or(std::vector<std::string>{});
          cmd.mailing_groups = c->mailing.value_or(std::vector<std::string>{});
          auto exclude = ParseYesNo(c->exclude, "--exclude-from-segment");
          if (!exclude.ok()) return app->Fail(exclude.status());
          cmd.exclude_from_segment = exclude->value_or(false);
          cmd.unique_email = c->f.unique_email;
          auto h = app->OpenWriter();
          if (!h.ok()) return app->Fail(h.status());
          auto a = (*h)->CreateContact(app->MakeRequest(), cmd);
          if (a.ok()) WarnDuplicate(*a);
          return app->Answer(a, ChangedText);
        });
      });
      auto s = std::make_shared<ContactOpts>();
      s->Register(set, false);
      set->callback([app, s, set_id] {
        app->SetAction([app, s, set_id] {
          auto no = ParseNo(*set_id, RecordKind::kContact);
          if (!no.ok()) return app->Fail(no.status());
          contact::ChangeContact cmd;
          cmd.no = *no;
          cmd.f = s->f.Patch();
          cmd.company = s->company;
          cmd.job_responsibilities = s->job;
          cmd.business_relations = s->relation;
          cmd.industry_groups = s->industry;
          cmd.mailing_groups = s->mailing;
          auto exclude = ParseYesNo(s->exclude, "--exclude-from-segment");
          if (!exclude.ok()) return app->Fail(exclude.status());
          cmd.exclude_from_segment = *exclude;
          cmd.unique_email = s->f.unique_email;
          auto h = app->OpenWriter();
          if (!h.ok()) return app->Fail(h.status());
          return app->Answer((*h)->ChangeContact(app->MakeRequest(), cmd), ChangedText);
        });
      });
    } else {
      auto c = std::make_shared<LeadOpts>();
      c->Register(create);
      create->callback([app, c] {
        app->SetAction([app, c] {
          contact::CreateLead cmd;
          cmd.f = c->f.Fields();
          cmd.company_name = c->company_name.value_or("");
          cmd.lead_status = c->lead_status.value_or("");
          cmd.lead_source = c->lead_source.value_or("");
          cmd.description = c->description.value_or("");
          cmd.unique_email = c->f.unique_email;
          auto h = app->OpenWriter();
          if (!h.ok()) return app->Fail(h.status());
          auto a = (*h)->CreateLead(app->MakeRequest(), cmd);
          if (a.ok()) WarnDuplicate(*a);
          return app->Answer(a, ChangedText);
        });
      });
      auto s = std::make_shared<LeadOpts>();
      s->Register(set);
      set->callback([app, s, set_id] {
        app->SetAction([app, s, set_id] {
          auto no = ParseNo(*set_id, RecordKind::kLead);
          if (!no.ok()) return app->Fail(no.status());
          contact::ChangeLead cmd;
          cmd.no = *no;
          cmd.f = s->f.Patch();
          cmd.company_name = s->company_name;
          cmd.lead_status = s->lead_status;
          cmd.lead_source = s->lead_source;
          cmd.description = s->description;
          cmd.unique_email = s->f.unique_email;
          auto h = app->OpenWriter();
          if (!h.ok()) return app->Fail(h.status());
          return app->Answer((*h)->ChangeLead(app->MakeRequest(), cmd), ChangedText);
        });
      });
    }

    AddConsentCommands(app, group, kind);

    if (!is_contact) AddFromEmailCommand(app, group);
    if (!is_contact) AddConvertCommand(app, group);

    auto* show = group->add_subcommand("show", "show one record");
    auto show_id = std::make_shared<std::string>();
    show->add_option("ID", *show_id)->required();
    show->callback([app, show_id, kind] { app->SetAction([app, show_id, kind] { return Show(app, *show_id, kind); }); });

    auto* erase = group->add_subcommand(
        "erase", "erase the personal data (destroys its key); the record, its memberships and counts stay");
    auto erase_id = std::make_shared<std::string>();
    erase->add_option("ID", *erase_id)->required();
    erase->callback([app, erase_id, kind] {
      app->SetAction([app, erase_id, kind] {
        auto no = ParseNo(*erase_id, kind);
        if (!no.ok()) return app->Fail(no.status());
        auto h = app->OpenWriter();
        if (!h.ok()) return app->Fail(h.status());
        auto answer = (*h)->Erase(app->MakeRequest(), *no);
        if (answer.ok() && no->kind() == RecordKind::kContact) {
          auto letters = RemoveLetters(h->get(), app->globals().data_dir, *no);
          if (!letters.ok()) return app->Fail(letters.status());
          (*answer)["letters_removed"] = *letters;
        }
        return app->Answer(answer, [](const json& a) {
          const std::string no = a.value("no", "");
          if (!a.value("changed", false)) return no + " was already erased";
          const size_t letters = a.value("letters_removed", size_t{0});
          return "erased the personal data of " + no +
                 (letters > 0 ? " and removed " + std::to_string(letters) + " letter file(s) from the outbox" : "") +
                 "\nnote: `crmctl compact` removes the old values from the data directory's files";
        });
      });
    });

    auto* list = group->add_subcommand("list", "list records, optionally filtered");
    auto filter = std::make_shared<std::vector<std::string>>();
    auto limit = std::make_shared<size_t>(0);
    list->add_option("--filter", *filter, "FIELD=EXPR (repeatable; all must hold)");
    list->add_option("--limit", *limit, "at most this many");
    list->callback([app, filter, limit, is_contact] {
      app->SetAction([app, filter, limit, is_contact] { return List(app, is_contact, *filter, *limit); });
    });
  }
}

}  // namespace crm::cli
