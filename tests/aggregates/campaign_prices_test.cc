// Campaign prices and line discounts (aggregates/campaign_prices.h): lines set, replaced and
// removed; activation; which lines apply to a quote and which one wins.
#include "aggregates/campaign_prices.h"

#include <doctest/doctest.h>

#include <string>

#include "tests/aggregates/aggregate_test_util.h"

namespace crm::testing {
namespace {

campaign::SetPrice Discount(std::string item, int64_t pct_thousandths, int64_t min_qty = 0, std::string unit = "") {
  return {No("CP0001"), std::move(item), std::move(unit), min_qty, Percent(pct_thousandths), std::nullopt};
}
campaign::SetPrice Price(std::string item, int64_t cents, int64_t min_qty = 0, std::string unit = "") {
  return {No("CP0001"), std::move(item), std::move(unit), min_qty, std::nullopt, Money(cents)};
}

Given<campaign::State> Campaign() {
  Given<campaign::State> given(campaign::Evolve);
  given.Add(CampaignCreated("CP0001", "Trade show"));
  return given;
}

TEST_CASE("campaign prices: one line per item, unit and minimum quantity") {
  Given<campaign::State> given = Campaign();
  auto set = [](campaign::SetPrice p) { return [p](const campaign::State& s) { return campaign::DecideSetPrice(s, p); }; };
  CHECK(EmittedTwice(given, set(Discount("1000", 10000))) == "CampaignPriceSet / nothing");
  given.Add(*campaign::DecideSetPrice(given.state(), Discount("1000", 10000)));
  given.Add(*campaign::DecideSetPrice(given.state(), Discount("1000", 12500)));  // replaces
  given.Add(*campaign::DecideSetPrice(given.state(), Price("1000", 1250, 10, "pcs")));
  given.Add(*campaign::DecideSetPrice(given.state(), Price("900", 500)));
  const auto& prices = given.state().prices;
  REQUIRE(prices.size() == 3);
  CHECK(prices[0].item == "1000");  // by item, unit, minimum quantity
  CHECK(prices[0].value == 12500);
  CHECK(prices[1].unit == "PCS");
  CHECK(prices[2].item == "900");

  auto error = [&](campaign::SetPrice p) { return campaign::DecideSetPrice(given.state(), p).status(); };
  CHECK(error(Discount("1000", 0)).code() == StatusCode::kFailedPrecondition);
  CHECK(error(Discount("1000", 100001)).code() == StatusCode::kFailedPrecondition);
  CHECK(error(Price("1000", -1)).code() == StatusCode::kFailedPrecondition);
  CHECK(error(Price("1000", 1, -1)).code() == StatusCode::kFailedPrecondition);
  campaign::SetPrice both = Discount("1000", 5000);
  both.price = Money(100);
  CHECK(error(both).code() == StatusCode::kInvalidArgument);
  CHECK(campaign::DecideSetPrice(campaign::State{}, Price("1", 1)).status().code() == StatusCode::kNotFound);

  given.Add(*campaign::DecideRemovePrice(given.state(), {No("CP0001"), "900", "", 0}));
  CHECK(given.state().prices.size() == 2);
  CHECK(campaign::DecideRemovePrice(given.state(), {No("CP0001"), "900", "", 0}).status().message() ==
        "campaign CP0001 has no price for item 900 from quantity 0");
}

TEST_CASE("activation: a target group or a refusal; deactivating twice writes once") {
  Given<campaign::State> given = Campaign();
  CHECK(campaign::DecideActivate(given.state(), {}).status().code() == StatusCode::kFailedPrecondition);
  given.Add(*campaign::DecideActivate(given.state(), {No("CT0011"), No("CT0012")}));
  CHECK(given.state().active);
  CHECK(given.state().targets == 2);
  auto deactivate = [](const campaign::State& s) { return campaign::DecideDeactivate(s); };
  CHECK(EmittedTwice(given, deactivate) == "CampaignDeactivated / nothing");
}

TEST_CASE("a quote: what applies, and the best price and the best discount chosen apart") {
  Given<campaign::State> a = Campaign();
  a.Add(*campaign::DecideSetPrice(a.state(), Discount("1000", 10000)));
  a.Add(*campaign::DecideSetPrice(a.state(), Price("1000", 1250, 10)));
  a.Add(*campaign::DecideSetPrice(a.state(), Price("1000", 1300, 0, "BOX")));
  campaign::State cp = a.state();
  cp.start = Day("2027-02-01");
  cp.end = Day("2027-02-03");
  const campaign::QuoteAsk ask{"1000", "", 1, Day("2027-02-02")};
  CHECK(campaign::Applicable(cp, ask).empty());  // not active
  cp.active = true;
  CHECK(campaign::Applicable(cp, ask).size() == 1);  // the discount; the price needs 10, the box price a box
  CHECK(campaign::Applicable(cp, {"1000", "box", 10, Day("2027-02-02")}).size() == 3);
  CHECK(campaign::Applicable(cp, {"1000", "", 1, Day("2027-02-04")}).empty());  // after the end
  CHECK(campaign::Applicable(cp, {"1000", "", 1, Day("2027-01-31")}).empty());  // before the start
  CHECK(campaign::Applicable(cp, {"999", "", 1, Day("2027-02-02")}).empty());
  cp.end.reset();
  CHECK(campaign::Applicable(cp, {"1000", "", 1, Day("2030-01-01")}).size() == 1);  // an open end

  auto offer = [](std::string_view cp_no, bool discount, int64_t value) {
    return campaign::Offer{No(cp_no), {"1000", "", 0, discount, value}};
  };
  const campaign::Quote q = campaign::Best({offer("CP0003", false, 1300), offer("CP0002", true, 10000),
                                            offer("CP0001", false, 1250), offer("CP0004", true, 15000),
                                            offer("CP0005", true, 15000)});
  REQUIRE(q.price.has_value());
  REQUIRE(q.discount.has_value());
  CHECK(q.price->campaign == No("CP0001"));  // the lowest price
  CHECK(q.discount->campaign == No("CP0004"));  // the highest discount; a tie goes to the lower number
  CHECK(q.others.size() == 3);
  const campaign::Quote none = campaign::Best({});
  CHECK_FALSE(none.price.has_value());
  CHECK_FALSE(none.discount.has_value());
}

}  // namespace
}  // namespace crm::testing
