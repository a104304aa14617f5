// Campaign prices and line discounts for the campaign's target group (SPEC §4.7, Business
// Central), part of the campaign aggregate (campaign.h, stream "campaign/CP0001"): what they are,
// activation, and which of them a customer gets.
//
// Rules: a line is an item code (normalised, <= 20 chars), a unit of measure code or none (any
// unit), a minimum quantity (>= 0) and either a line discount (more than 0, at most 100 %) or a
// unit price (>= 0); one line per item, unit and minimum quantity: setting it again replaces it,
// the same again appends nothing; removing a line the campaign lacks is NotFound. `campaign
// activate` fixes the target group (the app gathers it: contacts of the campaign's segments
// flagged campaign target and of its logged campaign-target interactions, and the companies of
// those that are persons); nothing to target is refused; activating again rebuilds the group;
// `deactivate` of an inactive campaign appends nothing.
//
// Which line a customer gets (as BC's best price): a line applies to a contact on a date when
// the campaign is active, the contact or its company is in its target group, the date lies within
// the campaign's start and end dates (an open end is no limit), the item matches, the line's unit
// is none or the one asked, and the quantity reaches its minimum. The lowest unit price and the
// highest line discount are chosen independently (both apply: the discount to that price); ties go
// to the lower campaign number. Every other applicable line is listed as applied too.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aggregates/campaign.h"

namespace crm::campaign {

// campaign price add CP --item ITEM (--discount PCT | --price AMT) [--min-qty N] [--unit CODE]
struct SetPrice {
  RecordNo no;
  std::string item, unit;
  int64_t min_qty = 0;
  std::optional<Percent> discount;
  std::optional<Money> price;
};
Result<Events> DecideSetPrice(const State& state, const SetPrice& c);

// campaign price remove CP --item ITEM [--min-qty N] [--unit CODE]
struct RemovePrice {
  RecordNo no;
  std::string item, unit;
  int64_t min_qty = 0;
};
Result<Events> DecideRemovePrice(const State& state, const RemovePrice& c);

// campaign activate CP: `targets` are the contacts the app gathered (see above), each once.
Result<Events> DecideActivate(const State& state, const std::vector<RecordNo>& targets);
Result<Events> DecideDeactivate(const State& state);

// A line's key (item, unit, minimum quantity) as the commands above normalise it (codes
// upper-cased and checked; no unit: any unit), and as messages name it ("item 1000 unit BOX from
// quantity 5").
Result<PriceLine> LineKey(std::string_view item, std::string_view unit, int64_t min_qty);
std::string LineText(const PriceLine& key);
// Whether two lines have the same key (item, unit, minimum quantity): one line per key.
bool SameKey(const PriceLine& a, const PriceLine& b);

// The events of the decisions above, for the undo of them too (aggregates/undo.h): a line set
// or removed (by its item, unit and minimum quantity), a target group, an end to one.
NewEvent PriceSetEvent(const RecordNo& no, const PriceLine& line);
NewEvent PriceRemovedEvent(const RecordNo& no, const PriceLine& key);
NewEvent ActivatedEvent(const RecordNo& no, const std::vector<RecordNo>& targets);
NewEvent DeactivatedEvent(const RecordNo& no);

void FoldPriceSet(State* s, const fb::CampaignPriceSet& e);
void FoldPriceRemoved(State* s, const fb::CampaignPriceRemoved& e);

// One applicable line and its campaign.
struct Offer {
  RecordNo campaign;
  PriceLine line;
};
struct QuoteAsk {
  std::string item, unit;
  int64_t qty = 1;
  Date date;
};
// The lines of `campaign` that apply to `ask` for a customer in its target group.
std::vector<Offer> Applicable(const State& campaign, const QuoteAsk& ask);
struct Quote {
  std::optional<Offer> price, discount;  // the best of each
  std::vector<Offer> others;             // the other applicable lines
};
Quote Best(std::vector<Offer> offers);

}  // namespace crm::campaign
