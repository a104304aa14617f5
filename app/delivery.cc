#include "app/delivery.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <optional>
#include <vector>

#include "app/delivery_message.h"
#include "io/files.h"
#include "app/smtp.h"

namespace crm {

using nlohmann::json;

nlohmann::json DeliveryReport::ToJson() const {
  json f = json::array();
  for (const Failure& x : failures) f.push_back({{"entry", x.entry.ToString()}, {"reason", x.reason}, {"refused", x.refused}});
  return {{"logged_segment", logged.ToString()}, {"emails", emails}, {"letters", letters}, {"failed", failed},
          {"refused", refused}, {"unknown", unknown}, {"resent_unknown", resent_unknown}, {"bounced", bounced},
          {"done_before", done_before}, {"failures", f}};
}

namespace {

// A server's answer names the recipient's address ("550 <ann@example.com>: no such user"); the
// outcome is recorded without it, since delivery events are not sealed (events/sealing.h) and an
// erasure could not reach the address there.
std::string WithoutAddress(std::string text, const std::string& address) {
  if (address.empty()) return text;
  for (size_t at = 0; (at = Lower(text).find(Lower(address), at)) != std::string::npos;) {
    text.replace(at, address.size(), "(recipient)");
  }
  return text;
}

}  // namespace

Result<std::chrono::seconds> SmtpTimeout() {
  const char* text = std::getenv("CRM_SMTP_TIMEOUT");
  if (text == nullptr || *text == '\0') return std::chrono::seconds(30);
  char* end = nullptr;
  const long seconds = std::strtol(text, &end, 10);
  if (*end != '\0' || seconds < 1 || seconds > 600) {
    return Status::FailedPrecondition("CRM_SMTP_TIMEOUT must be a number of seconds from 1 to 600, not '" +
                                      std::string(text) + "'");
  }
  return std::chrono::seconds(seconds);
}

namespace {

class DeliveryLock {
 public:
  ~DeliveryLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  Status Take(const std::string& data_dir, const RecordNo& logged) {
    const std::string path = data_dir + "/delivery.lock";
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) return Status::Unavailable("cannot open " + path + ": " + std::strerror(errno));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      return Status::Aborted("another delivery is running on " + data_dir + "; when it has finished: crmctl delivery retry " +
                             logged.ToString());
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
bool ToDeliver(const InteractionRow& entry) {
  const delivery::Stage stage = entry.delivery.stage;
  return !entry.cancel.canceled() &&
         (stage == delivery::Stage::kPending || stage == delivery::Stage::kInProgress || stage == delivery::Stage::kFailed);
}

// One run over a logged segment's entries. Entries are listed first (numbers only) and each is
// read and merged just before its attempt, so memory does not grow with the segment.
class Sender {
 public:
  Sender(Handler* h, const std::string& data_dir, const Request& base, const RecordNo& logged,
         const DeliveryOptions& options, std::chrono::seconds timeout)
      : h_(h), data_dir_(data_dir), base_(base), logged_(logged), options_(options), timeout_(timeout) {
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
        CRM_ASSIGN_OR_RETURN(auto row, rm.Interaction(entry));
        if (!row || !ToDeliver(*row)) continue;  // canceled or deleted meanwhile
        CRM_ASSIGN_OR_RETURN(w, Compose(ComposeContext{&catalog_, &rm, token_, options_.include_opted_out, word_as_attachment_},
                                        InteractionJson(*row)));
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
    if (!ls->send) {
      return Status::FailedPrecondition("logged segment " + logged_.ToString() +
                                        " was logged without --send: it has nothing to deliver");
    }
    token_ = ls->delivery_token;
    // A logged segment's segment is read-only: its switch is as it was when logged.
    CRM_ASSIGN_OR_RETURN(auto segment, rm.Segment(ls->segment));
    word_as_attachment_ = segment && segment->word_as_attachment;
    CRM_ASSIGN_OR_RETURN(catalog_, rm.Catalog());
    outbox_ = OutboxDir(data_dir_, catalog_.mail);
    CRM_RETURN_IF_ERROR(rm.ForEachInteraction({RecordNo(), RecordNo(), logged_}, [&](const InteractionRow& entry) {
      if (ToDeliver(entry)) {
        todo->push_back(entry.entry);
      } else {
        ++report_.done_before;
      }
      return true;
    }));
    return Status::Ok();
  }

  // Attempt, send or write, outcome: each recorded before the next step. An entry that fails
  // by a rule (opted out, a template that does not merge) again for the same reason records
  // nothing new.
  Status Deliver(Composed* w) {
    const std::string ie = w->entry.ToString();
    if (!w->problem.empty() && w->failed_before && w->last_reason == w->problem) {
      CountRefused(w->entry, w->problem);
      return Status::Ok();
    }
    if (w->problem.empty() && w->channel == fb::DeliveryChannel::Email && smtp_ == nullptr) {
      CRM_ASSIGN_OR_RETURN(smtp_, SmtpClient::Open({catalog_.mail.smtp_url, timeout_}));
    }
    // Step ids name the attempt, so a rerun under the same command id records its own attempts.
    const std::string step = ie + "/" + std::to_string(w->attempts + 1);
    CRM_ASSIGN_OR_RETURN(json started, h_->StartDeliveries(Step(base_, step + "/start"), logged_, {AttemptOf(*w)}));
    delivery::Outcome outcome = OutcomeOf(*w);
    outcome.attempt = started.at("attempts").value(ie, 0);
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
      w->mail.date = base_.now;
      const Status s = smtp_->Send(w->mail);
      outcome.delivered = s.ok();
      outcome.reason = s.ok() ? "" : WithoutAddress(s.message(), w->mail.to);
      if (s.ok() && w->unknown) ++report_.resent_unknown;
      switch (smtp_->failure()) {
        case SmtpClient::Failure::kNone:
        case SmtpClient::Failure::kRefused: break;
        case SmtpClient::Failure::kMailboxRefused: outcome.mailbox_refused = true; break;
        case SmtpClient::Failure::kUnreachable: unreachable_ = s.message(); break;
        case SmtpClient::Failure::kUnknown:
          // The server may have the message: the attempt stays open (its outcome unknown), and a
          // retry sends it again under the same Message-ID. The connection is gone.
          unreachable_ = s.message();
          ++report_.unknown;
          report_.failures.push_back({w->entry, s.message(), false});
          return Status::Ok();
      }
    }
    CRM_ASSIGN_OR_RETURN(json finished, h_->FinishDeliveries(Step(base_, step + "/finish"), logged_, {outcome}));
    report_.bounced += finished.value("bounced", 0);
    if (!w->problem.empty()) {
      CountRefused(w->entry, w->problem);
    } else {
      Count(outcome);
    }
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
  void CountRefused(const RecordNo& entry, const std::string& reason) {
    ++report_.refused;
    report_.failures.push_back({entry, reason, true});
  }
  void Count(const delivery::Outcome& o) {
    if (o.delivered) {
      ++(o.channel == fb::DeliveryChannel::Email ? report_.emails : report_.letters);
    } else {
      ++report_.failed;
      report_.failures.push_back({o.entry, o.reason, false});
    }
  }

  static constexpr size_t kLateBatch = 1000;
  Handler* h_;
  const std::string data_dir_;
  const Request base_;
  const RecordNo logged_;
  const DeliveryOptions options_;
  const std::chrono::seconds timeout_;
  DeliveryReport report_;
  catalog::State catalog_;
  std::string token_, outbox_;
  bool word_as_attachment_ = false;
  std::unique_ptr<SmtpClient> smtp_;
  std::string unreachable_;  // set once the SMTP server proved unreachable
  std::vector<delivery::Attempt> late_attempts_;
  std::vector<delivery::Outcome> late_outcomes_;
  std::string late_step_;
};

}  // namespace

Result<size_t> RemoveLetters(Handler* h, const std::string& data_dir, const RecordNo& contact) {
  Store::Txn txn(h->store());
  CRM_ASSIGN_OR_RETURN(catalog::State catalog, ReadModel(h->store(), &txn).Catalog());
  const std::filesystem::path outbox = OutboxDir(data_dir, catalog.mail);
  std::error_code ec;
  if (!std::filesystem::is_directory(outbox, ec)) return size_t{0};
  // Letters are named IExxxx-CTxxxx.html|.txt, attachments IExxxx-CTxxxx-FILE (delivery_message).
  const std::string mark = "-" + contact.ToString();
  size_t removed = 0;
  for (auto it = std::filesystem::recursive_directory_iterator(outbox, ec); !ec && it != std::filesystem::end(it);
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const size_t at = name.find(mark);
    if (!it->is_regular_file() || !name.starts_with("IE") || at == std::string::npos) continue;
    const char next = at + mark.size() < name.size() ? name[at + mark.size()] : '\0';
    if (next != '.' && next != '-') continue;  // CT0001, not CT00012
    if (std::filesystem::remove(it->path(), ec)) ++removed;
  }
  if (ec) {
    return Status::Unavailable("cannot clear the letters of " + contact.ToString() + " from " + outbox.string() +
                               ": " + ec.message());
  }
  return removed;
}

Result<DeliveryReport> DeliverLoggedSegment(Handler* h, const std::string& data_dir, const Request& base,
                                            const RecordNo& logged, const DeliveryOptions& options) {
  CRM_ASSIGN_OR_RETURN(std::chrono::seconds timeout, SmtpTimeout());
  DeliveryLock lock;
  CRM_RETURN_IF_ERROR(lock.Take(data_dir, logged));
  return Sender(h, data_dir, base, logged, options, timeout).Run();
}

}  // namespace crm
