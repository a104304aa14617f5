// Interaction read models (column family "interactions"), from the events of logging a segment:
//   'g' K(logged segment)            -> logged segment row
//   'i' K(interaction entry)         -> interaction row
//   'c' K(contact) K(entry)          -> ""   (a contact's interactions)
//   'p' K(campaign) K(entry)         -> ""   (a campaign's interactions)
//   'e' K(campaign entry)            -> campaign entry row
//   'f' K(campaign) K(campaign entry) -> ""  (a campaign's entries)
// A logged segment's interactions are the entry range it names. The rows are the read model's
// own, binary and versioned (projections/row_codec.h; `no` a record number, 0 for none; a
// canceled flag u8: 0 never set, 1 false, 2 true):
//   interaction := version u8 (1), contact no, campaign no, logged_segment no, company str,
//          interaction_template str, description str, subject str, language str,
//          attachment_name str, attachment_sha256 str, salesperson str, evaluation str, at i64,
//          cost i64, duration i64, correspondence u8, information_flow u8, initiated_by u8,
//          campaign_target bool, campaign_response bool, delivery stage u8, attempts i64,
//          channel u8, message_id str, reason str, document str, canceled_self u8,
//          canceled_with_segment u8
//   logged segment := version u8 (1), segment no, campaign no, first_entry no, last_entry no,
//          campaign_entry no, description str, interaction_template str, date str, logged_by str,
//          delivery_token str, lines i64, logged_at i64, send bool, canceled bool, steps count,
//          each step: kind u8, criteria str, options str, filter strs
//   campaign entry := version u8 (1), campaign no, logged_segment no, description str, date str,
//          interaction_template str, cost i64, duration i64, interactions i64, canceled_self u8,
//          canceled_with_segment u8
#pragma once

#include <nlohmann/json.hpp>

#include "aggregates/delivery.h"
#include "events/codec.h"
#include "events/store.h"
#include "projections/projector.h"

namespace crm {

namespace keys {
std::string LoggedSegment(const RecordNo& logged);
std::string Interaction(const RecordNo& entry);
std::string ContactInteraction(const RecordNo& contact, const RecordNo& entry);
std::string CampaignInteraction(const RecordNo& campaign, const RecordNo& entry);
std::string CampaignEntry(const RecordNo& entry);
std::string CampaignEntryOf(const RecordNo& campaign, const RecordNo& entry);
}  // namespace keys

// An entry's cancellation (interaction and campaign entries): by itself (`self`) or with its
// logged segment; each nullopt while never canceled or restored (the JSON leaves its key out).
// The entry is canceled while either holds.
struct Cancellation {
  std::optional<bool> self, with_segment;
  bool canceled() const { return self.value_or(false) || with_segment.value_or(false); }
  void Set(bool by_itself, bool canceled) { (by_itself ? self : with_segment) = canceled; }
};

// One interaction log entry: what InteractionLogged says, its delivery, and whether it is
// canceled by itself or with its logged segment.
struct InteractionRow {
  RecordNo entry, contact, campaign, logged_segment;
  std::string company, interaction_template, description, subject, language, attachment_name, attachment_sha256,
      salesperson, evaluation;
  Timestamp at;
  fb::Correspondence correspondence = fb::Correspondence::Email;
  fb::InformationFlow information_flow = fb::InformationFlow::Outbound;
  fb::InitiatedBy initiated_by = fb::InitiatedBy::Us;
  Money cost{0};
  int64_t duration = 0;  // minutes
  bool campaign_target = false, campaign_response = false;
  delivery::EntryState delivery;  // stage, attempts, channel, message id, reason, document
  Cancellation cancel;
};

// A logged segment: what LoggedSegmentCreated says, its campaign entry, whether canceled.
struct LoggedSegmentRow {
  struct Step {
    fb::SegmentStepKind kind = fb::SegmentStepKind::AddContacts;
    std::string criteria, options;
    std::vector<std::string> filter;
  };
  RecordNo no, segment, campaign, first_entry, last_entry, campaign_entry;
  std::string description, interaction_template, date, logged_by, delivery_token;
  std::vector<Step> steps;  // the segment's criteria and steps in effect when logged
  uint64_t lines = 0;
  Timestamp logged_at;
  bool send = false, canceled = false;
};

// A campaign's entry for one logging.
struct CampaignEntryRow {
  RecordNo entry, campaign, logged_segment;
  std::string description, date, interaction_template;
  Money cost{0};
  int64_t duration = 0;  // minutes
  uint64_t interactions = 0;
  Cancellation cancel;
};

std::string EncodeInteraction(const InteractionRow& row);
// Corruption when the row is not one EncodeInteraction wrote; `entry` is the caller's (the key's).
Result<InteractionRow> DecodeInteraction(const RecordNo& entry, std::string_view bytes);

// The entry as `interactions --json` prints it (made from the row, not stored; the handlers that
// answer with entries need it too, as opportunities' OpportunityJson).
nlohmann::json InteractionJson(const InteractionRow& row);

std::string EncodeLoggedSegment(const LoggedSegmentRow& row);
Result<LoggedSegmentRow> DecodeLoggedSegment(const RecordNo& no, std::string_view bytes);
// What `logged-segment show --json` prints.
nlohmann::json LoggedSegmentJson(const LoggedSegmentRow& row);

std::string EncodeCampaignEntry(const CampaignEntryRow& row);
Result<CampaignEntryRow> DecodeCampaignEntry(const RecordNo& entry, std::string_view bytes);
// What `campaign-entry list --json` prints.
nlohmann::json CampaignEntryJson(const CampaignEntryRow& row);

// Writes the rows of LoggedSegmentCreated, InteractionLogged and CampaignEntryLogged; marks
// rows canceled (LoggedSegmentCanceled cascades to the segment's entries, EntryCanceled marks
// one; `canceled` is true while either holds) and removes deleted ones (EntryDeleted); an
// entry's "delivery" follows its attempts and outcomes (DeliveryAttempted, DeliveryCompleted).
// A typed visit over the logging and delivery owners' events: a new event of either does not
// compile until it has its Apply here.
Status ApplyInteractionEvent(Store* store, Store::Txn* txn, const fb::Envelope& env);


}  // namespace crm
