// Sales cycles of the sales catalogue (SPEC §4.8), part of the catalog aggregate (catalog.h): the
// stages an opportunity goes through. Command AddSalesCycle (`sales-cycle add`); its decision and
// fold are in sales_cycle.cc, reached through catalog.h's Decide and Evolve.
//
// Rules: the code is normalised (upper case, <= 20 chars); a cycle is described and has at least
// one stage, at most 50; each stage described; percentages 0..100; completed and chance never fall
// from one stage to the next; a stage's activity, when named, defined (catalog_activities.h); a cycle is never redefined (opportunities hold stage numbers of
// it), adding it again the same is a no-op.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "aggregates/common.h"

namespace crm::catalog {

struct State;  // catalog.h

// A sales cycle (SPEC §4.8): the stages an opportunity goes through, numbered 1..n in order.
// Completed and chance in thousandths of a percent (events/values.h Percent).
struct Stage {
  int32_t stage = 0;
  std::string description;
  Percent completed{0}, chance{0};
  bool allow_skip = false, quote_required = false;
  std::string activity;  // tasks of this activity are made when an opportunity enters the stage
  bool operator==(const Stage&) const = default;
};
struct SalesCycle {
  std::string code, description;
  std::vector<Stage> stages;
  bool operator==(const SalesCycle&) const = default;
};

// sales-cycle add CODE --description TEXT
//                --stage "DESCRIPTION|COMPLETED|CHANCE[|skip][|quote][|activity=CODE]"...
struct AddSalesCycle {
  std::string code, description;
  std::vector<Stage> stages;  // `stage` numbers are assigned 1..n in order
};
Result<Events> DecideAddSalesCycle(const State& state, const AddSalesCycle& c);
State EvolveSalesCycles(State state, const fb::SalesCycleAdded& e);
// A stage definition as the CLI takes it: "DESCRIPTION|COMPLETED|CHANCE[|skip][|quote][|activity=CODE]".
Result<Stage> ParseStage(std::string_view text);
// The sales cycle by code (any case); NotFound when none.
Result<const SalesCycle*> FindSalesCycle(const State& state, std::string_view code);

}  // namespace crm::catalog
