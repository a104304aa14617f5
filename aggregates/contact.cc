#include "aggregates/contact.h"

#include <algorithm>

namespace crm::contact {
namespace {

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

}  // namespace

void MaskErased(ContactState* s) {
  MaskPerson(&s->f, s);
  custom::MaskValues(&s->custom, kErasedText);
}

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
      s.custom = custom::Read(e);
      s.created_at = CreatedAt(e->created_at(), at);
      s.modified_at = at;
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
      custom::Patch(&s.custom, e);
      if (e->email() != nullptr || Cleared(e->cleared(), "email")) {
        s.bounced = false;  // a new address has not bounced
        s.bounce_reason.clear();
      }
      s.modified_at = at;
    }
  });
  return EvolvePerson(std::move(s), env, at);
}

Result<Events> DecideCreate(const ContactState& state, const ContactContext& cx, const CreateContact& c) {
  if (c.no.kind() != RecordKind::kContact) return Status::Internal("contact number expected");
  CreateContact n = c;
  CRM_RETURN_IF_ERROR(CheckFields(&n.f, *cx.reference, cx.salespeople));
  if (!n.company.empty()) {
    CRM_ASSIGN_OR_RETURN(RecordNo company, RefuseUnparsed(RecordNo::Parse(n.company, RecordKind::kContact)));
    n.company = company.ToString();
  }
  CRM_RETURN_IF_ERROR(CheckCompany(n.company, n.type, cx));
  CRM_RETURN_IF_ERROR(CheckCodes(&n.job_responsibilities, fb::ProfileKind::JobResponsibility, *cx.reference));
  CRM_RETURN_IF_ERROR(CheckCodes(&n.business_relations, fb::ProfileKind::BusinessRelation, *cx.reference));
  CRM_RETURN_IF_ERROR(CheckCodes(&n.industry_groups, fb::ProfileKind::IndustryGroup, *cx.reference));
  CRM_RETURN_IF_ERROR(CheckCodes(&n.mailing_groups, fb::ProfileKind::MailingGroup, *cx.reference));
  CRM_ASSIGN_OR_RETURN(n.custom, custom::Change({}, n.custom, cx.reference->CustomFields("contact"), "contact"));
  if (state.exists) {
    // A no-op only when every field matches: a create that differs would otherwise be lost silently.
    const bool same = state.type == n.type && SameFields(state.f, n.f) && state.company == n.company &&
                      state.job_responsibilities == n.job_responsibilities &&
                      state.business_relations == n.business_relations && state.industry_groups == n.industry_groups &&
                      state.mailing_groups == n.mailing_groups &&
                      state.exclude_from_segment == n.exclude_from_segment && state.custom == n.custom;
    if (same) return Events{};
    return Status::AlreadyExists("contact " + c.no.ToString() + " already exists");
  }
  CRM_RETURN_IF_ERROR(CheckUniqueEmail(n.unique_email, n.f.email, cx.email_owner));
  fb::ContactCreatedT e;
  e.no = n.no.ToString();
  e.type = n.type;
  WriteFields(n.f, &e);
  e.created_at = n.created_at.value();
  e.company = n.company;
  e.job_responsibilities = n.job_responsibilities;
  e.business_relations = n.business_relations;
  e.industry_groups = n.industry_groups;
  e.mailing_groups = n.mailing_groups;
  e.exclude_from_segment = n.exclude_from_segment;
  custom::Write(n.custom, &e);
  return Events{MakeEvent(n.no.Stream(), std::move(e))};
}

Result<Events> DecideChange(const ContactState& state, const ContactContext& cx, const ChangeContact& c) {
  if (!state.exists) return Status::NotFound("contact " + c.no.ToString() + " does not exist");
  CRM_RETURN_IF_ERROR(RefuseErased(state.erased, state.no));
  CRM_RETURN_IF_ERROR(RefuseDeleted(state.deleted, state.no));
  Fields after = ApplyPatch(state.f, c.f);
  CRM_RETURN_IF_ERROR(CheckFields(&after, *cx.reference, cx.salespeople, &state.f));
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
  CRM_ASSIGN_OR_RETURN(custom::Values values,
                       custom::Change(state.custom, c.custom, cx.reference->CustomFields("contact"), "contact"));
  if (custom::Diff(state.custom, values, &e)) changed = true;
  if (after.email != state.f.email) CRM_RETURN_IF_ERROR(CheckUniqueEmail(c.unique_email, after.email, cx.email_owner));
  if (!changed) return Events{};
  return Events{MakeEvent(state.no.Stream(), std::move(e))};
}

Result<Events> DecideConsent(const ContactState& state, const RecordConsent& c) {
  if (c.no.kind() != RecordKind::kContact)
    return Status::FailedPrecondition(c.no.ToString() + " is not a contact number");
  return DecideConsentOf(state, state.exists, state.erased, state.f.email, c);
}

Result<Events> DecideErase(const ContactState& state, const RecordNo& no) {
  if (no.kind() != RecordKind::kContact) return Status::FailedPrecondition(no.ToString() + " is not a contact number");
  return DecideErasure(state.exists, state.erased, no);
}

}  // namespace crm::contact
