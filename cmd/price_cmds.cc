// crmctl campaign price add|list|remove, campaign activate|deactivate, and price quote (SPEC §4.7):
// prices and line discounts for a campaign's target group, and the best a customer gets.
#include "aggregates/campaign_prices.h"
#include "cmd/app.h"
#include "cmd/table.h"
#include "projections/rows.h"

namespace crm::cli {
namespace {

using nlohmann::json;

json OfferJson(const campaign::Offer& o) { return PriceLineJson(o.campaign, o.line); }

std::string OfferText(const campaign::Offer& o) {
  return PriceText(o.line) + " from " + o.campaign.ToString() + (o.line.min_qty > 0 ? " (from quantity " + std::to_string(o.line.min_qty) + ")" : "");
}

// What names a price line, for `add` and `remove` alike: campaign, item, unit, minimum quantity.
struct PriceOpts {
  std::string campaign, item, unit;
  int64_t min_qty = 0;
  std::optional<std::string> discount, price;
  void AddKey(CLI::App* cmd) {
    cmd->add_option("CAMPAIGN", campaign)->required();
    cmd->add_option("--item", item, "item number")->required();
    cmd->add_option("--min-qty", min_qty, "from this quantity on (default 0)");
    cmd->add_option("--unit", unit, "unit of measure code (default: any unit)");
  }
  template <typename Line>
  Status FillKey(Line* c) const {
    CRM_ASSIGN_OR_RETURN(c->no, ParseNo(campaign, RecordKind::kCampaign));
    c->item = item;
    c->unit = unit;
    c->min_qty = min_qty;
    return Status::Ok();
  }
};

void AddPriceGroup(App* app, CLI::App* campaign) {
  auto* group = campaign->add_subcommand("price", "prices and line discounts for the campaign's target group");
  group->require_subcommand(1);

  auto* add = group->add_subcommand("add", "set a price or line discount (one per item, unit and minimum quantity)");
  auto o = std::make_shared<PriceOpts>();
  o->AddKey(add);
  OptionalOption(add, "--discount", &o->discount, "line discount, percent");
  OptionalOption(add, "--price", &o->price, "unit price");
  app->On(add, [app, o]() -> Result<Output> {
    campaign::SetPrice c;
    CRM_RETURN_IF_ERROR(o->FillKey(&c));
    if (o->discount) {
      CRM_ASSIGN_OR_RETURN(c.discount, ParsePercent(*o->discount));
    }
    CRM_ASSIGN_OR_RETURN(c.price, OptMoney(o->price, "--price"));
    return app->Write([&](Handler& h, const Request& rq) { return h.SetCampaignPrice(rq, c); },
                      [](const json& a) { return a["item"].get<std::string>() + (a["changed"].get<bool>() ? " set" : " unchanged"); });
  });

  auto* remove = group->add_subcommand("remove", "remove a price or line discount");
  auto ro = std::make_shared<PriceOpts>();
  ro->AddKey(remove);
  app->On(remove, [app, ro]() -> Result<Output> {
    campaign::RemovePrice c;
    CRM_RETURN_IF_ERROR(ro->FillKey(&c));
    return app->Write([&](Handler& h, const Request& rq) { return h.RemoveCampaignPrice(rq, c); },
                      [](const json& a) { return a["item"].get<std::string>() + " removed"; });
  });

  auto* list = group->add_subcommand("list", "a campaign's prices and line discounts");
  auto lo = std::make_shared<std::string>();
  list->add_option("CAMPAIGN", *lo)->required();
  app->On(list, [app, lo]() -> Result<Output> {
    CRM_ASSIGN_OR_RETURN(RecordNo no, ParseNo(*lo, RecordKind::kCampaign));
    CRM_ASSIGN_OR_RETURN(Reader r, app->OpenReader());
    CRM_ASSIGN_OR_RETURN(auto cp, r.rm->Campaign(no));
    if (!cp) return Status::NotFound("campaign " + no.ToString() + " does not exist");
    json out = json::array();
    Table t({"ITEM", "UNIT", "MIN QTY", "DISCOUNT %", "PRICE"});
    for (const auto& p : cp->prices) {
      out.push_back(OfferJson({no, p}));
      t.Add({p.item, p.unit, std::to_string(p.min_qty), p.discount ? FormatPercent(Percent(p.value)) : "",
             p.discount ? "" : FormatMoney(Money(p.value))});
    }
    return ListOutput(std::move(out), t);
  });
}

void AddActivation(App* app, CLI::App* campaign) {
  for (const bool activate : {true, false}) {
    auto* cmd = campaign->add_subcommand(activate ? "activate" : "deactivate",
                                         activate ? "build the target group its prices apply to" : "stop its prices");
    auto no_text = std::make_shared<std::string>();
    cmd->add_option("CAMPAIGN", *no_text)->required();
    app->On(cmd, [app, no_text, activate]() -> Result<Output> {
      CRM_ASSIGN_OR_RETURN(RecordNo no, ParseNo(*no_text, RecordKind::kCampaign));
      CRM_ASSIGN_OR_RETURN(Output out, app->Write([&](Handler& h, const Request& rq) { return h.ActivateCampaign(rq, no, activate); },
                                                  [activate](const json& a) {
                                                    if (!activate) return a["no"].get<std::string>() + " inactive";
                                                    return a["no"].get<std::string>() + " active, " + a["targets"].dump() +
                                                           " targeted";
                                                  }));
      if (activate && out.json && out.json->value("prices", 0) == 0) {
        out.warning = "campaign " + no.ToString() + " has no prices yet: its target group gets nothing (campaign price add)";
      }
      return out;
    });
  }
}

void AddQuote(App* app) {
  auto* group = app->cli().add_subcommand("price", "prices customers get from campaigns");
  group->require_subcommand(1);
  struct QuoteOpts {
    std::string contact, item, unit, date;
    int64_t qty = 1;
  };
  auto o = std::make_shared<QuoteOpts>();
  auto* quote = group->add_subcommand("quote", "the best price and line discount a contact (or its company) gets");
  quote->add_option("--contact", o->contact, "the contact (CTxxxx)")->required();
  quote->add_option("--item", o->item, "item number")->required();
  quote->add_option("--qty", o->qty, "quantity (default 1)");
  quote->add_option("--unit", o->unit, "unit of measure code");
  quote->add_option("--date", o->date, "the date (YYYY-MM-DD; default today)");
  app->On(quote, [app, o]() -> Result<Output> {
    CRM_ASSIGN_OR_RETURN(RecordNo contact, ParseNo(o->contact, RecordKind::kContact));
    if (o->qty < 1) return Status::InvalidArgument("--qty must be at least 1");
    campaign::QuoteAsk ask{o->item, o->unit, o->qty, Date(0)};
    if (o->date.empty()) {
      CRM_ASSIGN_OR_RETURN(Timestamp now, app->Now());
      ask.date = DateOf(now);
    } else {
      CRM_ASSIGN_OR_RETURN(ask.date, ParseDate(o->date));
    }
    CRM_ASSIGN_OR_RETURN(Reader r, app->OpenReader());
    CRM_ASSIGN_OR_RETURN(auto person, r.rm->Contact(contact));
    if (!person) return Status::NotFound("contact " + contact.ToString() + " does not exist");
    // The contact's own campaigns, and its company's.
    CRM_ASSIGN_OR_RETURN(std::vector<RecordNo> campaigns, r.rm->CampaignsTargeting(contact));
    if (!person->company.empty()) {
      CRM_ASSIGN_OR_RETURN(RecordNo company, RecordNo::Parse(person->company));
      CRM_ASSIGN_OR_RETURN(std::vector<RecordNo> more, r.rm->CampaignsTargeting(company));
      campaigns.insert(campaigns.end(), more.begin(), more.end());
    }
    std::sort(campaigns.begin(), campaigns.end());
    campaigns.erase(std::unique(campaigns.begin(), campaigns.end()), campaigns.end());
    std::vector<campaign::Offer> offers;
    for (const RecordNo& no : campaigns) {
      CRM_ASSIGN_OR_RETURN(auto cp, r.rm->Campaign(no));
      if (!cp) continue;
      for (auto& offer : campaign::Applicable(*cp, ask)) offers.push_back(std::move(offer));
    }
    const campaign::Quote q = campaign::Best(std::move(offers));
    json others = json::array();
    for (const auto& other : q.others) others.push_back(OfferJson(other));
    json out{{"contact", contact.ToString()},
             {"company", person->company},
             {"item", Upper(Trim(o->item))},
             {"qty", o->qty},
             {"date", FormatDate(ask.date)},
             {"price", q.price ? OfferJson(*q.price) : json(nullptr)},
             {"discount", q.discount ? OfferJson(*q.discount) : json(nullptr)},
             {"others", others}};
    std::string text;
    if (q.price) text += OfferText(*q.price) + '\n';
    if (q.discount) text += OfferText(*q.discount) + '\n';
    if (!q.price && !q.discount) text += "no campaign price or discount for " + contact.ToString() + '\n';
    for (const auto& other : q.others) text += "also applies: " + OfferText(other) + '\n';
    return JsonOrText(std::move(out), text);
  });
}

}  // namespace

void AddPriceCommands(App* app, CLI::App* campaign) {
  AddPriceGroup(app, campaign);
  AddActivation(app, campaign);
  AddQuote(app);
}

json PriceLineJson(const RecordNo& campaign, const campaign::PriceLine& line) {
  json j = ToJson(line);
  j["campaign"] = campaign.ToString();
  return j;
}

std::string PriceText(const campaign::PriceLine& line) {
  return line.discount ? "discount " + FormatPercent(Percent(line.value)) + " %" : "price " + FormatMoney(Money(line.value));
}

}  // namespace crm::cli
