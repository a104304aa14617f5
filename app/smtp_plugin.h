// The smtp plugin's interface (io/plugin.h): libcrm_smtp.so, built from app/smtp_curl.cc, speaks
// SMTP through libcurl. app/smtp.cc formats every header and loads it (app/smtp.h names the
// transport it holds).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "events/status.h"

namespace crm {

// One mail transaction, formatted: the plugin builds the MIME message from these parts (the body
// quoted-printable, the attachment base64) and sends it.
struct SmtpTransfer {
  std::string url;  // smtp://HOST[:PORT] or smtps://HOST[:PORT]
  long timeout_ms = 30000;
  std::string mail_from, rcpt_to;    // "<address>"
  std::vector<std::string> headers;  // "Name: value", each safe to send as it is
  std::string body;                  // CRLF line ends
  std::string body_type;             // "text/plain; charset=UTF-8" or "text/html; ..."
  bool attached = false;
  std::string attachment_name, attachment_type, attachment_content;
  // Credentials (CRM_SMTP_USER, CRM_SMTP_PASSWORD): with a user, TLS is required.
  std::string user, password;
};

// How a transfer failed (SmtpClient::Failure says what each means).
enum class SmtpFailure { kNone, kRefused, kMailboxRefused, kUnreachable, kUnknown };

// One connection, reused for a run of transfers. Not thread-safe.
class SmtpTransport {
 public:
  virtual ~SmtpTransport() = default;
  virtual Status Send(const SmtpTransfer& transfer, SmtpFailure* failure) = 0;
};

}  // namespace crm

inline constexpr std::string_view kSmtpPlugin = "smtp";
inline constexpr std::string_view kOpenSmtpTransportSymbol = "CrmOpenSmtpTransport";
using OpenSmtpTransportFn = crm::Result<std::unique_ptr<crm::SmtpTransport>>();

// C linkage only for an unmangled symbol name: both sides are C++ (clang warns of the return type).
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wreturn-type-c-linkage"
#endif
extern "C" OpenSmtpTransportFn CrmOpenSmtpTransport;
#if defined(__clang__)
#pragma clang diagnostic pop
#endif
