#include "aggregates/person.h"

#include <algorithm>

#include "events/sealing.h"

namespace crm::contact {

FieldPatch PatchTo(const Fields& f) {
  FieldPatch p;
  for (std::size_t i = 0; i < kPersonFields.size(); ++i) {
    p.*kPersonFieldMembers<FieldPatch>[i] = f.*kPersonFieldMembers<Fields>[i];
  }
  return p;
}

bool Cleared(const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>* cleared, std::string_view name) {
  if (cleared == nullptr) return false;
  return std::any_of(cleared->begin(), cleared->end(), [&](const auto* s) { return s->string_view() == name; });
}

Status CheckFields(Fields* f, const reference::State& ref, const std::set<std::string>* salespeople,
                   const Fields* before) {
  CRM_ASSIGN_OR_RETURN(f->name, CheckText(f->name, "name", 100, true));
  f->email = Trim(f->email);
  CRM_RETURN_IF_ERROR(CheckEmail(f->email));
  CRM_RETURN_IF_ERROR(CheckPhone(f->phone));
  CRM_RETURN_IF_ERROR(CheckPhone(f->mobile, "mobile"));
  CRM_RETURN_IF_ERROR(CheckSource(&f->source, &f->source_id, &f->source_modified_at));
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
    if (salespeople != nullptr && !kept && !salespeople->contains(f->salesperson)) {
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

Status CheckUniqueEmail(bool unique, const std::string& email, const std::string& owner) {
  if (unique && !email.empty() && !owner.empty()) {
    return Status::AlreadyExists("email " + email + " is already used by " + owner);
  }
  return Status::Ok();
}

bool SameFields(const Fields& a, const Fields& b) {
  for (const auto member : kPersonFieldMembers<Fields>) {
    if (a.*member != b.*member) return false;
  }
  return true;
}

Fields ApplyPatch(Fields f, const FieldPatch& p) {
  for (std::size_t i = 0; i < kPersonFields.size(); ++i) {
    if (const auto& v = p.*kPersonFieldMembers<FieldPatch>[i]) f.*kPersonFieldMembers<Fields>[i] = *v;
  }
  return f;
}

void EraseText(std::string* text) {
  if (!text->empty()) *text = kErasedText;
}

void MaskPerson(Fields* f, Consent* consent) {
  for (std::size_t i = 0; i < kPersonFields.size(); ++i) {
    if (kPersonFields[i].personal) EraseText(&(f->*kPersonFieldMembers<Fields>[i]));
  }
  EraseText(&consent->consent_reason);
  EraseText(&consent->bounce_reason);
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

std::string ConsentKindName(fb::ConsentKind kind) {
  switch (kind) {
    case fb::ConsentKind::OptIn: return "opt-in";
    case fb::ConsentKind::OptOut: return "opt-out";
    case fb::ConsentKind::Bounce: return "bounce";
  }
  return "opt-out";
}

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

Status RefuseDeleted(bool deleted, const RecordNo& no) {
  if (!deleted) return Status::Ok();
  const std::string noun(RecordNoun(no.kind()));
  return Status::FailedPrecondition(noun + " " + no.ToString() + " is deleted (crmctl " + noun + " restore " +
                                    no.ToString() + " brings it back)");
}

Result<Events> DecideDeletion(bool exists, bool deleted, const DeleteRecord& c, const std::vector<std::string>& dependents) {
  const std::string what = std::string(RecordNoun(c.no.kind())) + " " + c.no.ToString();
  if (!exists) return Status::NotFound(what + " does not exist");
  if (deleted != c.restore) return Events{};  // already as asked
  if (!c.restore && !dependents.empty()) {
    std::string names;
    for (const std::string& d : dependents) names += (names.empty() ? "" : ", ") + d;
    return Status::FailedPrecondition("cannot delete " + what + ": still needed by " + names);
  }
  fb::RecordDeletedT e;
  e.no = c.no.ToString();
  e.restored = c.restore;
  return Events{MakeEvent(c.no.Stream(), std::move(e))};
}

Result<Events> DecideErasure(bool exists, bool erased, const RecordNo& no) {
  if (!exists) return Status::NotFound(std::string(RecordNoun(no.kind())) + " " + no.ToString() + " does not exist");
  if (erased) return Events{};
  fb::PersonalDataErasedT e;
  e.no = no.ToString();
  return Events{MakeEvent(no.Stream(), std::move(e))};
}

}  // namespace crm::contact
