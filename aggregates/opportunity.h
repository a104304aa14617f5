// Opportunity aggregate (stream "opportunity/OP0001"), SPEC §4.8: a sale in the making, taken
// through the stages of a sales cycle (catalog.h) and closed as won or lost. Every stage move is
// a record, so the opportunity's stream is its stage history.
//
// Rules: a description (<= 100 chars); the contact an existing contact (not a lead, not
// erased); the campaign, when given, an existing campaign; the sales cycle and the salesperson
// defined; the estimated value not negative; the close date a date. Status "not started" until
// the first stage is entered, "in progress" after, "won" or "lost" once closed; a closed
// opportunity does not move. `next` enters the following stage and `previous` the one before
// (not before the first); `jump` goes to any other stage, forwards only over stages that allow
// skipping; entering a stage that requires a quote, forwards, needs the quote's reference.
// Closing as won records the amount won (the estimated value unless given); as lost, 0.
//
// A lead's conversion makes one with defaults (ConversionCampaign, ConversionSalesperson): the
// campaign the lead joined last unless one is named, and the lead's salesperson when the
// catalogue knows it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aggregates/catalog.h"
#include "aggregates/common.h"
#include "aggregates/membership.h"

namespace crm::opportunity {

inline constexpr char kNotStarted[] = "not started";
inline constexpr char kInProgress[] = "in progress";
inline constexpr char kWon[] = "won";
inline constexpr char kLost[] = "lost";

struct State {
  bool exists = false;
  RecordNo no;
  std::string description, contact, company, campaign, salesperson, sales_cycle, lead, close_date;
  Money estimated_value{0};
  int32_t stage = 0;  // 0 = not started
  Percent chance{0}, completed{0};
  std::string status = kNotStarted;
  std::string close_reason;
  Money amount_won{0};
  Timestamp created_at, modified_at;
  bool open() const { return status == kNotStarted || status == kInProgress; }
};

// The events this aggregate owns and folds (events/owner.h: Owner::kOpportunity).
using OwnEvents = EventList<fb::OpportunityCreated, fb::OpportunityStageChanged, fb::OpportunityClosed>;

State Evolve(State state, const fb::Envelope& env);

struct Create {
  RecordNo no;  // allocated by the handler
  std::string description;
  RecordNo contact;
  std::optional<RecordNo> campaign;
  std::string salesperson, sales_cycle, close_date;
  std::optional<RecordNo> lead;  // converted from
  Money estimated_value{0};
};

// Facts from the read models (or, for a lead's conversion, from the same command).
struct Context {
  const catalog::State* catalog = nullptr;
  bool contact_exists = false;
  bool contact_erased = false;
  std::string contact_company;  // the company the sale is with: a person's company, or the contact
  bool campaign_exists = false;
};

Result<Events> DecideCreate(const State& state, const Context& cx, const Create& c);

// The campaign and salesperson of the opportunity a lead's conversion makes: `asked` (--campaign)
// or the campaign among the lead's `memberships` it joined last; the lead's salesperson if the
// catalogue has it (else none: a lead's salesperson is free text from its source).
std::optional<RecordNo> ConversionCampaign(const std::optional<RecordNo>& asked,
                                           const std::vector<std::pair<RecordNo, membership::Membership>>& memberships);
std::string ConversionSalesperson(const catalog::State& catalog, std::string_view lead_salesperson);

struct ChangeStage {
  RecordNo no;
  fb::StageMove move = fb::StageMove::Next;
  int32_t to = 0;     // jump: the stage number
  std::string quote;  // the quote reference, for a stage that requires one
};
Result<Events> DecideStage(const State& state, const catalog::SalesCycle& cycle, const ChangeStage& c);

struct Close {
  RecordNo no;
  bool won = false;
  std::string reason;
  std::optional<Money> amount;  // won: the amount won (default: the estimated value)
};
Result<Events> DecideClose(const State& state, const Close& c);

// "next", "previous", "jump".
std::string_view MoveName(fb::StageMove move);

}  // namespace crm::opportunity
