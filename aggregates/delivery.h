// Delivery of logged interactions (SPEC 4.6, `segment log --send`, `delivery retry`): each
// outbound entry of a logged segment sent with --send is delivered once, by email over SMTP or
// as a letter in the outbox. Pure: the sender (app/delivery) does the I/O and asks these rules
// before and after each attempt.
//
// An attempt is recorded before it starts (DeliveryAttempted) and its outcome after
// (DeliveryCompleted). An entry's stage follows:
//   pending      logged for sending, no attempt yet
//   in progress  an attempt without an outcome: the sender stopped mid-way, so whether the
//                server took the message is unknown; a retry sends it again under the same
//                Message-ID (RFC 1047: the receiver can tell the copies apart)
//   delivered    the SMTP server accepted the message, or the letter was written: final
//   failed       the attempt failed with a reason; a retry tries again
// Rules: only entries logged for sending, not canceled, not delivered, get an attempt; an
// outcome answers the entry's open attempt (the same number). A refused mailbox is a bounce of
// the contact's address (contact::DecideConsent), recorded with the outcome.
#pragma once

#include <string>
#include <string_view>

#include "aggregates/common.h"

namespace crm::delivery {

enum class Stage { kNone, kPending, kInProgress, kDelivered, kFailed };

// "none", "in progress" (pending or an open attempt), "delivered", "failed": the SPEC's
// delivery statuses.
std::string StageName(Stage stage);

// "none", "pending", "in progress", "delivered", "failed": the stage's own name (StageName
// folds pending into "in progress"); ParseStage reads it back.
std::string StageKey(Stage stage);
Result<Stage> ParseStage(std::string_view key);

// An interaction entry's delivery as the read models hold it.
struct EntryState {
  bool exists = false;
  RecordNo entry;
  RecordNo logged_segment;
  bool canceled = false;
  Stage stage = Stage::kNone;
  int32_t attempts = 0;  // the number of the last attempt (0: none)
  fb::DeliveryChannel channel = fb::DeliveryChannel::Email;  // of the last attempt
  std::string message_id;  // email: the first attempt's, kept by later ones
  std::string reason;      // failed: why
  std::string document;    // letter: the file written
};

// The events this aggregate owns (events/owner.h: Owner::kDelivery), and those Evolve folds: an
// entry logged with delivery requested starts out pending.
using OwnEvents = EventList<fb::DeliveryAttempted, fb::DeliveryCompleted>;
using FoldedEvents = JoinedEvents<EventList<fb::InteractionLogged>, OwnEvents>;

// The delivery after `env`: InteractionLogged (pending when logged for sending, else none),
// DeliveryAttempted (in progress), DeliveryCompleted (delivered or failed); other events leave it.
EntryState Evolve(EntryState state, const fb::Envelope& env);

struct Attempt {
  RecordNo entry;
  fb::DeliveryChannel channel = fb::DeliveryChannel::Email;
  std::string message_id;  // email: the Message-ID, the same for every attempt of the entry
};
Result<Events> DecideAttempt(const EntryState& e, const Attempt& a);

struct Outcome {
  RecordNo entry;
  int32_t attempt = 0;
  fb::DeliveryChannel channel = fb::DeliveryChannel::Email;
  bool delivered = false;
  std::string reason;    // failed: why
  std::string document;  // letter: the file written, relative to the outbox
  bool mailbox_refused = false;  // failed: the SMTP server refused the recipient's mailbox
};
Result<Events> DecideOutcome(const EntryState& e, const Outcome& o);

// Where an entry's delivery goes (SPEC 4.6): by email when the entry is email correspondence and
// the contact has an address that has not bounced, else as a letter; refused, with the reason,
// when the contact is gone or opted out and opted-out contacts were not included explicitly.
struct Recipient {
  RecordNo contact;
  bool exists = false;
  std::string email;
  bool bounced = false;
  bool opted_out = false;
  bool erased = false;  // its personal data was erased: nothing to deliver to
};
struct Route {
  fb::DeliveryChannel channel = fb::DeliveryChannel::Email;
  std::string refusal;  // set: not delivered, for this reason
};
Route RouteFor(fb::Correspondence correspondence, const Recipient& r, bool include_opted_out);

// "email" | "letter".
std::string ChannelName(fb::DeliveryChannel channel);
Result<fb::DeliveryChannel> ParseChannel(std::string_view text);

}  // namespace crm::delivery
