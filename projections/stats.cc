#include "projections/stats.h"

#include <cmath>
#include <set>

#include "aggregates/task.h"

namespace crm {

Result<CampaignStats> ComputeCampaignStats(const ReadModel& rm, const RecordNo& campaign, bool rollup) {
  CampaignStats s;
  std::vector<RecordNo> todo{campaign};
  while (!todo.empty()) {
    const RecordNo no = todo.back();
    todo.pop_back();
    CRM_ASSIGN_OR_RETURN(auto cp, rm.Campaign(no));
    if (!cp) return Status::NotFound("campaign " + no.ToString() + " does not exist");
    s.campaigns.push_back(no);
    s.actual_cost = Money(s.actual_cost.value() + cp->actual_cost.value());
    s.budgeted_cost = Money(s.budgeted_cost.value() + cp->budgeted_cost.value());
    if (no == campaign) s.expected_response = cp->expected_response;
    if (rollup) {
      CRM_ASSIGN_OR_RETURN(auto children, rm.Children(no));
      todo.insert(todo.end(), children.begin(), children.end());
    }
  }
  std::set<std::string> targeted, responded;
  for (const RecordNo& no : s.campaigns) {
    CRM_ASSIGN_OR_RETURN(auto counts, rm.CountsByStatus(no));
    for (const auto& [status, n] : counts) {
      s.members_by_status[status] += n;
      s.members += n;
    }
    CRM_ASSIGN_OR_RETURN(uint64_t converted, rm.ConvertedLeads(no));
    s.converted_leads += converted;
    CRM_RETURN_IF_ERROR(rm.ForEachOpportunity(no, [&](const opportunity::State& op) {
      ++s.opportunities;
      s.open_opportunities += op.open();
      s.won += op.status == opportunity::kWon;
      s.lost += op.status == opportunity::kLost;
      s.estimated_value = Money(s.estimated_value.value() + op.estimated_value.value());
      s.won_amount = Money(s.won_amount.value() + op.amount_won.value());
      return true;
    }));
    CRM_RETURN_IF_ERROR(rm.ForEachTask(no, [&](const TaskRow& t) {
      s.open_tasks += task::IsOpen(t.status);
      s.completed_tasks += t.status == task::kCompleted;
      s.canceled_tasks += t.status == task::kCanceled;
      return true;
    }));
    CRM_RETURN_IF_ERROR(rm.ForEachMember(no, RecordNo(), [&](const RosterRow& row) {
      (row.member.kind() == RecordKind::kLead ? s.leads : s.contacts) += 1;
      // One definition of "responded", the roster's: the member's status counted as responded
      // when it was set (SPEC §4.1). Logging a response sets it, canceling that response takes
      // it back (docs/design.md).
      if (row.m.responded) responded.insert(row.member.ToString());
      return true;
    }));
    Status bad;
    ReadModel::InteractionQuery q;
    q.campaign = no;
    CRM_RETURN_IF_ERROR(rm.ForEachInteraction(q, [&](const nlohmann::json& row) {
      if (row.value("canceled", false)) return true;
      ++s.interactions;
      auto cost = ParseMoney(row.value("cost", "0"));
      if (!cost.ok()) {
        bad = Status::Corruption("interaction " + row.value("entry", "") + ": " + cost.status().message());
        return false;
      }
      s.interaction_cost = Money(s.interaction_cost.value() + cost->value());
      s.duration += row.value("duration", 0);
      if (row.value("campaign_target", false)) targeted.insert(row.value("contact", ""));
      return true;
    }));
    CRM_RETURN_IF_ERROR(bad);
  }
  s.targeted = targeted.size();
  s.responses = responded.size();
  return s;
}

nlohmann::json ToJson(const CampaignStats& s) {
  auto rate = [](uint64_t part, uint64_t whole) -> nlohmann::json {
    if (whole == 0) return nullptr;
    return std::round(static_cast<double>(part) * 10000.0 / static_cast<double>(whole)) / 100.0;  // percent, 2 decimals
  };
  nlohmann::json campaigns = nlohmann::json::array();
  for (const auto& no : s.campaigns) campaigns.push_back(no.ToString());
  const Money cost(s.interaction_cost.value() + s.actual_cost.value());
  return {{"campaigns", campaigns},
          {"members", s.members},
          {"members_by_status", s.members_by_status},
          {"contacts", s.contacts},
          {"leads", s.leads},
          {"targeted", s.targeted},
          {"responses", s.responses},
          {"response_rate", rate(s.responses, s.targeted)},
          {"expected_response", PercentAsDouble(s.expected_response)},
          {"interactions", s.interactions},
          {"interaction_cost", FormatMoney(s.interaction_cost)},
          {"actual_cost", FormatMoney(s.actual_cost)},
          {"cost", FormatMoney(cost)},
          {"budgeted_cost", FormatMoney(s.budgeted_cost)},
          {"budget_left", FormatMoney(Money(s.budgeted_cost.value() - cost.value()))},
          {"duration_minutes", s.duration},
          {"converted_leads", s.converted_leads},
          {"opportunities",
           {{"count", s.opportunities},
            {"open", s.open_opportunities},
            {"won", s.won},
            {"lost", s.lost},
            {"estimated_value", FormatMoney(s.estimated_value)},
            {"won_amount", FormatMoney(s.won_amount)}}},
          {"tasks", {{"open", s.open_tasks}, {"completed", s.completed_tasks}, {"canceled", s.canceled_tasks}}}};
}

}  // namespace crm
