// The lead aggregate (stream "lead/LD0001"), SPEC §4.2: a prospect not yet a contact.
//
// Rules: the shared fields' rules (aggregates/person.h); company name <= 100, lead source <= 50
// chars, description <= 250 (lines); the lead status must be defined (default: the catalogue's
// default). Creating the same number twice with the same fields is a no-op; otherwise
// AlreadyExists. A converted lead is read-only (it can still be erased). Consent, erasure and
// removal: aggregates/person.h.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "aggregates/common.h"
#include "aggregates/contact.h"
#include "aggregates/person.h"
#include "aggregates/reference.h"

namespace crm::contact {

struct LeadState : Consent {
  bool exists = false;
  RecordNo no;
  Fields f;
  std::string company_name, lead_status, lead_source, description;
  bool erased = false;
  bool deleted = false;        // deleted: out of lists and filters (RecordDeleted)
  custom::Values custom;       // custom field values (aggregates/custom_fields.h): personal, sealed
  // Set by LeadConverted: the person contact, its company contact and opportunity, if any. A
  // converted lead is read-only (it can still be erased).
  std::string converted_to, converted_company, converted_opportunity;
  Timestamp converted_at;
  bool converted() const { return !converted_to.empty(); }
  Timestamp created_at, modified_at;
};

// The events a lead owns (events/owner.h: Owner::kLead); it folds them and PersonEvents.
using LeadEvents = EventList<fb::LeadCreated, fb::LeadChanged, fb::LeadConverted>;
LeadState EvolveLead(LeadState state, const fb::Envelope& env);

// As MaskErased(ContactState*), and the description too.
void MaskErased(LeadState* state);

struct CreateLead {
  CommandContext ctx;
  RecordNo no;
  Fields f;
  std::string company_name, lead_status, lead_source, description;
  bool unique_email = false;
  custom::Values custom;  // by field name as given; checked against the lead fields defined
  Timestamp created_at;   // when the source created it (an import); 0: when the event is recorded
};

struct ChangeLead {
  CommandContext ctx;
  RecordNo no;
  FieldPatch f;
  std::optional<std::string> company_name, lead_status, lead_source, description;
  bool unique_email = false;
  custom::Values custom;  // the custom values to set ("" clears), by field name as given
};

// A lead status removed with --replace-with: each lead holding `removed` moves to `replacement`
// (LeadChanged); none when there is no replacement or it is the same status. The status is not
// personal data: erased leads move too.
Events ReplaceLeadStatus(const std::vector<RecordNo>& holding, const std::string& removed,
                         const std::optional<std::string>& replacement);

// lead erase (SPEC §4.10): as contact erase (aggregates/contact.h).
Result<Events> DecideEraseLead(const LeadState& state, const RecordNo& no);
Result<Events> DecideConsent(const LeadState& state, const RecordConsent& c);

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
// when no account is given or found (MatchCompany) and the lead names a company.
bool WantsNewAccount(const LeadState& lead, bool account_given, bool new_account_asked);

// The existing company a conversion links when neither --account nor --new-account is given,
// as Zoho and Salesforce offer the account they find instead of a duplicate: the company
// contacts whose name is the lead's company name (case and spaces aside) or, when none has it,
// whose email is at the lead's email domain (not a public mail provider's: gmail.com, ...).
// CompanyMatchOf says how one company matches; ChooseCompany decides from all that matched:
// one is linked; none, nothing (a new company from the lead's company name, as before);
// several by the same rule, refused, naming them (choose with --account or --new-account).
enum class CompanyMatch { kNone, kName, kEmailDomain };
CompanyMatch CompanyMatchOf(const LeadState& lead, const ContactState& company);
struct FoundCompany {
  RecordNo company;
  CompanyMatch by = CompanyMatch::kNone;
};
Result<std::optional<FoundCompany>> ChooseCompany(const LeadState& lead, const std::vector<RecordNo>& by_name,
                                                  const std::vector<RecordNo>& by_domain);
// "name" or "email domain".
std::string_view CompanyMatchName(CompanyMatch by);
// The forms CompanyMatchOf compares, for an index of companies (projections/keys.h): a name with
// case and surrounding spaces aside; an address's domain in lower case, "" for none or a public
// mail provider's.
std::string CompanyNameKey(std::string_view name);
std::string CompanyEmailDomain(std::string_view email);
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
