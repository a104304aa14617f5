// Campaign prices, activation and the best offer (campaign_prices.h).
#include "aggregates/campaign_prices.h"

#include <algorithm>
#include <tuple>
#include <utility>

namespace crm::campaign {
namespace {

constexpr int64_t kHundredPercent = 100000;  // Percent is thousandths of a percent

// The campaign exists and is not deleted (a deleted one takes no price or activation until restored).
Status CheckLive(const State& s, const RecordNo& no) {
  if (!s.exists) return Status::NotFound("campaign " + no.ToString() + " does not exist");
  return RefuseDeleted(s);
}

bool KeyLess(const PriceLine& a, const PriceLine& b) {
  return std::tie(a.item, a.unit, a.min_qty) < std::tie(b.item, b.unit, b.min_qty);
}

}  // namespace

Result<PriceLine> LineKey(std::string_view item, std::string_view unit, int64_t min_qty) {
  PriceLine line;
  CRM_ASSIGN_OR_RETURN(line.item, NormalizeCode(item, "item"));
  if (!Trim(unit).empty()) {
    CRM_ASSIGN_OR_RETURN(line.unit, NormalizeCode(unit, "unit of measure"));
  }
  if (min_qty < 0) return Status::FailedPrecondition("the minimum quantity must not be negative");
  line.min_qty = min_qty;
  return line;
}

std::string LineText(const PriceLine& key) {
  return "item " + key.item + (key.unit.empty() ? "" : " unit " + key.unit) + " from quantity " +
         std::to_string(key.min_qty);
}

Result<Events> DecideSetPrice(const State& state, const SetPrice& c) {
  CRM_RETURN_IF_ERROR(CheckLive(state, c.no));
  CRM_ASSIGN_OR_RETURN(PriceLine line, LineKey(c.item, c.unit, c.min_qty));
  if (c.discount.has_value() == c.price.has_value()) {
    return Status::InvalidArgument("a campaign price is a --discount PCT or a --price AMT (one of them)");
  }
  if (c.discount) {
    if (c.discount->value() <= 0 || c.discount->value() > kHundredPercent) {
      return Status::FailedPrecondition("a line discount is more than 0 and at most 100 %");
    }
    line.discount = true;
    line.value = c.discount->value();
  } else {
    if (c.price->value() < 0) return Status::FailedPrecondition("a unit price must not be negative");
    line.value = c.price->value();
  }
  for (const PriceLine& have : state.prices) {
    if (have == line) return Events{};
  }
  return Events{PriceSetEvent(c.no, line)};
}

Result<Events> DecideRemovePrice(const State& state, const RemovePrice& c) {
  CRM_RETURN_IF_ERROR(CheckLive(state, c.no));
  CRM_ASSIGN_OR_RETURN(PriceLine key, LineKey(c.item, c.unit, c.min_qty));
  const bool has = std::any_of(state.prices.begin(), state.prices.end(),
                               [&](const PriceLine& p) { return SameKey(p, key); });
  if (!has) {
    return Status::NotFound("campaign " + c.no.ToString() + " has no price for " + LineText(key));
  }
  return Events{PriceRemovedEvent(c.no, key)};
}

Result<Events> DecideActivate(const State& state, const std::vector<RecordNo>& targets) {
  CRM_RETURN_IF_ERROR(CheckLive(state, state.no));
  if (targets.empty()) {
    return Status::FailedPrecondition("campaign " + state.no.ToString() +
                                      " has nothing to target: no segment for it flagged campaign target "
                                      "(segment set SM --campaign CP --campaign-target yes) and no logged "
                                      "campaign-target interaction");
  }
  return Events{ActivatedEvent(state.no, targets)};
}

Result<Events> DecideDeactivate(const State& state) {
  CRM_RETURN_IF_ERROR(CheckLive(state, state.no));
  if (!state.active) return Events{};
  return Events{DeactivatedEvent(state.no)};
}

bool SameKey(const PriceLine& a, const PriceLine& b) {
  return a.item == b.item && a.unit == b.unit && a.min_qty == b.min_qty;
}

NewEvent PriceSetEvent(const RecordNo& no, const PriceLine& line) {
  fb::CampaignPriceSetT e;
  e.no = no.ToString();
  e.item = line.item;
  e.unit = line.unit;
  e.min_qty = line.min_qty;
  e.discount = line.discount;
  e.value = line.value;
  return MakeEvent(no.Stream(), std::move(e));
}

NewEvent PriceRemovedEvent(const RecordNo& no, const PriceLine& key) {
  fb::CampaignPriceRemovedT e;
  e.no = no.ToString();
  e.item = key.item;
  e.unit = key.unit;
  e.min_qty = key.min_qty;
  return MakeEvent(no.Stream(), std::move(e));
}

NewEvent ActivatedEvent(const RecordNo& no, const std::vector<RecordNo>& targets) {
  fb::CampaignActivatedT e;
  e.no = no.ToString();
  for (const RecordNo& t : targets) e.targets.push_back(t.ToString());
  return MakeEvent(no.Stream(), std::move(e));
}

NewEvent DeactivatedEvent(const RecordNo& no) {
  fb::CampaignDeactivatedT e;
  e.no = no.ToString();
  return MakeEvent(no.Stream(), std::move(e));
}

void FoldPriceSet(State* s, const fb::CampaignPriceSet& e) {
  PriceLine line{Str(e.item()), Str(e.unit()), e.min_qty(), e.discount(), e.value()};
  std::erase_if(s->prices, [&](const PriceLine& have) { return SameKey(have, line); });
  s->prices.insert(std::upper_bound(s->prices.begin(), s->prices.end(), line, KeyLess), std::move(line));
}

void FoldPriceRemoved(State* s, const fb::CampaignPriceRemoved& e) {
  const PriceLine key{Str(e.item()), Str(e.unit()), e.min_qty(), false, 0};
  std::erase_if(s->prices, [&](const PriceLine& have) { return SameKey(have, key); });
}

std::vector<Offer> Applicable(const State& campaign, const QuoteAsk& ask) {
  std::vector<Offer> out;
  if (!campaign.active) return out;
  if (campaign.start && ask.date < *campaign.start) return out;
  if (campaign.end && ask.date > *campaign.end) return out;
  const std::string item = Upper(Trim(ask.item)), unit = Upper(Trim(ask.unit));
  for (const PriceLine& line : campaign.prices) {
    if (line.item == item && (line.unit.empty() || line.unit == unit) && ask.qty >= line.min_qty) {
      out.push_back({campaign.no, line});
    }
  }
  return out;
}

Quote Best(std::vector<Offer> offers) {
  Quote q;
  // Lower campaign number first, so that the first best one wins a tie.
  std::stable_sort(offers.begin(), offers.end(), [](const Offer& a, const Offer& b) { return a.campaign < b.campaign; });
  for (const Offer& o : offers) {
    std::optional<Offer>& best = o.line.discount ? q.discount : q.price;
    const bool better = !best || (o.line.discount ? o.line.value > best->line.value : o.line.value < best->line.value);
    if (better) {
      if (best) q.others.push_back(*best);
      best = o;
    } else {
      q.others.push_back(o);
    }
  }
  return q;
}

}  // namespace crm::campaign
