#include "aggregates/lead.h"

namespace crm::contact {
namespace {

Result<std::string> CheckLeadStatus(const reference::State& ref, const std::string& text) {
  if (auto name = ref.FindLeadStatus(Trim(text))) return *name;
  std::string names;
  for (const auto& d : ref.LeadStatuses()) names += (names.empty() ? "" : ", ") + d.name;
  return Status::FailedPrecondition("lead status '" + text + "' is not defined (" + names + ")");
}

}  // namespace

void MaskErased(LeadState* s) {
  MaskPerson(&s->f, s);
  EraseText(&s->description);
  custom::MaskValues(&s->custom, kErasedText);
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
      s.custom = custom::Read(e);
      s.created_at = CreatedAt(e->created_at(), at);
      s.modified_at = at;
    },
    [&](const fb::LeadChanged* e) {
      PatchFields(&s.f, e);
      Patch(&s.company_name, e->company_name(), e, "company_name");
      Patch(&s.lead_status, e->lead_status(), e, "lead_status");
      Patch(&s.lead_source, e->lead_source(), e, "lead_source");
      Patch(&s.description, e->description(), e, "description");
      custom::Patch(&s.custom, e);
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

Result<Events> DecideConsent(const LeadState& state, const RecordConsent& c) {
  if (c.no.kind() != RecordKind::kLead) return Status::FailedPrecondition(c.no.ToString() + " is not a lead number");
  if (state.exists) {
    CRM_RETURN_IF_ERROR(RefuseConverted(state));
  }
  return DecideConsentOf(state, state.exists, state.erased, state.f.email, c);
}

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

Result<Events> DecideEraseLead(const LeadState& state, const RecordNo& no) {
  if (no.kind() != RecordKind::kLead) return Status::FailedPrecondition(no.ToString() + " is not a lead number");
  return DecideErasure(state.exists, state.erased, no);
}

Result<Events> DecideCreateLead(const LeadState& state, const ContactContext& cx, const CreateLead& c) {
  if (c.no.kind() != RecordKind::kLead) return Status::Internal("lead number expected");
  CreateLead n = c;
  CRM_RETURN_IF_ERROR(CheckFields(&n.f, *cx.reference, cx.salespeople));
  CRM_ASSIGN_OR_RETURN(n.company_name, CheckText(n.company_name, "company name", 100, false));
  CRM_ASSIGN_OR_RETURN(n.lead_source, CheckText(n.lead_source, "lead source", 50, false));
  CRM_ASSIGN_OR_RETURN(n.description, CheckLines(n.description, "description", 250));
  CRM_ASSIGN_OR_RETURN(n.lead_status, CheckLeadStatus(*cx.reference, n.lead_status.empty()
                                                                        ? cx.reference->DefaultLeadStatus()
                                                                        : n.lead_status));
  CRM_ASSIGN_OR_RETURN(n.custom, custom::Change({}, n.custom, cx.reference->CustomFields("lead"), "lead"));
  if (state.exists) {
    if (SameFields(state.f, n.f) && state.company_name == n.company_name && state.lead_status == n.lead_status &&
        state.lead_source == n.lead_source && state.description == n.description && state.custom == n.custom) {
      return Events{};
    }
    return Status::AlreadyExists("lead " + c.no.ToString() + " already exists");
  }
  CRM_RETURN_IF_ERROR(CheckUniqueEmail(n.unique_email, n.f.email, cx.email_owner));
  fb::LeadCreatedT e;
  e.no = n.no.ToString();
  WriteFields(n.f, &e);
  e.created_at = n.created_at.value();
  e.company_name = n.company_name;
  e.lead_status = n.lead_status;
  e.lead_source = n.lead_source;
  e.description = n.description;
  custom::Write(n.custom, &e);
  return Events{MakeEvent(n.no.Stream(), std::move(e))};
}

Result<Events> DecideChangeLead(const LeadState& state, const ContactContext& cx, const ChangeLead& c) {
  if (!state.exists) return Status::NotFound("lead " + c.no.ToString() + " does not exist");
  CRM_RETURN_IF_ERROR(RefuseErased(state.erased, state.no));
  CRM_RETURN_IF_ERROR(RefuseDeleted(state.deleted, state.no));
  CRM_RETURN_IF_ERROR(RefuseConverted(state));
  Fields after = ApplyPatch(state.f, c.f);
  CRM_RETURN_IF_ERROR(CheckFields(&after, *cx.reference, cx.salespeople, &state.f));
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
  CRM_ASSIGN_OR_RETURN(custom::Values values,
                       custom::Change(state.custom, c.custom, cx.reference->CustomFields("lead"), "lead"));
  if (custom::Diff(state.custom, values, &e)) changed = true;
  if (after.email != state.f.email) CRM_RETURN_IF_ERROR(CheckUniqueEmail(c.unique_email, after.email, cx.email_owner));
  if (!changed) return Events{};
  return Events{MakeEvent(state.no.Stream(), std::move(e))};
}

}  // namespace crm::contact
