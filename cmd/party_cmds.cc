// crmctl contact and lead: create, set, show, list (SPEC §4.2).
#include <iostream>

#include "cmd/app.h"
#include "cmd/list_page.h"
#include "app/delivery.h"
#include "cmd/table.h"
#include "io/eml.h"
#include "projections/party_rows.h"
#include "projections/rows.h"

namespace crm::cli {
namespace {

using nlohmann::json;

// The options of the fields contacts and leads share, into `f`; each remembers whether it was given.
void RegisterFields(CLI::App* sub, contact::FieldPatch* f, bool* unique_email) {
  auto opt = [sub](const char* flag, std::optional<std::string>* dst, const char* help) {
    OptionalOption(sub, flag, dst, help);
  };
  opt("--name", &f->name, "name");
  opt("--email", &f->email, "email address");
  opt("--phone", &f->phone, "phone number");
  opt("--mobile", &f->mobile, "mobile number");
  opt("--address", &f->address, "street address");
  opt("--post-code", &f->post_code, "post code");
  opt("--city", &f->city, "city");
  opt("--country", &f->country, "country");
  opt("--language", &f->language, "language code");
  opt("--salesperson", &f->salesperson, "salesperson code");
  opt("--territory", &f->territory, "territory code");
  sub->add_flag("--unique-email", *unique_email, "refuse an email another contact or lead already has");
}

// The fields of a create: those not given are empty.
contact::Fields AllFields(const contact::FieldPatch& f) { return contact::ApplyPatch(contact::Fields{}, f); }

// The options of contact create (`create`: with --type) and contact set, kept as a change.
struct ContactOpts {
  contact::ChangeContact c;
  std::string type = "person";
  std::optional<std::string> exclude;
  std::vector<std::string> fields;  // --field NAME=VALUE

  void Register(CLI::App* sub, bool create) {
    RegisterFields(sub, &c.f, &c.unique_email);
    if (create) sub->add_option("--type", type, "person or company");
    OptionalOption(sub, "--company", &c.company, "company contact (CTxxxx) of a person");
    auto multi = [sub](const char* flag, std::optional<std::vector<std::string>>* dst, const char* help) {
      auto given = [dst](const std::vector<std::string>& v) {
        *dst = std::vector<std::string>();
        for (const auto& s : v) {
          if (!s.empty()) (*dst)->push_back(s);
        }
      };
      sub->add_option_function<std::vector<std::string>>(flag, given, help)
          ->expected(1)
          ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    };
    multi("--job-responsibility", &c.job_responsibilities, "job responsibility code (repeatable; '' clears)");
    multi("--business-relation", &c.business_relations, "business relation code (repeatable)");
    multi("--industry-group", &c.industry_groups, "industry group code (repeatable)");
    multi("--mailing-group", &c.mailing_groups, "mailing group code (repeatable)");
    OptionalOption(sub, "--exclude-from-segment", &exclude, "yes or no");
    FieldValuesOption(sub, &fields);
  }
  Result<contact::CreateContact> ToCreate() const {
    if (type != "person" && type != "company") {
      return Status::InvalidArgument("--type takes person or company, not '" + type + "'");
    }
    contact::CreateContact cmd;
    cmd.type = type == "company" ? fb::ContactType::Company : fb::ContactType::Person;
    cmd.f = AllFields(c.f);
    cmd.company = c.company.value_or("");
    const std::vector<std::string> none;
    cmd.job_responsibilities = c.job_responsibilities.value_or(none);
    cmd.business_relations = c.business_relations.value_or(none);
    cmd.industry_groups = c.industry_groups.value_or(none);
    cmd.mailing_groups = c.mailing_groups.value_or(none);
    CRM_ASSIGN_OR_RETURN(std::optional<bool> excluded, ParseYesNo(exclude, "--exclude-from-segment"));
    cmd.exclude_from_segment = excluded.value_or(false);
    cmd.unique_email = c.unique_email;
    CRM_ASSIGN_OR_RETURN(cmd.custom, ParseFieldValues(fields));
    return cmd;
  }
  Result<contact::ChangeContact> ToChange(const std::string& id) const {
    contact::ChangeContact cmd = c;
    CRM_ASSIGN_OR_RETURN(cmd.no, ParseNo(id, RecordKind::kContact));
    CRM_ASSIGN_OR_RETURN(cmd.exclude_from_segment, ParseYesNo(exclude, "--exclude-from-segment"));
    CRM_ASSIGN_OR_RETURN(cmd.custom, ParseFieldValues(fields));
    return cmd;
  }
};

// The options of lead create and lead set, kept as a change.
struct LeadOpts {
  contact::ChangeLead c;
  std::vector<std::string> fields;  // --field NAME=VALUE

  void Register(CLI::App* sub, bool /*create*/) {
    RegisterFields(sub, &c.f, &c.unique_email);
    OptionalOption(sub, "--company-name", &c.company_name, "company");
    OptionalOption(sub, "--status", &c.lead_status, "lead status (crmctl lead-status list)");
    OptionalOption(sub, "--source", &c.lead_source, "lead source");
    OptionalOption(sub, "--description", &c.description, "description");
    FieldValuesOption(sub, &fields);
  }
  Result<contact::CreateLead> ToCreate() const {
    contact::CreateLead cmd;
    cmd.f = AllFields(c.f);
    cmd.company_name = c.company_name.value_or("");
    cmd.lead_status = c.lead_status.value_or("");
    cmd.lead_source = c.lead_source.value_or("");
    cmd.description = c.description.value_or("");
    cmd.unique_email = c.unique_email;
    CRM_ASSIGN_OR_RETURN(cmd.custom, ParseFieldValues(fields));
    return cmd;
  }
  Result<contact::ChangeLead> ToChange(const std::string& id) const {
    contact::ChangeLead cmd = c;
    CRM_ASSIGN_OR_RETURN(cmd.no, ParseNo(id, RecordKind::kLead));
    CRM_ASSIGN_OR_RETURN(cmd.custom, ParseFieldValues(fields));
    return cmd;
  }
};

Result<Output> Show(App* app, const std::string& id, RecordKind kind) {
  CRM_ASSIGN_OR_RETURN(RecordNo no, ParseNo(id, kind));
  CRM_ASSIGN_OR_RETURN(Reader r, app->OpenReader());
  CRM_ASSIGN_OR_RETURN(auto row, r.rm->PartyJson(no));
  if (!row) return Status::NotFound(std::string(RecordStreamName(kind)) + " " + no.ToString() + " does not exist");
  std::vector<std::pair<std::string, std::string>> fields;
  for (const auto& [k, v] : row->items()) {
    if (k == "custom" && v.is_object()) {  // its fields after the record's own, by name
      for (const auto& [name, value] : v.items()) fields.emplace_back(name, value.get<std::string>());
    } else if (v.is_array()) {
      fields.emplace_back(k, JoinText(v));
    } else if (v.is_boolean()) {
      fields.emplace_back(k, v.get<bool>() ? "yes" : "no");
    } else {
      fields.emplace_back(k, v.get<std::string>());
    }
  }
  return JsonOrText(std::move(*row), RecordText(std::move(fields)));
}

// Converted leads are left out of `lead list` unless `converted` (--converted) or the filter
// asks about them (`--filter converted=yes`).
// The company a list's --search looks in: a person's company contact, a lead's company name.
const std::string& SearchedCompany(const contact::ContactState& s) { return s.company; }
const std::string& SearchedCompany(const contact::LeadState& s) { return s.company_name; }

Result<Output> List(App* app, bool contacts, std::vector<std::string> filter, ListQuery query, bool converted,
                    bool deleted, const std::string& view) {
  CRM_ASSIGN_OR_RETURN(Reader r, app->OpenReader());
  if (!view.empty()) {
    CRM_ASSIGN_OR_RETURN(reference::State ref, r.rm->Reference());
    CRM_RETURN_IF_ERROR(ApplyView(ref, view, contacts ? "contacts" : "leads", &filter, &query));
  }
  CRM_ASSIGN_OR_RETURN(Filter f, r.rm->ParseFilter(filter, PartySchema()));
  CRM_ASSIGN_OR_RETURN(ListPage page, ListPage::Make(query, "no", {"name", "email", "company", "company_name"}));
  const bool hide_converted = !contacts && !converted && !f.Uses("converted");
  CRM_RETURN_IF_ERROR(r.rm->ForEachPartyState(contacts, !contacts, [&](const RecordNo&, const PartyState& party) {
    if (const auto* lead = std::get_if<contact::LeadState>(&party); lead && hide_converted && lead->converted()) {
      return true;
    }
    if ((HiddenByDeletion(party, f) && !deleted) || !f.Matches(PartyRecord(&party, &PartySchema()))) return true;
    return std::visit(
        [&](const auto& s) {
          if (!page.Searched({s.f.name, s.f.email, SearchedCompany(s)})) return true;
          return page.Offer(s.no.ToString(), [&] { return PartyToJson(party); });
        },
        party);
  }));
  if (contacts) {
    return page.Finish(app->globals().json, {"NO", "TYPE", "NAME", "COMPANY", "EMAIL", "CITY"}, [](const json& row) {
      return std::vector<std::string>{row["no"], row["type"], row["name"], row["company"], row["email"], row["city"]};
    });
  }
  return page.Finish(app->globals().json, {"NO", "NAME", "COMPANY", "EMAIL", "STATUS", "SOURCE"}, [](const json& row) {
    return std::vector<std::string>{row["no"],    row["name"],        row["company_name"],
                                    row["email"], row["lead_status"], row["lead_source"]};
  });
}

std::string ChangedText(const json& a) {
  std::string s = a.value("changed", false) ? "changed " + a["no"].get<std::string>() : "no change";
  if (a.contains("duplicate_of")) s += " (warning: email also used by " + a["duplicate_of"].get<std::string>() + ")";
  return s;
}

// A create's answer, passed on after a warning on stderr when its email is already in use.
Result<json> WarnDuplicate(Result<json> a) {
  if (a.ok() && a->contains("duplicate_of")) {
    std::cerr << "warning: email also used by " << (*a)["duplicate_of"].get<std::string>() << '\n';
  }
  return a;
}

// create and set of a contact (ContactOpts) or a lead (LeadOpts), written by these Handler methods.
template <typename Opts, typename Create, typename Change>
void AddCreateAndSet(App* app, CLI::App* group, Result<json> (Handler::*create_fn)(const Request&, Create),
                     Result<json> (Handler::*change_fn)(const Request&, Change)) {
  auto* create = group->add_subcommand("create", "create and print its number");
  auto* set = group->add_subcommand("set", "change fields");
  auto c = std::make_shared<Opts>();
  auto s = std::make_shared<Opts>();
  auto set_id = std::make_shared<std::string>();
  set->add_option("ID", *set_id)->required();
  c->Register(create, /*create=*/true);
  s->Register(set, /*create=*/false);
  app->On(create, [app, c, create_fn]() -> Result<Output> {
    CRM_ASSIGN_OR_RETURN(auto cmd, c->ToCreate());
    return app->Write([&](Handler& h, const Request& rq) { return WarnDuplicate((h.*create_fn)(rq, cmd)); },
                      ChangedText);
  });
  app->On(set, [app, s, set_id, change_fn]() -> Result<Output> {
    CRM_ASSIGN_OR_RETURN(auto cmd, s->ToChange(*set_id));
    return app->Write([&](Handler& h, const Request& rq) { return (h.*change_fn)(rq, cmd); }, ChangedText);
  });
}

std::string ErasedText(const json& a) {
  const std::string no = a.value("no", "");
  if (!a.value("changed", false)) return no + " was already erased";
  const size_t letters = a.value("letters_removed", size_t{0});
  return "erased the personal data of " + no +
         (letters > 0 ? " and removed " + std::to_string(letters) + " letter file(s) from the outbox" : "") +
         "\nnote: `crmctl compact` removes the old values from the data directory's files";
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
    auto c = std::make_shared<contact::RecordConsent>();
    c->kind = k.kind;
    cmd->add_option("ID", *id)->required();
    cmd->add_option("--reason", c->reason, "why (kept with the event)");
    app->On(cmd, [app, id, c, record_kind]() -> Result<Output> {
      CRM_ASSIGN_OR_RETURN(c->no, ParseNo(*id, record_kind));
      return app->Write([&](Handler& h, const Request& rq) { return h.RecordConsent(rq, *c); }, ChangedText);
    });
  }
}

// lead from-email MESSAGE.eml (SPEC §4.2): a lead from a real message's sender, signature and
// subject (io/eml.h), created as `lead create` would.
void AddFromEmailCommand(App* app, CLI::App* group) {
  auto* cmd =
      group->add_subcommand("from-email", "create a lead from an email message (.eml): sender, signature, subject");
  auto file = std::make_shared<std::string>();
  auto c = std::make_shared<contact::CreateLead>();
  c->lead_source = "Email";
  cmd->add_option("MESSAGE", *file, "the message file (RFC 5322, MIME)")->required();
  cmd->add_option("--source", c->lead_source, "lead source (default: Email)");
  cmd->add_option("--status", c->lead_status, "lead status (default: New)");
  app->On(cmd, [app, file, c]() -> Result<Output> {
    CRM_ASSIGN_OR_RETURN(io::EmailLead mail, io::ReadEmailLead(*file));
    c->f.name = mail.name;
    c->f.email = mail.email;
    c->f.phone = mail.phone;
    c->company_name = mail.company;
    c->description = mail.subject;
    return app->Write(
        [&](Handler& h, const Request& rq) -> Result<json> {
          CRM_ASSIGN_OR_RETURN(json a, WarnDuplicate(h.CreateLead(rq, *c)));
          a["company_from"] = mail.company_from;
          return a;
        },
        ChangedText);
  });
}

void AddPartyCommands(App* app) {
  auto& cli = app->cli();
  for (const bool is_contact : {true, false}) {
    auto* group = cli.add_subcommand(is_contact ? "contact" : "lead", is_contact ? "contacts (persons and companies)"
                                                                                 : "leads (not yet contacts)");
    group->require_subcommand(1);
    const RecordKind kind = is_contact ? RecordKind::kContact : RecordKind::kLead;

    if (is_contact) {
      AddCreateAndSet<ContactOpts>(app, group, &Handler::CreateContact, &Handler::ChangeContact);
    } else {
      AddCreateAndSet<LeadOpts>(app, group, &Handler::CreateLead, &Handler::ChangeLead);
    }

    AddConsentCommands(app, group, kind);

    if (!is_contact) AddFromEmailCommand(app, group);
    if (!is_contact) AddConvertCommand(app, group);

    auto* show = group->add_subcommand("show", "show one record");
    auto show_id = std::make_shared<std::string>();
    show->add_option("ID", *show_id)->required();
    app->On(show, [app, show_id, kind] { return Show(app, *show_id, kind); });

    auto* erase = group->add_subcommand(
        "erase", "erase the personal data (destroys its key); the record, its memberships and counts stay");
    auto erase_id = std::make_shared<std::string>();
    erase->add_option("ID", *erase_id)->required();
    app->On(erase, [app, erase_id, kind]() -> Result<Output> {
      CRM_ASSIGN_OR_RETURN(RecordNo no, ParseNo(*erase_id, kind));
      CRM_ASSIGN_OR_RETURN(auto h, app->OpenWriter());
      auto answer = h->Erase(app->MakeRequest(), no);
      if (answer.ok() && no.kind() == RecordKind::kContact) {
        CRM_ASSIGN_OR_RETURN(size_t letters, RemoveLetters(h.get(), app->globals().data_dir, no));
        (*answer)["letters_removed"] = letters;
      }
      return app->Answer(answer, ErasedText);
    });

    AddDeleteRestore(app, group, kind,
                     "delete: out of lists, filters, segments and exports (fields, memberships, history kept; refused "
                     "while an open opportunity or a company's person needs it; restore or undo brings it back)",
                     [](Handler& h, const Request& rq, const RecordNo& no, bool restore) {
                       return h.DeleteRecord(rq, contact::DeleteRecord{{}, no, restore});
                     });

    auto* list = group->add_subcommand("list", "list records, optionally filtered");
    auto filter = std::make_shared<std::vector<std::string>>();
    list->add_option("--filter", *filter, "FIELD=EXPR (repeatable; all must hold)");
    auto view = std::make_shared<std::string>();
    auto query = AddListQuery(list, view.get());
    auto converted = std::make_shared<bool>(false);
    if (!is_contact) list->add_flag("--converted", *converted, "converted leads too (left out by default)");
    auto deleted = std::make_shared<bool>(false);
    list->add_flag("--deleted", *deleted, "deleted records too (left out by default)");
    app->On(list, [app, filter, query, is_contact, converted, deleted, view] {
      return List(app, is_contact, *filter, *query, *converted, *deleted, *view);
    });
  }
}

}  // namespace crm::cli
