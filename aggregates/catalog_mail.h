// Mail settings of the sales catalogue (SPEC 4.6, `crmctl mail set`), part of the catalog
// aggregate (catalog.h): where deliveries go. Command SetMail; its DecideOne and Fold are in
// catalog_mail.cc, reached through catalog.h's Decide and Evolve.
//
// Rules: mail settings need an smtp:// or smtps:// URL with a host (and a port from 1 to 65535
// if one is given) and a well-formed sender, so the first setting needs both; setting them as
// they are is a no-op.
#pragma once

#include <optional>
#include <string>

namespace crm::catalog {

// Where deliveries go (SPEC 4.6, `crmctl mail set`): the SMTP server, the sender address, the
// outbox directory for letters ("": outbox/ in the data directory; relative: to the data
// directory).
struct MailSettings {
  std::string smtp_url;  // smtp://HOST[:PORT] or smtps://HOST[:PORT]
  std::string from;
  std::string outbox;
  bool configured() const { return !smtp_url.empty(); }
  bool operator==(const MailSettings&) const = default;
};

// Unset fields keep their value; the first setting needs --smtp and --from.
struct SetMail {
  std::optional<std::string> smtp_url, from, outbox;
};

}  // namespace crm::catalog
