// The handler's campaign price commands (SPEC §4.7): price lines set and removed, and activation,
// which gathers the campaign's target group from the read models for the aggregate to fix
// (aggregates/campaign_prices.h).
#include <set>

#include "aggregates/campaign_prices.h"
#include "app/handler.h"
#include "app/handler_internal.h"

namespace crm {

using namespace handler_internal;  // NOLINT: this file implements the handler

namespace {

using nlohmann::json;

// Contacts of the campaign's segments flagged campaign target and of its logged, not canceled
// campaign-target interactions; and the companies of those that are persons.
Result<std::vector<RecordNo>> TargetGroup(ReadModel& rm, const RecordNo& campaign) {
  std::set<RecordNo> targets;
  const std::string cp = campaign.ToString();
  std::vector<RecordNo> segments;
  CRM_RETURN_IF_ERROR(rm.ForEachSegment([&](const segment::Header& h) {
    if (h.campaign == cp && h.campaign_target && !h.deleted) segments.push_back(h.no);
    return true;
  }));
  for (const RecordNo& sm : segments) {
    CRM_RETURN_IF_ERROR(rm.ForEachSegmentLine(sm, [&](const RecordNo& contact, const segment::Line&) {
      targets.insert(contact);
      return true;
    }));
  }
  ReadModel::InteractionQuery q;
  q.campaign = campaign;
  CRM_RETURN_IF_ERROR(rm.ForEachInteraction(q, [&](const InteractionRow& row) {
    if (!row.cancel.canceled() && row.campaign_target) targets.insert(row.contact);
    return true;
  }));
  std::set<RecordNo> companies;
  for (const RecordNo& t : targets) {
    CRM_ASSIGN_OR_RETURN(auto contact, rm.Contact(t));
    if (contact && !contact->company.empty()) {
      CRM_ASSIGN_OR_RETURN(RecordNo company, RecordNo::Parse(contact->company));
      companies.insert(company);
    }
  }
  targets.insert(companies.begin(), companies.end());
  return std::vector<RecordNo>(targets.begin(), targets.end());
}

}  // namespace

Result<json> Handler::SetCampaignPrice(const Request& r, const campaign::SetPrice& c) {
  return Run(r, c.no.Stream(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_ASSIGN_OR_RETURN(auto state, rm.Campaign(c.no));
    CRM_ASSIGN_OR_RETURN(batch->events, campaign::DecideSetPrice(state.value_or(campaign::State{}), c));
    CRM_ASSIGN_OR_RETURN(campaign::PriceLine key, campaign::LineKey(c.item, c.unit, c.min_qty));
    return json{{"no", c.no.ToString()}, {"item", key.item}, {"changed", !batch->events.empty()}};
  });
}

Result<json> Handler::RemoveCampaignPrice(const Request& r, const campaign::RemovePrice& c) {
  return Run(r, c.no.Stream(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_ASSIGN_OR_RETURN(auto state, rm.Campaign(c.no));
    CRM_ASSIGN_OR_RETURN(batch->events, campaign::DecideRemovePrice(state.value_or(campaign::State{}), c));
    CRM_ASSIGN_OR_RETURN(campaign::PriceLine key, campaign::LineKey(c.item, c.unit, c.min_qty));
    return json{{"no", c.no.ToString()}, {"item", key.item}, {"changed", true}};
  });
}

Result<json> Handler::ActivateCampaign(const Request& r, const RecordNo& no, bool activate) {
  return Run(r, no.Stream(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_ASSIGN_OR_RETURN(campaign::State cp, LiveCampaign(rm, no));
    json answer{{"no", no.ToString()}, {"active", activate}, {"prices", cp.prices.size()}};
    if (activate) {
      CRM_ASSIGN_OR_RETURN(std::vector<RecordNo> targets, TargetGroup(rm, no));
      answer["targets"] = targets.size();
      CRM_ASSIGN_OR_RETURN(batch->events, campaign::DecideActivate(cp, targets));
    } else {
      CRM_ASSIGN_OR_RETURN(batch->events, campaign::DecideDeactivate(cp));
    }
    answer["changed"] = !batch->events.empty();
    return answer;
  });
}

}  // namespace crm
