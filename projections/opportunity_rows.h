// The opportunities read model (column family "campaigns", beside campaigns and tasks):
//   'o' K(opportunity)              -> opportunity row
//   'q' K(campaign) K(opportunity)  -> ""   (a campaign's opportunities)
// The row is the read model's own, binary and versioned:
//   row := version u8 (1), stage i64, description str, contact str, company str, campaign str,
//          salesperson str, sales_cycle str, status str, close_date str, close_reason str,
//          lead str, estimated_value i64, chance i64, completed i64, amount_won i64,
//          created_at i64, modified_at i64
// (projections/row_codec.h). OpportunityJson is what `opportunity show --json` prints and a
// create answers (made from the row, not stored; the handler's answer needs it, so it is here
// and not in cmd/, as contacts' PartyToJson is).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "aggregates/opportunity.h"
#include "events/store.h"

namespace crm {

struct OpportunityRow {
  RecordNo no;
  std::string description, contact, company, campaign, salesperson, sales_cycle, status, close_date, close_reason,
      lead;
  int32_t stage = 0;
  Money estimated_value{0}, amount_won{0};
  Percent chance{0}, completed{0};
  Timestamp created_at, modified_at;
  bool open() const { return status == opportunity::kNotStarted || status == opportunity::kInProgress; }
};

std::string EncodeOpportunity(const OpportunityRow& row);
// Corruption when the row is not one EncodeOpportunity wrote; `no` is the caller's (from the key).
Result<OpportunityRow> DecodeOpportunity(const RecordNo& no, std::string_view row);

nlohmann::json OpportunityJson(const OpportunityRow& op);

// The aggregate's state the row holds (for the application's decisions and the fold), and back.
opportunity::State StateOf(const OpportunityRow& row);
OpportunityRow RowOf(const opportunity::State& state);

// Folds the event into the row through the aggregate's own Evolve (the one definition of what
// the events mean: its typed visit names a new event of the owner), writes the row, indexes a
// new one by campaign, and moves the campaign's figures (projections/stats_rows.h).
Status ApplyOpportunityEvent(Store* store, Store::Txn* txn, const fb::Envelope& env);

}  // namespace crm
