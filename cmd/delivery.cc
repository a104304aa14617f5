#include "cmd/delivery.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <optional>
#include <vector>

#include "cmd/delivery_message.h"
#include "cmd/files.h"
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

// Not canceled, and pending, failed or with an attempt whose outcome is unknown.
bool ToDeliver(const json& entry) {
  const std::string stage = entry.at("delivery").value("stage", "none");
  return !entry.value("canceled", false) && (stage == "pending" || stage == "in progress" || stage == "failed");
}

// At most a UTF-8-safe prefix of `text` of `max` bytes.
std::string Prefix(const std::string& text, size_t max) {
  if (text.size() <= max) return text;
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

// One run over a logged segment's entries. Entries are listed first (numbers only) and each is
// read and merged just before its attempt, so memory does not grow with the segment.
class Sender {
 public:
  Sender(Handler* h, const std::string& data_dir, const Request& base, const RecordNo& logged,
         const DeliveryOptions& options)
      : h_(h), data_dir_(data_dir), base_(base), logged_(logged), options_(options) {
    report_.logged = logged;
  }

  Result<DeliveryReport> Run() {
    std::vector<RecordNo> todo;
    CRM_RETURN_IF_ERROR(List(&todo));
    for (const RecordNo& entry : todo) {
      Composed w;
      {
        Store::Txn txn(h_->store());
        ReadModel rm(h_->store(), &txn);
        CRM_ASSIGN_OR_RETURN(auto row, rm.EntryRow(entry));
        if (!row || !ToDeliver(*row)) continue;  // canceled or deleted meanwhile
        CRM_ASSIGN_OR_RETURN(w, Compose(ComposeContext{&catalog_, &rm, token_, options_.include_opted_out}, *row));
      }
      if (w.problem.empty() && w.channel == fb::DeliveryChannel::Email && !unreachable_.empty()) {
        CRM_RETURN_IF_ERROR(FailLater(w));
      } else {
        CRM_RETURN_IF_ERROR(Deliver(&w));
      }
    }
    CRM_RETURN_IF_ERROR(FlushLater());
    return report_;
  }

 private:
  // The entries still to deliver, in entry order; reads the settings and the token.
  Status List(std::vector<RecordNo>* todo) {
    Store::Txn txn(h_->store());
    ReadModel rm(h_->store(), &txn);
    CRM_ASSIGN_OR_RETURN(auto ls, rm.LoggedSegment(logged_));
    if (!ls) return Status::NotFound("logged segment " + logged_.ToString() + " does not exist");
    if (!ls->value("send", false)) {
      return Status::FailedPrecondition("logged segment " + logged_.ToString() +
                                        " was logged without --send: it has nothing to deliver");
    }
    token_ = ls->value("delivery_token", "");
    CRM_ASSIGN_OR_RETURN(catalog_, rm.Catalog());
    outbox_ = OutboxDir(data_dir_, catalog_.mail);
    Status bad;
    CRM_RETURN_IF_ERROR(rm.ForEachInteraction({RecordNo(), RecordNo(), logged_}, [&](const json& entry) {
      if (!ToDeliver(entry)) {
        ++report_.done_before;
        return true;
      }
      auto no = RecordNo::Parse(entry.value("entry", ""), RecordKind::kInteraction);
      if (!no.ok()) {
        bad = no.status();
        return false;
      }
      todo->push_back(*no);
      return true;
    }));
    return bad;
  }

  // Attempt, send or write, outcome: each recorded before the next step.
  Status Deliver(Composed* w) {
    const std::string ie = w->entry.ToString();
    // Step ids name the attempt, so a rerun under the same command id records its own attempts.
    const std::string step = ie + "/" + std::to_string(w->attempts + 1);
    CRM_ASSIGN_OR_RETURN(json started, h_->StartDeliveries(Step(base_, step + "/start"), logged_, {AttemptOf(*w)}));
    delivery::Outcome outcome = OutcomeOf(*w);
    outcome.attempt = started.at("attempts").value(ie, 0);
    bool bounce = false;
    if (!w->problem.empty()) {
      outcome.reason = w->problem;
    } else if (w->channel == fb::DeliveryChannel::Letter) {
      Status s = w->letter_attachment
                     ? WriteFileAtomically(outbox_ + "/" + w->letter_attachment->file_name, w->letter_attachment->content)
                     : Status::Ok();
      if (s.ok()) s = WriteFileAtomically(outbox_ + "/" + w->letter_path, w->letter);
      outcome.delivered = s.ok();
      outcome.reason = s.ok() ? "" : s.message();
      outcome.document = w->letter_path;
    } else {
      if (smtp_ == nullptr) {
        CRM_ASSIGN_OR_RETURN(smtp_, SmtpClient::Open({catalog_.mail.smtp_url, kSmtpTimeout}));
      }
      w->mail.date = base_.now;
      const Status s = smtp_->Send(w->mail);
      outcome.delivered = s.ok();
      outcome.reason = s.ok() ? "" : s.message();
      if (s.code() == StatusCode::kUnavailable) unreachable_ = s.message();
      if (s.ok() && w->unknown) ++report_.resent_unknown;
      const long reply = smtp_->last_reply();
      bounce = !s.ok() && (reply == 550 || reply == 551 || reply == 553);
    }
    CRM_RETURN_IF_ERROR(h_->FinishDeliveries(Step(base_, step + "/finish"), logged_, {outcome}).status());
    if (bounce) {
      contact::RecordConsent c;
      c.no = w->contact;
      c.kind = fb::ConsentKind::Bounce;
      c.reason = Prefix(outcome.reason, 200);
      CRM_RETURN_IF_ERROR(h_->RecordConsent(Step(base_, step + "/bounce"), c).status());
      ++report_.bounced;
    }
    Count(outcome);
    return Status::Ok();
  }

  // After the server proved unreachable, emails fail without contacting it, recorded in batches.
  Status FailLater(const Composed& w) {
    if (late_attempts_.empty()) late_step_ = "unreachable/" + w.entry.ToString() + "/" + std::to_string(w.attempts + 1);
    late_attempts_.push_back(AttemptOf(w));
    delivery::Outcome outcome = OutcomeOf(w);
    outcome.reason = "not sent: " + unreachable_;
    late_outcomes_.push_back(outcome);
    return late_attempts_.size() >= kLateBatch ? FlushLater() : Status::Ok();
  }

  Status FlushLater() {
    if (late_attempts_.empty()) return Status::Ok();
    CRM_ASSIGN_OR_RETURN(json started, h_->StartDeliveries(Step(base_, late_step_ + "/start"), logged_, late_attempts_));
    for (delivery::Outcome& o : late_outcomes_) o.attempt = started.at("attempts").value(o.entry.ToString(), 0);
    CRM_RETURN_IF_ERROR(h_->FinishDeliveries(Step(base_, late_step_ + "/finish"), logged_, late_outcomes_).status());
    for (const delivery::Outcome& o : late_outcomes_) Count(o);
    late_attempts_.clear();
    late_outcomes_.clear();
    return Status::Ok();
  }

  static delivery::Attempt AttemptOf(const Composed& w) {
    return {w.entry, w.channel, w.channel == fb::DeliveryChannel::Email ? w.mail.message_id : ""};
  }
  static delivery::Outcome OutcomeOf(const Composed& w) {
    delivery::Outcome o;
    o.entry = w.entry;
    o.channel = w.channel;
    return o;
  }
  void Count(const delivery::Outcome& o) {
    if (o.delivered) {
      ++(o.channel == fb::DeliveryChannel::Email ? report_.emails : report_.letters);
    } else {
      ++report_.failed;
      report_.failures.push_back({o.entry.ToString(), o.reason});
    }
  }

  static constexpr size_t kLateBatch = 1000;
  Handler* h_;
  const std::string data_dir_;
  const Request base_;
  const RecordNo logged_;
  const DeliveryOptions options_;
  DeliveryReport report_;
  catalog::State catalog_;
  std::string token_, outbox_;
  std::unique_ptr<SmtpClient> smtp_;
  std::string unreachable_;  // set once the SMTP server proved unreachable
  std::vector<delivery::Attempt> late_attempts_;
  std::vector<delivery::Outcome> late_outcomes_;
  std::string late_step_;
};

}  // namespace

Result<DeliveryReport> DeliverLoggedSegment(Handler* h, const std::string& data_dir, const Request& base,
                                            const RecordNo& logged, const DeliveryOptions& options) {
  DeliveryLock lock;
  CRM_RETURN_IF_ERROR(lock.Take(data_dir));
  return Sender(h, data_dir, base, logged, options).Run();
}

}  // namespace crm::cli
