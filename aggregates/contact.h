// The contact aggregate (stream "contact/CT0001"), SPEC §4.2: a person or a company.
//
// Rules: the shared fields' rules (aggregates/person.h); type person|company; a person's company
// must be an existing company contact, a company has no company; profile codes must be defined.
// Creating the same number twice with the same fields is a no-op; otherwise AlreadyExists.
// Consent, erasure and removal: aggregates/person.h.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "aggregates/common.h"
#include "aggregates/person.h"
#include "aggregates/reference.h"

namespace crm::contact {

struct ContactState : Consent {
  bool exists = false;
  RecordNo no;
  fb::ContactType type = fb::ContactType::Person;
  Fields f;
  std::string company;  // CT number of the company contact (persons)
  std::vector<std::string> job_responsibilities, business_relations, industry_groups, mailing_groups;
  bool exclude_from_segment = false;
  bool erased = false;         // its personal data was erased (read "(erased)")
  bool deleted = false;        // deleted: out of lists and filters (RecordDeleted)
  custom::Values custom;       // custom field values (aggregates/custom_fields.h): personal, sealed
  Timestamp created_at, modified_at;
};

// The events a contact owns (events/owner.h: Owner::kContact); it folds them and PersonEvents.
using ContactEvents = EventList<fb::ContactCreated, fb::ContactChanged>;
ContactState EvolveContact(ContactState state, const fb::Envelope& env);

// The personal fields as they read once the person's key is gone: each sealed one that had a
// value reads "(erased)" (events/sealing.h). PersonalDataErased applies this and sets `erased`;
// as-of views apply it alone to rows of a snapshot older than an erasure, which is what a
// replay from the first record would give.
void MaskErased(ContactState* state);

struct CreateContact {
  CommandContext ctx;
  RecordNo no;  // allocated by the handler
  fb::ContactType type = fb::ContactType::Person;
  Fields f;
  std::string company;
  std::vector<std::string> job_responsibilities, business_relations, industry_groups, mailing_groups;
  bool exclude_from_segment = false;
  bool unique_email = false;
  custom::Values custom;  // by field name as given; checked against the contact fields defined
  Timestamp created_at;   // when the source created it (an import); 0: when the event is recorded
};

struct ChangeContact {
  CommandContext ctx;
  RecordNo no;
  FieldPatch f;
  std::optional<std::string> company;
  std::optional<std::vector<std::string>> job_responsibilities, business_relations, industry_groups,
      mailing_groups;
  std::optional<bool> exclude_from_segment;
  bool unique_email = false;
  custom::Values custom;  // the custom values to set ("" clears), by field name as given
};

// Facts from the read models a contact's or a lead's decision needs (a lead has no company).
struct ContactContext {
  const reference::State* reference = nullptr;
  // The company contact named by the command, when it exists.
  std::optional<ContactState> company;
  // Another contact (or lead) already using the command's email, if any ("" when none).
  std::string email_owner;
  // The defined salesperson codes: a salesperson given must be one of them. Null only where
  // history is restored as it was (undo), never for what a user asks.
  const std::set<std::string>* salespeople = nullptr;
};

Result<Events> DecideCreate(const ContactState& state, const ContactContext& cx, const CreateContact& c);

Result<Events> DecideChange(const ContactState& state, const ContactContext& cx, const ChangeContact& c);
Result<Events> DecideConsent(const ContactState& state, const RecordConsent& c);

// contact erase (SPEC §4.10): PersonalDataErased; the key that sealed the person's data is
// destroyed with it. Erasing an erased record is a no-op. An erased record keeps its memberships
// and history (counts stand) but its personal data cannot be changed.
Result<Events> DecideErase(const ContactState& state, const RecordNo& no);

}  // namespace crm::contact
