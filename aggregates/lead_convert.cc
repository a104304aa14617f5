// lead convert (SPEC §4.2): the decision of lead.h's DecideConvert. The contacts it makes go
// through the same DecideCreate as `contact create`, so they obey the same rules.
#include "aggregates/lead.h"

namespace crm::contact {

Status RefuseConverted(const LeadState& lead) {
  if (!lead.converted()) return Status::Ok();
  return Status::FailedPrecondition("lead " + lead.no.ToString() + " was converted to contact " + lead.converted_to +
                                    ": it is read-only (change the contact instead)");
}

bool WantsNewAccount(const LeadState& lead, bool account_given, bool new_account_asked) {
  return new_account_asked || (!account_given && !Trim(lead.company_name).empty());
}

std::string CompanyNameKey(std::string_view name) { return Lower(Trim(name)); }

// People's own addresses at a public mail provider say nothing about their company.
std::string CompanyEmailDomain(std::string_view email) {
  static constexpr std::string_view kPublic[] = {
      "gmail.com",   "googlemail.com", "hotmail.com", "outlook.com", "live.com",    "msn.com",
      "yahoo.com",   "icloud.com",     "me.com",      "aol.com",     "gmx.com",     "gmx.net",
      "gmx.de",      "web.de",         "proton.me",   "protonmail.com", "online.no", "yandex.ru",
      "mail.ru",     "hotmail.no",     "live.no",     "outlook.dk",  "hotmail.dk",  "hotmail.de"};
  const size_t at = email.rfind('@');
  if (at == std::string_view::npos) return "";
  const std::string domain = CompanyNameKey(email.substr(at + 1));
  for (std::string_view p : kPublic) {
    if (domain == p) return "";
  }
  return domain;
}

CompanyMatch CompanyMatchOf(const LeadState& lead, const ContactState& company) {
  if (!company.exists || company.erased || company.type != fb::ContactType::Company) return CompanyMatch::kNone;
  const std::string name = CompanyNameKey(lead.company_name);
  if (!name.empty() && CompanyNameKey(company.f.name) == name) return CompanyMatch::kName;
  const std::string domain = CompanyEmailDomain(lead.f.email);
  if (!domain.empty() && CompanyEmailDomain(company.f.email) == domain) return CompanyMatch::kEmailDomain;
  return CompanyMatch::kNone;
}

std::string_view CompanyMatchName(CompanyMatch by) {
  switch (by) {
    case CompanyMatch::kNone: return "none";
    case CompanyMatch::kName: return "name";
    case CompanyMatch::kEmailDomain: return "email domain";
  }
  return "none";
}

Result<std::optional<FoundCompany>> ChooseCompany(const LeadState& lead, const std::vector<RecordNo>& by_name,
                                                  const std::vector<RecordNo>& by_domain) {
  const bool named = !by_name.empty();
  const std::vector<RecordNo>& found = named ? by_name : by_domain;
  if (found.empty()) return std::optional<FoundCompany>();
  if (found.size() > 1) {
    std::string nos;
    for (const RecordNo& no : found) nos += (nos.empty() ? "" : ", ") + no.ToString();
    return Status::FailedPrecondition("lead " + lead.no.ToString() + "'s company matches several company contacts by " +
                                      std::string(CompanyMatchName(named ? CompanyMatch::kName
                                                                         : CompanyMatch::kEmailDomain)) +
                                      " (" + nos + "): choose one with --account, or --new-account");
  }
  return std::optional<FoundCompany>(FoundCompany{found.front(), named ? CompanyMatch::kName : CompanyMatch::kEmailDomain});
}

Result<Conversion> DecideConvert(const LeadState& lead, const ConvertContext& cx, const ConvertLead& c) {
  const std::string no = c.lead.ToString();
  if (!lead.exists) return Status::NotFound("lead " + no + " does not exist");
  if (lead.erased) return Status::FailedPrecondition("lead " + no + " was erased: there is nothing left to convert");
  CRM_RETURN_IF_ERROR(RefuseConverted(lead));

  Conversion out;
  ContactContext people{cx.reference, std::nullopt, ""};
  std::string company;
  if (c.account) {
    company = c.account->ToString();
    if (!cx.account || !cx.account->exists) return Status::NotFound("company contact " + company + " does not exist");
    if (cx.account->type != fb::ContactType::Company) {
      return Status::FailedPrecondition(company + " is a person, not a company contact (--account takes a company)");
    }
    if (cx.account->erased) return Status::FailedPrecondition("company contact " + company + " was erased");
    people.company = cx.account;
  } else if (c.new_account) {
    if (Trim(lead.company_name).empty()) {
      return Status::FailedPrecondition("lead " + no +
                                        " has no company name for a new account: give --account CTxxxx, or "
                                        "convert it without an account");
    }
    CreateContact account;
    account.no = *c.new_account;
    account.type = fb::ContactType::Company;
    account.f.name = lead.company_name;
    account.f.country = lead.f.country;
    account.f.language = lead.f.language;
    account.f.salesperson = lead.f.salesperson;
    account.f.territory = lead.f.territory;
    CRM_ASSIGN_OR_RETURN(Events made, DecideCreate(ContactState{}, people, account));
    out.events = std::move(made);
    company = account.no.ToString();
    ContactState made_account;
    made_account.exists = true;
    made_account.no = account.no;
    made_account.type = fb::ContactType::Company;
    people.company = made_account;
  }

  CreateContact person;
  person.no = c.person;
  person.type = fb::ContactType::Person;
  person.f = lead.f;
  person.f.source_id.clear();  // the id of the lead in the product it came from, not the contact's
  person.company = company;
  // Custom values go to the contact's custom fields of the same name (one type for a name both
  // have: reference.h), as Zoho maps lead fields to contact fields; the rest stay on the lead.
  for (const auto& [name, value] : lead.custom) {
    if (people.reference->FindCustomField("contact", name) != nullptr) person.custom[name] = value;
  }
  CRM_ASSIGN_OR_RETURN(Events made, DecideCreate(ContactState{}, people, person));
  for (auto& e : made) out.events.push_back(std::move(e));
  out.person.exists = true;
  out.person.no = c.person;
  out.person.f = person.f;
  out.person.company = company;
  out.person.custom = person.custom;

  // The person's word goes with them: consent and a bouncing address carry over.
  auto carry = [&](fb::ConsentKind kind, const std::string& reason) -> Status {
    RecordConsent consent;
    consent.no = c.person;
    consent.kind = kind;
    consent.reason = reason;
    CRM_ASSIGN_OR_RETURN(Events recorded, DecideConsent(out.person, consent));
    for (auto& e : recorded) out.events.push_back(std::move(e));
    return Status::Ok();
  };
  if (!lead.consent.empty()) {
    CRM_RETURN_IF_ERROR(carry(lead.opted_out() ? fb::ConsentKind::OptOut : fb::ConsentKind::OptIn, lead.consent_reason));
  }
  if (lead.bounced) {
    CRM_RETURN_IF_ERROR(carry(fb::ConsentKind::Bounce, lead.bounce_reason));
  }

  fb::LeadConvertedT e;
  e.no = no;
  e.contact = c.person.ToString();
  e.company = company;
  e.new_company = c.new_account.has_value();
  e.opportunity = c.opportunity ? c.opportunity->ToString() : "";
  out.events.push_back(MakeEvent(c.lead.Stream(), std::move(e)));
  return out;
}

}  // namespace crm::contact
