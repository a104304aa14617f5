// Contact and lead aggregates (streams "contact/CT0001" and "lead/LD0001"), SPEC §4.2.
//
// Rules: name required (<= 100 chars); email syntax; phone characters; type person|company; a
// person's company must be an existing company contact, a company has no company; profile codes
// and territory must be defined; with unique_email a duplicate email is refused. Creating the
// same number twice with the same fields is a no-op; otherwise AlreadyExists.
//
// Erasure (PersonalDataErased): the personal fields read "(erased)" (events/sealing.h), and
// the contact or lead can no longer be changed.
//
// Consent (ConsentRecorded), on contacts and leads alike: opt-in, opt-out with a reason, and a
// bounce of the email address (only for one with an address; cleared when the address changes). Recording what already holds
// is a no-op. Opted-out contacts are left out of segments and deliveries unless explicitly
// included; a bouncing address gets letters.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "aggregates/common.h"
#include "aggregates/reference.h"

namespace crm::contact {

// The fields both contacts and leads have.
struct Fields {
  std::string name, email, phone, address, post_code, city, country, language, salesperson, territory;
};

// Consent (ConsentRecorded), the same for contacts and leads.
struct Consent {
  std::string consent;         // "", "opted-in" or "opted-out"
  std::string consent_reason;  // of the last opt-in or opt-out
  bool bounced = false;        // the email address bounced
  std::string bounce_reason;
  bool opted_out() const { return consent == "opted-out"; }
};

struct ContactState : Consent {
  bool exists = false;
  RecordNo no;
  fb::ContactType type = fb::ContactType::Person;
  Fields f;
  std::string company;  // CT number of the company contact (persons)
  std::vector<std::string> job_responsibilities, business_relations, industry_groups, mailing_groups;
  bool exclude_from_segment = false;
  bool erased = false;         // its personal data was erased (read "(erased)")
  Timestamp created_at, modified_at;
};

struct LeadState : Consent {
  bool exists = false;
  RecordNo no;
  Fields f;
  std::string company_name, lead_status, lead_source, description;
  bool erased = false;
  // Set by LeadConverted: the person contact, its company contact and opportunity, if any. A
  // converted lead is read-only (it can still be erased).
  std::string converted_to, converted_company, converted_opportunity;
  Timestamp converted_at;
  bool converted() const { return !converted_to.empty(); }
  Timestamp created_at, modified_at;
};

// The events each kind of person owns (events/owner.h: Owner::kContact, kLead, kPerson). A
// contact folds its own and the person events; a lead its own and the person events.
using ContactEvents = EventList<fb::ContactCreated, fb::ContactChanged>;
using LeadEvents = EventList<fb::LeadCreated, fb::LeadChanged, fb::LeadConverted>;
using PersonEvents = EventList<fb::ConsentRecorded, fb::PersonalDataErased, fb::RecordRemoved>;
ContactState EvolveContact(ContactState state, const fb::Envelope& env);
LeadState EvolveLead(LeadState state, const fb::Envelope& env);

// The personal fields as they read once the person's key is gone: each sealed one that had a
// value reads "(erased)" (events/sealing.h). PersonalDataErased applies this and sets `erased`;
// as-of views apply it alone to rows of a snapshot older than an erasure, which is what a
// replay from the first record would give.
void MaskErased(ContactState* state);
void MaskErased(LeadState* state);

// A partial update: nullopt = unchanged, "" = clear.
struct FieldPatch {
  std::optional<std::string> name, email, phone, address, post_code, city, country, language, salesperson,
      territory;
};

struct CreateContact {
  CommandContext ctx;
  RecordNo no;  // allocated by the handler
  fb::ContactType type = fb::ContactType::Person;
  Fields f;
  std::string company;
  std::vector<std::string> job_responsibilities, business_relations, industry_groups, mailing_groups;
  bool exclude_from_segment = false;
  bool unique_email = false;
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
};

// Facts from the read models the decision needs.
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

struct RecordConsent {
  CommandContext ctx;
  RecordNo no;
  fb::ConsentKind kind = fb::ConsentKind::OptOut;
  std::string reason;
};
Result<Events> DecideConsent(const ContactState& state, const RecordConsent& c);
Result<Events> DecideConsent(const LeadState& state, const RecordConsent& c);
// "opt-in", "opt-out", "bounce".
std::string ConsentKindName(fb::ConsentKind kind);
Result<Events> DecideChange(const ContactState& state, const ContactContext& cx, const ChangeContact& c);

struct CreateLead {
  CommandContext ctx;
  RecordNo no;
  Fields f;
  std::string company_name, lead_status, lead_source, description;
  bool unique_email = false;
};

struct ChangeLead {
  CommandContext ctx;
  RecordNo no;
  FieldPatch f;
  std::optional<std::string> company_name, lead_status, lead_source, description;
  bool unique_email = false;
};

// A lead status removed with --replace-with: each lead holding `removed` moves to `replacement`
// (LeadChanged); none when there is no replacement or it is the same status. The status is not
// personal data: erased leads move too.
Events ReplaceLeadStatus(const std::vector<RecordNo>& holding, const std::string& removed,
                         const std::optional<std::string>& replacement);

// contact erase / lead erase (SPEC §4.10): PersonalDataErased; the key that sealed the
// person's data is destroyed with it. Erasing an erased record is a no-op. An erased record
// keeps its memberships and history (counts stand) but its personal data cannot be changed.
Result<Events> DecideErase(const ContactState& state, const RecordNo& no);
Result<Events> DecideEraseLead(const LeadState& state, const RecordNo& no);

Result<Events> DecideCreateLead(const LeadState& state, const ContactContext& cx, const CreateLead& c);
Result<Events> DecideChangeLead(const LeadState& state, const ContactContext& cx, const ChangeLead& c);

// lead convert (SPEC §4.2, aggregates/lead_convert.cc): the lead becomes a person contact
// (its fields, consent and bounce carried over), linked to an existing company contact
// (`account`) or to a new one named after the lead's company (`new_account`), or to none; then
// LeadConverted. The opportunity and the moved memberships are decided by their own aggregates
// in the same command. Refused for a lead that does not exist, was erased or was converted.
struct ConvertLead {
  RecordNo lead;
  RecordNo person;                      // allocated by the handler
  std::optional<RecordNo> account;      // --account: an existing company contact
  std::optional<RecordNo> new_account;  // the new company contact's number
  std::optional<RecordNo> opportunity;  // the one the same command creates, if any
};
// Whether the conversion makes a new company contact: asked for (--new-account), or by default
// when no --account is given and the lead names a company.
bool WantsNewAccount(const LeadState& lead, bool account_given, bool new_account_asked);
struct ConvertContext {
  const reference::State* reference = nullptr;
  std::optional<ContactState> account;  // the --account contact, when it exists
};
// The events, and the person contact and its company as they will read (for the opportunity).
struct Conversion {
  Events events;
  ContactState person;
};
Result<Conversion> DecideConvert(const LeadState& lead, const ConvertContext& cx, const ConvertLead& c);
// Refuses a change to a converted lead, naming the contact to change instead.
Status RefuseConverted(const LeadState& lead);

}  // namespace crm::contact
