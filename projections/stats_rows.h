// The campaign statistics read model (column family "campaigns"): each campaign's figures, kept
// as its members, interaction entries, opportunities and tasks change, so that `campaign stats`
// reads one row per campaign instead of scanning what the campaign holds (SPEC §4.8).
//   's' K(campaign)                 -> figures row
//   'x' K(campaign) K(contact)      -> u64 BE the contact's live campaign-target interactions
// row := version u8 (1), then one i64 per CampaignFigures field, in declaration order
// (projections/row_codec.h). Members by status and converted leads are the roster's counters.
//
// The figures are fed by the read models that own the rows they count: the roster, the
// interaction log, opportunities and tasks each pass a row's contribution before and after a
// change (FiguresOf), inside the same transaction, so the figures move with the rows and a
// rebuild gives the same bytes. A contribution is what one row adds to its campaign's figures.
#pragma once

#include <array>

#include "aggregates/membership.h"
#include "aggregates/opportunity.h"
#include "events/store.h"
#include "projections/task_rows.h"

namespace crm {

namespace keys {
std::string CampaignFigures(const RecordNo& campaign);
std::string TargetInteractions(const RecordNo& campaign, const RecordNo& contact);
}  // namespace keys

struct InteractionRow;  // projections/interaction_rows.h

struct CampaignFigures {
  int64_t contacts = 0, leads = 0, responded = 0;
  int64_t targeted = 0;  // distinct contacts with a live campaign-target interaction
  int64_t interactions = 0, interaction_cost = 0, duration = 0;  // live (not canceled) interactions
  int64_t opportunities = 0, open_opportunities = 0, won = 0, lost = 0, estimated_value = 0, won_amount = 0;
  int64_t open_tasks = 0, completed_tasks = 0, canceled_tasks = 0;

  // Every field, in row order: encoding, decoding and arithmetic walk the same list.
  template <typename Self>
  static auto Fields(Self& self) {
    return std::array{&self.contacts,      &self.leads,         &self.responded,
                      &self.targeted,      &self.interactions,  &self.interaction_cost,
                      &self.duration,      &self.opportunities, &self.open_opportunities,
                      &self.won,           &self.lost,          &self.estimated_value,
                      &self.won_amount,    &self.open_tasks,    &self.completed_tasks,
                      &self.canceled_tasks};
  }
  CampaignFigures& operator+=(const CampaignFigures& other);
  CampaignFigures& operator-=(const CampaignFigures& other);
  bool zero() const;
  bool operator==(const CampaignFigures&) const = default;
};

std::string EncodeFigures(const CampaignFigures& f);
// Corruption when the row is not one EncodeFigures wrote.
Result<CampaignFigures> DecodeFigures(std::string_view row);

// Contributions of one row.
CampaignFigures FiguresOf(const membership::Membership& m, RecordKind member_kind);
CampaignFigures FiguresOf(const opportunity::State& op);
CampaignFigures FiguresOf(const TaskRow& task);

// Moves `campaign`'s figures by `after - before`; an invalid campaign (none) is left alone.
Status ChangeFigures(Store* store, Store::Txn* txn, const RecordNo& campaign, const CampaignFigures& before,
                     const CampaignFigures& after);
// The same for a row that may have changed campaign (`from` to `to`; invalid: none).
Status MoveFigures(Store* store, Store::Txn* txn, const RecordNo& from, const CampaignFigures& before,
                   const RecordNo& to, const CampaignFigures& after);

// An interaction entry's row of the interaction log (projections/interaction_rows.h) as it was
// and as it is (nullptr: no row): its count, cost and duration while it is not canceled, and its
// contact among the campaign's targeted while a live campaign-target interaction is logged.
Status ChangeInteractionFigures(Store* store, Store::Txn* txn, const InteractionRow* before,
                                const InteractionRow* after);

}  // namespace crm
