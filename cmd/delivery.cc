#include "cmd/delivery.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <optional>

#include "cmd/files.h"
#include "cmd/mail_merge.h"
#include "cmd/smtp.h"

namespace crm::cli {

using nlohmann::json;

nlohmann::json DeliveryReport::ToJson() const {
  json f = json::array();
  for (const auto& [entry, reason] : failures) f.push_back({{"entry", entry}, {"reason", reason}});
  return {{"logged_segment", logged.ToString()}, {"emails", emails}, {"letters", letters}, {"failed", failed},
          {"resent_unknown", resent_unknown}, {"bounced", bounced}, {"done_before", done_before}, {"failures", f}};
}

namespace {

// The body of an email whose attachment cannot be merged (not text) or that has none.
constexpr const char* kCoverText =
    "Dear {{name}},\n\n{{subject}}\n\n{{#attachment}}Please find {{attachment}} attached.\n\n{{/attachment}}"
    "{{#salesperson_name}}{{salesperson_name}}\n{{/salesperson_name}}";

constexpr std::chrono::seconds kSmtpTimeout{30};

class DeliveryLock {
 public:
  ~DeliveryLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  Status Take(const std::string& data_dir) {
    const std::string path = data_dir + "/delivery.lock";
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) return Status::Unavailable("cannot open " + path + ": " + std::strerror(errno));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      return Status::Aborted("another delivery is running on " + data_dir + "; retry when it has finished");
    }
    return Status::Ok();
  }

 private:
  int fd_ = -1;
};

// What one entry's delivery needs, read before its attempt.
struct Work {
  RecordNo entry;
  RecordNo contact;
  int32_t attempts = 0;  // attempts made before this run
  bool unknown = false;  // an earlier attempt has no outcome
  fb::DeliveryChannel channel = fb::DeliveryChannel::Email;
  std::string problem;   // set: fails without an attempt to deliver (a broken template, ...)
  MailMessage mail;      // email
  std::string letter_path, letter;                     // letter: relative path and content
  std::optional<MailAttachment> letter_attachment;     // letter: a binary attachment copied beside it
};

struct Source {
  const catalog::State* catalog;
  ReadModel* rm;
  std::string token;  // the logged segment's delivery token
  DeliveryOptions options;
};

std::string Field(const json& row, const char* name) { return row.value(name, std::string()); }

Result<MergeFields> FieldsFor(const Source& src, const json& entry, const json& contact) {
  MergeFields f;
  for (const char* name : {"name", "email", "phone", "address", "post_code", "city", "country", "language"}) {
    f[name] = Field(contact, name);
  }
  f["contact"] = Field(contact, "no");
  f["company_name"] = "";
  if (auto company = RecordNo::Parse(Field(entry, "company"), RecordKind::kContact); company.ok()) {
    CRM_ASSIGN_OR_RETURN(auto row, src.rm->PartyJson(*company));
    if (row) f["company_name"] = Field(*row, "name");
  }
  for (const char* name : {"subject", "description", "entry", "logged_segment", "campaign", "salesperson"}) {
    f[name] = Field(entry, name);
  }
  f["date"] = Field(entry, "at").substr(0, 10);
  f["campaign_name"] = "";
  if (auto cp = RecordNo::Parse(f["campaign"], RecordKind::kCampaign); cp.ok()) {
    CRM_ASSIGN_OR_RETURN(auto c, src.rm->Campaign(*cp));
    if (c) f["campaign_name"] = c->name;
  }
  f["salesperson_name"] = f["salesperson_email"] = "";
  if (auto sp = src.catalog->salespeople.find(f["salesperson"]); sp != src.catalog->salespeople.end()) {
    f["salesperson_name"] = sp->second.name;
    f["salesperson_email"] = sp->second.email;
  }
  f["attachment"] = entry.at("attachment").value("file_name", "");
  f["sender"] = src.catalog->mail.from;
  return f;
}

std::string AddressBlock(const MergeFields& f) {
  std::string out;
  auto line = [&](const std::string& text) {
    if (!Trim(text).empty()) out += Trim(text) + "\n";
  };
  line(f.at("name"));
  line(f.at("company_name"));
  line(f.at("address"));
  line(Trim(f.at("post_code") + " " + f.at("city")));
  line(f.at("country"));
  return out;
}

// Reads and merges what the entry's delivery will carry; a merge problem is the entry's reason to
// fail, not an error of the run.
Result<Work> Prepare(const Source& src, const json& entry) {
  Work w;
  CRM_ASSIGN_OR_RETURN(w.entry, RecordNo::Parse(Field(entry, "entry"), RecordKind::kInteraction));
  const json& d = entry.at("delivery");
  w.unknown = d.value("stage", "") == "in progress";
  w.attempts = d.value("attempts", 0);
  const std::string& from = src.catalog->mail.from;
  w.mail.message_id = w.entry.ToString() + "." + src.token + "@" + from.substr(from.find('@') + 1);
  CRM_ASSIGN_OR_RETURN(RecordNo contact_no, RecordNo::Parse(Field(entry, "contact"), RecordKind::kContact));
  w.contact = contact_no;
  CRM_ASSIGN_OR_RETURN(auto contact, src.rm->PartyJson(contact_no));
  if (!contact) {
    w.problem = "contact " + contact_no.ToString() + " no longer exists";
    return w;
  }
  if (contact->value("opted_out", false) && !src.options.include_opted_out) {
    const std::string reason = Field(*contact, "consent_reason");
    w.problem = "contact " + contact_no.ToString() + " opted out" + (reason.empty() ? "" : " (" + reason + ")") +
                "; --include-opted-out sends anyway";
    return w;
  }
  const std::string email = Field(*contact, "email");
  const bool mailable = !email.empty() && !contact->value("bounced", false);
  w.channel = Field(entry, "correspondence") == "email" && mailable ? fb::DeliveryChannel::Email
                                                                    : fb::DeliveryChannel::Letter;
  CRM_ASSIGN_OR_RETURN(MergeFields fields, FieldsFor(src, entry, *contact));

  // The document: the entry's attachment, merged when it is text.
  const std::string file_name = entry.at("attachment").value("file_name", "");
  const std::string sha = entry.at("attachment").value("sha256", "");
  std::optional<std::string> content;
  if (!sha.empty()) {
    CRM_ASSIGN_OR_RETURN(content, src.rm->AttachmentContent(sha));
    if (!content) {
      w.problem = "the attachment " + file_name + " (" + sha + ") is missing from the read models";
      return w;
    }
  }
  const bool text = content && IsTextDocument(*content);
  const bool html = text && IsHtmlName(file_name);
  auto merged = Merge(text ? std::string_view(*content) : std::string_view(kCoverText), fields, html);
  if (!merged.ok()) {
    w.problem = "cannot merge " + (text ? file_name : std::string("the cover text")) + ": " + merged.status().message();
    return w;
  }
  std::optional<MailAttachment> attachment;
  if (content) {
    attachment = MailAttachment{file_name, ContentTypeFor(file_name, text), text ? *merged : *content};
  }

  const std::string base = w.entry.ToString() + "-" + contact_no.ToString();
  if (w.channel == fb::DeliveryChannel::Email) {
    w.mail.from = from;
    w.mail.to = email;
    w.mail.to_name = fields["name"];
    w.mail.subject = fields["subject"];
    w.mail.body = *merged;
    w.mail.html = html;
    w.mail.attachment = attachment;  // a merged text document is the body and the attached file
    return w;
  }
  const std::string dir = Field(entry, "logged_segment") + "/";
  if (html) {
    w.letter_path = dir + base + ".html";
    w.letter = *merged;
  } else {
    w.letter_path = dir + base + ".txt";
    w.letter = AddressBlock(fields) + "\n" + fields["date"] + "\n\n" +
               (fields["subject"].empty() ? "" : fields["subject"] + "\n\n") + *merged;
    if (content && !text) {
      w.letter_attachment = MailAttachment{dir + base + "-" + file_name, attachment->content_type, *content};
    }
  }
  return w;
}

Request Step(const Request& base, const std::string& what) {
  Request r = base;
  r.command_id = CommandId(base.command_id.value() + "/" + what);
  r.expected_version.reset();
  r.fingerprint = "delivery " + what;
  return r;
}

std::string OutboxDir(const std::string& data_dir, const catalog::MailSettings& mail) {
  if (mail.outbox.empty()) return data_dir + "/outbox";
  if (std::filesystem::path(mail.outbox).is_absolute()) return mail.outbox;
  return data_dir + "/" + mail.outbox;
}

}  // namespace

Result<DeliveryReport> DeliverLoggedSegment(Handler* h, const std::string& data_dir, const Request& base,
                                            const RecordNo& logged, const DeliveryOptions& options) {
  DeliveryLock lock;
  CRM_RETURN_IF_ERROR(lock.Take(data_dir));
  DeliveryReport report;
  report.logged = logged;

  // Everything to deliver, read and merged before the first attempt.
  std::vector<Work> work;
  catalog::State catalog;
  {
    Store::Txn txn(h->store());
    ReadModel rm(h->store(), &txn);
    CRM_ASSIGN_OR_RETURN(auto ls, rm.LoggedSegment(logged));
    if (!ls) return Status::NotFound("logged segment " + logged.ToString() + " does not exist");
    if (!ls->value("send", false)) {
      return Status::FailedPrecondition("logged segment " + logged.ToString() +
                                        " was logged without --send: it has nothing to deliver");
    }
    CRM_ASSIGN_OR_RETURN(catalog, rm.Catalog());
    const Source src{&catalog, &rm, Field(*ls, "delivery_token"), options};
    Status failed;
    CRM_RETURN_IF_ERROR(rm.ForEachInteraction({RecordNo(), RecordNo(), logged}, [&](const json& entry) {
      const std::string stage = entry.at("delivery").value("stage", "none");
      if (entry.value("canceled", false) || (stage != "pending" && stage != "in progress" && stage != "failed")) {
        ++report.done_before;
        return true;
      }
      auto w = Prepare(src, entry);
      if (!w.ok()) {
        failed = w.status();
        return false;
      }
      work.push_back(std::move(*w));
      return true;
    }));
    CRM_RETURN_IF_ERROR(failed);
  }

  const std::string outbox = OutboxDir(data_dir, catalog.mail);
  std::unique_ptr<SmtpClient> smtp;
  std::string unreachable;  // set once the SMTP server proved unreachable
  std::vector<delivery::Attempt> late_attempts;  // emails after the server proved unreachable
  std::string late_step;
  std::vector<delivery::Outcome> late_outcomes;
  for (Work& w : work) {
    const std::string ie = w.entry.ToString();
    delivery::Attempt attempt{w.entry, w.channel, w.channel == fb::DeliveryChannel::Email ? w.mail.message_id : ""};
    delivery::Outcome outcome;
    bool bounce = false;
    outcome.entry = w.entry;
    outcome.channel = w.channel;
    if (w.problem.empty() && w.channel == fb::DeliveryChannel::Email && !unreachable.empty()) {
      if (late_attempts.empty()) late_step = "unreachable/" + ie + "/" + std::to_string(w.attempts + 1);
      late_attempts.push_back(attempt);
      outcome.reason = "not sent: " + unreachable;
      late_outcomes.push_back(outcome);
      continue;
    }
    // Step ids name the attempt, so a rerun under the same command id records its own attempts.
    const std::string step = ie + "/" + std::to_string(w.attempts + 1);
    CRM_ASSIGN_OR_RETURN(json started, h->StartDeliveries(Step(base, step + "/start"), logged, {attempt}));
    outcome.attempt = started.at("attempts").value(ie, 0);
    if (!w.problem.empty()) {
      outcome.reason = w.problem;
    } else if (w.channel == fb::DeliveryChannel::Letter) {
      Status s = w.letter_attachment ? WriteFileAtomically(outbox + "/" + w.letter_attachment->file_name,
                                                           w.letter_attachment->content)
                                     : Status::Ok();
      if (s.ok()) s = WriteFileAtomically(outbox + "/" + w.letter_path, w.letter);
      outcome.delivered = s.ok();
      outcome.reason = s.ok() ? "" : s.message();
      outcome.document = w.letter_path;
    } else {
      if (smtp == nullptr) {
        CRM_ASSIGN_OR_RETURN(smtp, SmtpClient::Open({catalog.mail.smtp_url, kSmtpTimeout}));
      }
      w.mail.date = base.now;
      const Status s = smtp->Send(w.mail);
      outcome.delivered = s.ok();
      outcome.reason = s.ok() ? "" : s.message();
      if (s.code() == StatusCode::kUnavailable) unreachable = s.message();
      if (s.ok() && w.unknown) ++report.resent_unknown;
      bounce = !s.ok() && (smtp->last_reply() == 550 || smtp->last_reply() == 551 || smtp->last_reply() == 553);
    }
    CRM_RETURN_IF_ERROR(h->FinishDeliveries(Step(base, step + "/finish"), logged, {outcome}).status());
    if (bounce) {
      contact::RecordConsent c;
      c.no = w.contact;
      c.kind = fb::ConsentKind::Bounce;
      c.reason = outcome.reason.substr(0, 200);
      CRM_RETURN_IF_ERROR(h->RecordConsent(Step(base, step + "/bounce"), c).status());
      ++report.bounced;
    }
    if (outcome.delivered) {
      ++(w.channel == fb::DeliveryChannel::Email ? report.emails : report.letters);
    } else {
      ++report.failed;
      report.failures.push_back({ie, outcome.reason});
    }
  }
  if (!late_attempts.empty()) {
    CRM_ASSIGN_OR_RETURN(json started, h->StartDeliveries(Step(base, late_step + "/start"), logged, late_attempts));
    for (delivery::Outcome& o : late_outcomes) o.attempt = started.at("attempts").value(o.entry.ToString(), 0);
    CRM_RETURN_IF_ERROR(h->FinishDeliveries(Step(base, late_step + "/finish"), logged, late_outcomes).status());
    report.failed += late_outcomes.size();
    for (const auto& o : late_outcomes) report.failures.push_back({o.entry.ToString(), o.reason});
  }
  return report;
}

}  // namespace crm::cli
