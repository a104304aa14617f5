// The smtp plugin (app/smtp_plugin.h): one libcurl handle per transport, reused for a run of
// messages; libcurl builds the MIME message from the parts it is given.
#include <curl/curl.h>

#include <mutex>

#include "app/smtp_plugin.h"

namespace crm {
namespace {

struct Slist {
  curl_slist* list = nullptr;
  ~Slist() { curl_slist_free_all(list); }
  Status Add(const std::string& line) {
    curl_slist* next = curl_slist_append(list, line.c_str());
    if (next == nullptr) return Status::Internal("out of memory building a mail message");
    list = next;
    return Status::Ok();
  }
};

struct Mime {
  curl_mime* mime = nullptr;
  ~Mime() { curl_mime_free(mime); }
};

class CurlTransport final : public SmtpTransport {
 public:
  explicit CurlTransport(CURL* curl) : curl_(curl) {}
  ~CurlTransport() override { curl_easy_cleanup(curl_); }
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  Status Send(const SmtpTransfer& t, SmtpFailure* failure) override;

 private:
  CURL* curl_;
  char error_[CURL_ERROR_SIZE] = {0};  // CURLOPT_ERRORBUFFER; lives as long as the handle
};

Status CurlTransport::Send(const SmtpTransfer& t, SmtpFailure* failure) {
  CURL* curl = curl_;
  curl_easy_reset(curl);  // keeps the open connection; forgets the last message's options
  error_[0] = '\0';
  *failure = SmtpFailure::kNone;
  Slist headers, recipients;
  for (const std::string& h : t.headers) CRM_RETURN_IF_ERROR(headers.Add(h));
  CRM_RETURN_IF_ERROR(recipients.Add(t.rcpt_to));

  Mime mime;
  mime.mime = curl_mime_init(curl);
  curl_mimepart* body = curl_mime_addpart(mime.mime);
  curl_mime_data(body, t.body.data(), t.body.size());
  curl_mime_type(body, t.body_type.c_str());
  curl_mime_encoder(body, "quoted-printable");
  if (t.attached) {
    curl_mimepart* part = curl_mime_addpart(mime.mime);
    curl_mime_data(part, t.attachment_content.data(), t.attachment_content.size());
    curl_mime_filename(part, t.attachment_name.c_str());
    curl_mime_type(part, t.attachment_type.c_str());
    curl_mime_encoder(part, "base64");
  }

  curl_easy_setopt(curl, CURLOPT_URL, t.url.c_str());
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_);
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, t.mail_from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients.list);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.list);
  curl_easy_setopt(curl, CURLOPT_MIMEPOST, mime.mime);
  const bool credentials = !t.user.empty();
  // A password never goes out in clear text: with credentials, TLS is required.
  curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(credentials ? CURLUSESSL_ALL : CURLUSESSL_TRY));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, t.timeout_ms);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, t.timeout_ms);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  if (credentials) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, t.user.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, t.password.c_str());
  }
  const CURLcode rc = curl_easy_perform(curl);
  long reply = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply);
  if (rc == CURLE_OK) return Status::Ok();
  const std::string what = error_[0] != '\0' ? std::string(error_) : std::string(curl_easy_strerror(rc));
  if (reply >= 400 && reply < 600 && reply != 421) {  // 421: the server is closing the connection
    // libcurl names the step that was refused ("RCPT failed: 550"); a permanent refusal there is
    // the mailbox's, not the message's.
    *failure = reply >= 500 && std::string_view(what).starts_with("RCPT failed") ? SmtpFailure::kMailboxRefused
                                                                                : SmtpFailure::kRefused;
    return Status::FailedPrecondition("the SMTP server " + t.url + " refused the message (" + std::to_string(reply) +
                                      "): " + what);
  }
  if (reply == 354) {  // the server had said "send the message": it may have it all
    *failure = SmtpFailure::kUnknown;
    return Status::Unavailable("the connection to the SMTP server " + t.url +
                               " broke after the message was handed over, so whether it was accepted is unknown: " + what);
  }
  *failure = SmtpFailure::kUnreachable;
  return Status::Unavailable("the SMTP server " + t.url + " is unreachable: " + what);
}

}  // namespace
}  // namespace crm

extern "C" crm::Result<std::unique_ptr<crm::SmtpTransport>> CrmOpenSmtpTransport() {
  static std::once_flag once;
  static CURLcode global = CURLE_OK;
  std::call_once(once, [] { global = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (global != CURLE_OK) return crm::Status::Internal(std::string("libcurl: ") + curl_easy_strerror(global));
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return crm::Status::Internal("libcurl: cannot create a handle");
  return std::unique_ptr<crm::SmtpTransport>(new crm::CurlTransport(curl));
}
