// Sales cycles of the catalogue (SPEC §4.8): `sales-cycle add`, its rules (sales_cycle.h) and its
// fold. A cycle, once added, is never redefined: opportunities hold stage numbers of it.
#include "aggregates/sales_cycle.h"

#include <string>
#include <utility>
#include <vector>

#include "aggregates/catalog_internal.h"

namespace crm::catalog {
namespace {

constexpr size_t kMaxStages = 50;
constexpr int64_t kHundredPercent = 100000;  // Percent is thousandths of a percent

Result<Percent> StagePercent(std::string_view text, std::string_view what, std::string_view stage) {
  auto p = ParsePercent(Trim(text));
  if (!p.ok() || p->value() < 0 || p->value() > kHundredPercent) {
    return Status::InvalidArgument("stage '" + std::string(stage) + "': " + std::string(what) +
                                   " must be a percentage from 0 to 100, not '" + std::string(text) + "'");
  }
  return *p;
}

}  // namespace

Result<Stage> ParseStage(std::string_view text) {
  const std::vector<std::string_view> parts = SplitBars(text);
  if (parts.size() < 3) {
    return Status::InvalidArgument("--stage '" + std::string(text) +
                                   "' must be DESCRIPTION|COMPLETED|CHANCE[|skip][|quote][|activity=CODE] (like "
                                   "'Proposal|50|40|quote')");
  }
  Stage s;
  CRM_ASSIGN_OR_RETURN(s.description, CheckText(parts[0], "stage description", 100, true));
  CRM_ASSIGN_OR_RETURN(s.completed, StagePercent(parts[1], "completed", s.description));
  CRM_ASSIGN_OR_RETURN(s.chance, StagePercent(parts[2], "chance of success", s.description));
  for (size_t i = 3; i < parts.size(); ++i) {
    const std::string flag = Upper(Trim(parts[i]));
    if (flag.starts_with("ACTIVITY=")) {
      CRM_ASSIGN_OR_RETURN(s.activity, NormalizeCode(flag.substr(9), "stage activity code"));
    } else if (flag == "SKIP") {
      s.allow_skip = true;
    } else if (flag == "QUOTE") {
      s.quote_required = true;
    } else {
      return Status::InvalidArgument("stage '" + s.description + "': unknown flag '" + std::string(parts[i]) +
                                     "' (skip, quote or activity=CODE)");
    }
  }
  return s;
}

Result<Events> DecideAddSalesCycle(const State& state, const AddSalesCycle& c) {
  SalesCycle cycle;
  CRM_ASSIGN_OR_RETURN(cycle.code, NormalizeCode(c.code, "sales cycle code"));
  CRM_ASSIGN_OR_RETURN(cycle.description, CheckText(c.description, "description", 100, true));
  if (c.stages.empty()) return Status::FailedPrecondition("a sales cycle needs at least one --stage");
  if (c.stages.size() > kMaxStages) {
    return Status::FailedPrecondition("a sales cycle has at most " + std::to_string(kMaxStages) + " stages");
  }
  cycle.stages = c.stages;
  for (size_t i = 0; i < cycle.stages.size(); ++i) {
    Stage& s = cycle.stages[i];
    s.stage = static_cast<int32_t>(i + 1);
    if (!s.activity.empty() && !state.activities.contains(s.activity)) {
      return Status::NotFound("stage " + std::to_string(s.stage) + " '" + s.description + "': activity " + s.activity +
                              " does not exist (see activity list)");
    }
    if (i == 0) continue;
    const Stage& before = cycle.stages[i - 1];
    if (s.completed < before.completed || s.chance < before.chance) {
      return Status::FailedPrecondition("stage " + std::to_string(s.stage) + " '" + s.description +
                                        "': completed and chance of success must not fall below stage " +
                                        std::to_string(before.stage) + "'s");
    }
  }
  if (auto done = AddedOnce(state.sales_cycles, cycle, "sales cycle", "opportunities refer to it")) return *done;
  fb::SalesCycleAddedT e;
  e.code = cycle.code;
  e.description = cycle.description;
  for (const Stage& s : cycle.stages) {
    auto t = std::make_unique<fb::SalesCycleStageT>();
    t->stage = s.stage;
    t->description = s.description;
    t->completed = s.completed.value();
    t->chance = s.chance.value();
    t->allow_skip = s.allow_skip;
    t->quote_required = s.quote_required;
    t->activity = s.activity;
    e.stages.push_back(std::move(t));
  }
  return Events{MakeEvent(CatalogStream(), std::move(e))};
}

State EvolveSalesCycles(State state, const fb::SalesCycleAdded& e) {
  SalesCycle cycle{Str(e.code()), Str(e.description()), {}};
  if (e.stages() != nullptr) {
    for (const auto* t : *e.stages()) {
      cycle.stages.push_back({t->stage(), Str(t->description()), Percent(t->completed()), Percent(t->chance()),
                              t->allow_skip(), t->quote_required(), Str(t->activity())});
    }
  }
  state.sales_cycles[cycle.code] = std::move(cycle);
  return state;
}

Result<Events> DecideOne(const reference::State&, const State& s, const AddSalesCycle& c) {
  return DecideAddSalesCycle(s, c);
}

void Fold(State* s, const fb::SalesCycleAdded* e) { *s = EvolveSalesCycles(std::move(*s), *e); }

Result<const SalesCycle*> FindSalesCycle(const State& state, std::string_view code) {
  const std::string key = Upper(Trim(code));
  auto it = state.sales_cycles.find(key);
  if (it == state.sales_cycles.end()) return Status::NotFound("sales cycle " + key + " does not exist");
  return &it->second;
}

}  // namespace crm::catalog
