#include "app/smtp.h"

#include <cstdlib>
#include <ctime>
#include <mutex>

#include <curl/curl.h>

#include "aggregates/common.h"
#include "events/codec.h"

namespace crm {
namespace {

// Control characters (CR, LF, ...) in header text become spaces: a value never starts a header.
std::string HeaderText(std::string_view s) {
  std::string out(s);
  for (char& ch : out) {
    if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) ch = ' ';
  }
  return out;
}

bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char ch) { return static_cast<unsigned char>(ch) < 0x80; });
}

// RFC 2047 "B" encoded words of at most 45 bytes of UTF-8 each (under 76 characters encoded),
// cut between characters.
std::string EncodedWords(std::string_view text) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = std::min(text.size(), pos + 45);
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64(text.substr(pos, end - pos)) + "?=";
    pos = end;
  }
  return out;
}

std::string HeaderValue(std::string_view text) {
  const std::string clean = HeaderText(text);
  return IsAscii(clean) ? clean : EncodedWords(clean);
}

// "Display Name" <address>, the name quoted or encoded as it needs.
std::string Mailbox(const std::string& name, const std::string& address) {
  const std::string clean = HeaderText(Trim(name));
  if (clean.empty()) return "<" + HeaderText(address) + ">";
  std::string display;
  if (IsAscii(clean)) {
    display = "\"";
    for (char ch : clean) {
      if (ch == '"' || ch == '\\') display += '\\';
      display += ch;
    }
    display += "\"";
  } else {
    display = EncodedWords(clean);
  }
  return display + " <" + HeaderText(address) + ">";
}

// RFC 5322 date: "Mon, 30 Nov 2026 11:00:00 +0000".
std::string MailDate(Timestamp t) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const time_t secs = static_cast<time_t>(t.value() / 1000000);
  struct tm tm {};
  gmtime_r(&secs, &tm);
  char buf[64];
  snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday], tm.tm_mday, kMonths[tm.tm_mon],
           tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string Crlf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) out += '\r';
    out += text[i];
  }
  return out;
}

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

}  // namespace

std::string ContentTypeFor(const std::string& file_name, bool text) {
  const std::string lower = Lower(file_name);
  auto ends = [&](const char* ext) { return lower.ends_with(ext); };
  if (ends(".html") || ends(".htm")) return "text/html; charset=UTF-8";
  if (ends(".md")) return "text/markdown; charset=UTF-8";
  if (ends(".pdf")) return "application/pdf";
  if (ends(".png")) return "image/png";
  if (ends(".jpg") || ends(".jpeg")) return "image/jpeg";
  if (ends(".docx")) return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  if (ends(".odt")) return "application/vnd.oasis.opendocument.text";
  return text ? "text/plain; charset=UTF-8" : "application/octet-stream";
}

SmtpClient::SmtpClient(Options options) : options_(std::move(options)) {}

SmtpClient::~SmtpClient() {
  if (curl_ != nullptr) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

Result<std::unique_ptr<SmtpClient>> SmtpClient::Open(const Options& options) {
  static std::once_flag once;
  static CURLcode global = CURLE_OK;
  std::call_once(once, [] { global = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (global != CURLE_OK) return Status::Internal(std::string("libcurl: ") + curl_easy_strerror(global));
  std::unique_ptr<SmtpClient> c(new SmtpClient(options));
  c->curl_ = curl_easy_init();
  if (c->curl_ == nullptr) return Status::Internal("libcurl: cannot create a handle");
  return c;
}

Status SmtpClient::Send(const MailMessage& m) {
  CURL* curl = static_cast<CURL*>(curl_);
  curl_easy_reset(curl);  // keeps the open connection; forgets the last message's options
  static_assert(sizeof error_ >= CURL_ERROR_SIZE);
  error_[0] = '\0';
  failure_ = Failure::kNone;
  Slist headers, recipients;
  CRM_RETURN_IF_ERROR(headers.Add("Date: " + MailDate(m.date)));
  CRM_RETURN_IF_ERROR(headers.Add("From: <" + HeaderText(m.from) + ">"));
  CRM_RETURN_IF_ERROR(headers.Add("To: " + Mailbox(m.to_name, m.to)));
  CRM_RETURN_IF_ERROR(headers.Add("Subject: " + HeaderValue(m.subject)));
  CRM_RETURN_IF_ERROR(headers.Add("Message-ID: <" + HeaderText(m.message_id) + ">"));
  CRM_RETURN_IF_ERROR(recipients.Add("<" + HeaderText(m.to) + ">"));

  // Mail lines end in CRLF (RFC 5322); the quoted-printable encoder then keeps them as lines.
  const std::string text = Crlf(m.body);
  Mime mime;
  mime.mime = curl_mime_init(curl);
  curl_mimepart* body = curl_mime_addpart(mime.mime);
  curl_mime_data(body, text.data(), text.size());
  curl_mime_type(body, m.html ? "text/html; charset=UTF-8" : "text/plain; charset=UTF-8");
  curl_mime_encoder(body, "quoted-printable");
  if (m.attachment) {
    curl_mimepart* part = curl_mime_addpart(mime.mime);
    curl_mime_data(part, m.attachment->content.data(), m.attachment->content.size());
    curl_mime_filename(part, HeaderText(m.attachment->file_name).c_str());
    curl_mime_type(part, m.attachment->content_type.c_str());
    curl_mime_encoder(part, "base64");
  }

  const std::string from = "<" + HeaderText(m.from) + ">";
  curl_easy_setopt(curl, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_);
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients.list);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.list);
  curl_easy_setopt(curl, CURLOPT_MIMEPOST, mime.mime);
  const char* user = std::getenv("CRM_SMTP_USER");
  const bool credentials = user != nullptr && *user != '\0';
  // A password never goes out in clear text: with credentials, TLS is required.
  curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(credentials ? CURLUSESSL_ALL : CURLUSESSL_TRY));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  if (credentials) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, user);
    const char* password = std::getenv("CRM_SMTP_PASSWORD");
    curl_easy_setopt(curl, CURLOPT_PASSWORD, password != nullptr ? password : "");
  }
  const CURLcode rc = curl_easy_perform(curl);
  long reply = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply);
  if (rc == CURLE_OK) return Status::Ok();
  const std::string what = error_[0] != '\0' ? std::string(error_) : std::string(curl_easy_strerror(rc));
  if (reply >= 400 && reply < 600 && reply != 421) {  // 421: the server is closing the connection
    // libcurl names the step that was refused ("RCPT failed: 550"); a permanent refusal there is
    // the mailbox's, not the message's.
    failure_ = reply >= 500 && std::string_view(what).starts_with("RCPT failed") ? Failure::kMailboxRefused
                                                                                : Failure::kRefused;
    return Status::FailedPrecondition("the SMTP server " + options_.url + " refused the message (" + std::to_string(reply) +
                                      "): " + what);
  }
  if (reply == 354) {  // the server had said "send the message": it may have it all
    failure_ = Failure::kUnknown;
    return Status::Unavailable("the connection to the SMTP server " + options_.url +
                               " broke after the message was handed over, so whether it was accepted is unknown: " + what);
  }
  failure_ = Failure::kUnreachable;
  return Status::Unavailable("the SMTP server " + options_.url + " is unreachable: " + what);
}

}  // namespace crm
