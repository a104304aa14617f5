// An email message (RFC 5322, MIME) read through GMime, for `lead from-email`: who sent it
// (display name and address), its subject, and what its signature block says (phone, company).
//
// The sender is the first From mailbox (a group or an empty From is refused). The text is the
// first text/plain part (converted to UTF-8 from its charset; text/html when there is no plain
// part, with its tags dropped). The signature is the text after the "-- " line (RFC 3676), or
// else the last paragraph when it is short (at most 6 lines) and starts with the sender's name
// or follows a sign-off ("Best regards," ...). From it: a phone number (a line with "Phone",
// "Tel", "Mobile" or starting with "+", with at least 6 digits) and a company (a line with a
// company form such as Ltd, Inc, GmbH, AS, AB, LLC, SA, BV, Corp, or else the line after the
// name and title). When no company is found, the sender's domain names it ("fabrikam.com" ->
// "Fabrikam"), except for mailbox providers (gmail.com, outlook.com, ...).
#pragma once

#include <string>

#include "events/status.h"

namespace crm::io {

struct EmailLead {
  std::string name;     // the From display name, or the address's local part
  std::string email;
  std::string subject;  // kept as the lead's description
  std::string company;  // from the signature, else the domain; "" when neither says
  std::string phone;    // from the signature; ""
  std::string company_from;  // "signature", "domain" or ""
};

// InvalidArgument "FILE: ..." when the file is not a message or has no From address.
Result<EmailLead> ReadEmailLead(const std::string& path);
// The same over the message's bytes (`name` is what errors cite).
Result<EmailLead> ParseEmailLead(const std::string& name, const std::string& bytes);

}  // namespace crm::io
