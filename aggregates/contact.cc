#include "aggregates/contact.h"

#include <algorithm>
#include <tuple>

#include "events/sealing.h"

namespace crm::contact {
namespace {

std::vector<std::string> Strs(const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>* v) {
  std::vector<std::string> out;
  if (v != nullptr) {
    for (const auto* s : *v) out.push_back(s->str());
  }
  return out;
}

bool Cleared(const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>* cleared, std::string_view name) {
  if (cleared == nullptr) return false;
  return std::any_of(cleared->begin(), cleared->end(), [&](const auto* s) { return s->string_view() == name; });
}

// Applies a *Changed field: present = new value, listed in cleared = "", else unchanged.
template <typename Table>
void Patch(std::string* field, const flatbuffers::String* value, const Table* e, std::string_view name) {
  if (value != nullptr) {
    *field = value->str();
  } else if (Cleared(e->cleared(), name)) {
    field->clear();
  }
}

template <typename Table>
void PatchFields(Fields* f, const Table* e) {
  Patch(&f->name, e->name(), e, "name");
  Patch(&f->email, e->email(), e, "email");
  Patch(&f->phone, e->phone(), e, "phone");
  Patch(&f->address, e->address(), e, "address");
  Patch(&f->post_code, e->post_code(), e, "post_code");
  Patch(&f->city, e->city(), e, "city");
  Patch(&f->country, e->country(), e, "country");
  Patch(&f->language, e->language(), e, "language");
  Patch(&f->salesperson, e->salesperson(), e, "salesperson");
  Patch(&f->territory, e->territory(), e, "territory");
}

// The fields contacts and leads share, written into / read from their *Created events.
template <typename T>
void WriteFields(const Fields& f, T* e) {
  e->name = f.name;
  e->email = f.email;
  e->phone = f.phone;
  e->address = f.address;
  e->post_code = f.post_code;
  e->city = f.city;
  e->country = f.country;
  e->language = f.language;
  e->salesperson = f.salesperson;
  e->territory = f.territory;
}

template <typename Table>
Fields ReadFields(const Table* e) {
  return {Str(e->name()),      Str(e->email()),   Str(e->phone()),    Str(e->address()),     Str(e->post_code()),
          Str(e->city()),      Str(e->country()), Str(e->language()), Str(e->salesperson()), Str(e->territory())};
}

// Validates and normalises the common fields in place.
// `before`: the record's fields before a change (null for a new record). A salesperson it
// already had is not checked again: records from before salespeople were checked may hold an
// undefined one, and changing something else must not be refused for it.
Status CheckFields(Fields* f, const ContactContext& cx, const Fields* before = nullptr) {
  const reference::State& ref = *cx.reference;
  CRM_ASSIGN_OR_RETURN(f->name, CheckText(f->name, "name", 100, true));
  f->email = Trim(f->email);
  CRM_RETURN_IF_ERROR(CheckEmail(f->email));
  CRM_RETURN_IF_ERROR(CheckPhone(f->phone));
  CRM_ASSIGN_OR_RETURN(f->address, CheckText(f->address, "address", 200, false));
  CRM_ASSIGN_OR_RETURN(f->post_code, CheckText(f->post_code, "post code", 20, false));
  CRM_ASSIGN_OR_RETURN(f->city, CheckText(f->city, "city", 50, false));
  CRM_ASSIGN_OR_RETURN(f->country, CheckText(f->country, "country", 50, false));
  if (!f->language.empty()) {
    CRM_ASSIGN_OR_RETURN(f->language, NormalizeCode(f->language, "language"));
  }
  if (!f->salesperson.empty()) {
    CRM_ASSIGN_OR_RETURN(f->salesperson, NormalizeCode(f->salesperson, "salesperson"));
    const bool kept = before != nullptr && before->salesperson == f->salesperson;
    if (cx.salespeople != nullptr && !kept && !cx.salespeople->contains(f->salesperson)) {
      return Status::NotFound("salesperson " + f->salesperson + " is not defined (crmctl salesperson add ...)");
    }
  }
  if (!f->territory.empty()) {
    CRM_ASSIGN_OR_RETURN(f->territory, NormalizeCode(f->territory, "territory"));
    if (!ref.HasCode(fb::ProfileKind::Territory, f->territory)) {
      return Status::NotFound("territory " + f->territory + " is not defined (crmctl code add territory ...)");
    }
  }
  return Status::Ok();
}

Status CheckCodes(std::vector<std::string>* codes, fb::ProfileKind kind, const reference::State& ref) {
  std::vector<std::string> out;
  for (const auto& c : *codes) {
    CRM_ASSIGN_OR_RETURN(std::string code, NormalizeCode(c, reference::ProfileKindName(kind)));
    if (!ref.HasCode(kind, code)) {
      return Status::NotFound(reference::ProfileKindName(kind) + " " + code + " is not defined (crmctl code add " +
                              reference::ProfileKindName(kind) + " " + code + " ...)");
    }
    if (std::find(out.begin(), out.end(), code) == out.end()) out.push_back(code);
  }
  *codes = std::move(out);
  return Status::Ok();
}

Status CheckCompany(const std::string& company, fb::ContactType type, const ContactContext& cx) {
  if (company.empty()) return Status::Ok();
  if (type == fb::ContactType::Company)
    return Status::FailedPrecondition("a company contact cannot belong to a company");
  if (!cx.company || !cx.company->exists) return Status::NotFound("company contact " + company + " does not exist");
  if (cx.company->type != fb::ContactType::Company) {
    return Status::FailedPrecondition(company + " is a person, not a company contact");
  }
  return Status::Ok();
}

Status CheckUniqueEmail(bool unique, const std::string& email, const std::string& owner) {
  if (unique && !email.empty() && !owner.empty()) {
    return Status::AlreadyExists("email " + email + " is already used by " + owner);
  }
  return Status::Ok();
}

Result<std::string> CheckLeadStatus(const reference::State& ref, const std::string& text) {
  if (auto name = ref.FindLeadStatus(Trim(text))) return *name;
  std::string names;
  for (const auto& d : ref.LeadStatuses()) names += (names.empty() ? "" : ", ") + d.name;
  return Status::FailedPrecondition("lead status '" + text + "' is not defined (" + names + ")");
}

bool SameFields(const Fields& a, const Fields& b) {
  return std::tie(a.name, a.email, a.phone, a.address, a.post_code, a.city, a.country, a.language, a.salesperson,
                  a.territory) == std::tie(b.name, b.email, b.phone, b.address, b.post_code, b.city, b.country,
                                           b.language, b.salesperson, b.territory);
}

// Applies a FieldPatch onto `f`, collecting the names that were cleared.
Fields ApplyPatch(Fields f, const FieldPatch& p) {
  auto set = [](std::string* dst, const std::optional<std::string>& v) {
    if (v) *dst = *v;
  };
  set(&f.name, p.name);
  set(&f.email, p.email);
  set(&f.phone, p.phone);
  set(&f.address, p.address);
  set(&f.post_code, p.post_code);
  set(&f.city, p.city);
  set(&f.country, p.country);
  set(&f.language, p.language);
  set(&f.salesperson, p.salesperson);
  set(&f.territory, p.territory);
  return f;
}

// Writes the differences between `before` and `after` into a *ChangedT table.
template <typename T>
bool DiffFields(const Fields& before, const Fields& after, T* e) {
  bool changed = false;
  auto diff = [&](const std::string& a, const std::string& b, std::string* out, const char* name) {
    if (a == b) return;
    changed = true;
    if (b.empty()) {
      e->cleared.push_back(name);
    } else {
      *out = b;
    }
  };
  diff(before.name, after.name, &e->name, "name");
  diff(before.email, after.email, &e->email, "email");
  diff(before.phone, after.phone, &e->phone, "phone");
  diff(before.address, after.address, &e->address, "address");
  diff(before.post_code, after.post_code, &e->post_code, "post_code");
  diff(before.city, after.city, &e->city, "city");
  diff(before.country, after.country, &e->country, "country");
  diff(before.language, after.language, &e->language, "language");
  diff(before.salesperson, after.salesperson, &e->salesperson, "salesperson");
  diff(before.territory, after.territory, &e->territory, "territory");
  return changed;
}

// What an erased person's sealed fields read as (the fields events/sealing.h seals).
void EraseText(std::string* text) {
  if (!text->empty()) *text = kErasedText;
}
void EraseFields(Fields* f) {
  for (std::string* text : {&f->name, &f->email, &f->phone, &f->address, &f->post_code, &f->city}) EraseText(text);
}

Status RefuseErased(bool erased, const RecordNo& no) {
  if (!erased) return Status::Ok();
  return Status::FailedPrecondition(std::string(RecordNoun(no.kind())) + " " + no.ToString() +
                                    " was erased: its personal data is gone and it cannot be changed");
}

void ApplyConsent(Consent* s, const fb::ConsentRecorded& e) {
  switch (e.kind()) {
    case fb::ConsentKind::OptIn:
    case fb::ConsentKind::OptOut:
      s->consent = e.kind() == fb::ConsentKind::OptIn ? "opted-in" : "opted-out";
      s->consent_reason = Str(e.reason());
      break;
    case fb::ConsentKind::Bounce:
      s->bounced = true;
      s->bounce_reason = Str(e.reason());
      break;
  }
}

void MaskConsent(Consent* s) {
  EraseText(&s->consent_reason);
  EraseText(&s->bounce_reason);
}

}  // namespace

void MaskErased(ContactState* s) {
  EraseFields(&s->f);
  MaskConsent(s);
}

void MaskErased(LeadState* s) {
  EraseFields(&s->f);
  EraseText(&s->description);
  MaskConsent(s);
}

namespace {

// What happens alike to a contact and a lead: consent, erasure, removal (undo of an import).
template <typename State>
State EvolvePerson(State s, const fb::Envelope& env, Timestamp at) {
  Visit(PersonEvents{}, env,
        Overloaded{[&](const fb::ConsentRecorded* e) {
                     ApplyConsent(&s, *e);
                     s.modified_at = at;
                   },
                   [&](const fb::PersonalDataErased*) {
                     MaskErased(&s);
                     s.erased = true;
                     s.modified_at = at;
                   },
                   [&](const fb::RecordRemoved*) { s = {}; }});
  return s;
}

}  // namespace

ContactState EvolveContact(ContactState s, const fb::Envelope& env) {
  const Timestamp at(env.recorded_at());
  Visit(ContactEvents{}, env, Overloaded{
    [&](const fb::ContactCreated* e) {
      s.exists = true;
      s.no = NoOf(e->no());
      s.type = e->type();
      s.f = ReadFields(e);
      s.company = Str(e->company());
      s.job_responsibilities = Strs(e->job_responsibilities());
      s.business_relations = Strs(e->business_relations());
      s.industry_groups = Strs(e->industry_groups());
      s.mailing_groups = Strs(e->mailing_groups());
      s.exclude_from_segment = e->exclude_from_segment();
      s.created_at = s.modified_at = at;
    },
    [&](const fb::ContactChanged* e) {
      PatchFields(&s.f, e);
      Patch(&s.company, e->company(), e, "company");
      auto patch_list = [&](std::vector<std::string>* dst, const auto* v, std::string_view name) {
        if (v != nullptr) {
          *dst = Strs(v);
        } else if (Cleared(e->cleared(), name)) {
          dst->clear();
        }
      };
      patch_list(&s.job_responsibilities, e->job_responsibilities(), "job_responsibilities");
      patch_list(&s.business_relations, e->business_relations(), "business_relations");
      patch_list(&s.industry_groups, e->industry_groups(), "industry_groups");
      patch_list(&s.mailing_groups, e->mailing_groups(), "mailing_groups");
      if (e->exclude_from_segment()) s.exclude_from_segment = *e->exclude_from_segment();
      if (e->email() != nullptr || Cleared(e->cleared(), "email")) {
        s.bounced = false;  // a new address has not bounced
        s.bounce_reason.clear();
      }
      s.modified_at = at;
    }
  });
  return EvolvePerson(std::move(s), env, at);
}

LeadState EvolveLead(LeadState s, const fb::Envelope& env) {
  const Timestamp at(env.recorded_at());
  Visit(LeadEvents{}, env, Overloaded{
    [&](const fb::LeadCreated* e) {
      s.exists = true;
      s.no = NoOf(e->no());
      s.f = ReadFields(e);
      s.company_name = Str(e->company_name());
      s.lead_status = Str(e->lead_status());
      s.lead_source = Str(e->lead_source());
      s.description = Str(e->description());
      s.created_at = s.modified_at = at;
    },
    [&](const fb::LeadChanged* e) {
      PatchFields(&s.f, e);
      Patch(&s.company_name, e->company_name(), e, "company_name");
      Patch(&s.lead_status, e->lead_status(), e, "lead_status");
      Patch(&s.lead_source, e->lead_source(), e, "lead_source");
      Patch(&s.description, e->description(), e, "description");
      if (e->email() != nullptr || Cleared(e->cleared(), "email")) {
        s.bounced = false;  // a new address has not bounced
        s.bounce_reason.clear();
      }
      s.modified_at = at;
    },
    [&](const fb::LeadConverted* e) {
      s.converted_to = Str(e->contact());
      s.converted_company = Str(e->company());
      s.converted_opportunity = Str(e->opportunity());
      s.converted_at = s.modified_at = at;
    },
  });
  return EvolvePerson(std::move(s), env, at);
}

Result<Events> DecideCreate(const ContactState& state, const ContactContext& cx, const CreateContact& c) {
  if (c.no.kind() != RecordKind::kContact) return Status::Internal("contact number expected");
  CreateContact n = c;
  CRM_RETURN_IF_ERROR(CheckFields(&n.f, cx));
  if (!n.company.empty()) {
    CRM_ASSIGN_OR_RETURN(RecordNo company, RefuseUnparsed(RecordNo::Parse(n.company, RecordKind::kContact)));
    n.company = company.ToString();
  }
  CRM_RETURN_IF_ERROR(CheckCompany(n.company, n.type, cx));
  CRM_RETURN_IF_ERROR(CheckCodes(&n.job_responsibilities, fb::ProfileKind::JobResponsibility, *cx.reference));
  CRM_RETURN_IF_ERROR(CheckCodes(&n.business_relations, fb::ProfileKind::BusinessRelation, *cx.reference));
  CRM_RETURN_IF_ERROR(CheckCodes(&n.industry_groups, fb::ProfileKind::IndustryGroup, *cx.reference));
  CRM_RETURN_IF_ERROR(CheckCodes(&n.mailing_groups, fb::ProfileKind::MailingGroup, *cx.reference));
  if (state.exists) {
    // A no-op only when every field matches: a create that differs would otherwise be lost silently.
    const bool same = state.type == n.type && SameFields(state.f, n.f) && state.company == n.company &&
                      state.job_responsibilities == n.job_responsibilities &&
                      state.business_relations == n.business_relations && state.industry_groups == n.industry_groups &&
                      state.mailing_groups == n.mailing_groups && state.exclude_from_segment == n.exclude_from_segment;
    if (same) return Events{};
    return Status::AlreadyExists("contact " + c.no.ToString() + " already exists");
  }
  CRM_RETURN_IF_ERROR(CheckUniqueEmail(n.unique_email, n.f.email, cx.email_owner));
  fb::ContactCreatedT e;
  e.no = n.no.ToString();
  e.type = n.type;
  WriteFields(n.f, &e);
  e.company = n.company;
  e.job_responsibilities = n.job_responsibilities;
  e.business_relations = n.business_relations;
  e.industry_groups = n.industry_groups;
  e.mailing_groups = n.mailing_groups;
  e.exclude_from_segment = n.exclude_from_segment;
  return Events{MakeEvent(n.no.Stream(), std::move(e))};
}

Result<Events> DecideChange(const ContactState& state, const ContactContext& cx, const ChangeContact& c) {
  if (!state.exists) return Status::NotFound("contact " + c.no.ToString() + " does not exist");
  CRM_RETURN_IF_ERROR(RefuseErased(state.erased, state.no));
  Fields after = ApplyPatch(state.f, c.f);
  CRM_RETURN_IF_ERROR(CheckFields(&after, cx, &state.f));
  fb::ContactChangedT e;
  e.no = state.no.ToString();
  bool changed = DiffFields(state.f, after, &e);
  if (c.company && *c.company != state.company) {
    std::string company;
    if (!c.company->empty()) {
      CRM_ASSIGN_OR_RETURN(RecordNo parsed, RefuseUnparsed(RecordNo::Parse(*c.company, RecordKind::kContact)));
      company = parsed.ToString();
    }
    CRM_RETURN_IF_ERROR(CheckCompany(company, state.type, cx));
    if (company != state.company) {
      changed = true;
      if (company.empty()) e.cleared.push_back("company");
      e.company = company;
    }
  }
  auto list = [&](const std::optional<std::vector<std::string>>& v, const std::vector<std::string>& before,
                  fb::ProfileKind kind, std::vector<std::string>* out, const char* name) -> Status {
    if (!v) return Status::Ok();
    std::vector<std::string> codes = *v;
    CRM_RETURN_IF_ERROR(CheckCodes(&codes, kind, *cx.reference));
    if (codes == before) return Status::Ok();
    changed = true;
    if (codes.empty()) e.cleared.push_back(name);
    *out = std::move(codes);
    return Status::Ok();
  };
  CRM_RETURN_IF_ERROR(list(c.job_responsibilities, state.job_responsibilities, fb::ProfileKind::JobResponsibility,
                           &e.job_responsibilities, "job_responsibilities"));
  CRM_RETURN_IF_ERROR(list(c.business_relations, state.business_relations, fb::ProfileKind::BusinessRelation,
                           &e.business_relations, "business_relations"));
  CRM_RETURN_IF_ERROR(list(c.industry_groups, state.industry_groups, fb::ProfileKind::IndustryGroup,
                           &e.industry_groups, "industry_groups"));
  CRM_RETURN_IF_ERROR(list(c.mailing_groups, state.mailing_groups, fb::ProfileKind::MailingGroup, &e.mailing_groups,
                           "mailing_groups"));
  if (c.exclude_from_segment && *c.exclude_from_segment != state.exclude_from_segment) {
    changed = true;
    e.exclude_from_segment = *c.exclude_from_segment;
  }
  if (after.email != state.f.email) CRM_RETURN_IF_ERROR(CheckUniqueEmail(c.unique_email, after.email, cx.email_owner));
  if (!changed) return Events{};
  return Events{MakeEvent(state.no.Stream(), std::move(e))};
}

std::string ConsentKindName(fb::ConsentKind kind) {
  switch (kind) {
    case fb::ConsentKind::OptIn: return "opt-in";
    case fb::ConsentKind::OptOut: return "opt-out";
    case fb::ConsentKind::Bounce: return "bounce";
  }
  return "opt-out";
}

namespace {

// Consent decisions are the same for contacts and leads.
Result<Events> DecideConsentOf(const Consent& state, bool exists, bool erased, const std::string& email,
                               const RecordConsent& c) {
  if (!exists) return Status::NotFound(std::string(RecordNoun(c.no.kind())) + " " + c.no.ToString() + " does not exist");
  CRM_RETURN_IF_ERROR(RefuseErased(erased, c.no));
  CRM_ASSIGN_OR_RETURN(std::string reason, CheckText(c.reason, "reason", 200, false));
  switch (c.kind) {
    case fb::ConsentKind::OptIn:
      if (state.consent == "opted-in") return Events{};
      break;
    case fb::ConsentKind::OptOut:
      if (state.opted_out()) return Events{};
      break;
    case fb::ConsentKind::Bounce:
      if (email.empty()) {
        return Status::FailedPrecondition(std::string(RecordNoun(c.no.kind())) + " " + c.no.ToString() +
                                          " has no email address to bounce");
      }
      if (state.bounced) return Events{};
      break;
  }
  fb::ConsentRecordedT e;
  e.no = c.no.ToString();
  e.kind = c.kind;
  e.reason = std::move(reason);
  return Events{MakeEvent(c.no.Stream(), std::move(e))};
}

}  // namespace

Result<Events> DecideConsent(const ContactState& state, const RecordConsent& c) {
  if (c.no.kind() != RecordKind::kContact)
    return Status::FailedPrecondition(c.no.ToString() + " is not a contact number");
  return DecideConsentOf(state, state.exists, state.erased, state.f.email, c);
}

Result<Events> DecideConsent(const LeadState& state, const RecordConsent& c) {
  if (c.no.kind() != RecordKind::kLead) return Status::FailedPrecondition(c.no.ToString() + " is not a lead number");
  if (state.exists) {
    CRM_RETURN_IF_ERROR(RefuseConverted(state));
  }
  return DecideConsentOf(state, state.exists, state.erased, state.f.email, c);
}

namespace {

Result<Events> DecideErasure(bool exists, bool erased, const RecordNo& no) {
  if (!exists) return Status::NotFound(std::string(RecordNoun(no.kind())) + " " + no.ToString() + " does not exist");
  if (erased) return Events{};
  fb::PersonalDataErasedT e;
  e.no = no.ToString();
  return Events{MakeEvent(no.Stream(), std::move(e))};
}

}  // namespace

Events ReplaceLeadStatus(const std::vector<RecordNo>& holding, const std::string& removed,
                         const std::optional<std::string>& replacement) {
  Events out;
  if (!replacement || *replacement == removed) return out;
  for (const RecordNo& no : holding) {
    fb::LeadChangedT e;
    e.no = no.ToString();
    e.lead_status = *replacement;
    out.push_back(MakeEvent(no.Stream(), std::move(e)));
  }
  return out;
}

Result<Events> DecideErase(const ContactState& state, const RecordNo& no) {
  if (no.kind() != RecordKind::kContact) return Status::FailedPrecondition(no.ToString() + " is not a contact number");
  return DecideErasure(state.exists, state.erased, no);
}

Result<Events> DecideEraseLead(const LeadState& state, const RecordNo& no) {
  if (no.kind() != RecordKind::kLead) return Status::FailedPrecondition(no.ToString() + " is not a lead number");
  return DecideErasure(state.exists, state.erased, no);
}

Result<Events> DecideCreateLead(const LeadState& state, const ContactContext& cx, const CreateLead& c) {
  if (c.no.kind() != RecordKind::kLead) return Status::Internal("lead number expected");
  CreateLead n = c;
  CRM_RETURN_IF_ERROR(CheckFields(&n.f, cx));
  CRM_ASSIGN_OR_RETURN(n.company_name, CheckText(n.company_name, "company name", 100, false));
  CRM_ASSIGN_OR_RETURN(n.lead_source, CheckText(n.lead_source, "lead source", 50, false));
  CRM_ASSIGN_OR_RETURN(n.description, CheckLines(n.description, "description", 250));
  CRM_ASSIGN_OR_RETURN(n.lead_status, CheckLeadStatus(*cx.reference, n.lead_status.empty()
                                                                        ? cx.reference->DefaultLeadStatus()
                                                                        : n.lead_status));
  if (state.exists) {
    if (SameFields(state.f, n.f) && state.company_name == n.company_name && state.lead_status == n.lead_status &&
        state.lead_source == n.lead_source && state.description == n.description) {
      return Events{};
    }
    return Status::AlreadyExists("lead " + c.no.ToString() + " already exists");
  }
  CRM_RETURN_IF_ERROR(CheckUniqueEmail(n.unique_email, n.f.email, cx.email_owner));
  fb::LeadCreatedT e;
  e.no = n.no.ToString();
  WriteFields(n.f, &e);
  e.company_name = n.company_name;
  e.lead_status = n.lead_status;
  e.lead_source = n.lead_source;
  e.description = n.description;
  return Events{MakeEvent(n.no.Stream(), std::move(e))};
}

Result<Events> DecideChangeLead(const LeadState& state, const ContactContext& cx, const ChangeLead& c) {
  if (!state.exists) return Status::NotFound("lead " + c.no.ToString() + " does not exist");
  CRM_RETURN_IF_ERROR(RefuseErased(state.erased, state.no));
  CRM_RETURN_IF_ERROR(RefuseConverted(state));
  Fields after = ApplyPatch(state.f, c.f);
  CRM_RETURN_IF_ERROR(CheckFields(&after, cx, &state.f));
  fb::LeadChangedT e;
  e.no = state.no.ToString();
  bool changed = DiffFields(state.f, after, &e);
  auto text = [&](const std::optional<std::string>& v, const std::string& before, std::string* out, const char* name,
                  size_t max) -> Status {
    if (!v) return Status::Ok();
    CRM_ASSIGN_OR_RETURN(std::string t, CheckText(*v, name, max, false));
    if (t == before) return Status::Ok();
    changed = true;
    if (t.empty()) e.cleared.push_back(name);
    *out = t;
    return Status::Ok();
  };
  CRM_RETURN_IF_ERROR(text(c.company_name, state.company_name, &e.company_name, "company_name", 100));
  CRM_RETURN_IF_ERROR(text(c.lead_source, state.lead_source, &e.lead_source, "lead_source", 50));
  if (c.description) {
    CRM_ASSIGN_OR_RETURN(std::string d, CheckLines(*c.description, "description", 250));
    if (d != state.description) {
      changed = true;
      if (d.empty()) e.cleared.push_back("description");
      e.description = d;
    }
  }
  if (c.lead_status) {
    CRM_ASSIGN_OR_RETURN(std::string st, CheckLeadStatus(*cx.reference, *c.lead_status));
    if (st != state.lead_status) {
      changed = true;
      e.lead_status = st;
    }
  }
  if (after.email != state.f.email) CRM_RETURN_IF_ERROR(CheckUniqueEmail(c.unique_email, after.email, cx.email_owner));
  if (!changed) return Events{};
  return Events{MakeEvent(state.no.Stream(), std::move(e))};
}

}  // namespace crm::contact
