#include "app/smtp.h"

#include <cstdlib>
#include <ctime>

#include "aggregates/common.h"
#include "app/smtp_plugin.h"
#include "events/codec.h"
#include "io/plugin.h"

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

SmtpClient::SmtpClient(Options options, std::unique_ptr<SmtpTransport> transport)
    : options_(std::move(options)), transport_(std::move(transport)) {}

SmtpClient::~SmtpClient() = default;

Result<std::unique_ptr<SmtpClient>> SmtpClient::Open(const Options& options) {
  CRM_ASSIGN_OR_RETURN(OpenSmtpTransportFn * open,
                       PluginFunction<OpenSmtpTransportFn>(kSmtpPlugin, kOpenSmtpTransportSymbol));
  CRM_ASSIGN_OR_RETURN(std::unique_ptr<SmtpTransport> transport, open());
  return std::unique_ptr<SmtpClient>(new SmtpClient(options, std::move(transport)));
}

Status SmtpClient::Send(const MailMessage& m) {
  SmtpTransfer t;
  t.url = options_.url;
  t.timeout_ms = static_cast<long>(options_.timeout.count());
  t.headers = {"Date: " + MailDate(m.date), "From: <" + HeaderText(m.from) + ">", "To: " + Mailbox(m.to_name, m.to),
               "Subject: " + HeaderValue(m.subject), "Message-ID: <" + HeaderText(m.message_id) + ">"};
  t.mail_from = "<" + HeaderText(m.from) + ">";
  t.rcpt_to = "<" + HeaderText(m.to) + ">";
  // Mail lines end in CRLF (RFC 5322); the quoted-printable encoder then keeps them as lines.
  t.body = Crlf(m.body);
  t.body_type = m.html ? "text/html; charset=UTF-8" : "text/plain; charset=UTF-8";
  if (m.attachment) {
    t.attached = true;
    t.attachment_name = HeaderText(m.attachment->file_name);
    t.attachment_type = m.attachment->content_type;
    t.attachment_content = m.attachment->content;
  }
  if (const char* user = std::getenv("CRM_SMTP_USER"); user != nullptr && *user != '\0') {
    t.user = user;
    const char* password = std::getenv("CRM_SMTP_PASSWORD");
    t.password = password != nullptr ? password : "";
  }
  SmtpFailure failure = SmtpFailure::kNone;
  const Status s = transport_->Send(t, &failure);
  failure_ = failure;
  return s;
}

}  // namespace crm
