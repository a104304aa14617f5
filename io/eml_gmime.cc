#include "io/eml_plugin.h"

#include <gmime/gmime.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <vector>

#include "events/values.h"

namespace crm::io {
namespace {

template <typename T>
struct GUnref {
  void operator()(T* p) const {
    if (p != nullptr) g_object_unref(p);
  }
};
template <typename T>
using GPtr = std::unique_ptr<T, GUnref<T>>;

void InitGMime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

std::string TrimText(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(line);
  }
  return out;
}

std::string DropTags(const std::string& html) {
  std::string out;
  bool tag = false;
  for (size_t i = 0; i < html.size(); ++i) {
    const char c = html[i];
    if (c == '<') {
      tag = true;
      const std::string ahead = Lower(html.substr(i, 4));
      if (ahead == "<br>" || ahead == "<br/" || ahead == "<br " || ahead == "</p>" || ahead == "</di") out += '\n';
    } else if (c == '>') {
      tag = false;
    } else if (!tag) {
      out += c;
    }
  }
  return out;
}

// The first text/plain part's text (or a text/html one's without its tags).
std::string BodyText(GMimeMessage* message) {
  GMimeObject* body = g_mime_message_get_body(message);
  if (body == nullptr) return "";
  std::string plain, html;
  std::unique_ptr<GMimePartIter, void (*)(GMimePartIter*)> iter(g_mime_part_iter_new(body), g_mime_part_iter_free);
  auto take = [&](GMimeObject* part) {
    if (!GMIME_IS_TEXT_PART(part)) return;
    GMimeContentType* type = g_mime_object_get_content_type(part);
    char* text = g_mime_text_part_get_text(GMIME_TEXT_PART(part));
    if (text == nullptr) return;
    if (plain.empty() && g_mime_content_type_is_type(type, "text", "plain")) plain = text;
    if (html.empty() && g_mime_content_type_is_type(type, "text", "html")) html = text;
    g_free(text);
  };
  take(body);
  if (GMIME_IS_MULTIPART(body)) {
    do {
      take(g_mime_part_iter_get_current(iter.get()));
    } while (g_mime_part_iter_next(iter.get()));
  }
  return !plain.empty() ? plain : DropTags(html);
}

bool IsSignOff(const std::string& line) {
  const std::string l = Lower(TrimText(line));
  for (const char* s : {"best regards", "kind regards", "regards", "best", "thanks", "thank you", "cheers", "sincerely",
                        "yours", "med vennlig hilsen", "mvh", "mit freundlichen", "cordialement"}) {
    if (l.rfind(s, 0) == 0 && l.size() <= std::string(s).size() + 2) return true;
  }
  return false;
}

// The signature's lines: after "-- ", else the last short paragraph after a sign-off or
// starting with the sender's name.
std::vector<std::string> Signature(const std::vector<std::string>& lines, const std::string& name) {
  for (size_t i = lines.size(); i-- > 0;) {
    if (lines[i] == "-- " || lines[i] == "--") return {lines.begin() + static_cast<long>(i) + 1, lines.end()};
  }
  std::vector<std::string> para;
  size_t end = lines.size();
  while (end > 0 && TrimText(lines[end - 1]).empty()) --end;
  size_t begin = end;
  while (begin > 0 && !TrimText(lines[begin - 1]).empty()) --begin;
  if (end - begin == 0 || end - begin > 6) return {};
  para.assign(lines.begin() + static_cast<long>(begin), lines.begin() + static_cast<long>(end));
  if (IsSignOff(para.front())) return {para.begin() + 1, para.end()};
  if (!name.empty() && Lower(TrimText(para.front())).rfind(Lower(name), 0) == 0) return para;
  size_t before = begin;
  while (before > 0 && TrimText(lines[before - 1]).empty()) --before;
  if (before > 0 && IsSignOff(lines[before - 1])) return para;
  return {};
}

size_t Digits(const std::string& s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); }));
}

std::string PhoneOf(const std::string& line) {
  const std::string l = Lower(line);
  const bool labelled = l.find("phone") != std::string::npos || l.find("tel") != std::string::npos ||
                        l.find("mobile") != std::string::npos || l.find("mob") != std::string::npos;
  const std::string t = TrimText(line);
  if ((!labelled && (t.empty() || t[0] != '+')) || Digits(line) < 6) return "";
  const size_t start = line.find_first_of("+0123456789");
  std::string out;
  for (size_t i = start; i < line.size(); ++i) {
    const char c = line[i];
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == ' ' || c == '-' || c == '(' || c == ')' || c == '.') {
      out += c;
    } else {
      break;
    }
  }
  return TrimText(out);
}

bool HasCompanyForm(const std::string& line) {
  std::string padded = " " + Lower(line) + " ";
  for (char& c : padded) {
    if (c == ',' || c == '.') c = ' ';
  }
  for (const char* form : {" ltd ", " limited ", " inc ", " gmbh ", " as ", " asa ", " ab ", " llc ", " sa ", " bv ",
                           " corp ", " corporation ", " plc ", " oy ", " srl ", " sarl ", " ag ", " co "}) {
    if (padded.find(form) != std::string::npos) return true;
  }
  return false;
}

bool LooksLikeContactLine(const std::string& line) {
  const std::string l = Lower(line);
  return l.find('@') != std::string::npos || l.find("http") != std::string::npos || l.find("www.") != std::string::npos ||
         Digits(line) >= 6;
}

std::string CompanyFromDomain(const std::string& email) {
  const size_t at = email.rfind('@');
  if (at == std::string::npos) return "";
  std::string domain = Lower(email.substr(at + 1));
  for (const char* provider : {"gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "yahoo.com",
                               "icloud.com", "me.com", "aol.com", "gmx.com", "gmx.de", "gmx.net", "proton.me",
                               "protonmail.com", "mail.com", "yandex.ru", "online.no", "web.de"}) {
    if (domain == provider) return "";
  }
  // The label before the public suffix: "mail.fabrikam.co.uk" -> "fabrikam".
  std::vector<std::string> labels;
  std::stringstream in(domain);
  for (std::string label; std::getline(in, label, '.');) labels.push_back(label);
  if (labels.size() < 2) return "";
  size_t i = labels.size() - 2;
  if (labels.size() >= 3 && (labels[i] == "co" || labels[i] == "com" || labels[i] == "org" || labels[i] == "ac")) --i;
  std::string name = labels[i];
  if (name.empty()) return "";
  name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
  return name;
}

}  // namespace

Result<EmailLead> ParseWithGMime(const std::string& name, const std::string& bytes) {
  InitGMime();
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size()));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  GPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), nullptr));
  if (!message) return Status::InvalidArgument(name + ": not an email message (RFC 5322 headers expected)");
  InternetAddressList* from = g_mime_message_get_from(message.get());
  InternetAddress* sender = from != nullptr && internet_address_list_length(from) > 0
                                ? internet_address_list_get_address(from, 0)
                                : nullptr;
  if (sender == nullptr || !INTERNET_ADDRESS_IS_MAILBOX(sender)) {
    return Status::InvalidArgument(name + ": the message has no From address");
  }
  EmailLead lead;
  const char* addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(sender));
  lead.email = TrimText(addr != nullptr ? addr : "");
  if (lead.email.empty() || lead.email.find('@') == std::string::npos) {
    return Status::InvalidArgument(name + ": the message has no From address");
  }
  const char* display = internet_address_get_name(sender);
  lead.name = TrimText(display != nullptr ? display : "");
  if (lead.name.empty()) lead.name = lead.email.substr(0, lead.email.find('@'));
  const char* subject = g_mime_message_get_subject(message.get());
  lead.subject = TrimText(subject != nullptr ? subject : "");
  const std::vector<std::string> sig = Signature(Lines(BodyText(message.get())), lead.name);
  std::vector<std::string> rest;
  for (const std::string& line : sig) {
    const std::string t = TrimText(line);
    if (t.empty()) continue;
    if (lead.phone.empty()) {
      if (std::string p = PhoneOf(t); !p.empty()) {
        lead.phone = p;
        continue;
      }
    }
    if (lead.company.empty() && HasCompanyForm(t) && !LooksLikeContactLine(t)) {
      lead.company = t;
      continue;
    }
    if (!LooksLikeContactLine(t) && Lower(t).rfind(Lower(lead.name), 0) != 0) rest.push_back(t);
  }
  // Name, title, company: the line after the title is the company.
  if (lead.company.empty() && rest.size() >= 2) lead.company = rest[1];
  if (!lead.company.empty()) lead.company_from = "signature";
  if (lead.company.empty()) {
    lead.company = CompanyFromDomain(lead.email);
    if (!lead.company.empty()) lead.company_from = "domain";
  }
  for (std::string* s : {&lead.name, &lead.email, &lead.subject, &lead.company, &lead.phone}) {
    if (!IsValidUtf8(*s)) *s = "";
  }
  return lead;
}

}  // namespace crm::io

extern "C" crm::Result<crm::io::EmailLead> CrmParseEmailLead(const std::string& name, const std::string& bytes) {
  return crm::io::ParseWithGMime(name, bytes);
}
