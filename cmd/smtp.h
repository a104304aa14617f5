// An SMTP client over libcurl (SPEC 4.6): one connection to the configured server, reused for a
// run of messages; each Send is one mail transaction (MAIL FROM, RCPT TO, DATA) of a MIME
// message that libcurl builds: the body (text or HTML, quoted-printable) and at most one
// attachment (base64). Header text outside ASCII is RFC 2047 encoded; line breaks in header text
// are replaced, so no value can add a header. smtp:// upgrades to TLS when the server offers
// STARTTLS; smtps:// is TLS from the start. Credentials, when the server needs them, come from
// CRM_SMTP_USER and CRM_SMTP_PASSWORD (never from the ledger).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "events/status.h"
#include "events/values.h"

namespace crm::cli {

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

  // Ok: the server accepted the message (its reply to the end of DATA). Unavailable: the server
  // could not be reached or the connection broke (the next message would most likely fail the
  // same way). FailedPrecondition: the server refused this message; the status names its reply.
  Status Send(const MailMessage& m);
  // The server's last reply code (0 when there was none): 550, 551 and 553 refuse the mailbox
  // itself, a hard bounce.
  long last_reply() const { return last_reply_; }

 private:
  explicit SmtpClient(Options options);
  Options options_;
  long last_reply_ = 0;
  void* curl_ = nullptr;  // CURL*
};

// The MIME type an attachment is sent with, from its file name.
std::string ContentTypeFor(const std::string& file_name, bool text);

}  // namespace crm::cli
