// What one interaction entry's delivery carries (SPEC 4.6): its channel (email when the entry
// is email correspondence and the contact has an address that has not bounced, else a letter),
// its document merged with the contact's fields (app/mail_merge), and the message or the letter
// built from it. Reads the read models, writes nothing: app/delivery sends and records.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "aggregates/catalog.h"
#include "aggregates/delivery.h"
#include "app/smtp.h"
#include "projections/queries.h"

namespace crm {

struct Composed {
  RecordNo entry;
  RecordNo contact;
  int32_t attempts = 0;  // attempts made before this run
  bool unknown = false;  // an earlier attempt has no outcome
  bool failed_before = false;  // the last attempt failed, with last_reason
  std::string last_reason;
  fb::DeliveryChannel channel = fb::DeliveryChannel::Email;
  std::string problem;   // set: the delivery fails for this reason (opted out, a broken template, ...)
  MailMessage mail;      // email
  std::string letter_path, letter;                     // letter: relative path and content
  std::optional<MailAttachment> letter_attachment;     // letter: a binary attachment copied beside it
};

struct ComposeContext {
  const catalog::State* catalog = nullptr;
  ReadModel* rm = nullptr;
  std::string token;  // the logged segment's delivery token (part of each Message-ID)
  bool include_opted_out = false;
  bool word_as_attachment = false;  // the segment's switch: a Word attachment goes as one (merged)
};

// `entry` is the interaction entry's row. A reason not to deliver (an opted-out or vanished
// contact, a template that does not merge) is Composed::problem, not an error.
Result<Composed> Compose(const ComposeContext& cx, const nlohmann::json& entry);

}  // namespace crm
