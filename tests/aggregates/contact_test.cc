// Contacts and leads (aggregates/contact.h): required name, email and phone syntax, company links,
// defined profile codes and territories, unique email, lead statuses, change events that carry
// only differences (with `cleared` names), idempotent creates and changes, and the folds.
#include "aggregates/contact.h"
#include "aggregates/lead.h"

#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "tests/aggregates/aggregate_test_util.h"

namespace crm::testing {
namespace {

using contact::ContactContext;
using contact::ContactState;
using contact::LeadState;
using fb::ContactType;
using fb::ProfileKind;

// Given: an initialised data set with one code of each kind (and a second job responsibility).
reference::State WithCodes() {
  return Reference({ProfileCodeAdded(ProfileKind::JobResponsibility, "PURCHASE"),
                    ProfileCodeAdded(ProfileKind::JobResponsibility, "SALES"),
                    ProfileCodeAdded(ProfileKind::BusinessRelation, "PARTNER"),
                    ProfileCodeAdded(ProfileKind::IndustryGroup, "RETAIL"),
                    ProfileCodeAdded(ProfileKind::MailingGroup, "XMAS"),
                    ProfileCodeAdded(ProfileKind::Territory, "NORTH")});
}

// Given: company contact CT0001 "Acme AS".
ContactState AcmeCompany() {
  return Given(contact::EvolveContact).Add(ContactCreated("CT0001", "Acme AS", ContactType::Company)).state();
}

contact::CreateContact CreatePerson(std::string name) {
  contact::CreateContact c;
  c.ctx = Ctx();
  c.no = No("CT0002");
  c.f.name = std::move(name);
  return c;
}

// Given: person CT0002 Ada with email, phone, city, a job responsibility, working at nobody.
Given<ContactState> Ada() {
  fb::ContactCreatedT e;
  e.no = "CT0002";
  e.type = ContactType::Person;
  e.name = "Ada Lovelace";
  e.email = "ada@example.com";
  e.phone = "+47 22 33 44 55";
  e.city = "Oslo";
  e.job_responsibilities = {"PURCHASE"};
  Given<ContactState> given(contact::EvolveContact);
  given.At("2027-01-01T08:00:00Z").Add(MakeEvent(No("CT0002").Stream(), std::move(e)));
  return given;
}

contact::ChangeContact ChangeAda() {
  contact::ChangeContact c;
  c.ctx = Ctx();
  c.no = No("CT0002");
  return c;
}

contact::CreateLead CreateLead(std::string name) {
  contact::CreateLead c;
  c.ctx = Ctx();
  c.no = No("LD0001");
  c.f.name = std::move(name);
  return c;
}

// Given: lead LD0001 Grace from Navy Labs, status Contacted.
Given<LeadState> Grace() {
  fb::LeadCreatedT e;
  e.no = "LD0001";
  e.name = "Grace Hopper";
  e.company_name = "Navy Labs";
  e.email = "grace@example.com";
  e.lead_status = "Contacted";
  e.lead_source = "Fair";
  Given<LeadState> given(contact::EvolveLead);
  given.Add(MakeEvent(No("LD0001").Stream(), std::move(e)));
  return given;
}

contact::ChangeLead ChangeGrace() {
  contact::ChangeLead c;
  c.ctx = Ctx();
  c.no = No("LD0001");
  return c;
}

const std::vector<std::string> kValidEmails = {"ada@example.com",
                                               "first.last+tag@mail.example.co.uk",
                                               "o'brien@example.ie",
                                               "x@b.io",
                                               "user_name-1@sub-domain.example.org",
                                               "UPPER@EXAMPLE.COM",
                                               std::string(64, 'l') + "@example.com"};
const std::vector<std::string> kInvalidEmails = {"plainaddress",
                                                 "@example.com",
                                                 "ada@",
                                                 "ada@example",
                                                 "ada@@example.com",
                                                 "ada@exa mple.com",
                                                 "a..b@example.com",
                                                 ".ada@example.com",
                                                 "ada.@example.com",
                                                 "ada@-example.com",
                                                 "ada@example-.com",
                                                 "ada@example..com",
                                                 "ada@example.com.",
                                                 "ada@.example.com",
                                                 "ad a@example.com",
                                                 "ada@exa_mple.com",
                                                 "ada(at)example.com",
                                                 std::string(65, 'l') + "@example.com",
                                                 "ada@" + std::string(64, 'd') + ".com"};

TEST_CASE("email syntax: the practical subset of RFC 5322 addr-spec") {
  CHECK(CheckEmail("").ok());  // no email at all is allowed
  for (const auto& good : kValidEmails) {
    INFO(good);
    CHECK(CheckEmail(good).ok());
  }
  for (const auto& bad : kInvalidEmails) {
    INFO(bad);
    CHECK(CheckEmail(bad).code() == StatusCode::kFailedPrecondition);
  }
}

TEST_CASE("phone numbers hold digits, spaces and + ( ) - . / only, at most 30") {
  for (const char* good : {"", "+47 22 33 44 55", "(555) 123-4567", "0047.22/33.44"}) {
    INFO(good);
    CHECK(CheckPhone(good).ok());
  }
  for (const std::string& bad :
       {std::string("555-CALL"), std::string("12#3"), std::string("ext:12"), std::string(31, '1')}) {
    INFO(bad);
    CHECK(CheckPhone(bad).code() == StatusCode::kFailedPrecondition);
  }
}

TEST_CASE("create contact: fields are normalised into ContactCreated and folded") {
  const auto ref = WithCodes();
  auto c = CreatePerson("  Ada Lovelace ");
  c.f.email = " ada@example.com ";
  c.f.phone = "+47 22 33 44 55";
  c.f.city = "Oslo";
  c.f.language = "en";
  c.f.salesperson = "jo";
  c.f.territory = "north";
  c.company = "ct0001";
  c.job_responsibilities = {"purchase", "PURCHASE", "sales"};
  c.business_relations = {"partner"};
  c.industry_groups = {"retail"};
  c.mailing_groups = {"xmas"};
  c.exclude_from_segment = true;
  const std::set<std::string> salespeople{"JO"};
  const auto r = contact::DecideCreate(ContactState{}, ContactContext{&ref, AcmeCompany(), "", &salespeople}, c);
  REQUIRE(Emitted(r) == "ContactCreated");
  CHECK(r->at(0).stream == StreamId("contact/CT0002"));
  const auto* e = r->at(0).payload.AsContactCreated();
  CHECK(e->no == "CT0002");
  CHECK(e->type == ContactType::Person);
  CHECK(e->name == "Ada Lovelace");
  CHECK(e->email == "ada@example.com");
  CHECK(e->company == "CT0001");
  CHECK(e->language == "EN");
  CHECK(e->salesperson == "JO");
  CHECK(e->territory == "NORTH");
  CHECK(e->job_responsibilities == std::vector<std::string>{"PURCHASE", "SALES"});  // deduplicated
  CHECK(e->business_relations == std::vector<std::string>{"PARTNER"});
  CHECK(e->industry_groups == std::vector<std::string>{"RETAIL"});
  CHECK(e->mailing_groups == std::vector<std::string>{"XMAS"});
  CHECK(e->exclude_from_segment);

  const auto s = Given(contact::EvolveContact).At("2027-01-02T10:00:00Z").Add(*r).state();
  CHECK(s.exists);
  CHECK(s.no == No("CT0002"));
  CHECK(s.f.name == "Ada Lovelace");
  CHECK(s.f.city == "Oslo");
  CHECK(s.f.phone == "+47 22 33 44 55");
  CHECK(s.company == "CT0001");
  CHECK(s.job_responsibilities == std::vector<std::string>{"PURCHASE", "SALES"});
  CHECK(s.exclude_from_segment);
  CHECK(s.created_at == Ts("2027-01-02T10:00:00Z"));
  CHECK(s.modified_at == s.created_at);
}

TEST_CASE("create contact: the name is required and at most 100 characters") {
  const auto ref = WithCodes();
  const ContactContext cx{.reference = &ref};
  CHECK(Emitted(contact::DecideCreate({}, cx, CreatePerson(std::string(100, 'n')))) == "ContactCreated");
  for (const std::string& bad : {std::string(""), std::string("   "), std::string(101, 'n'), std::string("Ada\x01")}) {
    INFO(bad);
    CHECK(ErrorOf(contact::DecideCreate({}, cx, CreatePerson(bad))) == StatusCode::kFailedPrecondition);
  }
}

TEST_CASE("create contact: email and phone are checked") {
  const auto ref = WithCodes();
  const ContactContext cx{.reference = &ref};
  for (const auto& good : kValidEmails) {
    INFO(good);
    auto c = CreatePerson("Ada");
    c.f.email = good;
    CHECK(Emitted(contact::DecideCreate({}, cx, c)) == "ContactCreated");
  }
  for (const auto& bad : kInvalidEmails) {
    INFO(bad);
    auto c = CreatePerson("Ada");
    c.f.email = bad;
    CHECK(ErrorOf(contact::DecideCreate({}, cx, c)) == StatusCode::kFailedPrecondition);
  }
  auto c = CreatePerson("Ada");
  c.f.phone = "call me";
  CHECK(ErrorOf(contact::DecideCreate({}, cx, c)) == StatusCode::kFailedPrecondition);
}

TEST_CASE("create contact: a person's company must be an existing company contact") {
  const auto ref = WithCodes();
  auto c = CreatePerson("Ada");
  c.company = "CT0001";
  CHECK(Emitted(contact::DecideCreate({}, ContactContext{&ref, AcmeCompany(), ""}, c)) == "ContactCreated");
  CHECK(ErrorOf(contact::DecideCreate({}, ContactContext{.reference = &ref}, c)) == StatusCode::kNotFound);
  CHECK(ErrorOf(contact::DecideCreate({}, ContactContext{&ref, ContactState{}, ""}, c)) == StatusCode::kNotFound);

  const auto person = Given(contact::EvolveContact).Add(ContactCreated("CT0001", "Bob")).state();
  CHECK(ErrorOf(contact::DecideCreate({}, ContactContext{&ref, person, ""}, c)) == StatusCode::kFailedPrecondition);

  for (const char* bad : {"LD0001", "ACME", "CT1"}) {
    INFO(bad);
    c.company = bad;
    CHECK(ErrorOf(contact::DecideCreate({}, ContactContext{&ref, AcmeCompany(), ""}, c)) ==
          StatusCode::kFailedPrecondition);
  }
}

TEST_CASE("create contact: a company cannot belong to a company") {
  const auto ref = WithCodes();
  auto c = CreatePerson("Subsidiary AS");
  c.type = ContactType::Company;
  CHECK(Emitted(contact::DecideCreate({}, ContactContext{.reference = &ref}, c)) == "ContactCreated");
  c.company = "CT0001";
  CHECK(ErrorOf(contact::DecideCreate({}, ContactContext{&ref, AcmeCompany(), ""}, c)) ==
        StatusCode::kFailedPrecondition);
}

TEST_CASE("create contact: undefined profile codes and territories are refused") {
  const auto ref = WithCodes();
  const ContactContext cx{.reference = &ref};
  SUBCASE("job responsibility") {
    auto c = CreatePerson("Ada");
    c.job_responsibilities = {"PURCHASE", "CEO"};
    CHECK(ErrorOf(contact::DecideCreate({}, cx, c)) == StatusCode::kNotFound);
  }
  SUBCASE("business relation") {
    auto c = CreatePerson("Ada");
    c.business_relations = {"VENDOR"};
    CHECK(ErrorOf(contact::DecideCreate({}, cx, c)) == StatusCode::kNotFound);
  }
  SUBCASE("industry group") {
    auto c = CreatePerson("Ada");
    c.industry_groups = {"MINING"};
    CHECK(ErrorOf(contact::DecideCreate({}, cx, c)) == StatusCode::kNotFound);
  }
  SUBCASE("mailing group") {
    auto c = CreatePerson("Ada");
    c.mailing_groups = {"EASTER"};
    CHECK(ErrorOf(contact::DecideCreate({}, cx, c)) == StatusCode::kNotFound);
  }
  SUBCASE("territory") {
    auto c = CreatePerson("Ada");
    c.f.territory = "SOUTH";
    CHECK(ErrorOf(contact::DecideCreate({}, cx, c)) == StatusCode::kNotFound);
  }
  SUBCASE("a code of another kind") {
    auto c = CreatePerson("Ada");
    c.job_responsibilities = {"PARTNER"};
    CHECK(ErrorOf(contact::DecideCreate({}, cx, c)) == StatusCode::kNotFound);
  }
  SUBCASE("a malformed code") {
    auto c = CreatePerson("Ada");
    c.mailing_groups = {"x mas"};
    CHECK(ErrorOf(contact::DecideCreate({}, cx, c)) == StatusCode::kFailedPrecondition);
  }
}

TEST_CASE("create contact: a duplicate email is refused only with unique_email") {
  const auto ref = WithCodes();
  const ContactContext taken{&ref, std::nullopt, "CT0007"};
  auto c = CreatePerson("Ada");
  c.f.email = "ada@example.com";
  CHECK(Emitted(contact::DecideCreate({}, taken, c)) == "ContactCreated");  // reported by the handler
  c.unique_email = true;
  CHECK(ErrorOf(contact::DecideCreate({}, taken, c)) == StatusCode::kAlreadyExists);
  CHECK(Emitted(contact::DecideCreate({}, ContactContext{.reference = &ref}, c)) == "ContactCreated");
  c.f.email = "";
  CHECK(Emitted(contact::DecideCreate({}, taken, c)) == "ContactCreated");
}

TEST_CASE("create contact twice emits nothing; the same number with any other field is refused") {
  const auto ref = WithCodes();
  const ContactContext cx{&ref, AcmeCompany(), ""};
  auto c = CreatePerson("Ada");
  c.f.email = "ada@example.com";
  c.f.phone = "+47 22 33 44 55";
  c.f.city = "Oslo";
  c.f.language = "en";
  c.f.territory = "north";
  c.company = "CT0001";
  c.job_responsibilities = {"purchase"};
  c.business_relations = {"partner"};
  c.industry_groups = {"retail"};
  c.mailing_groups = {"xmas"};
  c.exclude_from_segment = true;
  Given<ContactState> none(contact::EvolveContact);
  const auto decide = [&](const ContactState& s) { return contact::DecideCreate(s, cx, c); };
  CHECK(EmittedTwice(none, decide) == "ContactCreated / nothing");

  // The contract: a no-op only "with the same fields"; any difference would be silently lost.
  const auto existing = Given(contact::EvolveContact).Add(*decide(ContactState{})).state();
  auto other = c;
  SUBCASE("name") { other.f.name = "Someone Else"; }
  SUBCASE("email") { other.f.email = "other@example.com"; }
  SUBCASE("phone") { other.f.phone = "+47 99 99 99 99"; }
  SUBCASE("city") { other.f.city = "Bergen"; }
  SUBCASE("language") { other.f.language = "NO"; }
  SUBCASE("territory") { other.f.territory = ""; }
  SUBCASE("type") {
    other.type = ContactType::Company;
    other.company = "";
  }
  SUBCASE("company") { other.company = ""; }
  SUBCASE("business relations") { other.business_relations = {}; }
  SUBCASE("industry groups") { other.industry_groups = {}; }
  SUBCASE("mailing groups") { other.mailing_groups = {}; }
  SUBCASE("exclude from segment") { other.exclude_from_segment = false; }
  CHECK(ErrorOf(contact::DecideCreate(existing, cx, other)) == StatusCode::kAlreadyExists);
}

TEST_CASE("create contact: a lead number is a handler bug") {
  const auto ref = WithCodes();
  auto c = CreatePerson("Ada");
  c.no = No("LD0001");
  CHECK(ErrorOf(contact::DecideCreate({}, ContactContext{.reference = &ref}, c)) == StatusCode::kInternal);
}

TEST_CASE("change contact: only the differences, emptied fields named in cleared") {
  const auto ref = WithCodes();
  auto given = Ada();
  auto c = ChangeAda();
  c.f.name = "Ada Lovelace";  // unchanged: not in the event
  c.f.city = "Bergen";
  c.f.phone = "";
  const auto r = contact::DecideChange(given.state(), ContactContext{.reference = &ref}, c);
  REQUIRE(Emitted(r) == "ContactChanged");
  const auto* e = r->at(0).payload.AsContactChanged();
  CHECK(e->no == "CT0002");
  CHECK(e->city == "Bergen");
  CHECK(e->name.empty());
  CHECK(e->email.empty());
  CHECK(e->phone.empty());
  CHECK(e->cleared == std::vector<std::string>{"phone"});
  CHECK(e->job_responsibilities.empty());
  CHECK_FALSE(e->exclude_from_segment.has_value());

  given.At("2027-01-05T12:00:00Z").Add(*r);
  const auto& s = given.state();
  CHECK(s.f.city == "Bergen");
  CHECK(s.f.phone.empty());
  CHECK(s.f.name == "Ada Lovelace");
  CHECK(s.f.email == "ada@example.com");
  CHECK(s.job_responsibilities == std::vector<std::string>{"PURCHASE"});
  CHECK(s.created_at == Ts("2027-01-01T08:00:00Z"));
  CHECK(s.modified_at == Ts("2027-01-05T12:00:00Z"));
}

TEST_CASE("change contact: nothing different emits nothing; each change sent twice emits nothing") {
  const auto ref = WithCodes();
  const ContactContext cx{&ref, AcmeCompany(), ""};
  auto same = ChangeAda();
  same.f.name = " Ada Lovelace ";
  same.f.email = "ada@example.com";
  same.job_responsibilities = std::vector<std::string>{"purchase"};
  same.exclude_from_segment = false;
  CHECK(Emitted(contact::DecideChange(Ada().state(), cx, same)) == "nothing");

  auto c = ChangeAda();
  c.f.name = "Augusta Ada King";
  c.f.email = "augusta@example.com";
  c.f.city = "";
  c.f.territory = "north";
  c.company = "CT0001";
  c.job_responsibilities = std::vector<std::string>{};
  c.mailing_groups = std::vector<std::string>{"xmas"};
  c.exclude_from_segment = true;
  const auto decide = [&](const ContactState& s) { return contact::DecideChange(s, cx, c); };
  CHECK(EmittedTwice(Ada(), decide) == "ContactChanged / nothing");

  const auto r = decide(Ada().state());
  REQUIRE(Emitted(r) == "ContactChanged");
  const auto* e = r->at(0).payload.AsContactChanged();
  CHECK(e->name == "Augusta Ada King");
  CHECK(e->territory == "NORTH");
  CHECK(e->company == "CT0001");
  CHECK(e->mailing_groups == std::vector<std::string>{"XMAS"});
  CHECK(e->cleared == std::vector<std::string>{"city", "job_responsibilities"});
  CHECK(e->exclude_from_segment == true);
}

TEST_CASE("change contact: rules of create apply to the changed fields") {
  const auto ref = WithCodes();
  const ContactContext cx{.reference = &ref};
  const auto s = Ada().state();
  auto c = ChangeAda();
  SUBCASE("the name cannot be cleared") {
    c.f.name = "";
    CHECK(ErrorOf(contact::DecideChange(s, cx, c)) == StatusCode::kFailedPrecondition);
  }
  SUBCASE("name too long") {
    c.f.name = std::string(101, 'n');
    CHECK(ErrorOf(contact::DecideChange(s, cx, c)) == StatusCode::kFailedPrecondition);
  }
  SUBCASE("email") {
    c.f.email = "ada@example";
    CHECK(ErrorOf(contact::DecideChange(s, cx, c)) == StatusCode::kFailedPrecondition);
  }
  SUBCASE("phone") {
    c.f.phone = "phone me";
    CHECK(ErrorOf(contact::DecideChange(s, cx, c)) == StatusCode::kFailedPrecondition);
  }
  SUBCASE("territory") {
    c.f.territory = "SOUTH";
    CHECK(ErrorOf(contact::DecideChange(s, cx, c)) == StatusCode::kNotFound);
  }
  SUBCASE("profile code") {
    c.industry_groups = std::vector<std::string>{"MINING"};
    CHECK(ErrorOf(contact::DecideChange(s, cx, c)) == StatusCode::kNotFound);
  }
  SUBCASE("missing company") {
    c.company = "CT0001";
    CHECK(ErrorOf(contact::DecideChange(s, cx, c)) == StatusCode::kNotFound);
  }
  SUBCASE("unknown contact") { CHECK(ErrorOf(contact::DecideChange(ContactState{}, cx, c)) == StatusCode::kNotFound); }
}

TEST_CASE("change contact: the company link is set and cleared; a company cannot get one") {
  const auto ref = WithCodes();
  auto given = Ada();
  auto c = ChangeAda();
  c.company = "ct0001";
  const auto set = contact::DecideChange(given.state(), ContactContext{&ref, AcmeCompany(), ""}, c);
  REQUIRE(Emitted(set) == "ContactChanged");
  CHECK(set->at(0).payload.AsContactChanged()->company == "CT0001");
  given.Add(*set);
  CHECK(given.state().company == "CT0001");
  CHECK(Emitted(contact::DecideChange(given.state(), ContactContext{&ref, AcmeCompany(), ""}, c)) == "nothing");

  c.company = "";
  const auto cleared = contact::DecideChange(given.state(), ContactContext{.reference = &ref}, c);
  REQUIRE(Emitted(cleared) == "ContactChanged");
  CHECK(cleared->at(0).payload.AsContactChanged()->cleared == std::vector<std::string>{"company"});
  CHECK(given.Add(*cleared).state().company.empty());

  auto other = AcmeCompany();
  other.no = No("CT0003");
  auto to_company = contact::ChangeContact{};
  to_company.no = No("CT0001");
  to_company.company = "CT0003";
  CHECK(ErrorOf(contact::DecideChange(AcmeCompany(), ContactContext{&ref, other, ""}, to_company)) ==
        StatusCode::kFailedPrecondition);
}

TEST_CASE("change contact: a new email already in use is refused only with unique_email") {
  const auto ref = WithCodes();
  const ContactContext taken{&ref, std::nullopt, "CT0009"};
  auto c = ChangeAda();
  c.f.email = "shared@example.com";
  CHECK(Emitted(contact::DecideChange(Ada().state(), taken, c)) == "ContactChanged");
  c.unique_email = true;
  CHECK(ErrorOf(contact::DecideChange(Ada().state(), taken, c)) == StatusCode::kAlreadyExists);
  // Keeping one's own email is never a duplicate.
  c.f.email = "ada@example.com";
  c.f.city = "Bergen";
  CHECK(Emitted(contact::DecideChange(Ada().state(), taken, c)) == "ContactChanged");
}

TEST_CASE("evolve ContactChanged: present fields set, cleared fields emptied, absent fields kept") {
  auto given = Ada();
  fb::ContactChangedT e;
  e.no = "CT0002";
  e.city = "Trondheim";
  e.industry_groups = {"RETAIL"};
  e.exclude_from_segment = true;
  e.cleared = {"email", "phone", "job_responsibilities"};
  given.Add(MakeEvent(No("CT0002").Stream(), std::move(e)));
  const auto& s = given.state();
  CHECK(s.f.name == "Ada Lovelace");
  CHECK(s.f.city == "Trondheim");
  CHECK(s.f.email.empty());
  CHECK(s.f.phone.empty());
  CHECK(s.job_responsibilities.empty());
  CHECK(s.industry_groups == std::vector<std::string>{"RETAIL"});
  CHECK(s.exclude_from_segment);

  fb::ContactChangedT back;
  back.no = "CT0002";
  back.exclude_from_segment = false;
  CHECK_FALSE(given.Add(MakeEvent(No("CT0002").Stream(), std::move(back))).state().exclude_from_segment);
  // A lead's events do not touch a contact.
  CHECK(given.Add(LeadCreated("LD0001", "Grace")).state().f.name == "Ada Lovelace");
}

TEST_CASE("create lead: status defaults to New and must be a known lead status") {
  const auto ref = WithCodes();
  const ContactContext cx{.reference = &ref};
  auto c = CreateLead(" Grace Hopper ");
  c.company_name = "Navy Labs";
  c.f.email = "grace@example.com";
  c.f.territory = "north";
  c.lead_source = "Fair";
  const auto r = contact::DecideCreateLead(LeadState{}, cx, c);
  REQUIRE(Emitted(r) == "LeadCreated");
  CHECK(r->at(0).stream == StreamId("lead/LD0001"));
  const auto* e = r->at(0).payload.AsLeadCreated();
  CHECK(e->name == "Grace Hopper");
  CHECK(e->lead_status == "New");
  CHECK(e->territory == "NORTH");

  const auto s = Given(contact::EvolveLead).Add(*r).state();
  CHECK(s.exists);
  CHECK(s.no == No("LD0001"));
  CHECK(s.company_name == "Navy Labs");
  CHECK(s.lead_status == "New");
  CHECK(s.lead_source == "Fair");

  for (const char* known : {"new", "Contacted", "QUALIFIED", " lost "}) {
    INFO(known);
    c.lead_status = known;
    REQUIRE(Emitted(contact::DecideCreateLead({}, cx, c)) == "LeadCreated");
  }
  c.lead_status = "qualified";
  CHECK(contact::DecideCreateLead({}, cx, c)->at(0).payload.AsLeadCreated()->lead_status == "Qualified");
  c.lead_status = "Won";
  CHECK(ErrorOf(contact::DecideCreateLead({}, cx, c)) == StatusCode::kFailedPrecondition);
}

TEST_CASE("create lead: the contact field rules apply") {
  const auto ref = WithCodes();
  const ContactContext cx{.reference = &ref};
  auto c = CreateLead("Grace");
  SUBCASE("name required") {
    c.f.name = " ";
    CHECK(ErrorOf(contact::DecideCreateLead({}, cx, c)) == StatusCode::kFailedPrecondition);
  }
  SUBCASE("name too long") {
    c.f.name = std::string(101, 'g');
    CHECK(ErrorOf(contact::DecideCreateLead({}, cx, c)) == StatusCode::kFailedPrecondition);
  }
  SUBCASE("email") {
    c.f.email = "grace@@example.com";
    CHECK(ErrorOf(contact::DecideCreateLead({}, cx, c)) == StatusCode::kFailedPrecondition);
  }
  SUBCASE("phone") {
    c.f.phone = "+1 (555) CALL";
    CHECK(ErrorOf(contact::DecideCreateLead({}, cx, c)) == StatusCode::kFailedPrecondition);
  }
  SUBCASE("territory") {
    c.f.territory = "SOUTH";
    CHECK(ErrorOf(contact::DecideCreateLead({}, cx, c)) == StatusCode::kNotFound);
  }
  SUBCASE("company name") {
    c.company_name = std::string(101, 'c');
    CHECK(ErrorOf(contact::DecideCreateLead({}, cx, c)) == StatusCode::kFailedPrecondition);
  }
  SUBCASE("contact number") {
    c.no = No("CT0001");
    CHECK(ErrorOf(contact::DecideCreateLead({}, cx, c)) == StatusCode::kInternal);
  }
}

TEST_CASE("create lead: a duplicate email is refused only with unique_email") {
  const auto ref = WithCodes();
  const ContactContext taken{&ref, std::nullopt, "CT0002"};
  auto c = CreateLead("Grace");
  c.f.email = "grace@example.com";
  CHECK(Emitted(contact::DecideCreateLead({}, taken, c)) == "LeadCreated");
  c.unique_email = true;
  CHECK(ErrorOf(contact::DecideCreateLead({}, taken, c)) == StatusCode::kAlreadyExists);
}

TEST_CASE("create lead twice emits nothing; the same number with any other field is refused") {
  const auto ref = WithCodes();
  const ContactContext cx{.reference = &ref};
  auto c = CreateLead("Grace");
  c.f.email = "grace@example.com";
  c.f.phone = "+1 555 0100";
  c.company_name = "Navy Labs";
  c.lead_status = "contacted";
  c.lead_source = "Fair";
  c.description = "Met at booth 12";
  Given<LeadState> none(contact::EvolveLead);
  const auto decide = [&](const LeadState& s) { return contact::DecideCreateLead(s, cx, c); };
  CHECK(EmittedTwice(none, decide) == "LeadCreated / nothing");

  const auto existing = Given(contact::EvolveLead).Add(*decide(LeadState{})).state();
  auto other = c;
  SUBCASE("name") { other.f.name = "Grace B. Hopper"; }
  SUBCASE("email") { other.f.email = ""; }
  SUBCASE("phone") { other.f.phone = "+1 555 0199"; }
  SUBCASE("company name") { other.company_name = "Other Inc"; }
  SUBCASE("lead status") { other.lead_status = "Qualified"; }
  SUBCASE("lead source") { other.lead_source = "Web"; }
  SUBCASE("description") { other.description = ""; }
  CHECK(ErrorOf(contact::DecideCreateLead(existing, cx, other)) == StatusCode::kAlreadyExists);
}

TEST_CASE("change lead: differences only, cleared names, lead status rules, sent twice") {
  const auto ref = WithCodes();
  const ContactContext cx{.reference = &ref};
  auto c = ChangeGrace();
  c.lead_status = "qualified";
  c.company_name = "";
  c.lead_source = "Fair";  // unchanged
  c.f.city = "Arlington";
  const auto r = contact::DecideChangeLead(Grace().state(), cx, c);
  REQUIRE(Emitted(r) == "LeadChanged");
  const auto* e = r->at(0).payload.AsLeadChanged();
  CHECK(e->lead_status == "Qualified");
  CHECK(e->city == "Arlington");
  CHECK(e->lead_source.empty());
  CHECK(e->cleared == std::vector<std::string>{"company_name"});
  const auto s = Grace().Add(*r).state();
  CHECK(s.lead_status == "Qualified");
  CHECK(s.company_name.empty());
  CHECK(s.lead_source == "Fair");
  CHECK(s.f.city == "Arlington");

  CHECK(EmittedTwice(Grace(), [&](const LeadState& st) { return contact::DecideChangeLead(st, cx, c); }) ==
        "LeadChanged / nothing");
  auto same = ChangeGrace();
  same.lead_status = "contacted";
  same.f.email = "grace@example.com";
  CHECK(Emitted(contact::DecideChangeLead(Grace().state(), cx, same)) == "nothing");

  auto bad = ChangeGrace();
  bad.lead_status = "Won";
  CHECK(ErrorOf(contact::DecideChangeLead(Grace().state(), cx, bad)) == StatusCode::kFailedPrecondition);
  bad.lead_status = "";  // a lead always has a status
  CHECK(ErrorOf(contact::DecideChangeLead(Grace().state(), cx, bad)) == StatusCode::kFailedPrecondition);
  CHECK(ErrorOf(contact::DecideChangeLead(LeadState{}, cx, same)) == StatusCode::kNotFound);

  auto dup = ChangeGrace();
  dup.f.email = "taken@example.com";
  dup.unique_email = true;
  CHECK(ErrorOf(contact::DecideChangeLead(Grace().state(), ContactContext{&ref, std::nullopt, "CT0001"}, dup)) ==
        StatusCode::kAlreadyExists);
}

TEST_CASE("evolve LeadChanged: cleared fields emptied, absent fields kept") {
  auto given = Grace();
  fb::LeadChangedT e;
  e.no = "LD0001";
  e.lead_status = "Lost";
  e.cleared = {"lead_source", "email"};
  given.At("2027-02-01T00:00:00Z").Add(MakeEvent(No("LD0001").Stream(), std::move(e)));
  const auto& s = given.state();
  CHECK(s.lead_status == "Lost");
  CHECK(s.lead_source.empty());
  CHECK(s.f.email.empty());
  CHECK(s.company_name == "Navy Labs");
  CHECK(s.f.name == "Grace Hopper");
  CHECK(s.modified_at == Ts("2027-02-01T00:00:00Z"));
  CHECK(s.created_at == Ts(kNow));
}

contact::RecordConsent Consent(fb::ConsentKind kind, std::string reason = "") {
  contact::RecordConsent c;
  c.ctx = Ctx();
  c.no = No("CT0002");
  c.kind = kind;
  c.reason = std::move(reason);
  return c;
}

TEST_CASE("consent: opt-out with its reason, opt-in; recording what holds changes nothing") {
  auto decide = [](fb::ConsentKind kind, std::string reason = "") {
    return [kind, reason](const ContactState& s) { return contact::DecideConsent(s, Consent(kind, reason)); };
  };
  Given<ContactState> ada = Ada();
  CHECK(EmittedTwice(ada, decide(fb::ConsentKind::OptOut, "asked by phone")) == "ConsentRecorded / nothing");
  ada.Add(*contact::DecideConsent(ada.state(), Consent(fb::ConsentKind::OptOut, "asked by phone")));
  CHECK(ada.state().opted_out());
  CHECK(ada.state().consent_reason == "asked by phone");
  CHECK(EmittedTwice(ada, decide(fb::ConsentKind::OptIn)) == "ConsentRecorded / nothing");
  ada.Add(*contact::DecideConsent(ada.state(), Consent(fb::ConsentKind::OptIn)));
  CHECK(ada.state().consent == "opted-in");
  CHECK_FALSE(ada.state().opted_out());
  CHECK(ErrorOf(contact::DecideConsent(ContactState{}, Consent(fb::ConsentKind::OptOut))) == StatusCode::kNotFound);
  CHECK(ErrorOf(contact::DecideConsent(ada.state(), Consent(fb::ConsentKind::OptOut, std::string(201, 'x')))) ==
        StatusCode::kFailedPrecondition);
}

TEST_CASE("consent: a bounce needs an email address and is cleared by a new one") {
  Given<ContactState> ada = Ada();
  CHECK(EmittedTwice(ada, [](const ContactState& s) {
          return contact::DecideConsent(s, Consent(fb::ConsentKind::Bounce, "550 unknown user"));
        }) == "ConsentRecorded / nothing");
  ada.Add(*contact::DecideConsent(ada.state(), Consent(fb::ConsentKind::Bounce, "550 unknown user")));
  CHECK(ada.state().bounced);
  CHECK_FALSE(ada.state().opted_out());  // a bounce is not an opt-out
  reference::State ref = WithCodes();
  contact::ChangeContact phone = ChangeAda();
  phone.f.phone = "+47 99 99 99 99";
  ada.Add(*contact::DecideChange(ada.state(), ContactContext{&ref, std::nullopt, ""}, phone));
  CHECK(ada.state().bounced);  // other changes keep it
  contact::ChangeContact email = ChangeAda();
  email.f.email = "ada@new.example";
  ada.Add(*contact::DecideChange(ada.state(), ContactContext{&ref, std::nullopt, ""}, email));
  CHECK_FALSE(ada.state().bounced);
  contact::ChangeContact none = ChangeAda();
  none.f.email = "";
  ada.Add(*contact::DecideChange(ada.state(), ContactContext{&ref, std::nullopt, ""}, none));
  CHECK(ErrorOf(contact::DecideConsent(ada.state(), Consent(fb::ConsentKind::Bounce))) == StatusCode::kFailedPrecondition);
}

TEST_CASE("create contact: a salesperson must be defined") {
  const auto ref = WithCodes();
  const std::set<std::string> salespeople{"JO"};
  auto c = CreatePerson("Ada Lovelace");
  c.f.salesperson = "sp9";
  CHECK(Emitted(contact::DecideCreate({}, ContactContext{&ref, std::nullopt, "", &salespeople}, c)) ==
        "error: not found: salesperson SP9 is not defined (crmctl salesperson add ...)");
  c.f.salesperson = "jo";
  CHECK(Emitted(contact::DecideCreate({}, ContactContext{&ref, std::nullopt, "", &salespeople}, c)) ==
        "ContactCreated");
}

TEST_CASE("removing a lead status with a replacement moves each lead holding it") {
  const std::vector<RecordNo> holding{No("LD0001"), No("LD0004")};
  const Events moved = contact::ReplaceLeadStatus(holding, "Cold", std::string("Warm"));
  REQUIRE(moved.size() == 2);
  CHECK(moved[1].payload.AsLeadChanged()->no == "LD0004");
  CHECK(moved[1].payload.AsLeadChanged()->lead_status == "Warm");
  CHECK(moved[1].stream.value() == No("LD0004").Stream().value());
  CHECK(contact::ReplaceLeadStatus(holding, "Cold", std::nullopt).empty());
  CHECK(contact::ReplaceLeadStatus(holding, "Cold", std::string("Cold")).empty());
}

TEST_CASE("delete and restore: refused while needed, folded, and a deleted record is not changed") {
  auto ada = Ada();
  contact::DeleteRecord del;
  del.ctx = Ctx();
  del.no = No("CT0002");
  const auto refused = contact::DecideDeletion(true, false, del, {"open opportunity OP0001", "its person CT0009"});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == StatusCode::kFailedPrecondition);
  CHECK(refused.status().message() == "cannot delete contact CT0002: still needed by open opportunity OP0001, its person CT0009");
  CHECK(contact::DecideDeletion(false, false, del, {}).status().code() == StatusCode::kNotFound);

  auto events = contact::DecideDeletion(true, false, del, {});
  REQUIRE(events.ok());
  REQUIRE(events->size() == 1);
  ada.Add(*events);
  CHECK(ada.state().deleted);
  CHECK(ada.state().f.name == "Ada Lovelace");  // fields kept
  CHECK(contact::DecideDeletion(true, true, del, {"anything"})->empty());  // already deleted: no change

  contact::ChangeContact change;
  change.ctx = Ctx();
  change.no = No("CT0002");
  change.f.city = "Bergen";
  ContactContext cx;
  const auto ref = WithCodes();
  cx.reference = &ref;
  const auto changed = contact::DecideChange(ada.state(), cx, change);
  REQUIRE_FALSE(changed.ok());
  CHECK(changed.status().message() == "contact CT0002 is deleted (crmctl contact restore CT0002 brings it back)");

  del.restore = true;
  auto back = contact::DecideDeletion(true, true, del, {"ignored when restoring"});
  REQUIRE(back.ok());
  ada.Add(*back);
  CHECK_FALSE(ada.state().deleted);
  CHECK(contact::DecideDeletion(true, false, del, {})->empty());  // not deleted: no change
}

}  // namespace
}  // namespace crm::testing
