#include "aggregates/opportunity.h"

namespace crm::opportunity {
namespace {

Result<const catalog::Stage*> StageOf(const catalog::SalesCycle& cycle, int32_t stage) {
  if (stage < 1 || static_cast<size_t>(stage) > cycle.stages.size()) {
    return Status::FailedPrecondition("sales cycle " + cycle.code + " has stages 1 to " +
                                      std::to_string(cycle.stages.size()) + ", not " + std::to_string(stage));
  }
  return &cycle.stages[static_cast<size_t>(stage - 1)];
}

Status CheckOpen(const State& s) {
  if (!s.exists) return Status::NotFound("opportunity " + s.no.ToString() + " does not exist");
  if (!s.open()) return Status::FailedPrecondition("opportunity " + s.no.ToString() + " is closed (" + s.status + ")");
  return Status::Ok();
}

}  // namespace

State Evolve(State s, const fb::Envelope& env) {
  const Timestamp at(env.recorded_at());
  Visit(OwnEvents{}, env,
        Overloaded{[&](const fb::OpportunityCreated* e) {
                     s.exists = true;
                     s.no = NoOf(e->no());
                     s.description = Str(e->description());
                     s.contact = Str(e->contact());
                     s.company = Str(e->company());
                     s.campaign = Str(e->campaign());
                     s.salesperson = Str(e->salesperson());
                     s.sales_cycle = Str(e->sales_cycle());
                     s.lead = Str(e->lead());
                     s.close_date = Str(e->close_date());
                     s.estimated_value = Money(e->estimated_value());
                     s.created_at = s.modified_at = at;
                   },
                   [&](const fb::OpportunityStageChanged* e) {
                     s.stage = e->stage();
                     s.chance = Percent(e->chance());
                     s.completed = Percent(e->completed());
                     s.status = kInProgress;
                     s.modified_at = at;
                   },
                   [&](const fb::OpportunityClosed* e) {
                     s.status = e->won() ? kWon : kLost;
                     s.close_reason = Str(e->reason());
                     s.amount_won = Money(e->amount());
                     s.chance = Percent(e->won() ? 100000 : 0);
                     if (e->won()) s.completed = Percent(100000);
                     s.close_date = FormatDate(DateOf(at));
                     s.modified_at = at;
                   }});
  return s;
}

Result<Events> DecideCreate(const State& state, const Context& cx, const Create& c) {
  if (c.no.kind() != RecordKind::kOpportunity) return Status::Internal("opportunity number expected");
  CRM_ASSIGN_OR_RETURN(std::string description, CheckText(c.description, "opportunity description", 100, true));
  if (state.exists) return Status::AlreadyExists("opportunity " + c.no.ToString() + " already exists");
  if (!cx.contact_exists) return Status::NotFound("contact " + c.contact.ToString() + " does not exist");
  if (cx.contact_erased) return Status::FailedPrecondition("contact " + c.contact.ToString() + " was erased");
  if (c.campaign && !cx.campaign_exists) {
    return Status::NotFound("campaign " + c.campaign->ToString() + " does not exist");
  }
  if (Trim(c.sales_cycle).empty())
    return Status::FailedPrecondition("an opportunity needs a sales cycle (--sales-cycle CODE)");
  CRM_ASSIGN_OR_RETURN(const catalog::SalesCycle* cycle, catalog::FindSalesCycle(*cx.catalog, c.sales_cycle));
  std::string salesperson;
  if (!Trim(c.salesperson).empty()) {
    salesperson = Upper(Trim(c.salesperson));
    if (!cx.catalog->salespeople.contains(salesperson)) {
      return Status::NotFound("salesperson " + salesperson + " is not defined");
    }
  }
  if (c.estimated_value.value() < 0) return Status::FailedPrecondition("the estimated value must not be negative");
  std::string close_date;
  if (!Trim(c.close_date).empty()) {
    auto d = ParseDate(Trim(c.close_date));
    if (!d.ok())
      return Status::FailedPrecondition("--close-date '" + c.close_date + "' is not a date (like 2027-03-31)");
    close_date = FormatDate(*d);
  }
  fb::OpportunityCreatedT e;
  e.no = c.no.ToString();
  e.description = description;
  e.contact = c.contact.ToString();
  e.company = cx.contact_company;
  e.campaign = c.campaign ? c.campaign->ToString() : "";
  e.salesperson = salesperson;
  e.sales_cycle = cycle->code;
  e.estimated_value = c.estimated_value.value();
  e.close_date = close_date;
  e.lead = c.lead ? c.lead->ToString() : "";
  return Events{MakeEvent(c.no.Stream(), std::move(e))};
}

Result<Events> DecideStage(const State& state, const catalog::SalesCycle& cycle, const ChangeStage& c) {
  CRM_RETURN_IF_ERROR(CheckOpen(state));
  const std::string no = state.no.ToString();
  int32_t to = 0;
  switch (c.move) {
    case fb::StageMove::Next:
      if (static_cast<size_t>(state.stage) >= cycle.stages.size()) {
        return Status::FailedPrecondition("opportunity " + no + " is at the last stage of " + cycle.code +
                                          ": close it (--won or --lost)");
      }
      to = state.stage + 1;
      break;
    case fb::StageMove::Previous:
      if (state.stage <= 1) {
        return Status::FailedPrecondition("opportunity " + no + " has no stage before " +
                                          (state.stage == 0 ? std::string("its start") : "stage 1"));
      }
      to = state.stage - 1;
      break;
    case fb::StageMove::Jump:
      to = c.to;
      if (to == state.stage) {
        return Status::FailedPrecondition("opportunity " + no + " is at stage " + std::to_string(to) + " already");
      }
      break;
  }
  CRM_ASSIGN_OR_RETURN(const catalog::Stage* target, StageOf(cycle, to));
  for (int32_t between = state.stage + 1; between < to; ++between) {
    const catalog::Stage& passed = cycle.stages[static_cast<size_t>(between - 1)];
    if (!passed.allow_skip) {
      return Status::FailedPrecondition("stage " + std::to_string(between) + " '" + passed.description + "' of " +
                                        cycle.code + " cannot be skipped");
    }
  }
  const std::string quote = Trim(c.quote);
  if (target->quote_required && to > state.stage && quote.empty()) {  // going back, it had one
    return Status::FailedPrecondition("stage " + std::to_string(to) + " '" + target->description +
                                      "' requires a quote (--quote REFERENCE)");
  }
  fb::OpportunityStageChangedT e;
  e.no = no;
  e.from_stage = state.stage;
  e.stage = to;
  e.move = c.move;
  e.chance = target->chance.value();
  e.completed = target->completed.value();
  e.quote = quote;
  return Events{MakeEvent(state.no.Stream(), std::move(e))};
}

Result<Events> DecideClose(const State& state, const Close& c) {
  CRM_RETURN_IF_ERROR(CheckOpen(state));
  CRM_ASSIGN_OR_RETURN(std::string reason, CheckText(c.reason, "close reason", 100, false));
  Money amount(0);
  if (c.won) {
    amount = c.amount.value_or(state.estimated_value);
    if (amount.value() < 0) return Status::FailedPrecondition("the amount won must not be negative");
  } else if (c.amount) {
    return Status::FailedPrecondition("--amount is for an opportunity won");
  }
  fb::OpportunityClosedT e;
  e.no = state.no.ToString();
  e.won = c.won;
  e.reason = reason;
  e.amount = amount.value();
  e.stage = state.stage;
  return Events{MakeEvent(state.no.Stream(), std::move(e))};
}

std::optional<RecordNo> ConversionCampaign(const std::optional<RecordNo>& asked,
                                           const std::vector<std::pair<RecordNo, membership::Membership>>& memberships) {
  if (asked) return asked;
  std::optional<RecordNo> last;
  Timestamp joined(INT64_MIN);
  for (const auto& [cp, m] : memberships) {
    if (m.added_at.value() >= joined.value()) last = cp, joined = m.added_at;
  }
  return last;
}

std::string ConversionSalesperson(const catalog::State& catalog, std::string_view lead_salesperson) {
  const std::string code = Upper(Trim(lead_salesperson));
  return catalog.salespeople.contains(code) ? code : std::string();
}

std::string_view MoveName(fb::StageMove move) {
  switch (move) {
    case fb::StageMove::Next:
      return "next";
    case fb::StageMove::Previous:
      return "previous";
    case fb::StageMove::Jump:
      return "jump";
  }
  return "?";
}

}  // namespace crm::opportunity
