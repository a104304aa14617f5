// Delivering a logged segment's interactions (SPEC 4.6: `segment log --send`, `delivery retry`).
// Each entry still to deliver (pending, failed, or with an attempt whose outcome is unknown) is
// taken in entry order: its contact's channel is chosen (email when the entry is email
// correspondence and the contact has an address that has not bounced, else a letter), its
// document merged
// (app/mail_merge), the attempt recorded, the message handed to the SMTP server or the letter
// written to the outbox, and the outcome recorded (aggregates/delivery.h). Because the attempt is
// durable before the message leaves and the outcome right after, a kill at any point loses no
// message and repeats at most the one whose outcome it could not record.
//
// One sender per data directory at a time (an flock on delivery.lock); after the SMTP server
// proves unreachable, the remaining emails are recorded failed with that reason without
// contacting it again, and letters are still written. A server refusing the mailbox itself
// (550, 551, 553) records a bounce on the contact, so its next messages become letters.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/handler.h"

namespace crm {

struct DeliveryReport {
  RecordNo logged;
  uint64_t emails = 0;          // messages the SMTP server accepted
  uint64_t letters = 0;         // letters written
  uint64_t failed = 0;          // the SMTP server or the outbox failed
  uint64_t refused = 0;         // a rule said no: opted out, the template does not merge, ...
  uint64_t unknown = 0;         // the connection broke after the message was handed over
  uint64_t resent_unknown = 0;  // emails sent again because an earlier attempt has no outcome
  uint64_t bounced = 0;         // contacts whose address the server refused, recorded as bounces
  uint64_t done_before = 0;     // entries delivered already, canceled, or not to be sent
  struct Failure {
    RecordNo entry;
    std::string reason;
    bool refused = false;  // by a rule, not by the server or the outbox
  };
  std::vector<Failure> failures;
  nlohmann::json ToJson() const;
};

struct DeliveryOptions {
  // Opted-out contacts' entries fail ("opted out") unless this is set: consent is checked when
  // sending, so an opt-out after the logging still counts.
  bool include_opted_out = false;
};

// CRM_SMTP_TIMEOUT: seconds to wait for the SMTP server (connecting, and each message), 1-600;
// 30 by default. Checked before a logging with --send writes anything.
Result<std::chrono::seconds> SmtpTimeout();

// `base` gives the actor, the clock and the command id each recorded step derives its own from.
Result<DeliveryReport> DeliverLoggedSegment(Handler* h, const std::string& data_dir, const Request& base,
                                            const RecordNo& logged, const DeliveryOptions& options);

// Erasure: deletes the letters to `contact` still in the outbox (LSxxxx/IExxxx-CTxxxx.*, with
// their attachments): they carry the person's name and address. Returns how many.
Result<size_t> RemoveLetters(Handler* h, const std::string& data_dir, const RecordNo& contact);

}  // namespace crm
