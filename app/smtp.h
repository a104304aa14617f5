// An SMTP client over libcurl (SPEC 4.6), loaded on first use (the smtp plugin,
// app/smtp_plugin.h): one connection to the configured server, reused for a
// run of messages; each Send is one mail transaction (MAIL FROM, RCPT TO, DATA) of a MIME
// message that libcurl builds: the body (text or HTML, quoted-printable) and at most one
// attachment (base64). Header text outside ASCII is RFC 2047 encoded; line breaks in header text
// are replaced, so no value can add a header. smtp:// upgrades to TLS when the server offers
// STARTTLS (and insists on it when credentials are set); smtps:// is TLS from the start.
// Credentials, when the server needs them, come from CRM_SMTP_USER and CRM_SMTP_PASSWORD (never
// from the ledger).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "app/smtp_plugin.h"
#include "events/status.h"
#include "events/values.h"

namespace crm {

struct MailAttachment {
  std::string file_name;
  std::string content_type;  // e.g. "application/pdf"
  std::string content;
};

struct MailMessage {
  std::string from;           // the sender's address
  std::string to, to_name;    // the recipient's address and display name
  std::string subject;
  std::string message_id;     // without the angle brackets
  Timestamp date;
  std::string body;
  bool html = false;
  std::optional<MailAttachment> attachment;
};

class SmtpClient {
 public:
  struct Options {
    std::string url;  // smtp://HOST[:PORT] or smtps://HOST[:PORT]
    std::chrono::milliseconds timeout{30000};  // connecting, and each transaction
  };
  static Result<std::unique_ptr<SmtpClient>> Open(const Options& options);
  ~SmtpClient();
  SmtpClient(const SmtpClient&) = delete;
  SmtpClient& operator=(const SmtpClient&) = delete;

  // How the last Send failed:
  //   kRefused         the server refused this message (sender or content): FailedPrecondition
  //   kMailboxRefused  ... refused the recipient's mailbox at RCPT (5xx): a hard bounce
  //   kUnreachable     no connection, or it broke before the message was handed over: Unavailable
  //   kUnknown         it broke after the message was handed over (RFC 1047): Unavailable
  using Failure = SmtpFailure;

  // Ok: the server accepted the message (its reply to the end of DATA). Otherwise the status
  // names the server's reply or the error, and failure() tells which case it was.
  Status Send(const MailMessage& m);
  Failure failure() const { return failure_; }

 private:
  SmtpClient(Options options, std::unique_ptr<SmtpTransport> transport);
  Options options_;
  std::unique_ptr<SmtpTransport> transport_;  // the smtp plugin's (app/smtp_plugin.h)
  Failure failure_ = Failure::kNone;
};

// The MIME type an attachment is sent with, from its file name.
std::string ContentTypeFor(const std::string& file_name, bool text);

}  // namespace crm
