// Interaction read models (column family "interactions"), from the events of logging a segment:
//   'g' K(logged segment)            -> logged segment JSON (its segment, criteria, entries)
//   'i' K(interaction entry)         -> interaction log entry JSON
//   'c' K(contact) K(entry)          -> ""   (a contact's interactions)
//   'p' K(campaign) K(entry)         -> ""   (a campaign's interactions)
//   'e' K(campaign entry)            -> campaign entry JSON
//   'f' K(campaign) K(campaign entry) -> ""  (a campaign's entries)
// A logged segment's interactions are the entry range it names. Rows are compact JSON with
// sorted keys, so a rebuild compares byte for byte.
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

// Writes the rows of LoggedSegmentCreated, InteractionLogged and CampaignEntryLogged; marks
// rows canceled (LoggedSegmentCanceled cascades to the segment's entries, EntryCanceled marks
// one; `canceled` is true while either holds) and removes deleted ones (EntryDeleted); an
// entry's "delivery" follows its attempts and outcomes (DeliveryAttempted, DeliveryCompleted).
// A typed visit over the logging and delivery owners' events: a new event of either does not
// compile until it has its Apply here.
Status ApplyInteractionEvent(Store* store, Store::Txn* txn, const fb::Envelope& env);

// The delivery fields of an interaction entry's row (its "delivery" object): stage, attempts,
// channel, message id, reason, document. The entry's own fields are the caller's to fill.
Result<delivery::EntryState> DeliveryOfRow(const nlohmann::json& row);

}  // namespace crm
