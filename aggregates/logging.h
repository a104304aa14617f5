// Logging a segment (SPEC §4.6, BC's LogSegment): the segment becomes a logged segment LSxxxx
// that keeps its criteria and steps, one interaction log entry per line, and one campaign entry
// when the segment has a campaign. Pure: the handler adds the roster changes (membership
// decisions) and the follow-up segment (segment decisions) to the same atomic command.
//
// Rules: the segment exists and is not logged yet; it has a description, at least one line and
// an interaction template that exists. Each entry takes its line's own values (description,
// subject, correspondence, language, campaign target, evaluation), the header's (campaign,
// campaign response, salesperson, information flow, initiated by) and the template's unit cost
// and duration; its attachment is the segment's own, else the template's for the line's
// language. Entries are dated on the segment's date at the command's time of day. Sending
// (--send) needs an outbound template and, when a line is correspondence email, the mail
// settings (`mail set`).
#pragma once

#include <map>
#include <optional>
#include <string>

#include "aggregates/catalog.h"
#include "aggregates/common.h"
#include "aggregates/reference.h"
#include "aggregates/segment.h"

namespace crm::logging {

struct Context {
  const reference::State* reference = nullptr;
  const catalog::State* catalog = nullptr;
  segment::Header header;
  std::map<RecordNo, segment::Line> lines;
  std::map<RecordNo, RecordNo> companies;  // line contact -> its company, when it has one
};

struct LogSegment {
  CommandContext ctx;
  RecordNo segment;
  RecordNo logged;          // the number the logged segment gets
  uint64_t first_entry = 0; // counter of its first interaction entry (IE)
  RecordNo campaign_entry;  // the campaign entry's number, used when the segment has a campaign
  RecordNo follow_up;       // the follow-up segment's number, when one is made
  bool send = false;        // --send: its entries are to be delivered (delivery.h)
  std::string delivery_token;  // with send: unique per logging, part of every Message-ID
};

// The events this aggregate owns (events/owner.h: Owner::kLogging). Its decisions read entries
// from the interaction log (projections/interaction_rows.h), which folds them.
using OwnEvents = EventList<fb::LoggedSegmentCreated, fb::InteractionLogged, fb::CampaignEntryLogged,
                            fb::LoggedSegmentCanceled, fb::EntryCanceled, fb::EntryDeleted>;

Result<Events> DecideLog(const Context& cx, const LogSegment& c);

// One interaction logged by hand (`interaction log`), on its own stream "interaction/IExxxx".
// Defaults come from the template; the contact is an existing contact and the campaign, when
// given, exists.
struct ManualContext {
  const catalog::State* catalog = nullptr;
  bool contact_exists = false;
  bool campaign_exists = false;  // when the command names one
};
struct ManualInteraction {
  CommandContext ctx;
  RecordNo entry;
  RecordNo contact;
  RecordNo company;  // the contact's company, if any
  std::string interaction_template;
  std::optional<std::string> description, subject, language, evaluation, date;
  std::optional<fb::Correspondence> correspondence;
  std::optional<Money> cost;
  std::optional<int32_t> duration;
  RecordNo campaign;  // invalid: none
  bool campaign_target = false, campaign_response = false;
};
Result<Events> DecideManual(const ManualContext& cx, const ManualInteraction& c);

// Cancel and delete (BC). A logged segment, interaction entry (IE) or campaign entry (CE) as the
// read models hold it; `exists` false when it never existed or was deleted.
struct Entry {
  bool exists = false;
  RecordNo no;
  RecordNo logged_segment;  // the entry's logged segment (itself for a logged segment); none for manual ones
  bool canceled = false;    // canceled on its own (entries) or as a whole (logged segments)
};
struct Cancel {
  CommandContext ctx;
  bool undo = false;
};
// Canceling a logged segment cascades to its entries; canceling what is canceled, or undoing
// what is not, changes nothing. Deleting needs a canceled entry.
Result<Events> DecideCancel(const Entry& e, const Cancel& c);
Result<Events> DecideDelete(const Entry& e, const CommandContext& ctx);
// The stream of an entry's events: its logged segment's, or its own (manual interactions).
StreamId EntryStream(const Entry& e);

StreamId LoggedStream(const RecordNo& logged);

}  // namespace crm::logging
