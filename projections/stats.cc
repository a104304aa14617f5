#include "projections/stats.h"

#include <cmath>

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
  for (const RecordNo& no : s.campaigns) {
    CRM_ASSIGN_OR_RETURN(auto counts, rm.CountsByStatus(no));
    for (const auto& [status, n] : counts) {
      s.members_by_status[status] += n;
      s.members += n;
    }
    CRM_ASSIGN_OR_RETURN(uint64_t converted, rm.ConvertedLeads(no));
    s.converted_leads += converted;
    CRM_ASSIGN_OR_RETURN(CampaignFigures f, rm.Figures(no));
    s.figures += f;
  }
  return s;
}

nlohmann::json ToJson(const CampaignStats& s) {
  auto rate = [](int64_t part, int64_t whole) -> nlohmann::json {
    if (whole == 0) return nullptr;
    return std::round(static_cast<double>(part) * 10000.0 / static_cast<double>(whole)) / 100.0;  // percent, 2 decimals
  };
  nlohmann::json campaigns = nlohmann::json::array();
  for (const auto& no : s.campaigns) campaigns.push_back(no.ToString());
  const CampaignFigures& f = s.figures;
  const Money cost(f.interaction_cost + s.actual_cost.value());
  // SPEC §3's keys (`campaign`, `by_status`, `duration`) beside the earlier names of the same
  // figures (`members_by_status`, `duration_minutes`): keys are added, never renamed.
  return {{"campaign", s.campaigns.empty() ? "" : s.campaigns.front().ToString()},
          {"campaigns", campaigns},
          {"members", s.members},
          {"by_status", s.members_by_status},
          {"members_by_status", s.members_by_status},
          {"contacts", f.contacts},
          {"leads", f.leads},
          {"targeted", f.targeted},
          {"responses", f.responded},
          {"response_rate", rate(f.responded, f.targeted)},
          {"expected_response", PercentAsDouble(s.expected_response)},
          {"interactions", f.interactions},
          {"interaction_cost", FormatMoney(Money(f.interaction_cost))},
          {"actual_cost", FormatMoney(s.actual_cost)},
          {"cost", FormatMoney(cost)},
          {"budgeted_cost", FormatMoney(s.budgeted_cost)},
          {"budget_left", FormatMoney(Money(s.budgeted_cost.value() - cost.value()))},
          {"duration", f.duration},
          {"duration_minutes", f.duration},
          {"converted_leads", s.converted_leads},
          {"opportunities",
           {{"count", f.opportunities},
            {"open", f.open_opportunities},
            {"won", f.won},
            {"lost", f.lost},
            {"estimated_value", FormatMoney(Money(f.estimated_value))},
            {"won_amount", FormatMoney(Money(f.won_amount))}}},
          {"tasks", {{"open", f.open_tasks}, {"completed", f.completed_tasks}, {"canceled", f.canceled_tasks}}}};
}

}  // namespace crm
