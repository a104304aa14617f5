// Email messages for `lead from-email` (io/eml.h): a multipart message with an encoded name and
// subject, a Latin-1 quoted-printable signature after "-- " (company, phone); a company from
// the sender's domain; none from a mailbox provider; a message without From refused.
#include "io/eml.h"

#include <doctest/doctest.h>

#include <string>

namespace crm::io {
namespace {

std::string Fixture(const char* name) { return std::string(CRM_IO_FIXTURES) + "/eml/" + name; }

TEST_CASE("sender, subject and signature") {
  auto lead = ReadEmailLead(Fixture("signature.eml"));
  REQUIRE(lead.ok());
  CHECK(lead->name == "Ola Nordmann Ø");
  CHECK(lead->email == "ola@fabrikam.no");
  CHECK(lead->subject == "Request for a quote – 50 chairs");
  CHECK(lead->company == "Fabrikam AS");
  CHECK(lead->company_from == "signature");
  CHECK(lead->phone == "+47 22 33 44 55");
}

TEST_CASE("a company from the sender's domain, none from a mailbox provider") {
  auto lead = ReadEmailLead(Fixture("domain.eml"));
  REQUIRE(lead.ok());
  CHECK(lead->name == "Kim Lee");
  CHECK(lead->company == "Contoso");
  CHECK(lead->company_from == "domain");
  CHECK(lead->phone.empty());
  auto free = ReadEmailLead(Fixture("freemail.eml"));
  REQUIRE(free.ok());
  CHECK(free->name == "pat.doe");
  CHECK(free->company.empty());
}

TEST_CASE("a message without a sender is refused, naming the file") {
  auto r = ReadEmailLead(Fixture("nofrom.eml"));
  REQUIRE(!r.ok());
  CHECK(r.status().message() == Fixture("nofrom.eml") + ": the message has no From address");
  CHECK(ParseEmailLead("x.eml", "").status().code() == StatusCode::kInvalidArgument);
  CHECK(!ReadEmailLead(Fixture("missing.eml")).ok());
}

}  // namespace
}  // namespace crm::io
