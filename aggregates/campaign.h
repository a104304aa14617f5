// Campaign aggregate (stream "campaign/CP0001"): the campaign's details (SPEC §4.3).
//
// Rules: name required, <= 80 characters; description <= 250, over several lines as a lead's may be;
// type one of kCampaignTypes; status a defined campaign
// status code; start <= end; costs and revenue not negative; expected response 0..100 %; parent
// an existing campaign, hierarchy at most kMaxLevels deep and without cycles; custom values as
// aggregates/custom_fields.h says; an imported campaign's source, source id and time as a
// contact's (aggregates/common.h CheckSource), its created time as the source says. Attachments (SPEC
// §4.7, BC's campaign attachments): named files of 1 byte to 1 MiB (catalog::CheckAttachment),
// one per name, attaching a name again replaces it, the same bytes again is a no-op; detaching a
// name the campaign lacks is NotFound. Members of the campaign live on the same stream but are
// decided in aggregates/membership.h.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "aggregates/common.h"
#include "aggregates/custom_fields.h"
#include "aggregates/reference.h"

namespace crm::campaign {

inline constexpr size_t kMaxLevels = 5;
inline const char* const kCampaignTypes[] = {
    "Conference",  "Webinar",   "Trade Show", "Public Relations", "Partners", "Referral Program",
    "Advertisement", "Banner Ads", "Direct Mail", "Email",          "Telemarketing", "Other"};

struct Attachment {
  std::string file_name;
  std::string sha256;  // hex of the content (kept in the projections by hash)
  uint64_t size = 0;
  bool operator==(const Attachment&) const = default;
};

// A price or line discount of the campaign (campaign_prices.h).
struct PriceLine {
  std::string item, unit;  // unit "" = any unit
  int64_t min_qty = 0;
  bool discount = false;  // a line discount (value: Percent) or a unit price (value: Money)
  int64_t value = 0;
  bool operator==(const PriceLine&) const = default;
};

struct State {
  bool exists = false;
  RecordNo no;
  std::string name, description, type, status, owner, salesperson, parent, currency, cloned_from;
  std::optional<Date> start, end;
  Money budgeted_cost{0}, actual_cost{0}, expected_revenue{0};
  Percent expected_response{0};
  int64_t number_sent = 0;
  Timestamp created_at, modified_at;
  Actor created_by;
  std::vector<Attachment> attachments;  // by file name
  std::vector<PriceLine> prices;        // by item, unit, minimum quantity
  bool active = false;                  // activated: its prices apply to its target group
  uint64_t targets = 0;                 // the target group's size at activation
  bool deleted = false;                 // out of lists and filters (CampaignDeleted)
  custom::Values custom;                // custom field values (aggregates/custom_fields.h)
  std::string source, source_id, source_modified_at;  // imported: from where, its id and time there
};

// The events this aggregate owns and folds (events/owner.h: Owner::kCampaign).
using OwnEvents = EventList<fb::CampaignCreated, fb::CampaignChanged, fb::CampaignAttachmentAdded,
                            fb::CampaignAttachmentRemoved, fb::CampaignPriceSet, fb::CampaignPriceRemoved,
                            fb::CampaignActivated, fb::CampaignDeactivated, fb::CampaignDeleted>;

State Evolve(State state, const fb::Envelope& env);

struct Fields {
  std::string name, description, type, status, owner, salesperson, parent;
  std::optional<Date> start, end;
  Money budgeted_cost{0}, actual_cost{0}, expected_revenue{0};
  Percent expected_response{0};
  int64_t number_sent = 0;
  custom::Values custom;  // by field name as given; checked against the campaign fields defined
  std::string source, source_id, source_modified_at;  // as on a contact (aggregates/common.h CheckSource)
};

struct CreateCampaign {
  CommandContext ctx;
  RecordNo no;  // allocated by the handler
  Fields f;
  std::string cloned_from;
  Timestamp created_at;  // when the source created it (an import); 0: when the event is recorded
};

// nullopt = unchanged; "" (or a nullopt date inside) = clear.
struct ChangeCampaign {
  CommandContext ctx;
  RecordNo no;
  std::optional<std::string> name, description, type, status, owner, salesperson, parent;
  std::optional<std::optional<Date>> start, end;
  std::optional<Money> budgeted_cost, actual_cost, expected_revenue;
  std::optional<Percent> expected_response;
  std::optional<int64_t> number_sent;
  custom::Values custom;  // the custom values to set ("" clears), by field name as given
  std::optional<std::string> source, source_id, source_modified_at;
};

struct Context {
  const reference::State* reference = nullptr;
  // The defined salesperson codes, and the data set's users (an owner must be one of them once
  // any user exists, as every actor must).
  std::set<std::string> salespeople;
  std::set<std::string> users;
  // The (new) parent and its ancestors, nearest first, as far as they go (the handler stops
  // after kMaxLevels + 1 steps or at a repeat). Empty when there is no parent.
  std::vector<std::string> parent_chain;
  bool parent_exists = false;
  // Levels from this campaign down to its deepest descendant, itself included (1 = no children).
  size_t subtree_height = 1;
};

Result<Events> DecideCreate(const State& state, const Context& cx, const CreateCampaign& c);
Result<Events> DecideChange(const State& state, const Context& cx, const ChangeCampaign& c);

// campaign delete / restore (SPEC §4.11): NotFound for no campaign; no events when it already is
// as asked; FailedPrecondition naming `dependents` (its logged interactions that are not
// canceled, its open opportunities) when deleting. A deleted campaign is not changed.
struct DeleteCampaign {
  CommandContext ctx;
  RecordNo no;
  bool restore = false;
};
Result<Events> DecideDelete(const State& state, const DeleteCampaign& c, const std::vector<std::string>& dependents);
// FailedPrecondition for a deleted campaign: it takes no change, member, logged interaction or
// price until restored (the undo of what was done before its deletion still runs).
Status RefuseDeleted(const State& state);

// campaign attach CP FILE; campaign detach CP NAME.
struct Attach {
  RecordNo no;
  std::string file_name, content;
};
Result<Events> DecideAttach(const State& state, const Attach& c);
struct Detach {
  RecordNo no;
  std::string file_name;
};
Result<Events> DecideDetach(const State& state, const Detach& c);
// Their events, for the undo of them too (aggregates/undo.h).
NewEvent AttachmentAddedEvent(const RecordNo& no, const std::string& file_name, std::string_view content,
                              const std::string& sha256);
NewEvent AttachmentRemovedEvent(const RecordNo& no, const std::string& file_name);

}  // namespace crm::campaign
