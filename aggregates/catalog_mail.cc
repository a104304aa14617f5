// Mail settings: decision and fold. Rules: catalog_mail.h.
#include "aggregates/catalog_mail.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "aggregates/catalog_internal.h"

namespace crm::catalog {
namespace {

// smtp://HOST[:PORT] or smtps://HOST[:PORT], nothing after but an optional "/".
Status CheckSmtpUrl(const std::string& url) {
  const std::string bad = "--smtp must be smtp://HOST[:PORT] or smtps://HOST[:PORT], not '" + url + "'";
  std::string_view rest(url);
  if (rest.starts_with("smtp://")) {
    rest.remove_prefix(7);
  } else if (rest.starts_with("smtps://")) {
    rest.remove_prefix(8);
  } else {
    return Status::FailedPrecondition(bad);
  }
  if (rest.ends_with("/")) rest.remove_suffix(1);
  std::string_view host = rest, port;
  if (const size_t colon = rest.rfind(':'); colon != std::string_view::npos && rest.find(']') == std::string_view::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
    if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char ch) { return ch >= '0' && ch <= '9'; }) ||
        std::stoi(std::string(port)) < 1 || std::stoi(std::string(port)) > 65535) {
      return Status::FailedPrecondition(bad);
    }
  }
  if (host.empty()) return Status::FailedPrecondition(bad);
  for (char ch : host) {
    if (static_cast<unsigned char>(ch) <= ' ' || ch == '/' || ch == '@' || ch == '?' || ch == '#') {
      return Status::FailedPrecondition(bad);
    }
  }
  return Status::Ok();
}

}  // namespace

Result<Events> DecideOne(const reference::State&, const State& s, const SetMail& c) {
  MailSettings m = s.mail;
  if (c.smtp_url) m.smtp_url = Trim(*c.smtp_url);
  if (c.from) m.from = Trim(*c.from);
  if (c.outbox) {
    CRM_ASSIGN_OR_RETURN(m.outbox, CheckText(*c.outbox, "outbox", 1000, false));
  }
  if (m.smtp_url.empty())
    return Status::FailedPrecondition("mail settings need the SMTP server (--smtp smtp://HOST:PORT)");
  CRM_RETURN_IF_ERROR(CheckSmtpUrl(m.smtp_url));
  if (m.from.empty()) return Status::FailedPrecondition("mail settings need the sender address (--from ADDRESS)");
  CRM_RETURN_IF_ERROR(CheckEmail(m.from));
  if (m == s.mail) return Events{};
  fb::MailSettingsSetT e;
  e.smtp_url = m.smtp_url;
  e.from = m.from;
  e.outbox = m.outbox;
  return Events{MakeEvent(CatalogStream(), std::move(e))};
}

void Fold(State* s, const fb::MailSettingsSet* e) { s->mail = {Str(e->smtp_url()), Str(e->from()), Str(e->outbox())}; }

}  // namespace crm::catalog
