// What contacts and leads share (SPEC §4.2, §4.10): the shared fields and their rules, consent,
// erasure and removal. The contact (aggregates/contact.h) and the lead (aggregates/lead.h) are
// each their own aggregate on their own stream; this file holds the rules and folds they apply
// alike, so each is written once.
//
// Field rules: name required (<= 100 chars); email syntax; phone and mobile characters; address <= 200,
// post code <= 20, city and country <= 50 chars; language, salesperson and territory are codes,
// the salesperson and territory defined (a salesperson a record already holds is not checked
// again); with unique_email a duplicate email is refused. Source (lower case, <= 30) and source id
// (<= 100): the product a record was imported from and its id there; an id needs its source; a
// Salesforce id of 18 characters is kept as its 15 (the same record).
//
// Consent (ConsentRecorded): opt-in, opt-out with a reason, and a bounce of the email address
// (only for one with an address; cleared when the address changes). Recording what already
// holds is a no-op. Opted-out people are left out of segments and deliveries unless explicitly
// included; a bouncing address gets letters.
//
// Erasure (PersonalDataErased): the personal fields read "(erased)" (events/sealing.h), and the
// record can no longer be changed. Removal (RecordRemoved, the undo of an import) forgets it.
//
// Deletion (RecordDeleted): the record leaves lists, filters, segments and exports but keeps its
// fields, memberships and history; it can be shown, restored (RecordDeleted with `restored`) or
// erased, not changed. Refused while something still needs it (the caller names what: a contact's
// open opportunities, the persons of a company).
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "aggregates/common.h"
#include "aggregates/custom_fields.h"
#include "aggregates/reference.h"
#include "events/person_fields.h"

namespace crm::contact {

// The fields both contacts and leads have (events/person_fields.h), and a partial update of
// them: nullopt = unchanged, "" = clear.
using Fields = PersonFieldValues<std::string>;
using FieldPatch = PersonFieldValues<std::optional<std::string>>;

// A patch that sets every field to its value in `f`.
FieldPatch PatchTo(const Fields& f);

struct Consent {
  std::string consent;         // "", "opted-in" or "opted-out"
  std::string consent_reason;  // of the last opt-in or opt-out
  bool bounced = false;        // the email address bounced
  std::string bounce_reason;
  bool opted_out() const { return consent == "opted-out"; }
};

// The events contacts and leads share (events/owner.h: Owner::kPerson).
using PersonEvents = EventList<fb::ConsentRecorded, fb::PersonalDataErased, fb::RecordRemoved, fb::RecordDeleted>;

struct RecordConsent {
  CommandContext ctx;
  RecordNo no;
  fb::ConsentKind kind = fb::ConsentKind::OptOut;
  std::string reason;
};
// "opt-in", "opt-out", "bounce".
std::string ConsentKindName(fb::ConsentKind kind);

struct DeleteRecord {
  CommandContext ctx;
  RecordNo no;
  bool restore = false;  // bring a deleted record back
};

// ---- The rules and folds contact.cc and lead.cc share ----

// Validates and normalises the shared fields in place. `salespeople`: the defined salesperson
// codes (null only where history is restored as it was, by undo). `before`: the record's fields
// before a change (null for a new record).
Status CheckFields(Fields* f, const reference::State& ref, const std::set<std::string>* salespeople,
                   const Fields* before = nullptr);
Status CheckUniqueEmail(bool unique, const std::string& email, const std::string& owner);
Status RefuseErased(bool erased, const RecordNo& no);
bool SameFields(const Fields& a, const Fields& b);
Fields ApplyPatch(Fields f, const FieldPatch& p);
// Each personal field that has a value reads "(erased)", in the fields and the consent.
void MaskPerson(Fields* f, Consent* consent);
void EraseText(std::string* text);

Result<Events> DecideConsentOf(const Consent& state, bool exists, bool erased, const std::string& email,
                               const RecordConsent& c);
Result<Events> DecideErasure(bool exists, bool erased, const RecordNo& no);
// NotFound for a record that does not exist; no events when it already is as asked;
// FailedPrecondition naming `dependents` ("open opportunity OP0001", ...) when deleting a record
// something still needs.
Result<Events> DecideDeletion(bool exists, bool deleted, const DeleteRecord& c, const std::vector<std::string>& dependents);
// FailedPrecondition for a change to a deleted record.
Status RefuseDeleted(bool deleted, const RecordNo& no);

// Whether a *Changed event's `cleared` list names the field.
bool Cleared(const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>* cleared, std::string_view name);

// Applies a *Changed field: present = new value, listed in cleared = "", else unchanged.
template <typename Table>
void Patch(std::string* field, const flatbuffers::String* value, const Table* e, std::string_view name) {
  if (value != nullptr) {
    *field = value->str();
  } else if (Cleared(e->cleared(), name)) {
    field->clear();
  }
}

// The shared fields of a *Created event; a *Changed event applied onto them.
template <typename Table>
Fields ReadFields(const Table* e) {
  Fields f;
  for (std::size_t i = 0; i < kPersonFields.size(); ++i) {
    f.*kPersonFieldMembers<Fields>[i] = Str((e->*kPersonFieldGetters<Table>[i])());
  }
  return f;
}
template <typename Table>
void PatchFields(Fields* f, const Table* e) {
  for (std::size_t i = 0; i < kPersonFields.size(); ++i) {
    Patch(&(f->*kPersonFieldMembers<Fields>[i]), (e->*kPersonFieldGetters<Table>[i])(), e, kPersonFields[i].name);
  }
}

// The shared fields written into a *CreatedT; the differences between `before` and `after`
// written into a *ChangedT (a cleared field by name in `cleared`). Returns whether any differ.
template <typename T>
void WriteFields(const Fields& f, T* e) {
  for (std::size_t i = 0; i < kPersonFields.size(); ++i) {
    e->*kPersonFieldMembers<T>[i] = f.*kPersonFieldMembers<Fields>[i];
  }
}
template <typename T>
bool DiffFields(const Fields& before, const Fields& after, T* e) {
  bool changed = false;
  for (std::size_t i = 0; i < kPersonFields.size(); ++i) {
    const std::string& a = before.*kPersonFieldMembers<Fields>[i];
    const std::string& b = after.*kPersonFieldMembers<Fields>[i];
    if (a == b) continue;
    changed = true;
    if (b.empty()) {
      e->cleared.emplace_back(kPersonFields[i].name);
    } else {
      e->*kPersonFieldMembers<T>[i] = b;
    }
  }
  return changed;
}

// What happens alike to a contact and a lead: consent, erasure, removal (undo of an import),
// deletion.
void ApplyConsent(Consent* s, const fb::ConsentRecorded& e);
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
                   [&](const fb::RecordRemoved*) { s = {}; },
                   [&](const fb::RecordDeleted* e) {
                     s.deleted = !e->restored();
                     s.modified_at = at;
                   }});
  return s;
}

}  // namespace crm::contact
