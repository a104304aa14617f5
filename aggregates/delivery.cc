#include "aggregates/delivery.h"

namespace crm::delivery {

std::string StageName(Stage stage) {
  switch (stage) {
    case Stage::kNone: return "none";
    case Stage::kPending:
    case Stage::kInProgress: return "in progress";
    case Stage::kDelivered: return "delivered";
    case Stage::kFailed: return "failed";
  }
  return "none";
}

std::string StageKey(Stage stage) {
  switch (stage) {
    case Stage::kNone: return "none";
    case Stage::kPending: return "pending";
    case Stage::kInProgress: return "in progress";
    case Stage::kDelivered: return "delivered";
    case Stage::kFailed: return "failed";
  }
  return "none";
}

Result<Stage> ParseStage(std::string_view key) {
  for (Stage s : {Stage::kNone, Stage::kPending, Stage::kInProgress, Stage::kDelivered, Stage::kFailed}) {
    if (StageKey(s) == key) return s;
  }
  return Status::Corruption("unknown delivery stage '" + std::string(key) + "'");
}

EntryState Evolve(EntryState s, const fb::Envelope& env) {
  Visit(FoldedEvents{}, env,
        Overloaded{[&](const fb::InteractionLogged* e) {
                     s.stage = e->delivery_requested() ? Stage::kPending : Stage::kNone;
                   },
                   [&](const fb::DeliveryAttempted* e) {
                     s.stage = Stage::kInProgress;
                     s.attempts = e->attempt();
                     s.channel = e->channel();
                     if (s.message_id.empty()) s.message_id = Str(e->message_id());
                     s.reason.clear();
                     s.document.clear();
                   },
                   [&](const fb::DeliveryCompleted* e) {
                     s.stage = e->delivered() ? Stage::kDelivered : Stage::kFailed;
                     s.attempts = e->attempt();
                     s.channel = e->channel();
                     s.reason = Str(e->reason());
                     s.document = Str(e->document());
                   }});
  return s;
}

Route RouteFor(fb::Correspondence correspondence, const Recipient& r, bool include_opted_out) {
  Route route;
  const bool mailable = !r.email.empty() && !r.bounced;
  route.channel = correspondence == fb::Correspondence::Email && mailable ? fb::DeliveryChannel::Email
                                                                         : fb::DeliveryChannel::Letter;
  // Refusals are recorded with the outcome, which is not sealed: they name no personal data
  // (not the opt-out's reason).
  if (!r.exists) {
    route.refusal = "contact " + r.contact.ToString() + " no longer exists";
  } else if (r.erased) {
    route.refusal = "contact " + r.contact.ToString() + " was erased";
  } else if (r.opted_out && !include_opted_out) {
    route.refusal = "contact " + r.contact.ToString() + " opted out; --include-opted-out sends anyway";
  }
  return route;
}

std::string ChannelName(fb::DeliveryChannel channel) {
  switch (channel) {
    case fb::DeliveryChannel::Email: return "email";
    case fb::DeliveryChannel::Letter: return "letter";
  }
  return "email";
}

Result<fb::DeliveryChannel> ParseChannel(std::string_view text) {
  const std::string t = Lower(Trim(text));
  if (t == "email") return fb::DeliveryChannel::Email;
  if (t == "letter") return fb::DeliveryChannel::Letter;
  return Status::InvalidArgument("delivery channel must be email or letter, not '" + std::string(text) + "'");
}

namespace {

Status CheckEntry(const EntryState& e, const RecordNo& asked) {
  if (!e.exists) return Status::NotFound("interaction entry " + asked.ToString() + " does not exist");
  if (!e.logged_segment.valid()) {
    return Status::FailedPrecondition("interaction entry " + asked.ToString() + " was logged by hand: it has nothing to deliver");
  }
  return Status::Ok();
}

}  // namespace

Result<Events> DecideAttempt(const EntryState& e, const Attempt& a) {
  CRM_RETURN_IF_ERROR(CheckEntry(e, a.entry));
  const std::string ie = a.entry.ToString();
  if (e.canceled) return Status::FailedPrecondition("interaction entry " + ie + " is canceled: it is not delivered");
  switch (e.stage) {
    case Stage::kNone:
      return Status::FailedPrecondition("interaction entry " + ie + " was not logged for sending (segment log --send)");
    case Stage::kDelivered: return Status::FailedPrecondition("interaction entry " + ie + " is delivered already");
    case Stage::kPending:
    case Stage::kInProgress:
    case Stage::kFailed: break;
  }
  if (a.channel == fb::DeliveryChannel::Email && a.message_id.empty()) {
    return Status::FailedPrecondition("an email delivery needs its message id");
  }
  fb::DeliveryAttemptedT ev;
  ev.entry = ie;
  ev.logged_segment = e.logged_segment.ToString();
  ev.attempt = e.attempts + 1;
  ev.channel = a.channel;
  ev.message_id = a.message_id;
  return Events{MakeEvent(e.logged_segment.Stream(), std::move(ev))};
}

Result<Events> DecideOutcome(const EntryState& e, const Outcome& o) {
  CRM_RETURN_IF_ERROR(CheckEntry(e, o.entry));
  const std::string ie = o.entry.ToString();
  if (e.stage != Stage::kInProgress || o.attempt != e.attempts) {
    return Status::FailedPrecondition("interaction entry " + ie + " has no open delivery attempt " + std::to_string(o.attempt));
  }
  if (!o.delivered && Trim(o.reason).empty()) return Status::FailedPrecondition("a failed delivery needs its reason");
  fb::DeliveryCompletedT ev;
  ev.entry = ie;
  ev.logged_segment = e.logged_segment.ToString();
  ev.attempt = o.attempt;
  ev.channel = o.channel;
  ev.delivered = o.delivered;
  ev.reason = o.delivered ? "" : o.reason;
  ev.document = o.document;
  ev.mailbox_refused = !o.delivered && o.mailbox_refused;
  return Events{MakeEvent(e.logged_segment.Stream(), std::move(ev))};
}

}  // namespace crm::delivery
